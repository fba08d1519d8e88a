//! The life of the finAPI tokens behind a session: renewed before they expire, revoked when the person
//! leaves or abandons the form, left alone once the partner has them.

mod common;

use common::*;
use finapi::GrantType;
use onboarding_api::ExchangedTokens;
use std::time::Duration;

#[tokio::test]
async fn a_client_token_finapi_revoked_is_fetched_again_once() {
    let app = spawn_app().await;
    assert_eq!(app.create("before-revoke").await.status(), 201);
    let client_token = app.finapi_token(&[("grant_type", "client_credentials")]).await;
    let client_token = client_token["access_token"].as_str().unwrap();
    let revoked = app
        .http
        .post(format!("{}/api/v2/oauth/revoke", app.emulator.base_url()))
        .bearer_auth(client_token)
        .form(&[("token", client_token)])
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    assert_eq!(app.create("after-revoke").await.status(), 201);
    // The proxy's first, the test's own, and the proxy's one retry.
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 3);
}

#[tokio::test]
async fn logging_out_revokes_the_users_tokens_at_finapi() {
    let app = spawn_app().await;
    let session = app.signed_up_session("leaver").await;
    let token = app.users_finapi_token("leaver").await;
    assert_eq!(app.finapi_user(&token).await.status(), 200);
    assert_eq!(app.log_out(&session.session).await.status(), 204);
    assert_eq!(app.finapi_user(&token).await.status(), 401);
}

#[tokio::test]
async fn an_abandoned_session_has_its_tokens_revoked_when_it_expires() {
    let app = spawn_app().await;
    let session = app.signed_up_session("abandoner").await;
    let token = app.users_finapi_token("abandoner").await;
    app.clock.advance(Duration::from_secs(session.expires_in - 1));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(app.finapi_user(&token).await.status(), 200, "not before it expires");
    app.clock.advance(Duration::from_secs(1));
    assert!(app.until_revoked(&token).await, "revoked once the session expired");
}

#[tokio::test]
async fn an_unredeemed_handoff_code_has_its_tokens_revoked_when_it_expires() {
    let app = spawn_app().await;
    let handoff = app.handoff_for("never-redeemed").await;
    let token = app.users_finapi_token("never-redeemed").await;
    app.clock.advance(Duration::from_secs(handoff.expires_in));
    assert!(app.until_revoked(&token).await);
    let response = app.exchange(&handoff.code, PARTNER_KEY).await;
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn after_the_exchange_the_proxy_forgets_the_tokens_and_never_revokes_them() {
    let app = spawn_app().await;
    let session = app.signed_up_session("handed-over").await;
    let handoff: onboarding_api::Handoff = app.hand_off(&session.session).await.json().await.unwrap();
    let tokens: ExchangedTokens = app.exchange(&handoff.code, PARTNER_KEY).await.json().await.unwrap();
    let again = app.hand_off(&session.session).await;
    assert_eq!(again.status(), 401, "the session ended with the exchange");
    assert_eq!(error_code(again).await, "SESSION_EXPIRED");
    // The form leaving, and every expiry the proxy knows of, pass without touching the partner's tokens.
    assert_eq!(app.log_out(&session.session).await.status(), 204);
    app.clock.advance(Duration::from_secs(session.expires_in + 60));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(app.finapi_user(&tokens.access_token).await.status(), 200);
}

#[tokio::test]
async fn leaving_the_form_after_the_handoff_leaves_the_partners_tokens_alone() {
    let app = spawn_app().await;
    let session = app.signed_up_session("left-after-handoff").await;
    let handoff: onboarding_api::Handoff = app.hand_off(&session.session).await.json().await.unwrap();
    assert_eq!(app.log_out(&session.session).await.status(), 204);
    let response = app.exchange(&handoff.code, PARTNER_KEY).await;
    assert_eq!(response.status(), 200);
    let tokens: ExchangedTokens = response.json().await.unwrap();
    assert_eq!(app.finapi_user(&tokens.access_token).await.status(), 200);
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_before_the_partner_gets_it() {
    let app = spawn_app_with(
        |emulator| emulator.app_clients[0].configuration.user_access_tokens_validity_period = 120,
        |_| {},
    )
    .await;
    let session = app.signed_up_session("refreshed").await;
    app.clock.advance(Duration::from_secs(90));
    let handoff: onboarding_api::Handoff = app.hand_off(&session.session).await.json().await.unwrap();
    assert_eq!(app.emulator.stats().token_requests(GrantType::RefreshToken), 1);
    let tokens: ExchangedTokens = app.exchange(&handoff.code, PARTNER_KEY).await.json().await.unwrap();
    assert!(tokens.expires_in > 60, "a fresh token: {}", tokens.expires_in);
    assert_eq!(app.finapi_user(&tokens.access_token).await.status(), 200);
}

#[tokio::test]
async fn a_session_lives_no_longer_than_its_refresh_token() {
    let app = spawn_app_with(
        |emulator| emulator.app_clients[0].configuration.refresh_tokens_validity_period = 300,
        |_| {},
    )
    .await;
    let session = app.signed_up_session("short-lived").await;
    assert_eq!(session.expires_in, 300);
    let app = spawn_app().await;
    assert_eq!(app.signed_up_session("default").await.expires_in, 15 * 60);
}
