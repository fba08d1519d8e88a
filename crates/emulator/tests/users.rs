//! `/api/v2/users` and `/api/v2/clientConfiguration`, seen from a client of finAPI.

mod common;

use common::*;
use finapi::{ClientConfiguration, ErrorCode, User, VerificationStatusResource};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn creating_a_user_answers_201_with_the_password_in_plain_text() {
    let emu = start().await;
    let client = emu.client_token().await;
    let response = emu
        .create_user(
            Some(&client),
            json!({"id":"Jane.Doe","password":"secret1","email":"jane@example.com","phone":"+49 99 999999-999"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id":"Jane.Doe","password":"secret1","email":"jane@example.com",
               "phone":"+49 99 999999-999","isAutoUpdateEnabled":false})
    );
}

#[tokio::test]
async fn a_missing_id_and_password_are_generated() {
    let emu = start().await;
    let client = emu.client_token().await;
    let response = emu.create_user(Some(&client), json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: User = response.json().await.unwrap();
    assert!(finapi::UserId::parse(&user.id).is_ok(), "{}", user.id);
    assert!(finapi::PasswordPolicy::FINAPI.check(&user.password).is_ok());
    assert_eq!((user.email, user.phone), (None, None));
    // The generated credentials work.
    assert_eq!(
        emu.password_grant(&user.id, &user.password).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn get_user_masks_the_password() {
    let emu = start().await;
    let token = emu.new_user_token("jane", "secret1").await;
    let response = emu.get("/api/v2/users", Some(&token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id":"jane","password":"XXXXX","email":null,"phone":null,"isAutoUpdateEnabled":false})
    );
}

#[tokio::test]
async fn a_duplicate_id_in_another_case_is_422_entity_exists() {
    let emu = start().await;
    let client = emu.client_token().await;
    let first = emu
        .create_user(Some(&client), json!({"id":"jane.doe","password":"secret1"}))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let second = emu
        .create_user(Some(&client), json!({"id":"JANE.Doe","password":"other-1"}))
        .await;
    let error = expect_error(second, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error.code(), Some(ErrorCode::EntityExists));
    // The first user keeps their password.
    assert_eq!(emu.password_grant("jane.doe", "secret1").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn fields_breaking_finapis_rules_are_400_naming_the_field() {
    let emu = start().await;
    let client = emu.client_token().await;
    let cases = [
        (json!({"id": "a".repeat(37)}), "id"),
        (json!({"id": "jane doe"}), "id"),
        (json!({"id": "jäne"}), "id"),
        (json!({"id": ""}), "id"),
        (json!({"password": "12345"}), "password"),
        (json!({"password": "x".repeat(129)}), "password"),
        (json!({"password": "secret%1"}), "password"),
        (json!({"email": "a".repeat(321)}), "email"),
        (json!({"email": "jane<@example.com"}), "email"),
        (json!({"phone": "1".repeat(51)}), "phone"),
        (json!({"phone": "0171/123456"}), "phone"),
    ];
    for (body, field) in cases {
        let error = expect_error(
            emu.create_user(Some(&client), body.clone()).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(error.code(), Some(ErrorCode::BadRequest), "{body}");
        let message = error.errors[0].message.clone().unwrap();
        assert!(message.contains(&format!("'{field}'")), "{message} should name {field}");
        assert!(!message.contains("secret"), "a password is never echoed: {message}");
    }
}

#[tokio::test]
async fn values_at_the_edges_of_finapis_rules_are_accepted() {
    let emu = start().await;
    let client = emu.client_token().await;
    let body = json!({
        "id": format!("{}@.+-_", "a".repeat(31)),
        "password": "x".repeat(128),
        "email": "not an address, but finAPI does not check the syntax",
        "phone": "1".repeat(50),
    });
    assert_eq!(emu.create_user(Some(&client), body).await.status(), StatusCode::CREATED);
    let short = json!({"id":"b", "password":"123456", "email": "e".repeat(320)});
    assert_eq!(
        emu.create_user(Some(&client), short).await.status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn auto_update_needs_the_clients_batch_update() {
    let emu = start().await; // isAutomaticBatchUpdateEnabled = false
    let client = emu.client_token().await;
    let refused = emu
        .create_user(
            Some(&client),
            json!({"id":"jane","password":"secret1","isAutoUpdateEnabled":true}),
        )
        .await;
    let error = expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(error.code(), Some(ErrorCode::IllegalEntityState));

    let emu = start_with_app_config(|c| c.is_automatic_batch_update_enabled = true).await;
    let client = emu.client_token().await;
    let created = emu
        .create_user(
            Some(&client),
            json!({"id":"jane","password":"secret1","isAutoUpdateEnabled":true}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(created.json::<User>().await.unwrap().is_auto_update_enabled);
}

#[tokio::test]
async fn creating_a_user_needs_an_app_client_token() {
    let emu = start().await;
    let body = json!({"id":"jane","password":"secret1"});
    expect_invalid_token(emu.create_user(None, body.clone()).await).await;
    expect_invalid_token(emu.create_user(Some("not-a-token"), body.clone()).await).await;
    let admin = emu.admin_token().await;
    let error = expect_error(emu.create_user(Some(&admin), body.clone()).await, StatusCode::FORBIDDEN).await;
    assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    assert_eq!(error.errors[0].message.as_deref(), Some("Access is denied"));
    let user = emu.new_user_token("john", "secret1").await;
    expect_error(emu.create_user(Some(&user), body).await, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn the_create_body_must_be_json() {
    let emu = start().await;
    let client = emu.client_token().await;
    let form = emu
        .http
        .post(emu.url("/api/v2/users"))
        .bearer_auth(&client)
        .form(&[("id", "jane")])
        .send()
        .await
        .unwrap();
    let error = expect_error(form, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_eq!(error.code(), Some(ErrorCode::UnsupportedMediaType));
    let broken = emu
        .http
        .post(emu.url("/api/v2/users"))
        .bearer_auth(&client)
        .header("content-type", "application/json")
        .body(r#"{"id": "jane", "password": 123456}"#)
        .send()
        .await
        .unwrap();
    let error = expect_error(broken, StatusCode::BAD_REQUEST).await;
    assert!(!error.errors[0].message.clone().unwrap().contains("123456"));
}

#[tokio::test]
async fn get_user_needs_a_user_token() {
    let emu = start().await;
    expect_invalid_token(emu.get("/api/v2/users", None).await).await;
    let client = emu.client_token().await;
    let error = expect_error(emu.get("/api/v2/users", Some(&client)).await, StatusCode::FORBIDDEN).await;
    assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    let admin = emu.admin_token().await;
    expect_error(emu.get("/api/v2/users", Some(&admin)).await, StatusCode::FORBIDDEN).await;
}

async fn verify(emu: &TestEmulator, token: &str, user_id: &str) -> reqwest::Response {
    emu.http
        .post(emu.url(&format!("/api/v2/users/verify/{user_id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn verification_and_its_status() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id":"Jane","password":"secret1"}))
        .await;

    let status: VerificationStatusResource = emu
        .get("/api/v2/users/verificationStatus?userId=jane", Some(&client))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        status,
        VerificationStatusResource {
            user_id: "Jane".into(),
            is_user_verified: false
        }
    );

    let verified = verify(&emu, &client, "JANE").await;
    assert_eq!(verified.status(), StatusCode::OK);
    assert_eq!(verified.text().await.unwrap(), "");
    let body: Value = emu
        .get("/api/v2/users/verificationStatus?userId=Jane", Some(&client))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body, json!({"userId":"Jane","isUserVerified":true}));

    let again = expect_error(verify(&emu, &client, "jane").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(again.code(), Some(ErrorCode::UserAlreadyVerified));
    let unknown = expect_error(verify(&emu, &client, "nobody").await, StatusCode::NOT_FOUND).await;
    assert_eq!(unknown.code(), Some(ErrorCode::UnknownEntity));
}

#[tokio::test]
async fn verification_status_errors() {
    let emu = start().await;
    let client = emu.client_token().await;
    let unknown = emu
        .get("/api/v2/users/verificationStatus?userId=nobody", Some(&client))
        .await;
    assert_eq!(
        expect_error(unknown, StatusCode::NOT_FOUND).await.code(),
        Some(ErrorCode::UnknownEntity)
    );
    for path in [
        "/api/v2/users/verificationStatus",
        "/api/v2/users/verificationStatus?userId=",
    ] {
        let missing = expect_error(emu.get(path, Some(&client)).await, StatusCode::BAD_REQUEST).await;
        assert_eq!(missing.code(), Some(ErrorCode::BadRequest));
    }
    let user = emu.new_user_token("jane", "secret1").await;
    let as_user = emu
        .get("/api/v2/users/verificationStatus?userId=jane", Some(&user))
        .await;
    expect_error(as_user, StatusCode::FORBIDDEN).await;
    expect_error(verify(&emu, &user, "jane").await, StatusCode::FORBIDDEN).await;
    let admin = emu.admin_token().await;
    expect_error(verify(&emu, &admin, "jane").await, StatusCode::FORBIDDEN).await;
    expect_invalid_token(emu.get("/api/v2/users/verificationStatus?userId=jane", None).await).await;
}

#[tokio::test]
async fn client_configuration_for_app_and_admin_clients_only() {
    let emu = start().await;
    let app = emu.client_token().await;
    let response = emu.get("/api/v2/clientConfiguration", Some(&app)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let configuration: ClientConfiguration = response.json().await.unwrap();
    assert_eq!(configuration, ClientConfiguration::sandbox_app_client());
    assert!(!configuration.is_mandator_admin);

    let admin = emu.admin_token().await;
    let configuration: ClientConfiguration = emu
        .get("/api/v2/clientConfiguration", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(configuration.is_mandator_admin);

    let user = emu.new_user_token("jane", "secret1").await;
    let error = expect_error(
        emu.get("/api/v2/clientConfiguration", Some(&user)).await,
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    expect_invalid_token(emu.get("/api/v2/clientConfiguration", None).await).await;
}

// --- PATCH and DELETE /api/v2/users, DELETE /api/v2/users/{userId} ---

#[tokio::test]
async fn a_user_changes_its_email_phone_and_auto_update() {
    let emu = start_with_app_config(|c| c.is_automatic_batch_update_enabled = true).await;
    let client = emu.client_token().await;
    emu.create_user(
        Some(&client),
        json!({"id": "jane", "password": "secret1", "email": "old@example.com", "phone": "+49 1"}),
    )
    .await;
    let user: finapi::AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    let user = user.access_token;
    let patch = |body: Value| emu.send(reqwest::Method::PATCH, "/api/v2/users", Some(&user), Some(body));
    let changed = patch(json!({"email": "new@example.com", "isAutoUpdateEnabled": true})).await;
    assert_eq!(changed.status(), StatusCode::OK);
    let body: Value = changed.json().await.unwrap();
    assert_eq!(
        body,
        json!({"id":"jane","password":"XXXXX","email":"new@example.com","phone":"+49 1","isAutoUpdateEnabled":true})
    );
    // "" clears; a field left out (or null) stays.
    let cleared: Value = patch(json!({"phone": "", "email": null})).await.json().await.unwrap();
    assert_eq!(cleared["phone"], Value::Null);
    assert_eq!(cleared["email"], "new@example.com");
    let read: Value = emu.get("/api/v2/users", Some(&user)).await.json().await.unwrap();
    assert_eq!(read, cleared);
}

#[tokio::test]
async fn a_user_update_is_checked_like_finapi() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let patch = |body: Value| emu.send(reqwest::Method::PATCH, "/api/v2/users", Some(&user), Some(body));
    let empty = expect_error(patch(json!({})).await, StatusCode::BAD_REQUEST).await;
    assert!(empty.errors[0]
        .message
        .as_deref()
        .unwrap()
        .contains("At least one field"));
    expect_error(
        patch(json!({"email": null, "phone": null})).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let long = expect_error(patch(json!({"email": "a".repeat(321)})).await, StatusCode::BAD_REQUEST).await;
    assert!(long.errors[0].message.as_deref().unwrap().contains("'email'"));
    let long = expect_error(patch(json!({"phone": "1".repeat(51)})).await, StatusCode::BAD_REQUEST).await;
    assert!(long.errors[0].message.as_deref().unwrap().contains("'phone'"));
    // The token's client has no automatic batch update.
    let auto = expect_error(
        patch(json!({"isAutoUpdateEnabled": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(auto.code(), Some(ErrorCode::IllegalEntityState));
    let client = emu.client_token().await;
    let as_client = emu
        .send(
            reqwest::Method::PATCH,
            "/api/v2/users",
            Some(&client),
            Some(json!({"phone": "1"})),
        )
        .await;
    assert_eq!(
        expect_error(as_client, StatusCode::FORBIDDEN).await.code(),
        Some(ErrorCode::UnauthorizedAccess)
    );
}

#[tokio::test]
async fn a_user_deletes_itself_and_its_tokens_go_with_it() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let deleted = emu
        .send(reqwest::Method::DELETE, "/api/v2/users", Some(&user), None)
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert!(deleted.text().await.unwrap().is_empty());
    expect_invalid_token(emu.get("/api/v2/users", Some(&user)).await).await;
    expect_error(emu.password_grant("jane", "secret1").await, StatusCode::BAD_REQUEST).await;
    // The id is free again (finAPI keeps only a distorted copy).
    let client = emu.client_token().await;
    let again = emu
        .create_user(Some(&client), json!({"id": "Jane", "password": "secret2"}))
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let as_client = emu
        .send(reqwest::Method::DELETE, "/api/v2/users", Some(&client), None)
        .await;
    expect_error(as_client, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_client_deletes_only_unverified_users() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id": "Jane", "password": "secret1"}))
        .await;
    emu.create_user(Some(&client), json!({"id": "john", "password": "secret1"}))
        .await;
    verify(&emu, &client, "john").await;
    let delete = |id: &str| {
        let path = format!("/api/v2/users/{id}");
        let (emu, client) = (&emu, &client);
        async move { emu.send(reqwest::Method::DELETE, &path, Some(client), None).await }
    };
    let verified = expect_error(delete("JOHN").await, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(verified.code(), Some(ErrorCode::UserAlreadyVerified));
    let unknown = expect_error(delete("nobody").await, StatusCode::NOT_FOUND).await;
    assert_eq!(unknown.code(), Some(ErrorCode::UnknownEntity));
    assert_eq!(
        delete("jANE").await.status(),
        StatusCode::OK,
        "ids are case-insensitive"
    );
    let status = emu
        .get("/api/v2/users/verificationStatus?userId=jane", Some(&client))
        .await;
    expect_error(status, StatusCode::NOT_FOUND).await;
    let user = emu
        .password_grant("john", "secret1")
        .await
        .json::<finapi::AccessToken>()
        .await
        .unwrap();
    let as_user = emu
        .send(
            reqwest::Method::DELETE,
            "/api/v2/users/john",
            Some(&user.access_token),
            None,
        )
        .await;
    expect_error(as_user, StatusCode::FORBIDDEN).await;
}
