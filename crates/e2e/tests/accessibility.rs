//! Accessibility, proven in a real browser against the release build: axe-core (from npm, see
//! `tools/package.json`) reports no violation of WCAG 2.2 A/AA or axe's best practices on every step and
//! every error state, in German and English, in the page a partner frames and in the partner page around
//! it; the layout reflows at 320 px without sideways scrolling; and a person with only a keyboard gets
//! through the whole flow, always seeing where the focus is.

mod support;

use fantoccini::Client;
use serde_json::Value;
use std::time::Duration;
use support::browser::{find, open_browser, start_driver, type_into, wait_for_text};
use support::recording_proxy::RecordingProxy;
use support::stack::Stack;

const PASSWORD: &str = "e2e correct horse battery";
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// axe's rule sets: WCAG 2.0–2.2 A and AA, and axe's best practices.
const AXE_TAGS: &str = "['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa','best-practice']";

fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing (scripts/install runs npm ci in tools/): {e}",
            path.display()
        )
    })
}

/// Runs axe on the current document (or frame) and returns its violations, one readable line each.
async fn axe_violations(client: &Client, axe: &str) -> Vec<String> {
    // WebDriver scripts run outside the page's CSP, so axe can be injected under the strict policy.
    let loaded = client
        .execute(&format!("{axe}\n;return typeof window.axe;"), vec![])
        .await
        .unwrap();
    assert_eq!(loaded, "object", "axe-core loaded");
    let run = format!(
        "var done = arguments[arguments.length - 1];
         axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS}}}, resultTypes: ['violations']}})
           .then(function (r) {{ done(r.violations.map(function (v) {{
              return v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                v.nodes.map(function (n) {{ return n.target.join(' '); }}).join(', ');
           }})); }})
           .catch(function (e) {{ done(['axe failed: ' + e]); }});"
    );
    let violations = client.execute_async(&run, vec![]).await.unwrap();
    violations
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Whether the page fits its width (no sideways scrolling).
async fn reflows(client: &Client) -> bool {
    let fits = client
        .execute(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1;",
            vec![],
        )
        .await
        .unwrap();
    fits == Value::Bool(true)
}

/// Runs `steps` in a fresh browser and always closes the session before reporting.
async fn in_browser<F, Fut>(steps: F)
where
    F: FnOnce(Client, Stack) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let stack = Stack::start().await;
    let recorder = RecordingProxy::start().await;
    let driver = start_driver().await;
    let client = open_browser(&driver, recorder.addr).await;
    let outcome = tokio::spawn({
        let client = client.clone();
        async move { steps(client, stack).await }
    })
    .await;
    let _ = client.close().await;
    drop(driver);
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// Every state of the flow in one language and base theme: axe on each, collected, then reported
/// together.
async fn audit_every_step(client: &Client, stack: &Stack, lang: &str, theme: &str) -> Vec<String> {
    let axe = axe_source();
    let mut found = Vec::new();
    let mut check = |state: &str, violations: Vec<String>| {
        found.extend(
            violations
                .into_iter()
                .map(|v| format!("[{lang}, {theme}] {state}: {v}")),
        );
    };
    let id = format!("axe-{lang}-{theme}-{}", std::process::id());

    // The reset steps first: asking for a link, and the link's "choose a new password" step.
    client
        .goto(&format!(
            "{}?lang={lang}&theme={theme}#reset=not-a-real-code",
            stack.form_url()
        ))
        .await
        .unwrap();
    find(client, "#new-password").await;
    check("new password", axe_violations(client, &axe).await);
    type_into(client, "#new-password", "short").await;
    find(client, "#new-password-submit").await.click().await.unwrap();
    find(client, ".error-summary").await;
    check("new password, too short", axe_violations(client, &axe).await);
    type_into(client, "#new-password", PASSWORD).await;
    find(client, "#new-password-submit").await.click().await.unwrap();
    find(client, "#request-new-link").await;
    check("new password, link invalid", axe_violations(client, &axe).await);
    find(client, "#request-new-link").await.click().await.unwrap();
    find(client, "#back-to-log-in").await;
    check("reset password", axe_violations(client, &axe).await);
    // With email set up (the tenant offers resets) the step asks for the id; the stack's default tenant
    // has no mail server, so the step names whom to contact instead: both are audited where they show.
    if client.find(fantoccini::Locator::Css("#reset-id")).await.is_ok() {
        type_into(client, "#reset-id", "someone").await;
        find(client, "#reset-submit").await.click().await.unwrap();
        wait_for_text(client, "#reset-sent", |t| !t.is_empty()).await;
        check("reset password, sent", axe_violations(client, &axe).await);
    }

    client
        .goto(&format!("{}?lang={lang}&theme={theme}", stack.form_url()))
        .await
        .unwrap();
    find(client, "#signup-id").await;
    check("create account", axe_violations(client, &axe).await);

    // Every field's error at once: an id with a space, a short password, an email and phone that are wrong.
    type_into(client, "#signup-id", "not valid").await;
    type_into(client, "#signup-password", "short").await;
    type_into(client, "#signup-email", "no-at-sign").await;
    type_into(client, "#signup-phone", "12").await;
    find(client, "#create-account button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    find(client, ".error-summary").await;
    check("create account, errors", axe_violations(client, &axe).await);

    type_into(client, "#signup-id", &id).await;
    type_into(client, "#signup-password", PASSWORD).await;
    type_into(client, "#signup-email", &format!("{id}@example.com")).await;
    type_into(client, "#signup-phone", "+49 30 1234567").await;
    find(client, "#create-account button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    find(client, "#log-in-password").await;
    check("log in", axe_violations(client, &axe).await);

    type_into(client, "#log-in-password", "a wrong password").await;
    find(client, "#log-in button[type=submit]").await.click().await.unwrap();
    find(client, ".error-summary").await;
    check("log in, wrong password", axe_violations(client, &axe).await);

    type_into(client, "#log-in-password", PASSWORD).await;
    find(client, "#log-in button[type=submit]").await.click().await.unwrap();
    wait_for_text(client, "#done", |t| !t.is_empty()).await;
    check("done", axe_violations(client, &axe).await);
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_any_step_in_german_or_english_light_or_dark() {
    in_browser(|client, stack| async move {
        let mut found = Vec::new();
        for (lang, theme) in [("de", "light"), ("en", "light"), ("de", "dark"), ("en", "dark")] {
            found.extend(audit_every_step(&client, &stack, lang, theme).await);
        }
        // The dark theme really is on: axe's colour-contrast checks above ran against its palette.
        let theme = client
            .execute("return document.documentElement.getAttribute('data-theme');", vec![])
            .await
            .unwrap();
        assert_eq!(theme, "dark");
        assert!(found.is_empty(), "axe-core found violations:\n{}", found.join("\n"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_the_partner_page_with_the_framed_form() {
    in_browser(|client, stack| async move {
        let axe = axe_source();
        client.goto(&stack.partner_url()).await.unwrap();
        wait_for_text(&client, "#partner-events", |t| t.contains("READY")).await;
        // The page around the frame: among others, axe's frame-title rule (an untitled iframe fails).
        let mut found = axe_violations(&client, &axe).await;
        client.enter_frame(0).await.unwrap();
        found.extend(axe_violations(&client, &axe).await);
        assert!(found.is_empty(), "axe-core found violations:\n{}", found.join("\n"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_320_px_wide_every_step_fits_without_sideways_scrolling() {
    in_browser(|client, stack| async move {
        // 320 CSS px is also what a 1280 px window shows at 400 % zoom (WCAG 1.4.10 Reflow).
        client.set_window_size(320, 800).await.unwrap();
        client.goto(&format!("{}?lang=de", stack.form_url())).await.unwrap();
        find(&client, "#signup-id").await;
        assert!(
            reflows(&client).await,
            "the create-account step scrolls sideways at 320 px"
        );
        find(&client, "#create-account button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        find(&client, ".error-summary").await;
        assert!(reflows(&client).await, "the error state scrolls sideways at 320 px");
    })
    .await;
}

/// The element that has the focus: its id and whether the focus is drawn (an outline or a box shadow).
async fn focused(client: &Client) -> (String, bool) {
    let answer = client
        .execute(
            "var e = document.activeElement; var s = getComputedStyle(e);
             return [e.id || e.tagName, (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'];",
            vec![],
        )
        .await
        .unwrap();
    (
        answer[0].as_str().unwrap_or_default().to_owned(),
        answer[1].as_bool().unwrap_or(false),
    )
}

async fn press(client: &Client, keys: &str) {
    client.active_element().await.unwrap().send_keys(keys).await.unwrap();
}

/// Tabs forward until the element with `id` has the focus, checking at every stop that the focus is
/// visible. Fails when it is not reached in 20 presses (a keyboard trap, or the element is unreachable).
async fn tab_to(client: &Client, id: &str) {
    for _ in 0..20 {
        press(client, TAB).await;
        let (now, visible) = focused(client).await;
        assert!(visible, "the focus on {now} is not visible");
        if now == id {
            return;
        }
    }
    panic!("{id} cannot be reached with the Tab key");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_with_only_a_keyboard_gets_through_the_whole_flow() {
    in_browser(|client, stack| async move {
        let id = format!("keyboard-{}", std::process::id());
        client.goto(&format!("{}?lang=en", stack.form_url())).await.unwrap();
        find(&client, "#signup-id").await;

        tab_to(&client, "signup-id").await;
        press(&client, &id).await;
        tab_to(&client, "signup-password").await;
        press(&client, PASSWORD).await;
        tab_to(&client, "signup-email").await;
        press(&client, &format!("{id}@example.com")).await;
        press(&client, ENTER).await;

        // The log-in step takes the focus to its heading; the id is filled in already.
        find(&client, "#log-in-password").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        tab_to(&client, "log-in-password").await;
        press(&client, PASSWORD).await;
        press(&client, ENTER).await;

        let done = wait_for_text(&client, "#done", |t| !t.is_empty()).await;
        assert!(done.contains(&id), "{done}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        tab_to(&client, "continue-to-bank").await;
        press(&client, ENTER).await;
        // The emulator's Web Form, by keyboard too: the finAPI Test Bank takes demo / demo.
        find(&client, "input[name=login]").await;
        client
            .execute("document.querySelector('input[name=login]').focus();", vec![])
            .await
            .unwrap();
        press(&client, "demo").await;
        press(&client, TAB).await;
        press(&client, "demo").await;
        press(&client, ENTER).await;
        wait_for_text(&client, "h1", |t| t.to_lowercase().contains("connected")).await;
    })
    .await;
}
