//! Step 2 through the proxy: sign-ups, their validation, and the client token they share.

mod common;

use common::*;
use finapi::GrantType;
use serde_json::{json, Value};

#[tokio::test]
async fn a_sign_up_creates_a_finapi_user_who_can_log_in() {
    let app = spawn_app().await;
    let response = app.create("jane.doe").await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id": "jane.doe"}),
        "the answer carries the id and nothing else (no password)"
    );
    assert_eq!(app.log_in("jane.doe", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn an_id_that_exists_in_another_case_is_taken() {
    let app = spawn_app().await;
    assert_eq!(app.create("Jane.Doe").await.status(), 201);
    let response = app.create("jane.doe").await;
    assert_eq!(response.status(), 409);
    assert_eq!(error_code(response).await, "USER_ID_TAKEN");
}

#[tokio::test]
async fn every_field_problem_is_reported_and_finapi_is_not_called() {
    let app = spawn_app().await;
    let response = app
        .create_user(json!({"id": "jane doe", "password": "short", "email": "jane", "phone": "call me"}))
        .await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "INVALID_INPUT");
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["id", "password", "email", "phone"]);
    assert_eq!(body["fields"][1]["problem"], json!({"rule": "tooShort", "min": 8}));
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 0);
}

#[tokio::test]
async fn a_password_finapi_would_take_but_our_policy_refuses_is_refused() {
    let app = spawn_app().await;
    let response = app.create_user(json!({"id": "seven", "password": "1234567"})).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["fields"][0],
        json!({"field": "password", "problem": {"rule": "tooShort", "min": 8}})
    );
}

#[tokio::test]
async fn unknown_fields_and_broken_json_are_malformed_requests() {
    let app = spawn_app().await;
    let response = app
        .create_user(json!({"id": "jane", "password": PASSWORD, "isAdmin": true}))
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "MALFORMED_REQUEST");
    let response = app
        .form_post("/api/users")
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "MALFORMED_REQUEST");
}

#[tokio::test]
async fn fifty_parallel_sign_ups_cause_one_client_token_request() {
    let app = spawn_app().await;
    let sign_ups = (0..50).map(|i| {
        let app = &app;
        async move { app.create(&format!("parallel-{i}")).await.status() }
    });
    let statuses = futures::future::join_all(sign_ups).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 1);
}

#[tokio::test]
async fn the_client_token_is_used_to_its_end_and_renewed_once_it_expired() {
    let app = spawn_app().await;
    assert_eq!(app.create("first").await.status(), 201);
    app.clock.advance(std::time::Duration::from_secs(3600 - 30));
    assert_eq!(app.create("second").await.status(), 201);
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 1);
    app.clock.advance(std::time::Duration::from_secs(31));
    assert_eq!(app.create("third").await.status(), 201);
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 2);
}

#[tokio::test]
async fn new_users_are_verified_when_the_client_does_not_verify_them() {
    let app = spawn_app_with(
        |emulator| emulator.app_clients[0].configuration.is_user_auto_verification_enabled = false,
        |_| {},
    )
    .await;
    assert_eq!(app.create("unverified-at-first").await.status(), 201);
    assert_eq!(app.log_in("unverified-at-first", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn auto_update_is_offered_only_when_the_client_allows_it() {
    let app = spawn_app().await;
    let settings: Value = app
        .http
        .get(app.url("/api/settings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["autoUpdateOffered"], false);
    assert_eq!(settings["password"], json!({"minLength": 8, "maxLength": 128}));
    assert_eq!(settings["parentOrigins"], json!([PARTNER_ORIGIN]));
    let response = app
        .create_user(json!({"id": "auto", "password": PASSWORD, "autoUpdate": true}))
        .await;
    assert_eq!(response.status(), 400);

    let app = spawn_app_with(
        |emulator| emulator.app_clients[0].configuration.is_automatic_batch_update_enabled = true,
        |_| {},
    )
    .await;
    let settings: Value = app
        .http
        .get(app.url("/api/settings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["autoUpdateOffered"], true);
    assert_eq!(
        app.create_user(json!({"id": "auto", "password": PASSWORD, "autoUpdate": true}))
            .await
            .status(),
        201
    );
}
