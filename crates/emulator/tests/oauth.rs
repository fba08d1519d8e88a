//! `POST /api/v2/oauth/token`, seen from a client of finAPI.

mod common;

use common::*;
use finapi::{AccessToken, ErrorCode, GrantType};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn client_credentials_give_a_bearer_token_with_scope_all() {
    let emu = start().await;
    let response = emu
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP_ID),
            ("client_secret", APP_SECRET),
        ])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["scope"], "all");
    assert_eq!(body["expires_in"], 3600);
    assert!(
        body.get("refresh_token").is_none(),
        "no refresh token for a client: {body}"
    );
    let token = body["access_token"].as_str().unwrap();
    assert!((22..=128).contains(&token.len()), "≥128 bits, ≤128 characters");
    assert!(token.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)));
}

#[tokio::test]
async fn bad_client_credentials_are_401_invalid_client() {
    let emu = start().await;
    for form in [
        vec![("client_id", APP_ID), ("client_secret", "wrong")],
        vec![("client_id", "nobody"), ("client_secret", APP_SECRET)],
        vec![("client_id", APP_ID), ("client_secret", ADMIN_SECRET)],
        vec![],
    ] {
        for grant in ["client_credentials", "password", "refresh_token"] {
            let mut form = form.clone();
            form.push(("grant_type", grant));
            let response = emu.token_request(&form).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{form:?}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(
                body,
                json!({"error":"invalid_client","error_description":"Bad client credentials"})
            );
        }
    }
}

#[tokio::test]
async fn the_body_must_be_form_urlencoded() {
    let emu = start().await;
    let as_json = emu
        .http
        .post(emu.url("/api/v2/oauth/token"))
        .json(&json!({"grant_type":"client_credentials","client_id":APP_ID,"client_secret":APP_SECRET}))
        .send()
        .await
        .unwrap();
    let error = expect_error(as_json, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_eq!(error.code(), Some(ErrorCode::UnsupportedMediaType));

    let no_type = emu
        .http
        .post(emu.url("/api/v2/oauth/token"))
        .body(format!(
            "grant_type=client_credentials&client_id={APP_ID}&client_secret={APP_SECRET}"
        ))
        .send()
        .await
        .unwrap();
    expect_error(no_type, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;

    let with_charset = emu
        .http
        .post(emu.url("/api/v2/oauth/token"))
        .header("content-type", "application/x-www-form-urlencoded; charset=UTF-8")
        .body(format!(
            "grant_type=client_credentials&client_id={APP_ID}&client_secret={APP_SECRET}"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(with_charset.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_missing_or_unsupported_grant_type_is_400_bad_request() {
    let emu = start().await;
    for grant in [None, Some(""), Some("authorization_code"), Some("CLIENT_CREDENTIALS")] {
        let mut form = vec![("client_id", APP_ID), ("client_secret", APP_SECRET)];
        if let Some(grant) = grant {
            form.push(("grant_type", grant));
        }
        let error = expect_error(emu.token_request(&form).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code(), Some(ErrorCode::BadRequest), "{grant:?}");
    }
}

#[tokio::test]
async fn the_same_credentials_get_the_same_token_with_less_time_left() {
    let emu = start().await;
    let first = emu.client_token_as(APP_ID, APP_SECRET).await;
    emu.advance(1);
    let second = emu.client_token_as(APP_ID, APP_SECRET).await;
    emu.advance(600);
    let third = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_eq!(first.access_token, second.access_token);
    assert_eq!(second.access_token, third.access_token);
    assert_eq!(
        (first.expires_in, second.expires_in, third.expires_in),
        (3600, 3599, 2999)
    );
    // Another client gets another token.
    let admin = emu.client_token_as(ADMIN_ID, ADMIN_SECRET).await;
    assert_ne!(admin.access_token, first.access_token);
}

#[tokio::test]
async fn an_expired_token_is_refused_and_a_new_one_issued() {
    let emu = start().await;
    let old = emu.client_token().await;
    emu.advance(3599);
    let still = emu.get("/api/v2/clientConfiguration", Some(&old)).await;
    assert_eq!(still.status(), StatusCode::OK);
    emu.advance(1);
    expect_invalid_token(emu.get("/api/v2/clientConfiguration", Some(&old)).await).await;
    let new = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_ne!(new.access_token, old);
    assert_eq!(new.expires_in, 3600);
}

#[tokio::test]
async fn a_validity_period_of_zero_means_never_expires() {
    let emu = start_with_app_config(|c| {
        c.client_access_tokens_validity_period = 0;
        c.user_access_tokens_validity_period = 0;
    })
    .await;
    let first = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_eq!(first.expires_in, 0);
    let user = emu.new_user_token("jane", "secret1").await;
    emu.advance(10 * 365 * 24 * 3600);
    let again = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_eq!(
        (again.access_token.as_str(), again.expires_in),
        (first.access_token.as_str(), 0)
    );
    assert_eq!(emu.get("/api/v2/users", Some(&user)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn lifetimes_come_from_the_client_configuration() {
    let emu = start_with_app_config(|c| {
        c.client_access_tokens_validity_period = 60;
        c.user_access_tokens_validity_period = 120;
    })
    .await;
    assert_eq!(emu.client_token_as(APP_ID, APP_SECRET).await.expires_in, 60);
    emu.new_user_token("jane", "secret1").await;
    let user: AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    assert_eq!(user.expires_in, 120);
}

#[tokio::test]
async fn the_password_grant_gives_a_user_token_and_a_refresh_token() {
    let emu = start().await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id":"Jane.Doe","password":"secret1"}))
        .await;
    // User ids are case-insensitive.
    let response = emu.password_grant("jane.doe", "secret1").await;
    assert_eq!(response.status(), StatusCode::OK);
    let token: AccessToken = response.json().await.unwrap();
    assert_eq!((token.token_type.as_str(), token.scope.as_str()), ("bearer", "all"));
    assert_eq!(token.expires_in, 3600);
    let refresh = token.refresh_token.clone().expect("a refresh token for a user grant");
    assert!(refresh.len() <= 128 && refresh != token.access_token);
    // Same credentials again: the same tokens.
    emu.advance(5);
    let again: AccessToken = emu.password_grant("JANE.DOE", "secret1").await.json().await.unwrap();
    assert_eq!(again.access_token, token.access_token);
    assert_eq!(again.refresh_token, token.refresh_token);
    assert_eq!(again.expires_in, 3595);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let emu = start().await;
    emu.new_user_token("jane", "secret1").await;
    let wrong_password = emu.password_grant("jane", "wrong-1").await;
    let unknown_user = emu.password_grant("nobody", "secret1").await;
    let a = expect_error(wrong_password, StatusCode::BAD_REQUEST).await;
    let b = expect_error(unknown_user, StatusCode::BAD_REQUEST).await;
    assert_eq!(a.errors, b.errors);
    assert_eq!(a.code(), Some(ErrorCode::UnauthorizedAccess));
    assert_eq!(a.errors[0].message.as_deref(), Some("Bad credentials"));
    assert_eq!(
        (a.endpoint.as_str(), a.auth_context.as_str()),
        (b.endpoint.as_str(), b.auth_context.as_str())
    );
}

#[tokio::test]
async fn an_unverified_user_gets_403_until_verified() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let client = emu.client_token().await;
    let created = emu
        .create_user(Some(&client), json!({"id":"jane","password":"secret1"}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let refused = expect_error(emu.password_grant("jane", "secret1").await, StatusCode::FORBIDDEN).await;
    assert_eq!(refused.code(), Some(ErrorCode::UserNotVerified));
    // A wrong password is still just "Bad credentials".
    expect_error(emu.password_grant("jane", "nope-nope").await, StatusCode::BAD_REQUEST).await;

    let verify = emu
        .http
        .post(emu.url("/api/v2/users/verify/jane"))
        .bearer_auth(&client)
        .send()
        .await
        .unwrap();
    assert_eq!(verify.status(), StatusCode::OK);
    let token: AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    assert_eq!(
        emu.get("/api/v2/users", Some(&token.access_token)).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_user_is_locked_after_max_login_attempts() {
    let emu = start().await; // maxUserLoginAttempts = 3
    let token = emu.new_user_token("jane", "secret1").await;
    for _ in 0..3 {
        let error = expect_error(emu.password_grant("jane", "wrong-1").await, StatusCode::BAD_REQUEST).await;
        assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    }
    // Locked: even the right password is refused, and the user's tokens are gone.
    let locked = expect_error(emu.password_grant("jane", "secret1").await, StatusCode::LOCKED).await;
    assert_eq!(locked.code(), Some(ErrorCode::Locked));
    assert_eq!(
        locked.errors[0].message.as_deref(),
        Some("The requested resource is locked")
    );
    expect_invalid_token(emu.get("/api/v2/users", Some(&token)).await).await;
    expect_error(emu.password_grant("JANE", "wrong-1").await, StatusCode::LOCKED).await;
}

#[tokio::test]
async fn a_successful_login_resets_the_failure_count() {
    let emu = start().await;
    emu.new_user_token("jane", "secret1").await;
    for _ in 0..3 {
        for _ in 0..2 {
            expect_error(emu.password_grant("jane", "wrong-1").await, StatusCode::BAD_REQUEST).await;
        }
        assert_eq!(emu.password_grant("jane", "secret1").await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn max_login_attempts_zero_never_locks() {
    let emu = start_with_app_config(|c| c.max_user_login_attempts = 0).await;
    emu.new_user_token("jane", "secret1").await;
    for _ in 0..10 {
        expect_error(emu.password_grant("jane", "wrong-1").await, StatusCode::BAD_REQUEST).await;
    }
    assert_eq!(emu.password_grant("jane", "secret1").await.status(), StatusCode::OK);
}

async fn refresh(emu: &TestEmulator, client: (&str, &str), refresh_token: &str) -> reqwest::Response {
    emu.token_request(&[
        ("grant_type", "refresh_token"),
        ("client_id", client.0),
        ("client_secret", client.1),
        ("refresh_token", refresh_token),
    ])
    .await
}

#[tokio::test]
async fn a_refresh_token_gives_a_new_access_token() {
    let emu = start().await;
    emu.new_user_token("jane", "secret1").await;
    let first: AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    let refresh_token = first.refresh_token.clone().unwrap();
    emu.advance(100);
    let response = refresh(&emu, (APP_ID, APP_SECRET), &refresh_token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let refreshed: AccessToken = response.json().await.unwrap();
    assert_ne!(refreshed.access_token, first.access_token);
    assert_eq!(refreshed.refresh_token.as_deref(), Some(refresh_token.as_str()));
    assert_eq!(refreshed.expires_in, 3600);
    assert_eq!(
        emu.get("/api/v2/users", Some(&refreshed.access_token)).await.status(),
        StatusCode::OK
    );
    expect_invalid_token(emu.get("/api/v2/users", Some(&first.access_token)).await).await;
}

#[tokio::test]
async fn an_unknown_or_expired_refresh_token_is_400() {
    let emu = start_with_app_config(|c| c.refresh_tokens_validity_period = 60).await;
    emu.new_user_token("jane", "secret1").await;
    let unknown = expect_error(
        refresh(&emu, (APP_ID, APP_SECRET), "no-such-token").await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(unknown.code(), Some(ErrorCode::BadRequest));

    let token: AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    let refresh_token = token.refresh_token.unwrap();
    emu.advance(59);
    assert_eq!(
        refresh(&emu, (APP_ID, APP_SECRET), &refresh_token).await.status(),
        StatusCode::OK
    );
    emu.advance(1);
    let expired = expect_error(
        refresh(&emu, (APP_ID, APP_SECRET), &refresh_token).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(expired.code(), Some(ErrorCode::BadRequest));
}

#[tokio::test]
async fn an_admin_client_cannot_use_user_grants() {
    let emu = start().await;
    emu.new_user_token("jane", "secret1").await;
    let token: AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    let password = emu
        .token_request(&[
            ("grant_type", "password"),
            ("client_id", ADMIN_ID),
            ("client_secret", ADMIN_SECRET),
            ("username", "jane"),
            ("password", "secret1"),
        ])
        .await;
    let error = expect_error(password, StatusCode::FORBIDDEN).await;
    assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    let refreshed = refresh(&emu, (ADMIN_ID, ADMIN_SECRET), &token.refresh_token.unwrap()).await;
    expect_error(refreshed, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn stats_count_token_requests_by_grant() {
    let emu = start().await;
    let stats = emu.emulator.stats();
    emu.new_user_token("jane", "secret1").await; // 1 client_credentials + 1 password
    emu.client_token().await;
    expect_error(emu.password_grant("jane", "wrong-1").await, StatusCode::BAD_REQUEST).await;
    refresh(&emu, (APP_ID, APP_SECRET), "nope").await;
    emu.token_request(&[("grant_type", "nonsense")]).await;
    assert_eq!(stats.token_requests(GrantType::ClientCredentials), 2);
    assert_eq!(stats.token_requests(GrantType::Password), 2);
    assert_eq!(stats.token_requests(GrantType::RefreshToken), 1);
}

// --- POST /api/v2/oauth/revoke ---

async fn user_grant(emu: &TestEmulator, id: &str) -> AccessToken {
    emu.create_user_ok(id, "secret1").await;
    let response = emu.password_grant(id, "secret1").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn refresh_status(emu: &TestEmulator, refresh_token: &str) -> StatusCode {
    refresh(emu, (APP_ID, APP_SECRET), refresh_token).await.status()
}

#[tokio::test]
async fn revoking_an_access_token_with_its_hint_keeps_the_refresh_token() {
    let emu = start().await;
    let client = emu.client_token().await;
    let grant = user_grant(&emu, "jane").await;
    let response = emu
        .revoke(
            Some(&client),
            &[("token", &grant.access_token), ("token_type_hint", "access_token")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().is_empty());
    expect_invalid_token(emu.get("/api/v2/users", Some(&grant.access_token)).await).await;
    let refresh_token = grant.refresh_token.unwrap();
    assert_eq!(refresh_status(&emu, &refresh_token).await, StatusCode::OK);
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_the_grants_access_tokens_too() {
    let emu = start().await;
    let client = emu.client_token().await;
    let grant = user_grant(&emu, "jane").await;
    let refresh_token = grant.refresh_token.clone().unwrap();
    let response = emu
        .revoke(
            Some(&client),
            &[("token", &refresh_token), ("token_type_hint", "refresh_token")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    expect_invalid_token(emu.get("/api/v2/users", Some(&grant.access_token)).await).await;
    assert_eq!(refresh_status(&emu, &refresh_token).await, StatusCode::BAD_REQUEST);
    // The user can log in again and gets a new grant.
    let again: AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    assert_ne!(again.access_token, grant.access_token);
    assert_ne!(again.refresh_token.unwrap(), refresh_token);
}

#[tokio::test]
async fn without_a_hint_the_whole_grant_is_revoked() {
    let emu = start().await;
    let client = emu.client_token().await;
    let grant = user_grant(&emu, "jane").await;
    assert_eq!(
        emu.revoke(Some(&client), &[("token", &grant.access_token)])
            .await
            .status(),
        StatusCode::OK
    );
    expect_invalid_token(emu.get("/api/v2/users", Some(&grant.access_token)).await).await;
    assert_eq!(
        refresh_status(&emu, grant.refresh_token.as_deref().unwrap()).await,
        StatusCode::BAD_REQUEST
    );
    // A client may revoke its own token; the next request gets a new one.
    assert_eq!(
        emu.revoke(Some(&client), &[("token", &client)]).await.status(),
        StatusCode::OK
    );
    expect_invalid_token(emu.get("/api/v2/clientConfiguration", Some(&client)).await).await;
    assert_ne!(emu.client_token().await, client);
}

#[tokio::test]
async fn revoke_answers_200_for_an_unknown_token_and_400_for_a_bad_request() {
    let emu = start().await;
    let client = emu.client_token().await;
    assert_eq!(
        emu.revoke(Some(&client), &[("token", "no-such-token")]).await.status(),
        StatusCode::OK
    );
    let missing = expect_error(emu.revoke(Some(&client), &[]).await, StatusCode::BAD_REQUEST).await;
    assert_eq!(missing.code(), Some(ErrorCode::BadRequest));
    let hint = emu
        .revoke(Some(&client), &[("token", "x"), ("token_type_hint", "id_token")])
        .await;
    expect_error(hint, StatusCode::BAD_REQUEST).await;
    let as_json = emu
        .http
        .post(emu.url("/api/v2/oauth/revoke"))
        .bearer_auth(&client)
        .json(&json!({"token": "x"}))
        .send()
        .await
        .unwrap();
    expect_error(as_json, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

#[tokio::test]
async fn revoke_needs_a_client_token_and_reaches_only_that_clients_tokens() {
    let mut config = finapi_emulator::EmulatorConfig::development();
    let mut second = config.app_clients[0].clone();
    second.credentials = finapi_emulator::ClientCredentials::new("second-app", "second-secret");
    config.app_clients.push(second);
    let emu = start_with(config).await;
    let grant = user_grant(&emu, "jane").await;
    expect_invalid_token(emu.revoke(None, &[("token", &grant.access_token)]).await).await;
    let as_user = emu
        .revoke(Some(&grant.access_token), &[("token", &grant.access_token)])
        .await;
    assert_eq!(
        expect_error(as_user, StatusCode::FORBIDDEN).await.code(),
        Some(ErrorCode::UnauthorizedAccess)
    );
    let other_client = emu.client_token_as("second-app", "second-secret").await.access_token;
    assert_eq!(
        emu.revoke(Some(&other_client), &[("token", &grant.access_token)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        emu.get("/api/v2/users", Some(&grant.access_token)).await.status(),
        StatusCode::OK,
        "another client's revoke does not reach this client's token"
    );
}
