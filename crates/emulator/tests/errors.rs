//! The shape of finAPI's answers that every endpoint shares: `X-Request-Id`, `ErrorMessage`, 401s, 404s.

mod common;

use common::*;
use finapi::ErrorCode;
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

#[tokio::test]
async fn the_callers_request_id_is_echoed_and_used_in_error_bodies() {
    let emu = start().await;
    let client = emu.client_token().await;
    let ok = emu
        .http
        .get(emu.url("/api/v2/clientConfiguration"))
        .bearer_auth(&client)
        .header("X-Request-Id", "my-request-42")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.headers()["x-request-id"], "my-request-42");

    let failing = emu
        .http
        .get(emu.url("/api/v2/users"))
        .bearer_auth(&client)
        .header("X-Request-Id", "my-request-43")
        .send()
        .await
        .unwrap();
    assert_eq!(failing.headers()["x-request-id"], "my-request-43");
    let error = expect_error(failing, StatusCode::FORBIDDEN).await;
    assert_eq!(error.request_id, "my-request-43");
}

#[tokio::test]
async fn without_a_request_id_one_is_generated() {
    let emu = start().await;
    let response = emu
        .get("/api/v2/users/verificationStatus", Some(&emu.client_token().await))
        .await;
    let header = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(header.starts_with("selfgen-"), "{header}");
    assert_eq!(header.len(), "selfgen-".len() + 36);
    let error = expect_error(response, StatusCode::BAD_REQUEST).await;
    assert_eq!(error.request_id, header);
    // Successful answers carry one too.
    let ok = emu
        .get("/api/v2/clientConfiguration", Some(&emu.client_token().await))
        .await;
    assert!(ok.headers()["x-request-id"].to_str().unwrap().starts_with("selfgen-"));
}

#[tokio::test]
async fn a_request_id_longer_than_255_characters_is_400() {
    let emu = start().await;
    let client = emu.client_token().await;
    let longest = "r".repeat(255);
    let ok = emu
        .http
        .get(emu.url("/api/v2/clientConfiguration"))
        .bearer_auth(&client)
        .header("X-Request-Id", &longest)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(ok.headers()["x-request-id"], longest.as_str());

    let too_long = emu
        .http
        .get(emu.url("/api/v2/clientConfiguration"))
        .bearer_auth(&client)
        .header("X-Request-Id", "r".repeat(256))
        .send()
        .await
        .unwrap();
    let echoed = too_long.headers()["x-request-id"].to_str().unwrap().to_owned();
    let error = expect_error(too_long, StatusCode::BAD_REQUEST).await;
    assert_eq!(error.code(), Some(ErrorCode::BadRequest));
    assert_eq!(error.request_id, echoed);
    assert!(echoed.starts_with("selfgen-"));
}

#[tokio::test]
async fn error_messages_carry_finapis_fields() {
    let emu = start().await;
    let client = emu.client_token().await;
    let response = emu.create_user(Some(&client), json!({"password":"12345"})).await;
    let raw: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    for field in ["errors", "date", "requestId", "endpoint", "authContext"] {
        assert!(raw.get(field).is_some(), "{field} missing in {raw}");
    }
    assert_eq!(raw["errors"][0]["type"], "TECHNICAL");
    assert_eq!(raw["endpoint"], "POST /api/v2/users");
    assert_eq!(raw["authContext"], "1/-");
    let date = raw["date"].as_str().unwrap();
    let parsed = OffsetDateTime::parse(date, &Rfc3339).unwrap();
    assert_eq!(parsed, T0);
    assert_eq!(
        date.len(),
        "2026-11-23T10:00:00.000+00:00".len(),
        "milliseconds and offset: {date}"
    );

    // A user's context names the user's number; the endpoint has no query string.
    let user = emu.new_user_token("jane", "secret1").await;
    let error = expect_error(
        emu.get("/api/v2/users/verificationStatus?userId=jane", Some(&user))
            .await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(error.auth_context, "1/1");
    assert_eq!(error.endpoint, "GET /api/v2/users/verificationStatus");
    // The admin client is client number 2.
    let admin = emu.admin_token().await;
    let error = expect_error(emu.get("/api/v2/users", Some(&admin)).await, StatusCode::FORBIDDEN).await;
    assert_eq!(error.auth_context, "2/-");
    // Nobody known yet.
    let error = expect_error(
        emu.token_request(&[("grant_type", "magic")]).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(error.auth_context, "-/-");
}

#[tokio::test]
async fn a_401_never_echoes_the_token() {
    let emu = start().await;
    let token = "an-invalid-token-1234567890";
    let response = emu.get("/api/v2/clientConfiguration", Some(token)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer "));
    let body = response.text().await.unwrap();
    assert!(!body.contains(token));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["error"], "invalid_token");
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_finapi_errors() {
    let emu = start().await;
    let client = emu.client_token().await;
    let unknown = expect_error(
        emu.get("/api/v2/bankConnections", Some(&client)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(unknown.code(), Some(ErrorCode::UnknownEntity));
    let wrong_method = emu
        .http
        .delete(emu.url("/api/v2/clientConfiguration"))
        .bearer_auth(&client)
        .send()
        .await
        .unwrap();
    let error = expect_error(wrong_method, StatusCode::METHOD_NOT_ALLOWED).await;
    assert_eq!(error.code(), Some(ErrorCode::MethodNotAllowed));
    assert_eq!(emu.get("/nothing-here", None).await.status(), StatusCode::NOT_FOUND);
}
