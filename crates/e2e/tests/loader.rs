//! The partner's loader script (`/loader/v1.js`) in a real browser, on the demo partner page, which runs
//! under a strict CSP (no inline script or style): it frames the form with a title, reports the form's
//! events, resizes the frame, keeps one instance per page, destroys cleanly, and ignores every message
//! that does not come from the form's own frame.

mod support;

use fantoccini::Client;
use std::time::Duration;
use support::browser::{find, open_browser, start_driver, type_into, wait_for_text};
use support::recording_proxy::RecordingProxy;
use support::stack::Stack;

/// Runs `steps` on the demo partner page and always closes the browser session before reporting.
async fn on_partner_page<F, Fut>(steps: F)
where
    F: FnOnce(Client, String) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let stack = Stack::start().await;
    let partner_url = stack.partner_url();
    let recorder = RecordingProxy::start().await;
    let driver = start_driver().await;
    let client = open_browser(&driver, recorder.addr).await;
    client.goto(&partner_url).await.unwrap();
    wait_for_text(&client, "#partner-events", |t| t.contains("READY")).await;
    let outcome = tokio::spawn({
        let client = client.clone();
        async move { steps(client, partner_url).await }
    })
    .await;
    let _ = client.close().await;
    drop(driver);
    // The servers live until the browser is done with them.
    drop(stack);
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

async fn frames(client: &Client) -> Vec<serde_json::Value> {
    let listed = client
        .execute(
            "return Array.from(document.querySelectorAll('iframe')).map(f => \
             ({title: f.title, src: f.src, height: f.getBoundingClientRect().height}));",
            vec![],
        )
        .await
        .unwrap();
    listed.as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loader_frames_the_form_with_a_title_and_reports_open_then_ready() {
    on_partner_page(|client, partner_url| async move {
        let events = find(&client, "#partner-events").await.text().await.unwrap();
        let order: Vec<&str> = events.lines().collect();
        assert_eq!(order.first(), Some(&"OPEN"), "OPEN comes first: {events}");
        assert!(order.contains(&"READY"), "{events}");

        let frames = frames(&client).await;
        assert_eq!(frames.len(), 1, "one frame: {frames:?}");
        assert_eq!(frames[0]["title"], "Beispiel Bank: open your account with finAPI");
        let src = frames[0]["src"].as_str().unwrap();
        let partner_origin = partner_url.trim_end_matches('/').to_owned();
        let expected_parent = format!("parent={}", partner_origin.replace(':', "%3A").replace('/', "%2F"));
        assert!(
            src.contains(&expected_parent),
            "the form learns its parent's origin: {src}"
        );
        assert!(src.contains("lang=en"), "{src}");

        // The form reports its height; the loader sizes the frame to it (never the 150 px default).
        let height = wait_for_text(&client, "#partner-height", |t| t.ends_with("px")).await;
        let reported: f64 = height.trim_end_matches(" px").parse().unwrap();
        let framed = frames_height(&client).await;
        assert!(framed >= 320.0, "the frame keeps a usable minimum height: {framed}");
        assert!(
            (framed - reported.max(320.0)).abs() <= 2.0,
            "the frame follows the form's RESIZE ({reported} px): {framed}"
        );
    })
    .await;
}

async fn frames_height(client: &Client) -> f64 {
    frames(client).await[0]["height"].as_f64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_again_replaces_the_frame_and_destroy_removes_it_and_its_listener() {
    on_partner_page(|client, _partner_url| async move {
        find(&client, "#partner-restart").await.click().await.unwrap();
        wait_for_text(&client, "#partner-events", |t| t.contains("READY")).await;
        assert_eq!(frames(&client).await.len(), 1, "one instance per page");

        // A second instance, destroyed twice: the frame goes, nothing throws, and its callbacks stay quiet.
        let outcome = client
            .execute(
                "window.seen = [];
                 var o = FinapiOnboarding.create({target: '#onboarding-slot', onEvent: function (t) { seen.push(t); }});
                 o.open();
                 var framesWhileOpen = document.querySelectorAll('iframe').length;
                 o.destroy();
                 o.destroy();
                 return [framesWhileOpen, document.querySelectorAll('iframe').length, seen.join(',')];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(outcome, serde_json::json!([1, 0, "OPEN"]));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let seen = client.execute("return window.seen.join(',');", vec![]).await.unwrap();
        assert_eq!(
            seen, "OPEN",
            "a destroyed instance hears nothing more (no READY from its frame)"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_that_does_not_come_from_the_form_frame_is_ignored() {
    on_partner_page(|client, _partner_url| async move {
        // A script on the partner page (or any other window) forging the form's HANDOFF: right envelope,
        // wrong origin and window.
        client
            .execute(
                "window.postMessage({source: 'finapi-onboarding', version: 1, type: 'HANDOFF', \
                 payload: {code: 'forged'}}, '*');",
                vec![],
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let events = find(&client, "#partner-events").await.text().await.unwrap();
        assert!(!events.contains("HANDOFF"), "the forged message was taken: {events}");
        let status = find(&client, "#partner-status").await.text().await.unwrap();
        assert!(!status.contains("Redeeming"), "{status}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_log_in_and_a_cancel_reach_the_partner_as_error_and_exit_without_what_was_typed() {
    on_partner_page(|client, _partner_url| async move {
        // Every message the partner page receives, raw.
        client
            .execute(
                "window.raw = []; window.addEventListener('message', function (e) { raw.push(JSON.stringify(e.data)); });",
                vec![],
            )
            .await
            .unwrap();
        client.enter_frame(0).await.unwrap();
        find(&client, "#go-to-log-in").await.click().await.unwrap();
        type_into(&client, "#log-in-id", "nobody-by-that-name").await;
        type_into(&client, "#log-in-password", "a wrong password").await;
        find(&client, "#log-in-submit").await.click().await.unwrap();
        find(&client, ".error-summary").await;
        find(&client, "#cancel").await.click().await.unwrap();
        client.enter_parent_frame().await.unwrap();

        let status = wait_for_text(&client, "#partner-status", |t| t.contains("left the form")).await;
        assert!(status.contains("log_in"), "EXIT says where the person left: {status}");
        let events = find(&client, "#partner-events").await.text().await.unwrap();
        assert!(events.contains("ERROR (log_in)"), "{events}");
        let raw = client.execute("return window.raw.join('\\n');", vec![]).await.unwrap();
        let raw = raw.as_str().unwrap();
        assert!(raw.contains(r#""type":"ERROR","payload":{"code":"WRONG_CREDENTIALS","step":"log_in"}"#), "{raw}");
        assert!(raw.contains(r#""type":"EXIT","payload":{"status":"log_in"}"#), "{raw}");
        for typed in ["nobody-by-that-name", "a wrong password"] {
            assert!(!raw.contains(typed), "{typed:?} reached the partner page: {raw}");
        }
    })
    .await;
}
