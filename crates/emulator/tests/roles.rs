//! Rule 7: which kind of token each service accepts. App client: user services, not Mandator
//! Administration; mandator admin client: Mandator Administration (and its own configuration) only, never a
//! user token; user token: the user's own services. Another kind → 403 `UNAUTHORIZED_ACCESS` (Web Form:
//! `FORBIDDEN`); no, unknown, expired or revoked token → 401 `invalid_token`.

mod common;

use common::*;
use finapi::ErrorCode;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    App,
    Admin,
    User,
}

use Kind::*;

/// (method, path, body, the kinds of token that may call it).
fn services() -> Vec<(Method, &'static str, Option<Value>, &'static [Kind])> {
    vec![
        (Method::POST, "/api/v2/users", Some(json!({"id": "new-user"})), &[App]),
        (Method::GET, "/api/v2/users", None, &[User]),
        (Method::PATCH, "/api/v2/users", Some(json!({"phone": "1"})), &[User]),
        (Method::DELETE, "/api/v2/users/nobody", None, &[App]),
        (Method::POST, "/api/v2/users/verify/nobody", None, &[App]),
        (
            Method::GET,
            "/api/v2/users/verificationStatus?userId=jane",
            None,
            &[App],
        ),
        (
            Method::POST,
            "/api/v2/users/requestPasswordChange",
            Some(json!({"userId": "nobody"})),
            &[App],
        ),
        (
            Method::POST,
            "/api/v2/users/executePasswordChange",
            Some(json!({"userId": "nobody", "password": "secret1", "passwordChangeToken": "ab-12"})),
            &[App],
        ),
        (Method::GET, "/api/v2/clientConfiguration", None, &[App, Admin]),
        (
            Method::PATCH,
            "/api/v2/clientConfiguration",
            Some(json!({})),
            &[App, Admin],
        ),
        (Method::GET, "/api/v2/mandatorAdmin/getUserList", None, &[Admin]),
        (
            Method::POST,
            "/api/v2/mandatorAdmin/deleteUsers",
            Some(json!({"userIds": []})),
            &[Admin],
        ),
        // Last: it deletes the user.
        (Method::DELETE, "/api/v2/users", None, &[User]),
    ]
}

#[tokio::test]
async fn each_access_service_accepts_only_its_kind_of_token() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let tokens = [
        (App, emu.client_token().await),
        (Admin, emu.admin_token().await),
        (User, user),
    ];
    for (method, path, body, allowed) in services() {
        for (kind, token) in &tokens {
            let response = emu.send(method.clone(), path, Some(token), body.clone()).await;
            let status = response.status();
            if allowed.contains(kind) {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{kind:?} on {method} {path}: {status}"
                );
            } else {
                let error = expect_error(response, StatusCode::FORBIDDEN).await;
                assert_eq!(
                    error.code(),
                    Some(ErrorCode::UnauthorizedAccess),
                    "{kind:?} on {method} {path}"
                );
                assert_eq!(error.errors[0].message.as_deref(), Some("Access is denied"));
            }
        }
    }
}

#[tokio::test]
async fn a_missing_unknown_expired_or_revoked_token_is_401_invalid_token_everywhere() {
    let emu = start().await;
    let expired = emu.client_token().await;
    emu.advance(3600);
    let revoked = emu.client_token().await;
    let client = emu.client_token_as(APP_ID, APP_SECRET).await.access_token;
    emu.revoke(Some(&client), &[("token", &revoked)]).await;
    let client = emu.client_token().await;
    assert_ne!(client, revoked);
    for (method, path, body, _) in services() {
        for token in [
            None,
            Some("unknown-token"),
            Some(expired.as_str()),
            Some(revoked.as_str()),
        ] {
            let response = emu.send(method.clone(), path, token, body.clone()).await;
            assert!(response.headers()["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer"));
            expect_invalid_token(response).await;
        }
    }
}

#[tokio::test]
async fn web_forms_need_a_user_token_and_answer_in_web_form_format() {
    let emu = start().await;
    let app = emu.client_token().await;
    let admin = emu.admin_token().await;
    for (method, path) in [
        (Method::POST, "/api/webForms/bankConnectionImport"),
        (Method::GET, "/api/webForms"),
        (Method::GET, "/api/webForms/00000000-0000-0000-0000-000000000000"),
        (Method::DELETE, "/api/webForms/00000000-0000-0000-0000-000000000000"),
    ] {
        for token in [&app, &admin] {
            let response = emu.send(method.clone(), path, Some(token), None).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], "FORBIDDEN", "{method} {path}");
        }
        let response = emu.send(method.clone(), path, None, None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "UNAUTHORIZED");
        assert_eq!(body["endpoint"], format!("{method} {path}"));
    }
}

#[tokio::test]
async fn a_mandator_admin_client_never_gets_or_refreshes_a_user_token() {
    let emu = start().await;
    let grant: finapi::AccessToken = {
        emu.create_user_ok("jane", "secret1").await;
        emu.password_grant("jane", "secret1").await.json().await.unwrap()
    };
    for form in [
        vec![
            ("grant_type", "password"),
            ("username", "jane"),
            ("password", "secret1"),
        ],
        vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", grant.refresh_token.as_deref().unwrap()),
        ],
    ] {
        let mut form = form;
        form.extend([("client_id", ADMIN_ID), ("client_secret", ADMIN_SECRET)]);
        let error = expect_error(emu.token_request(&form).await, StatusCode::FORBIDDEN).await;
        assert_eq!(error.code(), Some(ErrorCode::UnauthorizedAccess));
    }
}
