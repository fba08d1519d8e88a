//! Prometheus `/metrics`, as an operator's scrape sees it after real flows.

mod common;

use common::*;
use std::time::Duration;

async fn scrape(app: &TestApp) -> String {
    let response = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    response.text().await.unwrap()
}

fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn requests_finapi_calls_token_cache_sessions_and_handoffs_are_counted() {
    let app = spawn_app().await;
    let session = app.signed_up_session("measured").await;
    assert_eq!(app.create("measured-2").await.status(), 201);
    let redeemed = app.handoff_for("redeemed").await;
    assert_eq!(app.exchange(&redeemed.code, PARTNER_KEY).await.status(), 200);
    let _abandoned = app.hand_off(&session.session).await;

    let text = scrape(&app).await;
    let requests = r#"onboarding_http_requests_total{route="/api/users",method="POST",status="201"}"#;
    assert_eq!(value(&text, requests), Some(3.0), "{text}");
    let latency = r#"onboarding_http_request_duration_seconds_count{route="/api/sessions",method="POST"}"#;
    assert_eq!(value(&text, latency), Some(2.0));
    let created = r#"onboarding_finapi_calls_total{endpoint="users:create",status="201"}"#;
    assert_eq!(value(&text, created), Some(3.0));
    assert_eq!(
        value(&text, r#"onboarding_client_token_cache_total{result="miss"}"#),
        Some(1.0)
    );
    assert!(value(&text, r#"onboarding_client_token_cache_total{result="hit"}"#).unwrap() >= 2.0);
    assert_eq!(value(&text, r#"onboarding_handoffs_total{event="minted"}"#), Some(2.0));
    assert_eq!(
        value(&text, r#"onboarding_handoffs_total{event="redeemed"}"#),
        Some(1.0)
    );
    // One session left: "redeemed"'s ended with the exchange.
    assert_eq!(value(&text, "onboarding_live_sessions"), Some(1.0));

    app.clock.advance(Duration::from_secs(61));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let text = scrape(&app).await;
    assert_eq!(value(&text, r#"onboarding_handoffs_total{event="expired"}"#), Some(1.0));
    assert_eq!(value(&text, "onboarding_live_sessions"), Some(0.0));
    assert_eq!(
        value(&text, r#"onboarding_user_tokens_total{event="revoked"}"#),
        Some(1.0)
    );
}

#[tokio::test]
async fn metrics_name_routes_never_raw_paths() {
    let app = spawn_app().await;
    let _ = app
        .http
        .get(app.url("/api/some-secret-looking-path"))
        .send()
        .await
        .unwrap();
    let text = scrape(&app).await;
    assert!(!text.contains("some-secret-looking-path"), "{text}");
    assert!(text.contains(r#"route="/api/{*rest}""#), "{text}");
}
