//! The README's screenshots, taken from headless Chromium against the release build:
//! `scripts/screenshots` (or `cargo run -p e2e --example screenshots`) writes `docs/screenshots/*.png`.
//!
//! Every step in German and English, light and dark, one error state per language, and the demo partner
//! page with the form framed by the loader.

#[path = "../tests/support/mod.rs"]
mod support;

use fantoccini::Client;
use std::path::{Path, PathBuf};
use std::time::Duration;
use support::browser::{find, open_browser, start_driver, type_into, wait_for_text};
use support::recording_proxy::RecordingProxy;
use support::stack::Stack;

const PASSWORD: &str = "screenshot correct horse";

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&dir).expect("docs/screenshots");
    dir.canonicalize().unwrap()
}

async fn shoot(client: &Client, name: &str) {
    // Let the focus ring and fonts settle: the pictures should show what a person sees, not a frame early.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let png = client.screenshot().await.expect("a screenshot");
    let path = out_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write the screenshot");
    println!("{}", path.display());
}

/// Create account (and its error state), log in, done: one language, one base theme.
async fn walk(client: &Client, stack: &Stack, lang: &str, theme: &str, with_errors: bool) {
    let id = format!("shot-{lang}-{theme}-{}", std::process::id());
    client
        .goto(&format!("{}?lang={lang}&theme={theme}", stack.form_url()))
        .await
        .unwrap();
    find(client, "#signup-id").await;
    shoot(client, &format!("1-create-account-{lang}-{theme}")).await;

    if with_errors {
        type_into(client, "#signup-id", "jane doe").await;
        type_into(client, "#signup-password", "short").await;
        find(client, "#create-account button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        find(client, ".error-summary").await;
        shoot(client, &format!("1-create-account-errors-{lang}-{theme}")).await;
    }

    type_into(client, "#signup-id", &id).await;
    type_into(client, "#signup-password", PASSWORD).await;
    find(client, "#create-account button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    find(client, "#log-in-password").await;
    shoot(client, &format!("2-log-in-{lang}-{theme}")).await;

    type_into(client, "#log-in-password", PASSWORD).await;
    find(client, "#log-in button[type=submit]").await.click().await.unwrap();
    wait_for_text(client, "#done", |t| !t.is_empty()).await;
    shoot(client, &format!("3-done-{lang}-{theme}")).await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let stack = Stack::start().await;
    let recorder = RecordingProxy::start().await;
    let driver = start_driver().await;
    let client = open_browser(&driver, recorder.addr).await;
    client.set_window_size(520, 980).await.unwrap();
    for lang in ["de", "en"] {
        for theme in ["light", "dark"] {
            walk(&client, &stack, lang, theme, theme == "light").await;
        }
    }
    client.set_window_size(1280, 1000).await.unwrap();
    client.goto(&stack.partner_url()).await.unwrap();
    wait_for_text(&client, "#partner-events", |t| t.contains("READY")).await;
    shoot(&client, "0-partner-page-en").await;
    let _ = client.close().await;
    drop(driver);
}
