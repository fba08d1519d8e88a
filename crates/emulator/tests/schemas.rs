//! The emulator's answers, judged by finAPI's OpenAPI files (not by our own structs): for every emulated
//! endpoint and the statuses it gives, the body must be the schema the file documents for that path,
//! method and status — required properties, no others, types, nullability, enum values. See
//! `tests/openapi/mod.rs` for the checker and its two documented exceptions.

mod common;
mod openapi;

use common::*;
use openapi::{assert_component, assert_documented, Spec};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

// --- The checker catches what it should (so a green run means something). ---

#[test]
fn the_checker_refuses_missing_extra_mistyped_and_deprecated_properties() {
    let spec = Spec::access();
    let good = r#"{"id":"jane","password":"XXXXX","email":null,"phone":null,"isAutoUpdateEnabled":false}"#;
    assert_eq!(spec.problems("GET", "/api/v2/users", 200, good), Vec::<String>::new());
    let cases = [
        (
            r#"{"id":"jane","password":"XXXXX","email":null,"isAutoUpdateEnabled":false}"#,
            "'phone'",
        ),
        (
            r#"{"id":"jane","password":"XXXXX","email":null,"phone":null,"isAutoUpdateEnabled":false,"extra":1}"#,
            "no property 'extra'",
        ),
        (
            r#"{"id":"jane","password":null,"email":null,"phone":null,"isAutoUpdateEnabled":false}"#,
            "not nullable",
        ),
        (
            r#"{"id":1,"password":"XXXXX","email":null,"phone":null,"isAutoUpdateEnabled":false}"#,
            "type string",
        ),
    ];
    for (body, expected) in cases {
        let problems = spec.problems("GET", "/api/v2/users", 200, body);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
    let bad_code = r#"{"errors":[{"message":"m","code":"NOPE","type":"TECHNICAL","multiStepAuthentication":null}],
        "date":"d","requestId":"r","endpoint":"e","authContext":"1/-","bank":null}"#;
    assert!(spec
        .problems("GET", "/api/v2/users", 403, bad_code)
        .iter()
        .any(|p| p.contains("NOPE")));
    let deprecated = spec.component_problems("ClientConfiguration", r#"{"isXs2aEnabled":true}"#);
    assert!(deprecated
        .iter()
        .any(|p| p.contains("isXs2aEnabled") && p.contains("deprecated")));
    assert!(
        !deprecated.iter().any(|p| p.contains("'applicationName'")),
        "deprecated fields are not required"
    );
    assert!(
        deprecated.iter().any(|p| p.contains("'maxUserLoginAttempts'")),
        "the others are"
    );
    assert!(
        deprecated.iter().any(|p| p.contains("'aisViaWebForm'")),
        "V2's added fields are required"
    );
    let removed = spec.component_problems(
        "ClientConfiguration",
        r#"{"aisWebFormMode":"DISABLED","aisViaWebForm":"yes"}"#,
    );
    assert!(removed
        .iter()
        .any(|p| p.contains("aisWebFormMode") && p.contains("removed in V2")));
    assert!(removed
        .iter()
        .any(|p| p.contains("aisViaWebForm") && p.contains("boolean")));
    assert!(spec
        .problems("POST", "/api/v2/users/verify/{userId}", 200, "{}")
        .iter()
        .any(|p| p.contains("empty body")));
    assert!(!spec.problems("POST", "/api/v2/users", 418, "{}").is_empty());
}

// --- Access V2 ---

#[tokio::test]
async fn token_answers_match_the_schema() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let spec = Spec::access();
    let path = "/api/v2/oauth/token";
    let client = emu
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", APP_ID),
            ("client_secret", APP_SECRET),
        ])
        .await;
    let client: Value = assert_documented(&spec, "POST", path, client).await;
    let client = client["access_token"].as_str().unwrap().to_owned();
    emu.create_user(Some(&client), json!({"id": "jane", "password": "secret1"}))
        .await;
    // 403: not verified yet.
    assert_documented(&spec, "POST", path, emu.password_grant("jane", "secret1").await).await;
    emu.send(Method::POST, "/api/v2/users/verify/jane", Some(&client), None)
        .await;
    let user: Value = assert_documented(&spec, "POST", path, emu.password_grant("jane", "secret1").await).await;
    let refresh = user["refresh_token"].as_str().unwrap().to_owned();
    let refreshed = emu
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("client_id", APP_ID),
            ("client_secret", APP_SECRET),
            ("refresh_token", &refresh),
        ])
        .await;
    assert_documented(&spec, "POST", path, refreshed).await;
    // 400 bad credentials, 401 bad client, 403 admin user grant, 423 locked.
    assert_documented(&spec, "POST", path, emu.password_grant("jane", "wrong").await).await;
    let bad_client = emu
        .token_request(&[
            ("grant_type", "client_credentials"),
            ("client_id", "x"),
            ("client_secret", "y"),
        ])
        .await;
    assert_documented(&spec, "POST", path, bad_client).await;
    let admin_password = emu
        .token_request(&[
            ("grant_type", "password"),
            ("client_id", ADMIN_ID),
            ("client_secret", ADMIN_SECRET),
            ("username", "jane"),
            ("password", "secret1"),
        ])
        .await;
    assert_eq!(admin_password.status(), StatusCode::FORBIDDEN);
    assert_documented(&spec, "POST", path, admin_password).await;
    emu.password_grant("jane", "wrong").await;
    emu.password_grant("jane", "wrong").await;
    let locked = emu.password_grant("jane", "secret1").await;
    assert_eq!(locked.status(), StatusCode::LOCKED);
    assert_documented(&spec, "POST", path, locked).await;
    // 415 is not listed for the operation; its body is an ErrorMessage all the same.
    let as_json = emu
        .http
        .post(emu.url(path))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_component(&spec, "ErrorMessage", as_json).await;
}

#[tokio::test]
async fn revoke_answers_match_the_schema() {
    let emu = start().await;
    let spec = Spec::access();
    let client = emu.client_token().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let path = "/api/v2/oauth/revoke";
    assert_documented(
        &spec,
        "POST",
        path,
        emu.revoke(Some(&client), &[("token", "unknown")]).await,
    )
    .await;
    let bad_hint = emu
        .revoke(Some(&client), &[("token", "x"), ("token_type_hint", "id_token")])
        .await;
    assert_eq!(bad_hint.status(), StatusCode::BAD_REQUEST);
    assert_documented(&spec, "POST", path, bad_hint).await;
    let as_user = emu.revoke(Some(&user), &[("token", &user)]).await;
    assert_eq!(as_user.status(), StatusCode::FORBIDDEN);
    assert_documented(&spec, "POST", path, as_user).await;
    // The file lists no 401 for revoke; finAPI's 401 body is BadCredentialsError everywhere.
    let anonymous = emu.revoke(None, &[("token", "x")]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_component(&spec, "BadCredentialsError", anonymous).await;
}

#[tokio::test]
async fn user_answers_match_the_schema() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let spec = Spec::access();
    let client = emu.client_token().await;
    let users = "/api/v2/users";
    let created = emu
        .create_user(
            Some(&client),
            json!({"id": "jane", "password": "secret1", "email": "jane@example.com"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_documented(&spec, "POST", users, created).await;
    for (body, status) in [
        (json!({"id": "jane"}), StatusCode::UNPROCESSABLE_ENTITY),
        (json!({"password": "12345"}), StatusCode::BAD_REQUEST),
        (json!({"isAutoUpdateEnabled": true}), StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let response = emu.create_user(Some(&client), body).await;
        assert_eq!(response.status(), status);
        assert_documented(&spec, "POST", users, response).await;
    }
    assert_documented(&spec, "POST", users, emu.create_user(None, json!({})).await).await;
    let verification = "/api/v2/users/verificationStatus?userId=jane";
    let status = emu.get(verification, Some(&client)).await;
    assert_documented(&spec, "GET", "/api/v2/users/verificationStatus", status).await;
    let missing = emu.get("/api/v2/users/verificationStatus", Some(&client)).await;
    assert_documented(&spec, "GET", "/api/v2/users/verificationStatus", missing).await;
    let unknown = emu
        .get("/api/v2/users/verificationStatus?userId=nobody", Some(&client))
        .await;
    assert_documented(&spec, "GET", "/api/v2/users/verificationStatus", unknown).await;

    let verify = "/api/v2/users/verify/{userId}";
    let unknown = emu
        .send(Method::POST, "/api/v2/users/verify/nobody", Some(&client), None)
        .await;
    assert_documented(&spec, "POST", verify, unknown).await;
    let done = emu
        .send(Method::POST, "/api/v2/users/verify/JANE", Some(&client), None)
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_documented(&spec, "POST", verify, done).await;
    let again = emu
        .send(Method::POST, "/api/v2/users/verify/jane", Some(&client), None)
        .await;
    assert_documented(&spec, "POST", verify, again).await;

    let token = emu
        .password_grant("jane", "secret1")
        .await
        .json::<finapi::AccessToken>()
        .await
        .unwrap();
    let user = token.access_token;
    assert_documented(&spec, "GET", users, emu.get(users, Some(&user)).await).await;
    assert_documented(&spec, "GET", users, emu.get(users, Some(&client)).await).await;
    assert_documented(&spec, "GET", users, emu.get(users, None).await).await;
    let patched = emu
        .send(
            Method::PATCH,
            users,
            Some(&user),
            Some(json!({"phone": "+49 99 999999-999"})),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    assert_documented(&spec, "PATCH", users, patched).await;
    for body in [json!({}), json!({"isAutoUpdateEnabled": true})] {
        let refused = emu.send(Method::PATCH, users, Some(&user), Some(body)).await;
        assert_documented(&spec, "PATCH", users, refused).await;
    }

    let delete_unverified = "/api/v2/users/{userId}";
    emu.create_user(Some(&client), json!({"id": "john"})).await;
    let verified = emu
        .send(Method::DELETE, "/api/v2/users/jane", Some(&client), None)
        .await;
    assert_eq!(verified.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_documented(&spec, "DELETE", delete_unverified, verified).await;
    let unknown = emu
        .send(Method::DELETE, "/api/v2/users/nobody", Some(&client), None)
        .await;
    assert_documented(&spec, "DELETE", delete_unverified, unknown).await;
    let deleted = emu
        .send(Method::DELETE, "/api/v2/users/JOHN", Some(&client), None)
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_documented(&spec, "DELETE", delete_unverified, deleted).await;

    let as_client = emu.send(Method::DELETE, users, Some(&client), None).await;
    assert_documented(&spec, "DELETE", users, as_client).await;
    let own = emu.send(Method::DELETE, users, Some(&user), None).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_documented(&spec, "DELETE", users, own).await;
}

#[tokio::test]
async fn password_change_answers_match_the_schema() {
    let emu = start_with_app_config(|c| c.is_user_auto_verification_enabled = false).await;
    let spec = Spec::access();
    let client = emu.client_token().await;
    emu.create_user(
        Some(&client),
        json!({"id": "jane", "password": "secret1", "email": "jane@example.com"}),
    )
    .await;
    emu.create_user(Some(&client), json!({"id": "john", "password": "secret1"}))
        .await;
    let request = "/api/v2/users/requestPasswordChange";
    let execute = "/api/v2/users/executePasswordChange";
    let not_verified = emu
        .send(Method::POST, request, Some(&client), Some(json!({"userId": "john"})))
        .await;
    assert_eq!(not_verified.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_documented(&spec, "POST", request, not_verified).await;
    let unknown = emu
        .send(Method::POST, request, Some(&client), Some(json!({"userId": "nobody"})))
        .await;
    assert_documented(&spec, "POST", request, unknown).await;
    let bad = emu.send(Method::POST, request, Some(&client), Some(json!({}))).await;
    assert_documented(&spec, "POST", request, bad).await;
    emu.send(Method::POST, "/api/v2/users/verify/jane", Some(&client), None)
        .await;
    emu.send(Method::POST, "/api/v2/users/verify/john", Some(&client), None)
        .await;
    for user in ["jane", "john"] {
        let answer = emu
            .send(Method::POST, request, Some(&client), Some(json!({"userId": user})))
            .await;
        assert_eq!(answer.status(), StatusCode::OK);
        assert_documented(&spec, "POST", request, answer).await;
    }
    let answer: finapi::PasswordChangingResource = emu
        .send(Method::POST, request, Some(&client), Some(json!({"userId": "jane"})))
        .await
        .json()
        .await
        .unwrap();
    let key = finapi_emulator::data_encryption::DataDecryptionKey::parse(DATA_DECRYPTION_KEY).unwrap();
    let token = finapi_emulator::data_encryption::decrypt(&key, &answer.password_change_token).unwrap();
    let wrong = emu
        .send(
            Method::POST,
            execute,
            Some(&client),
            Some(json!({"userId": "jane", "password": "new-secret", "passwordChangeToken": "0000"})),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert_documented(&spec, "POST", execute, wrong).await;
    let unknown = emu
        .send(
            Method::POST,
            execute,
            Some(&client),
            Some(json!({"userId": "nobody", "password": "new-secret", "passwordChangeToken": token})),
        )
        .await;
    assert_documented(&spec, "POST", execute, unknown).await;
    let done = emu
        .send(
            Method::POST,
            execute,
            Some(&client),
            Some(json!({"userId": "jane", "password": "new-secret", "passwordChangeToken": token})),
        )
        .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_documented(&spec, "POST", execute, done).await;
}

#[tokio::test]
async fn client_configuration_answers_match_the_schema() {
    let emu = start_with_app_config(|c| c.fin_ts_product_registration_number = Some("ABC".into())).await;
    let spec = Spec::access();
    let path = "/api/v2/clientConfiguration";
    let client = emu.client_token().await;
    let admin = emu.admin_token().await;
    let user = emu.new_user_token("jane", "secret1").await;
    assert_documented(&spec, "GET", path, emu.get(path, Some(&client)).await).await;
    assert_documented(&spec, "GET", path, emu.get(path, Some(&admin)).await).await;
    assert_documented(&spec, "GET", path, emu.get(path, Some(&user)).await).await;
    let patched = emu
        .send(
            Method::PATCH,
            path,
            Some(&client),
            Some(
                json!({"userSynchronizationCallbackUrl": "http://127.0.0.1:1/sync", "refreshTokensValidityPeriod": 60}),
            ),
        )
        .await;
    assert_eq!(patched.status(), StatusCode::OK);
    assert_documented(&spec, "PATCH", path, patched).await;
    let refused = emu
        .send(
            Method::PATCH,
            path,
            Some(&client),
            Some(json!({"maxUserLoginAttempts": 1})),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_documented(&spec, "PATCH", path, refused).await;
}

#[tokio::test]
async fn mandator_admin_answers_match_the_schema() {
    let emu = start().await;
    let spec = Spec::access();
    let list = "/api/v2/mandatorAdmin/getUserList";
    let delete = "/api/v2/mandatorAdmin/deleteUsers";
    let admin = emu.admin_token().await;
    let client = emu.client_token().await;
    emu.new_user_token("jane", "secret1").await;
    emu.create_user_ok("john", "secret1").await;
    emu.create_user_ok("judy", "secret1").await;
    for _ in 0..3 {
        emu.password_grant("judy", "wrong").await;
    }
    let deleted = emu
        .send(
            Method::POST,
            delete,
            Some(&admin),
            Some(json!({"userIds": ["john", "nobody"]})),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_documented(&spec, "POST", delete, deleted).await;
    let bad = emu
        .send(Method::POST, delete, Some(&admin), Some(json!({"ids": []})))
        .await;
    assert_documented(&spec, "POST", delete, bad).await;
    let as_client = emu
        .send(Method::POST, delete, Some(&client), Some(json!({"userIds": []})))
        .await;
    assert_documented(&spec, "POST", delete, as_client).await;

    let with_stats = emu.get(&format!("{list}?includeMonthlyStats=true"), Some(&admin)).await;
    let body = assert_documented(&spec, "GET", list, with_stats).await;
    assert_eq!(body["users"].as_array().unwrap().len(), 3);
    assert_documented(&spec, "GET", list, emu.get(list, Some(&admin)).await).await;
    assert_documented(
        &spec,
        "GET",
        list,
        emu.get(&format!("{list}?perPage=501"), Some(&admin)).await,
    )
    .await;
    assert_documented(&spec, "GET", list, emu.get(list, Some(&client)).await).await;
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_error_messages() {
    let emu = start().await;
    let spec = Spec::access();
    let unknown = emu.get("/api/v2/bankConnections", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_component(&spec, "ErrorMessage", unknown).await;
    let method = emu.send(Method::PUT, "/api/v2/users", None, None).await;
    assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_component(&spec, "ErrorMessage", method).await;
}

// --- Web Form 2.0 ---

async fn open_and_submit(emu: &TestEmulator, id: &str, form: &[(&str, &str)]) {
    let page = emu.http.get(emu.url(&format!("/wf/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    emu.http
        .post(emu.url(&format!("/wf/{id}")))
        .form(form)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn web_form_answers_match_the_schema_in_every_status() {
    let emu = start().await;
    let spec = Spec::web_form();
    let user = emu.new_user_token("jane", "secret1").await;
    let client = emu.client_token().await;
    let create = "/api/webForms/bankConnectionImport";
    let one = "/api/webForms/{id}";
    let (callback_url, mut callbacks) = callback_receiver().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        let response = emu
            .send(
                Method::POST,
                create,
                Some(&user),
                Some(json!({"callbacks": {"finalised": callback_url}})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let form = assert_documented(&spec, "POST", create, response).await;
        ids.push(form["id"].as_str().unwrap().to_owned());
    }
    let get = |id: &str| {
        let path = format!("/api/webForms/{id}");
        let (emu, user) = (&emu, &user);
        async move { emu.get(&path, Some(user)).await }
    };
    assert_documented(&spec, "GET", one, get(&ids[0]).await).await; // NOT_YET_OPENED
    emu.http.get(emu.url(&format!("/wf/{}", ids[1]))).send().await.unwrap();
    assert_documented(&spec, "GET", one, get(&ids[1]).await).await; // IN_PROGRESS
    open_and_submit(
        &emu,
        &ids[2],
        &[("action", "connect"), ("login", "demo"), ("pin", "demo")],
    )
    .await;
    open_and_submit(
        &emu,
        &ids[3],
        &[("action", "connect"), ("login", "demo_error"), ("pin", "demo_error")],
    )
    .await;
    open_and_submit(&emu, &ids[4], &[("action", "cancel")]).await;
    for id in &ids[2..] {
        assert_documented(&spec, "GET", one, get(id).await).await; // COMPLETED, COMPLETED_WITH_ERROR, ABORTED
    }
    emu.advance(20 * 60);
    let expired = assert_documented(&spec, "GET", one, get(&ids[0]).await).await;
    assert_eq!(expired["status"], "EXPIRED");
    let mut seen = Vec::new();
    for _ in 0..4 {
        let callback = next_body(&mut callbacks).await;
        let problems = spec.component_problems("WebFormCompletedCallback", &callback.to_string());
        assert!(problems.is_empty(), "{problems:?}");
        seen.push(callback["status"].as_str().unwrap().to_owned());
    }
    seen.sort();
    assert_eq!(seen, ["ABORTED", "COMPLETED", "COMPLETED_WITH_ERROR", "EXPIRED"]);

    let page = emu
        .get("/api/webForms?order=createdAt,desc&perPage=2", Some(&user))
        .await;
    let page = assert_documented(&spec, "GET", "/api/webForms", page).await;
    assert_eq!(page["paging"]["totalCount"], 5);
    let bad_page = emu.get("/api/webForms?perPage=0", Some(&user)).await;
    assert_documented(&spec, "GET", "/api/webForms", bad_page).await;

    let deleted = emu
        .send(Method::DELETE, &format!("/api/webForms/{}", ids[4]), Some(&user), None)
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_documented(&spec, "DELETE", one, deleted).await;
    let gone = emu
        .send(Method::DELETE, &format!("/api/webForms/{}", ids[4]), Some(&user), None)
        .await;
    assert_documented(&spec, "DELETE", one, gone).await;
    assert_documented(&spec, "GET", one, get(&ids[4]).await).await;
    assert_documented(
        &spec,
        "GET",
        one,
        emu.get(&format!("/api/webForms/{}", ids[0]), Some(&client)).await,
    )
    .await;
    assert_documented(
        &spec,
        "GET",
        one,
        emu.get(&format!("/api/webForms/{}", ids[0]), None).await,
    )
    .await;
}

#[tokio::test]
async fn web_form_errors_match_the_schema() {
    let emu = start().await;
    let spec = Spec::web_form();
    let user = emu.new_user_token("jane", "secret1").await;
    let client = emu.client_token().await;
    let create = "/api/webForms/bankConnectionImport";
    let invalid = emu
        .send(
            Method::POST,
            create,
            Some(&user),
            Some(json!({"redirectUrl": "nope", "maxDaysForDownload": -1})),
        )
        .await;
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    assert_documented(&spec, "POST", create, invalid).await;
    assert_documented(&spec, "POST", create, emu.send(Method::POST, create, None, None).await).await;
    assert_documented(
        &spec,
        "POST",
        create,
        emu.send(Method::POST, create, Some(&client), None).await,
    )
    .await;
    assert_documented(&spec, "GET", "/api/webForms", emu.get("/api/webForms", None).await).await;
    assert_documented(
        &spec,
        "GET",
        "/api/webForms",
        emu.get("/api/webForms", Some(&client)).await,
    )
    .await;
    let method = emu.send(Method::PUT, "/api/webForms", Some(&user), None).await;
    assert_eq!(method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_component(&spec, "Error", method).await;
    let unknown = emu.get("/api/webForms/a/b", Some(&user)).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_component(&spec, "Error", unknown).await;
}
