//! Step 3 through the proxy: logging in, and what a failed login says.

mod common;

use common::*;
use onboarding_api::paths;
use serde_json::{json, Value};

#[tokio::test]
async fn a_login_gives_an_opaque_session_and_no_finapi_token() {
    let app = spawn_app().await;
    assert_eq!(app.create("jane").await.status(), 201);
    let response = app.log_in("JANE", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["expiresIn", "session", "userId"]);
    assert!(body["session"].as_str().unwrap().len() >= 43, "≥ 256 bits");
    assert!(body["expiresIn"].as_u64().unwrap() <= 15 * 60);
}

#[tokio::test]
async fn wrong_password_and_unknown_id_get_the_same_answer() {
    let app = spawn_app().await;
    assert_eq!(app.create("jane").await.status(), 201);
    let wrong_password = app.log_in("jane", "not the password").await;
    let unknown_id = app.log_in("nobody-here", "not the password").await;
    let impossible_id = app.log_in("no such id!", "not the password").await;
    for response in [wrong_password, unknown_id, impossible_id] {
        assert_eq!(response.status(), 401);
        let mut body: Value = response.json().await.unwrap();
        body.as_object_mut().unwrap().remove("requestId");
        assert_eq!(body, json!({"error": "WRONG_CREDENTIALS"}));
    }
}

#[tokio::test]
async fn empty_fields_are_named() {
    let app = spawn_app().await;
    let response = app.log_in(" ", "").await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["fields"],
        json!([{"field": "id", "problem": {"rule": "missing"}}, {"field": "password", "problem": {"rule": "missing"}}])
    );
}

#[tokio::test]
async fn a_locked_account_is_reported_as_locked() {
    let app = spawn_app().await;
    assert_eq!(app.create("locked-out").await.status(), 201);
    // The development client locks a user after three failed logins, as finAPI's example does.
    for _ in 0..3 {
        assert_eq!(app.log_in("locked-out", "wrong password").await.status(), 401);
    }
    let response = app.log_in("locked-out", PASSWORD).await;
    assert_eq!(response.status(), 423);
    assert_eq!(error_code(response).await, "ACCOUNT_LOCKED");
}

#[tokio::test]
async fn a_state_changing_request_without_the_form_header_is_refused() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(app.url(paths::USERS))
        .json(&json!({"id": "csrf", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(error_code(response).await, "FORM_HEADER_MISSING");
    let response = app
        .http
        .post(app.url(paths::SESSIONS))
        .json(&json!({"id": "csrf", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // Nothing was created: the id is still free.
    assert_eq!(app.create("csrf").await.status(), 201);
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    let session = app.signed_up_session("leaving").await;
    let response = app
        .http
        .delete(app.url(paths::SESSIONS))
        .header(paths::FORM_HEADER, paths::FORM_HEADER_VALUE)
        .header(paths::SESSION_HEADER, &session.session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = app.hand_off(&session.session).await;
    assert_eq!(response.status(), 401);
    assert_eq!(error_code(response).await, "SESSION_EXPIRED");
}
