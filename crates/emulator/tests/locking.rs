//! Rules 5 and 6: verification before login, locking after failed logins, and unlocking through
//! `requestPasswordChange` / `executePasswordChange` with the data decryption key.

mod common;

use common::*;
use finapi::{AccessToken, ErrorCode, PasswordChangingResource};
use finapi_emulator::data_encryption::{decrypt, DataDecryptionKey};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn key() -> DataDecryptionKey {
    DataDecryptionKey::parse(DATA_DECRYPTION_KEY).unwrap()
}

async fn request_change(emu: &TestEmulator, client: &str, user_id: &str) -> reqwest::Response {
    emu.send(
        Method::POST,
        "/api/v2/users/requestPasswordChange",
        Some(client),
        Some(json!({ "userId": user_id })),
    )
    .await
}

async fn execute_change(emu: &TestEmulator, client: &str, body: Value) -> reqwest::Response {
    emu.send(
        Method::POST,
        "/api/v2/users/executePasswordChange",
        Some(client),
        Some(body),
    )
    .await
}

/// The decrypted password change token for `user_id`.
async fn change_token(emu: &TestEmulator, client: &str, user_id: &str) -> String {
    let response = request_change(emu, client, user_id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let resource: PasswordChangingResource = response.json().await.unwrap();
    decrypt(&key(), &resource.password_change_token).unwrap()
}

async fn lock(emu: &TestEmulator, user_id: &str) {
    for _ in 0..3 {
        expect_error(
            emu.password_grant(user_id, "wrong-password").await,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
}

#[tokio::test]
async fn a_user_created_without_auto_verification_cannot_get_a_token_until_verified() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id": "jane", "password": "secret1"}))
        .await;
    let refused = expect_error(emu.password_grant("jane", "secret1").await, StatusCode::FORBIDDEN).await;
    assert_eq!(refused.code(), Some(ErrorCode::UserNotVerified));
    emu.send(Method::POST, "/api/v2/users/verify/JANE", Some(&client), None)
        .await;
    assert_eq!(emu.password_grant("jane", "secret1").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_locked_user_loses_every_token_and_every_service() {
    let emu = start().await;
    let grant: AccessToken = {
        emu.create_user_ok("jane", "secret1").await;
        emu.password_grant("jane", "secret1").await.json().await.unwrap()
    };
    let form = emu
        .send(
            Method::POST,
            "/api/webForms/bankConnectionImport",
            Some(&grant.access_token),
            None,
        )
        .await;
    assert_eq!(form.status(), StatusCode::CREATED);
    lock(&emu, "jane").await;
    let locked = expect_error(emu.password_grant("jane", "secret1").await, StatusCode::LOCKED).await;
    assert_eq!(locked.code(), Some(ErrorCode::Locked));
    expect_invalid_token(emu.get("/api/v2/users", Some(&grant.access_token)).await).await;
    let web_form = emu.get("/api/webForms", Some(&grant.access_token)).await;
    assert_eq!(web_form.status(), StatusCode::UNAUTHORIZED);
    let refreshed = emu
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", APP_ID),
            ("client_secret", APP_SECRET),
            ("refresh_token", grant.refresh_token.as_deref().unwrap()),
        ])
        .await;
    expect_error(refreshed, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn a_password_change_unlocks_the_user_and_resets_the_counter() {
    let emu = start().await;
    let client = emu.client_token().await;
    emu.create_user(
        Some(&client),
        json!({"id": "Jane", "password": "secret1", "email": "jane@example.com"}),
    )
    .await;
    lock(&emu, "jane").await;

    let response = request_change(&emu, &client, "JANE").await;
    assert_eq!(response.status(), StatusCode::OK);
    let resource: PasswordChangingResource = response.json().await.unwrap();
    assert_eq!(resource.user_id, "Jane");
    // Both values are encrypted with the client's data decryption key, as finAPI documents.
    let email = decrypt(&key(), resource.user_email.as_deref().unwrap()).unwrap();
    assert_eq!(email, "jane@example.com");
    let token = decrypt(&key(), &resource.password_change_token).unwrap();
    assert_ne!(token, resource.password_change_token);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit() || c == '-'), "{token}");

    // The encrypted token is refused with a hint.
    let encrypted = execute_change(
        &emu,
        &client,
        json!({"userId": "jane", "password": "new-secret", "passwordChangeToken": resource.password_change_token}),
    )
    .await;
    let error = expect_error(encrypted, StatusCode::BAD_REQUEST).await;
    assert!(error.errors[0].message.as_deref().unwrap().contains("decrypt"));
    let short = execute_change(
        &emu,
        &client,
        json!({"userId": "jane", "password": "12345", "passwordChangeToken": token}),
    )
    .await;
    expect_error(short, StatusCode::BAD_REQUEST).await;

    let done = execute_change(
        &emu,
        &client,
        json!({"userId": "jane", "password": "new-secret", "passwordChangeToken": token}),
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().is_empty());
    expect_error(emu.password_grant("jane", "secret1").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(emu.password_grant("jane", "new-secret").await.status(), StatusCode::OK);
    // The counter starts again from 0: two more failures do not lock.
    for _ in 0..2 {
        expect_error(emu.password_grant("jane", "wrong").await, StatusCode::BAD_REQUEST).await;
    }
    assert_eq!(emu.password_grant("jane", "new-secret").await.status(), StatusCode::OK);
    // The token was for one use.
    let reused = execute_change(
        &emu,
        &client,
        json!({"userId": "jane", "password": "other-secret", "passwordChangeToken": token}),
    )
    .await;
    expect_error(reused, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn a_password_change_revokes_the_users_tokens_for_every_client() {
    let mut config = finapi_emulator::EmulatorConfig::development();
    let mut second = config.app_clients[0].clone();
    second.credentials = finapi_emulator::ClientCredentials::new("second-app", "second-secret");
    config.app_clients.push(second);
    let emu = start_with(config).await;
    let first_token = emu.new_user_token("jane", "secret1").await;
    let second_token: AccessToken = emu
        .token_request(&[
            ("grant_type", "password"),
            ("client_id", "second-app"),
            ("client_secret", "second-secret"),
            ("username", "jane"),
            ("password", "secret1"),
        ])
        .await
        .json()
        .await
        .unwrap();
    let client = emu.client_token().await;
    let token = change_token(&emu, &client, "jane").await;
    let done = execute_change(
        &emu,
        &client,
        json!({"userId": "jane", "password": "new-secret", "passwordChangeToken": token}),
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    expect_invalid_token(emu.get("/api/v2/users", Some(&first_token)).await).await;
    expect_invalid_token(emu.get("/api/v2/users", Some(&second_token.access_token)).await).await;
}

#[tokio::test]
async fn password_change_errors() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id": "jane", "password": "secret1"}))
        .await;
    let unverified = expect_error(
        request_change(&emu, &client, "jane").await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(unverified.code(), Some(ErrorCode::UserNotVerified));
    let unknown = expect_error(request_change(&emu, &client, "nobody").await, StatusCode::NOT_FOUND).await;
    assert_eq!(unknown.code(), Some(ErrorCode::UnknownEntity));
    let no_id = emu
        .send(
            Method::POST,
            "/api/v2/users/requestPasswordChange",
            Some(&client),
            Some(json!({})),
        )
        .await;
    let no_id = expect_error(no_id, StatusCode::BAD_REQUEST).await;
    assert!(no_id.errors[0].message.as_deref().unwrap().contains("userId"));
    emu.send(Method::POST, "/api/v2/users/verify/jane", Some(&client), None)
        .await;
    let answer: PasswordChangingResource = request_change(&emu, &client, "jane").await.json().await.unwrap();
    assert_eq!(answer.user_email, None, "no email, no encrypted email");
    let missing = execute_change(&emu, &client, json!({"userId": "jane", "password": "new-secret"})).await;
    expect_error(missing, StatusCode::BAD_REQUEST).await;
    let unknown = execute_change(
        &emu,
        &client,
        json!({"userId": "nobody", "password": "new-secret", "passwordChangeToken": "45a611d8-8a19-4a02-8726-a24b6a691ce9"}),
    )
    .await;
    expect_error(unknown, StatusCode::NOT_FOUND).await;
    // Mandator admin clients and users cannot change passwords.
    let admin = emu.admin_token().await;
    let user = emu
        .password_grant("jane", "secret1")
        .await
        .json::<AccessToken>()
        .await
        .unwrap();
    for token in [admin.as_str(), user.access_token.as_str()] {
        let refused = expect_error(request_change(&emu, token, "jane").await, StatusCode::FORBIDDEN).await;
        assert_eq!(refused.code(), Some(ErrorCode::UnauthorizedAccess));
    }
}
