//! The whole path a person walks, in a real browser against the release build: the partner page embeds
//! the form, a new user signs up and logs in, the partner receives `HANDOFF`, its server exchanges the
//! code and reads the user back from finAPI. Along the way every byte the browser receives is recorded,
//! and none of it may carry the client secret, the user's finAPI token or their password.

mod support;

use fantoccini::Locator;
use support::browser::{find, in_browser, sign_up_and_log_in, type_into, wait_for_text};
use support::recording_proxy::{Exchange, RecordingProxy};
use support::stack::Stack;

const PASSWORD: &str = "e2e correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_signs_up_in_the_partner_page_and_the_partner_reads_them_back() {
    let stack = Stack::start().await;
    let recorder = RecordingProxy::start().await;
    let user_id = format!("e2e-{}", std::process::id());
    let partner_url = stack.partner_url();
    let id = user_id.clone();
    in_browser(recorder.addr, |client| async move {
        client.goto(&partner_url).await.unwrap();
        wait_for_text(&client, "#partner-events", |t| t.contains("READY")).await;
        client.enter_frame(0).await.unwrap();

        type_into(&client, "#signup-id", &id).await;
        type_into(&client, "#signup-password", PASSWORD).await;
        type_into(&client, "#signup-email", &format!("{id}@example.com")).await;
        find(&client, "#create-account button[type=submit]")
            .await
            .click()
            .await
            .unwrap();

        // The login step carries the id over; the person only types the password again.
        let password = find(&client, "#log-in-password").await;
        let prefilled = find(&client, "#log-in-id").await.prop("value").await.unwrap();
        assert_eq!(prefilled.as_deref(), Some(id.as_str()));
        password.send_keys(PASSWORD).await.unwrap();
        find(&client, "#log-in button[type=submit]")
            .await
            .click()
            .await
            .unwrap();

        let done = wait_for_text(&client, "#done", |t| !t.is_empty()).await;
        assert!(done.contains(&id), "the done step names the user: {done}");

        client.enter_parent_frame().await.unwrap();
        let shown = wait_for_text(&client, "#partner-user-id", |t| !t.is_empty()).await;
        assert_eq!(shown, id, "the partner's server read the user back from finAPI");
        let email = find(&client, "#partner-user-email").await.text().await.unwrap();
        assert_eq!(email, format!("{id}@example.com"));
        let events = find(&client, "#partner-events").await.text().await.unwrap();
        assert!(events.contains("HANDOFF"), "{events}");

        // Nothing secret in the browser's storage, on either origin.
        let storage =
            "return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]);";
        let top = client.execute(storage, vec![]).await.unwrap();
        client.enter_frame(0).await.unwrap();
        let framed = client.execute(storage, vec![]).await.unwrap();
        for stored in [top, framed] {
            assert_eq!(stored.as_str(), Some(r#"[[],[],""]"#), "the browser stores nothing");
        }
        let _ = client.find(Locator::Css("#done")).await.unwrap();
    })
    .await;

    // The user's finAPI token as finAPI hands it out now: the same token while it is valid.
    let token = finapi_user_token(&stack, &user_id).await;
    let exchanges = recorder.recording.exchanges();
    assert!(
        exchanges.iter().any(|e| e.url.contains("/api/handoff")),
        "the browser's traffic went through the recorder"
    );
    let secrets = [
        ("client secret", stack.client_secret.as_str()),
        ("user token", token.as_str()),
        ("password", PASSWORD),
        ("partner key", stack.partner_key.as_str()),
    ];
    for (name, secret) in secrets {
        for Exchange { method, url, body, .. } in &exchanges {
            assert!(
                !contains(body, secret),
                "the {name} reached the browser in the answer to {method} {url}"
            );
            assert!(!url.contains(secret), "the {name} appeared in a URL: {url}");
        }
    }
    for path in files_under(&stack.form_dir) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !contains(&bytes, &stack.client_secret),
            "the client secret is in {}",
            path.display()
        );
        assert!(
            !contains(&bytes, "dev-app-secret"),
            "a development secret is built into {}",
            path.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outside_an_iframe_the_done_step_continues_to_the_bank_connection() {
    let stack = Stack::start().await;
    let recorder = RecordingProxy::start().await;
    let form_url = format!("{}?lang=en", stack.form_url());
    in_browser(recorder.addr, |client| async move {
        client.goto(&form_url).await.unwrap();
        sign_up_and_log_in(&client, "top-level-user", PASSWORD).await;
        find(&client, "#continue-to-bank").await.click().await.unwrap();
        // The emulator's Web Form: the finAPI Test Bank takes demo / demo.
        type_into(&client, "input[name=login]", "demo").await;
        type_into(&client, "input[name=pin]", "demo").await;
        find(&client, "button[value=connect]").await.click().await.unwrap();
        wait_for_text(&client, "h1", |t| t.to_lowercase().contains("connected")).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bank_connection_can_open_in_a_new_window_and_its_end_shows_back_in_the_form() {
    // finAPI tells the proxy how the Web Form ended through its callback; the form asks the proxy.
    let stack = Stack::start_with(|context| onboarding_proxy::ProxyOptions {
        callbacks: Some(onboarding_proxy::app::CallbackSettings {
            public_url: url::Url::parse(&context.proxy_url).unwrap(),
            secret: secrecy::SecretString::from("e2e-callback-secret-0123456789abcdefghij"),
        }),
        ..Default::default()
    })
    .await;
    let recorder = RecordingProxy::start().await;
    let form_url = format!("{}?lang=en", stack.form_url());
    in_browser(recorder.addr, |client| async move {
        client.goto(&form_url).await.unwrap();
        sign_up_and_log_in(&client, "new-window-user", PASSWORD).await;

        let form_window = client.window().await.unwrap();
        let link = find(&client, "#continue-to-bank-new-window").await;
        let name = link.text().await.unwrap();
        assert!(name.starts_with("Open in a new window"), "{name}");
        link.click().await.unwrap();
        let deadline = tokio::time::Instant::now() + support::browser::WAIT;
        let bank_window = loop {
            let windows = client.windows().await.unwrap();
            if let Some(other) = windows.into_iter().find(|w| *w != form_window) {
                break other;
            }
            assert!(tokio::time::Instant::now() < deadline, "no new window opened");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        client.switch_to_window(bank_window).await.unwrap();
        type_into(&client, "input[name=login]", "demo").await;
        type_into(&client, "input[name=pin]", "demo").await;
        find(&client, "button[value=connect]").await.click().await.unwrap();
        wait_for_text(&client, "h1", |t| t.to_lowercase().contains("connected")).await;
        client.close_window().await.unwrap();

        // Back in the form's window: the end of the Web Form is told there.
        client.switch_to_window(form_window).await.unwrap();
        let status = wait_for_text(&client, "#web-form-status", |t| !t.is_empty()).await;
        assert_eq!(status, "Your bank account is connected.");
        assert!(
            client.find(Locator::Css("#continue-to-bank")).await.is_err(),
            "a finished Web Form is not offered again"
        );
    })
    .await;
}

async fn finapi_user_token(stack: &Stack, user_id: &str) -> String {
    let form = [
        ("grant_type", "password"),
        ("client_id", "onboarding-dev-app"),
        ("client_secret", stack.client_secret.as_str()),
        ("username", user_id),
        ("password", PASSWORD),
    ];
    let response = reqwest::Client::new()
        .post(format!("{}/api/v2/oauth/token", stack.emulator.base_url()))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let token: serde_json::Value = response.json().await.unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

/// Every file in `dir` and its subdirectories (the built form has `locales/`).
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_back_button_moves_between_steps() {
    let stack = Stack::start().await;
    let recorder = RecordingProxy::start().await;
    let form_url = format!("{}?lang=en", stack.form_url());
    in_browser(recorder.addr, |client| async move {
        client.goto(&form_url).await.unwrap();
        find(&client, "#go-to-log-in").await.click().await.unwrap();
        type_into(&client, "#log-in-id", "back-button-user").await;
        find(&client, "#forgot-password").await.click().await.unwrap();
        find(&client, "#back-to-log-in").await;

        client.back().await.unwrap();
        find(&client, "#log-in-password").await;
        client.back().await.unwrap();
        find(&client, "#signup-id").await;
        let heading = find(&client, "main h1").await.text().await.unwrap();
        assert_eq!(heading, "Create account");
        // Nothing to go forward to that the form could show again: it stays where it is.
        client.forward().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        find(&client, "#signup-id").await;
    })
    .await;
}
