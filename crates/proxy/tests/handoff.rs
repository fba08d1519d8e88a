//! Step 4 through the proxy: the one-time handoff code and its exchange by the partner's server.

mod common;

use common::*;
use onboarding_api::ExchangedTokens;
use serde_json::Value;
use std::time::Duration;

#[tokio::test]
async fn the_partner_exchanges_the_code_for_tokens_that_work_at_finapi() {
    let app = spawn_app().await;
    let handoff = app.handoff_for("jane").await;
    assert!(handoff.code.len() >= 22, "≥ 128 bits");
    assert!(handoff.expires_in <= 120);
    let response = app.exchange(&handoff.code, PARTNER_KEY).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let tokens: ExchangedTokens = response.json().await.unwrap();
    assert_eq!(tokens.user_id, "jane");
    assert_eq!(tokens.token_type, "bearer");
    assert!(tokens.refresh_token.is_some());
    assert!(tokens.expires_in > 0 && tokens.expires_in <= 3600);
    let user: Value = app.finapi_user(&tokens.access_token).await.json().await.unwrap();
    assert_eq!(user["id"], "jane");
    assert_eq!(user["email"], "jane@example.com");
}

#[tokio::test]
async fn a_code_works_once() {
    let app = spawn_app().await;
    let handoff = app.handoff_for("once").await;
    assert_eq!(app.exchange(&handoff.code, PARTNER_KEY).await.status(), 200);
    let again = app.exchange(&handoff.code, PARTNER_KEY).await;
    assert_eq!(again.status(), 400);
    assert_eq!(error_code(again).await, "HANDOFF_CODE_INVALID");
}

#[tokio::test]
async fn a_code_expires() {
    let app = spawn_app().await;
    let handoff = app.handoff_for("late").await;
    app.clock.advance(Duration::from_secs(handoff.expires_in));
    let response = app.exchange(&handoff.code, PARTNER_KEY).await;
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "HANDOFF_CODE_INVALID");
}

#[tokio::test]
async fn a_wrong_partner_key_is_refused_and_does_not_burn_the_code() {
    let app = spawn_app().await;
    let handoff = app.handoff_for("guarded").await;
    for wrong in ["", "test-partner-key-0123456789-abcdefghijkX", &app.client_secret] {
        let response = app.exchange(&handoff.code, wrong).await;
        assert_eq!(response.status(), 401, "key {wrong:?}");
        assert_eq!(error_code(response).await, "PARTNER_KEY_INVALID");
    }
    assert_eq!(app.exchange(&handoff.code, PARTNER_KEY).await.status(), 200);
}

#[tokio::test]
async fn unknown_codes_are_refused() {
    let app = spawn_app().await;
    let response = app.exchange("made-up-code", PARTNER_KEY).await;
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "HANDOFF_CODE_INVALID");
}

#[tokio::test]
async fn a_handoff_needs_a_live_session() {
    let app = spawn_app().await;
    let response = app.hand_off("not-a-session").await;
    assert_eq!(response.status(), 401);
    assert_eq!(error_code(response).await, "SESSION_EXPIRED");
    let session = app.signed_up_session("slow").await;
    app.clock.advance(Duration::from_secs(session.expires_in));
    assert_eq!(app.hand_off(&session.session).await.status(), 401);
}

#[tokio::test]
async fn the_handoff_carries_a_web_form_the_person_can_open() {
    let app = spawn_app().await;
    let handoff = app.handoff_for("banker").await;
    let url = handoff.web_form_url.expect("a bank connection web form");
    assert!(url.starts_with(&format!("{}/wf/", app.emulator.base_url())), "{url}");
    let page = app.http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("<form"));
}
