//! Rule 2: `GET` and `PATCH /api/v2/clientConfiguration`.

mod common;

use common::*;
use finapi::ErrorCode;
use finapi_emulator::{EmulatorConfig, Mode};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PATH: &str = "/api/v2/clientConfiguration";

async fn patch(emu: &TestEmulator, token: &str, body: Value) -> reqwest::Response {
    emu.send(Method::PATCH, PATH, Some(token), Some(body)).await
}

/// Asserts a 400 `BAD_REQUEST` whose message names `field`.
async fn expect_refused(response: reqwest::Response, field: &str) {
    let error = expect_error(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(error.code(), Some(ErrorCode::BadRequest));
    let message = error.errors[0].message.clone().unwrap();
    assert!(message.contains(field), "{message} should name {field}");
}

#[tokio::test]
async fn get_answers_every_field_of_the_v2_schema() {
    let emu = start().await;
    let token = emu.client_token().await;
    let body: Value = emu.get(PATH, Some(&token)).await.json().await.unwrap();
    for field in [
        "pfmServicesEnabled",
        "isAutomaticBatchUpdateEnabled",
        "isDevelopmentModeEnabled",
        "isNonEuroAccountsSupported",
        "isAutoCategorizationEnabled",
        "mandatorLicense",
        "preferredConsentType",
        "userNotificationCallbackUrl",
        "userSynchronizationCallbackUrl",
        "refreshTokensValidityPeriod",
        "userAccessTokensValidityPeriod",
        "clientAccessTokensValidityPeriod",
        "maxUserLoginAttempts",
        "transactionImportLimitation",
        "isUserAutoVerificationEnabled",
        "isMandatorAdmin",
        "isWebScrapingEnabled",
        "paymentsEnabled",
        "isStandalonePaymentsEnabled",
        "availableBankGroups",
        "products",
        "finTSProductRegistrationNumber",
        "aisViaWebForm",
        "pisViaWebForm",
        "pisStandaloneViaWebForm",
        "betaBanksEnabled",
        "categoryRestrictions",
        "corsAllowedOrigins",
    ] {
        assert!(body.get(field).is_some(), "{field} missing: {body}");
    }
    assert_eq!(body.as_object().unwrap().len(), 28, "{body}");
}

#[tokio::test]
async fn patch_changes_the_patchable_settings_and_answers_the_new_configuration() {
    let emu = start().await;
    let token = emu.client_token().await;
    let response = patch(
        &emu,
        &token,
        json!({
            "userNotificationCallbackUrl": "https://partner.example/notifications",
            "userSynchronizationCallbackUrl": "http://127.0.0.1:9000/sync",
            "refreshTokensValidityPeriod": 60,
            "userAccessTokensValidityPeriod": 0,
            "clientAccessTokensValidityPeriod": 7200,
            "finTSProductRegistrationNumber": "ABCDEF1234567890ABCDEF123",
            "betaBanksEnabled": true
        }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["userSynchronizationCallbackUrl"], "http://127.0.0.1:9000/sync");
    assert_eq!(body["refreshTokensValidityPeriod"], 60);
    assert_eq!(body["userAccessTokensValidityPeriod"], 0);
    assert_eq!(body["clientAccessTokensValidityPeriod"], 7200);
    assert_eq!(
        body["finTSProductRegistrationNumber"], "XXXXX",
        "finAPI never shows the number"
    );
    assert_eq!(body["betaBanksEnabled"], true);
    let again: Value = emu.get(PATH, Some(&token)).await.json().await.unwrap();
    assert_eq!(again, body);
    // "" clears a URL and the FinTS number; a field left out stays.
    let cleared: Value = patch(
        &emu,
        &token,
        json!({"userSynchronizationCallbackUrl": "", "finTSProductRegistrationNumber": ""}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(cleared["userSynchronizationCallbackUrl"], Value::Null);
    assert_eq!(cleared["finTSProductRegistrationNumber"], Value::Null);
    assert_eq!(
        cleared["userNotificationCallbackUrl"],
        "https://partner.example/notifications"
    );
}

#[tokio::test]
async fn validity_periods_must_be_at_least_60_or_0() {
    let emu = start().await;
    let token = emu.client_token().await;
    for field in [
        "refreshTokensValidityPeriod",
        "userAccessTokensValidityPeriod",
        "clientAccessTokensValidityPeriod",
    ] {
        for bad in [json!(59), json!(1), json!(-60), json!("3600"), json!(2_147_483_648i64)] {
            expect_refused(patch(&emu, &token, json!({ field: bad })).await, field).await;
        }
        for good in [0, 60, 86_400] {
            assert_eq!(
                patch(&emu, &token, json!({ field: good })).await.status(),
                StatusCode::OK
            );
        }
    }
}

#[tokio::test]
async fn callback_urls_are_at_most_512_characters_and_http_only_in_sandbox() {
    let emu = start().await;
    let token = emu.client_token().await;
    let base = "http://partner.example/";
    let longest = format!("{base}{}", "a".repeat(512 - base.len()));
    for field in ["userNotificationCallbackUrl", "userSynchronizationCallbackUrl"] {
        assert_eq!(
            patch(&emu, &token, json!({ field: longest })).await.status(),
            StatusCode::OK
        );
        expect_refused(
            patch(&emu, &token, json!({ field: format!("{longest}a") })).await,
            field,
        )
        .await;
        expect_refused(patch(&emu, &token, json!({ field: "not a url" })).await, field).await;
        expect_refused(
            patch(&emu, &token, json!({ field: "ftp://partner.example/x" })).await,
            field,
        )
        .await;
    }

    let mut live = EmulatorConfig::development();
    live.mode = Mode::Live;
    let emu = start_with(live).await;
    let token = emu.client_token().await;
    for field in ["userNotificationCallbackUrl", "userSynchronizationCallbackUrl"] {
        expect_refused(
            patch(&emu, &token, json!({ field: "http://partner.example/x" })).await,
            field,
        )
        .await;
        let https = patch(&emu, &token, json!({ field: "https://partner.example/x" })).await;
        assert_eq!(https.status(), StatusCode::OK);
        assert_eq!(patch(&emu, &token, json!({ field: "" })).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn only_the_patchable_fields_can_be_changed() {
    let emu = start().await;
    let token = emu.client_token().await;
    for (field, value) in [
        ("maxUserLoginAttempts", json!(10)),
        ("isUserAutoVerificationEnabled", json!(false)),
        ("isAutomaticBatchUpdateEnabled", json!(true)),
        ("mandatorLicense", json!("FULLY_LICENSED")),
        ("isMandatorAdmin", json!(true)),
        ("corsAllowedOrigins", json!(["https://partner.example"])),
        // V1's deprecated parameters are gone in V2.
        ("applicationName", json!("My App")),
        ("isPinStorageAvailableInWebForm", json!(true)),
        ("somethingElse", json!(1)),
    ] {
        expect_refused(patch(&emu, &token, json!({ field: value })).await, field).await;
    }
    expect_refused(
        patch(&emu, &token, json!({"finTSProductRegistrationNumber": "abcdef"})).await,
        "finTSProductRegistrationNumber",
    )
    .await;
    expect_refused(
        patch(&emu, &token, json!({"betaBanksEnabled": "true"})).await,
        "betaBanksEnabled",
    )
    .await;
    // Nothing of a refused PATCH is applied.
    let refused = patch(
        &emu,
        &token,
        json!({"clientAccessTokensValidityPeriod": 120, "maxUserLoginAttempts": 9}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let body: Value = emu.get(PATH, Some(&token)).await.json().await.unwrap();
    assert_eq!(body["clientAccessTokensValidityPeriod"], 3600);
    let as_text = emu
        .http
        .patch(emu.url(PATH))
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(as_text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn new_validity_periods_apply_to_newly_issued_tokens_only() {
    let emu = start().await;
    let first = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_eq!(first.expires_in, 3600);
    let response = patch(
        &emu,
        &first.access_token,
        json!({"clientAccessTokensValidityPeriod": 60}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    emu.advance(100);
    // The live token keeps its lifetime, and is still the one handed out.
    let same = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_eq!(same.access_token, first.access_token);
    assert_eq!(same.expires_in, 3500);
    emu.advance(3500);
    let next = emu.client_token_as(APP_ID, APP_SECRET).await;
    assert_ne!(next.access_token, first.access_token);
    assert_eq!(next.expires_in, 60);
}

#[tokio::test]
async fn app_and_admin_clients_read_and_change_their_own_configuration_users_cannot() {
    let emu = start().await;
    let app = emu.client_token().await;
    let admin = emu.admin_token().await;
    let admin_config: Value = emu.get(PATH, Some(&admin)).await.json().await.unwrap();
    assert_eq!(admin_config["isMandatorAdmin"], true);
    let changed = patch(
        &emu,
        &admin,
        json!({"userSynchronizationCallbackUrl": "http://127.0.0.1:9/admin"}),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let app_config: Value = emu.get(PATH, Some(&app)).await.json().await.unwrap();
    assert_eq!(app_config["isMandatorAdmin"], false);
    assert_eq!(
        app_config["userSynchronizationCallbackUrl"],
        Value::Null,
        "each client has its own"
    );

    let user = emu.new_user_token("jane", "secret1").await;
    let error = expect_error(emu.get(PATH, Some(&user)).await, StatusCode::FORBIDDEN).await;
    assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    let error = expect_error(
        patch(&emu, &user, json!({"betaBanksEnabled": true})).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    expect_invalid_token(emu.send(Method::PATCH, PATH, None, Some(json!({}))).await).await;
}
