//! Abuse resistance: rate limits per address and per user id on sign-up and login (429 `RATE_LIMITED`
//! with `Retry-After`), and the hardening headers.

mod common;

use common::*;
use onboarding_proxy::rate_limit::{Limit, RateLimits};
use onboarding_proxy::ProxyOptions;
use std::time::Duration;

fn limits(per_ip: u64, per_user_id: u64, trusted_proxy_hops: usize) -> ProxyOptions {
    let window = time::Duration::minutes(10);
    ProxyOptions {
        rate_limits: RateLimits {
            per_ip: Limit { max: per_ip, window },
            per_user_id: Limit {
                max: per_user_id,
                window,
            },
            trusted_proxy_hops,
        },
        ..Default::default()
    }
}

async fn limited_app(per_ip: u64, per_user_id: u64, trusted_proxy_hops: usize) -> TestApp {
    spawn_app_with_options(|_| {}, |_| {}, limits(per_ip, per_user_id, trusted_proxy_hops)).await
}

async fn retry_after(response: reqwest::Response) -> u64 {
    assert_eq!(response.status(), 429);
    let seconds: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(error_code(response).await, "RATE_LIMITED");
    seconds
}

#[tokio::test]
async fn guessing_one_ids_password_is_stopped_then_allowed_again_after_retry_after() {
    // Two, so finAPI's own lock (after three failures) is not reached first.
    let app = limited_app(100, 2, 0).await;
    assert_eq!(app.create("guarded").await.status(), 201);
    assert_eq!(app.log_in("guarded", "wrong password").await.status(), 401);
    // The second attempt is the last one allowed, in any spelling of the id.
    assert_eq!(app.log_in("GUARDED", "wrong password").await.status(), 401);
    let seconds = retry_after(app.log_in("guarded", PASSWORD).await).await;
    assert!((1..=600).contains(&seconds), "{seconds}");
    assert_eq!(
        app.log_in("someone-else", "wrong password").await.status(),
        401,
        "other ids are not held up"
    );
    app.clock.advance(Duration::from_secs(seconds));
    assert_eq!(app.log_in("guarded", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn one_address_cannot_sign_up_without_end() {
    let app = limited_app(3, 100, 0).await;
    for i in 0..3 {
        assert_eq!(app.create(&format!("bulk-{i}")).await.status(), 201);
    }
    let seconds = retry_after(app.create("bulk-3").await).await;
    app.clock.advance(Duration::from_secs(seconds));
    assert_eq!(
        app.create("bulk-3").await.status(),
        201,
        "bulk-3 was not created while refused"
    );
}

#[tokio::test]
async fn a_forged_forwarded_for_does_not_escape_the_address_limit() {
    let app = limited_app(2, 100, 0).await;
    for i in 0..2 {
        let response = app
            .form_post(onboarding_api::paths::SESSIONS)
            .header("x-forwarded-for", format!("10.0.0.{i}"))
            .json(&serde_json::json!({"id": format!("f{i}"), "password": "wrong password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    let response = app
        .form_post(onboarding_api::paths::SESSIONS)
        .header("x-forwarded-for", "10.0.0.99")
        .json(&serde_json::json!({"id": "f99", "password": "wrong password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn behind_a_trusted_reverse_proxy_each_forwarded_address_has_its_own_limit() {
    let app = limited_app(1, 100, 1).await;
    let log_in_from = |address: &'static str, id: &'static str| {
        app.form_post(onboarding_api::paths::SESSIONS)
            // The client may prepend anything; the reverse proxy appends the address it saw.
            .header("x-forwarded-for", format!("6.6.6.6, {address}"))
            .json(&serde_json::json!({"id": id, "password": "wrong password"}))
            .send()
    };
    assert_eq!(log_in_from("192.0.2.1", "a").await.unwrap().status(), 401);
    assert_eq!(log_in_from("192.0.2.1", "b").await.unwrap().status(), 429);
    assert_eq!(log_in_from("192.0.2.2", "c").await.unwrap().status(), 401);
}

#[tokio::test]
async fn every_answer_carries_hsts_and_the_other_hardening_headers() {
    let app = spawn_app().await;
    for path in ["/healthz", "/api/settings", "/api/nothing"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["strict-transport-security"], "max-age=31536000", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(headers.contains_key("permissions-policy"));
    }
}
