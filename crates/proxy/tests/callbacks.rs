//! finAPI's callbacks through the proxy: a user deleted at finAPI loses their sessions and handoff codes;
//! a finished Web Form's status reaches the done step. The emulator sends the callbacks itself.

mod common;

use common::*;
use onboarding_api::{paths, WebFormProgress};
use serde_json::{json, Value};
use std::time::Duration;

async fn eventually<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..50 {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn the_proxy_registers_its_user_synchronization_callback() {
    let app = spawn_app_with_callbacks().await;
    let token = app.finapi_token(&[("grant_type", "client_credentials")]).await;
    let configuration: Value = app
        .http
        .get(format!("{}/api/v2/clientConfiguration", app.emulator.base_url()))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        configuration["userSynchronizationCallbackUrl"],
        format!(
            "{}/api/callbacks/{CALLBACK_SECRET}/user-synchronization",
            app.proxy.base_url()
        )
    );
}

#[tokio::test]
async fn a_user_deleted_at_finapi_loses_their_sessions_and_handoff_codes() {
    let app = spawn_app_with_callbacks().await;
    let session = app.signed_up_session("deleted-later").await;
    let handoff: onboarding_api::Handoff = app.hand_off(&session.session).await.json().await.unwrap();
    let bystander = app.signed_up_session("bystander").await;
    let token = app.users_finapi_token("deleted-later").await;
    let deleted = app
        .http
        .delete(format!("{}/api/v2/users", app.emulator.base_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    assert!(
        eventually(|| async { app.hand_off(&session.session).await.status() == 401 }).await,
        "the session ended"
    );
    assert_eq!(app.exchange(&handoff.code, PARTNER_KEY).await.status(), 400);
    assert_eq!(
        app.hand_off(&bystander.session).await.status(),
        200,
        "others keep theirs"
    );
}

#[tokio::test]
async fn a_callback_with_a_wrong_secret_is_an_unknown_path_and_changes_nothing() {
    let app = spawn_app_with_callbacks().await;
    let session = app.signed_up_session("protected").await;
    for secret in ["wrong", "test-callback-secret-0123456789-abcdefgX"] {
        let response = app
            .http
            .post(app.url(&format!("/api/callbacks/{secret}/user-synchronization")))
            .json(&json!({"userId": "protected", "event": "DELETED"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(error_code(response).await, "NOT_FOUND");
    }
    assert_eq!(app.hand_off(&session.session).await.status(), 200);
    let without_callbacks = spawn_app().await;
    let response = without_callbacks
        .http
        .post(without_callbacks.url(&format!("/api/callbacks/{CALLBACK_SECRET}/web-form")))
        .json(&json!({"webFormId": "31c508d8-0000-0000-0000-000000000000", "status": "COMPLETED"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404, "no callbacks unless configured");
}

#[tokio::test]
async fn the_done_step_learns_how_the_web_form_ended() {
    let app = spawn_app_with_callbacks().await;
    let handoff = app.handoff_for("banking").await;
    let web_form_url = handoff.web_form_url.unwrap();
    let web_form_id = web_form_url.rsplit('/').next().unwrap().to_owned();
    let progress = || async {
        let response = app
            .http
            .get(app.url(&paths::web_form_progress(&web_form_id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<WebFormProgress>().await.unwrap()
    };
    assert_eq!(progress().await.status, None, "still in the Web Form");
    assert_eq!(app.http.get(&web_form_url).send().await.unwrap().status(), 200);
    let submitted = app
        .http
        .post(&web_form_url)
        .form(&[("action", "connect"), ("login", "demo"), ("pin", "demo")])
        .send()
        .await
        .unwrap();
    assert!(submitted.status().is_success(), "{}", submitted.status());
    assert!(
        eventually(|| async { progress().await.status == Some(finapi::WebFormStatus::Completed) }).await,
        "the finalised callback arrived"
    );
    let bad = app
        .http
        .get(app.url("/api/web-forms/not%20an%20id"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 404);
}
