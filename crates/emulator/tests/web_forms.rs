//! Web Form 2.0: the API (`/api/webForms`) and the page a person opens (`/wf/{id}`).

mod common;

use axum::routing::post;
use axum::{Json, Router};
use common::*;
use finapi::{WebForm, WebFormCompletedCallback, WebFormError, WebFormStatus, WebFormType, WebFormsPage};
use finapi_emulator::{EmulatorConfig, Mode, WebFormValidationError};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use time::macros::format_description;
use time::PrimitiveDateTime;
use tokio::sync::mpsc;

const CREATE: &str = "/api/webForms/bankConnectionImport";

async fn create(emu: &TestEmulator, token: Option<&str>, body: Option<Value>) -> Response {
    let mut request = emu.http.post(emu.url(CREATE));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.unwrap()
}

async fn create_ok(emu: &TestEmulator, token: &str, body: Value) -> WebForm {
    let response = create(emu, Some(token), Some(body)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn fetch(emu: &TestEmulator, token: &str, id: &str) -> Response {
    emu.get(&format!("/api/webForms/{id}"), Some(token)).await
}

async fn status_of(emu: &TestEmulator, token: &str, id: &str) -> WebForm {
    let response = fetch(emu, token, id).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn open_page(emu: &TestEmulator, id: &str) -> Response {
    emu.http.get(emu.url(&format!("/wf/{id}"))).send().await.unwrap()
}

async fn submit_page(emu: &TestEmulator, id: &str, form: &[(&str, &str)]) -> Response {
    emu.http
        .post(emu.url(&format!("/wf/{id}")))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// A partner's callback endpoint on a random port; what it receives comes out of the channel.
async fn callback_receiver() -> (String, mpsc::UnboundedReceiver<Value>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/finapi/callback",
        post(move |Json(body): Json<Value>| {
            let sender = sender.clone();
            async move {
                let _ = sender.send(body);
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/finapi/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, receiver)
}

async fn next_callback(receiver: &mut mpsc::UnboundedReceiver<Value>) -> WebFormCompletedCallback {
    let body = tokio::time::timeout(Duration::from_secs(10), receiver.recv())
        .await
        .expect("a callback within 10 s")
        .unwrap();
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn creating_a_web_form_answers_201_not_yet_opened() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let response = create(&emu, Some(&user), Some(json!({}))).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let raw: Value = response.json().await.unwrap();
    assert_eq!(
        raw["payload"],
        json!({"bankConnectionId":null,"paymentId":null,"standingOrderId":null,"errorCode":null,"errorMessage":null})
    );
    let form: WebForm = serde_json::from_value(raw).unwrap();
    assert_eq!(form.id.len(), 36);
    assert_eq!(form.url, emu.url(&format!("/wf/{}", form.id)));
    assert_eq!(form.form_type, WebFormType::BankConnectionImport);
    assert_eq!(form.status, WebFormStatus::NotYetOpened);
    assert_eq!(form.created_at, "2026-11-23T10:00:00.000+0000");
    assert_eq!(form.expires_at, "2026-11-23T10:20:00.000+0000");
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]+0000");
    let created = PrimitiveDateTime::parse(&form.created_at, format).unwrap();
    let expires = PrimitiveDateTime::parse(&form.expires_at, format).unwrap();
    assert_eq!(expires - created, time::Duration::minutes(20));
    assert_eq!(status_of(&emu, &user, &form.id).await, form);
}

#[tokio::test]
async fn the_body_may_be_left_out() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let response = create(&emu, Some(&user), None).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn web_forms_need_a_user_token() {
    let emu = start().await;
    for token in [None, Some("not-a-token")] {
        let response = create(&emu, token, Some(json!({}))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let error: WebFormError = response.json().await.unwrap();
        assert_eq!(error.code, "UNAUTHORIZED");
        assert_eq!(error.endpoint, "POST /api/webForms/bankConnectionImport");
        assert_eq!(error.timestamp, "2026-11-23T10:00:00.000+0000");
        assert!(!error.description.is_empty());
    }
    for client in [emu.client_token().await, emu.admin_token().await] {
        let response = create(&emu, Some(&client), Some(json!({}))).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let error: WebFormError = response.json().await.unwrap();
        assert_eq!(error.code, "FORBIDDEN");
        let response = fetch(&emu, &client, "00000000-0000-0000-0000-000000000000").await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
}

async fn expect_validation(response: Response, field: &str) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: WebFormValidationError = response.json().await.unwrap();
    assert_eq!(error.endpoint, "POST /api/webForms/bankConnectionImport");
    assert!(
        error.errors.iter().any(|e| e.field == field && !e.message.is_empty()),
        "{field} in {error:?}"
    );
}

#[tokio::test]
async fn redirect_and_callback_urls_are_checked() {
    let emu = start().await; // sandbox
    let user = emu.new_user_token("jane", "secret1").await;
    let long = format!(
        "https://example.com/{}",
        "a".repeat(2048 - "https://example.com/".len())
    );
    for good in ["https://example.com/done", "http://localhost:3000/done", long.as_str()] {
        create_ok(
            &emu,
            &user,
            json!({"redirectUrl": good, "callbacks": {"finalised": good}}),
        )
        .await;
    }
    let too_long = format!("{long}a");
    for bad in ["ftp://example.com", "/relative", "", "not a url", too_long.as_str()] {
        expect_validation(
            create(&emu, Some(&user), Some(json!({"redirectUrl": bad}))).await,
            "redirectUrl",
        )
        .await;
        let body = json!({"callbacks": {"finalised": bad}});
        expect_validation(create(&emu, Some(&user), Some(body)).await, "callbacks.finalised").await;
    }
    expect_validation(
        create(&emu, Some(&user), Some(json!({"maxDaysForDownload": 3651}))).await,
        "maxDaysForDownload",
    )
    .await;
}

#[tokio::test]
async fn live_mode_wants_https() {
    let mut config = EmulatorConfig::development();
    config.mode = Mode::Live;
    let emu = start_with(config).await;
    let user = emu.new_user_token("jane", "secret1").await;
    let http = json!({"redirectUrl": "http://example.com/done"});
    expect_validation(create(&emu, Some(&user), Some(http)).await, "redirectUrl").await;
    let http = json!({"callbacks": {"finalised": "http://example.com/cb"}});
    expect_validation(create(&emu, Some(&user), Some(http)).await, "callbacks.finalised").await;
    create_ok(&emu, &user, json!({"redirectUrl": "https://example.com/done"})).await;
}

#[tokio::test]
async fn only_the_owner_sees_a_web_form() {
    let emu = start().await;
    let jane = emu.new_user_token("jane", "secret1").await;
    let john = emu.new_user_token("john", "secret1").await;
    let form = create_ok(&emu, &jane, json!({})).await;
    for (token, id) in [
        (&john, form.id.as_str()),
        (&jane, "00000000-0000-0000-0000-000000000000"),
    ] {
        let response = fetch(&emu, token, id).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let error: WebFormError = response.json().await.unwrap();
        assert_eq!(error.code, "NOT_FOUND");
        assert_eq!(error.endpoint, format!("GET /api/webForms/{id}"));
    }
}

#[tokio::test]
async fn the_page_is_a_strict_bank_login() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(
        &emu,
        &user,
        json!({"redirectUrl": "https://partner.example:8443/done?x=1"}),
    )
    .await;
    let page = open_page(&emu, &form.id).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    for directive in ["default-src 'none'", "style-src 'self'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(csp.contains("form-action 'self' https://partner.example:8443"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains("<title>") && html.contains("finAPI emulator"));
    for text in [
        "Online banking ID",
        "PIN",
        "Connect bank",
        "Cancel",
        "name=\"login\"",
        "name=\"pin\"",
    ] {
        assert!(html.contains(text), "{text} missing");
    }
    assert!(
        !html.contains("<script") && !html.contains("style="),
        "no script, no inline style"
    );

    let css = emu.get("/assets/webform.css", None).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn connecting_the_test_bank_completes_the_form() {
    let emu = start().await;
    let (callback_url, mut callbacks) = callback_receiver().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(
        &emu,
        &user,
        json!({"redirectUrl": "https://partner.example/done", "callbacks": {"finalised": callback_url}}),
    )
    .await;

    assert_eq!(open_page(&emu, &form.id).await.status(), StatusCode::OK);
    assert_eq!(status_of(&emu, &user, &form.id).await.status, WebFormStatus::InProgress);

    let wrong = submit_page(
        &emu,
        &form.id,
        &[("action", "connect"), ("login", "demo"), ("pin", "1234")],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::OK);
    let html = wrong.text().await.unwrap();
    assert!(html.to_lowercase().contains("wrong online banking id or pin"));
    assert!(!html.contains("1234"), "the PIN is not shown again");
    assert_eq!(status_of(&emu, &user, &form.id).await.status, WebFormStatus::InProgress);

    let done = submit_page(
        &emu,
        &form.id,
        &[("action", "connect"), ("login", "demo"), ("pin", "demo")],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "https://partner.example/done");

    let finished = status_of(&emu, &user, &form.id).await;
    assert_eq!(finished.status, WebFormStatus::Completed);
    assert!(finished.payload.bank_connection_id.is_some());
    let callback = next_callback(&mut callbacks).await;
    assert_eq!(
        callback,
        WebFormCompletedCallback {
            web_form_id: form.id.clone(),
            status: WebFormStatus::Completed
        }
    );

    // Finished: the page cannot be used again.
    assert_eq!(open_page(&emu, &form.id).await.status(), StatusCode::CONFLICT);
    let again = submit_page(&emu, &form.id, &[("action", "cancel")]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn cancelling_aborts_the_form() {
    let emu = start().await;
    let (callback_url, mut callbacks) = callback_receiver().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(&emu, &user, json!({"callbacks": {"finalised": callback_url}})).await;
    open_page(&emu, &form.id).await;
    let page = submit_page(&emu, &form.id, &[("action", "cancel")]).await;
    assert_eq!(page.status(), StatusCode::OK, "no redirectUrl: a closing page");
    assert!(page.text().await.unwrap().contains("cancelled"));
    let aborted = status_of(&emu, &user, &form.id).await;
    assert_eq!(aborted.status, WebFormStatus::Aborted);
    assert_eq!(aborted.payload.bank_connection_id, None);
    assert_eq!(next_callback(&mut callbacks).await.status, WebFormStatus::Aborted);
}

#[tokio::test]
async fn without_redirect_the_person_is_told_to_close_the_window() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(&emu, &user, json!({})).await;
    open_page(&emu, &form.id).await;
    let page = submit_page(
        &emu,
        &form.id,
        &[("action", "connect"), ("login", "demo"), ("pin", "demo")],
    )
    .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Bank connected — you can close this window"));
}

#[tokio::test]
async fn a_web_form_opens_only_once() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(&emu, &user, json!({})).await;
    assert_eq!(open_page(&emu, &form.id).await.status(), StatusCode::OK);
    let second = open_page(&emu, &form.id).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert!(second.text().await.unwrap().contains("already been opened"));
    assert_eq!(
        open_page(&emu, "00000000-0000-0000-0000-000000000000").await.status(),
        StatusCode::NOT_FOUND
    );

    // A submission before the page was opened is refused too.
    let unopened = create_ok(&emu, &user, json!({})).await;
    let early = submit_page(&emu, &unopened.id, &[("action", "cancel")]).await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
    assert_eq!(
        status_of(&emu, &user, &unopened.id).await.status,
        WebFormStatus::NotYetOpened
    );
}

#[tokio::test]
async fn a_web_form_not_opened_within_20_minutes_expires() {
    let emu = start_with_app_config(|c| c.user_access_tokens_validity_period = 0).await;
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(&emu, &user, json!({})).await;
    let opened_in_time = create_ok(&emu, &user, json!({})).await;
    emu.advance(19 * 60 + 59);
    assert_eq!(
        status_of(&emu, &user, &form.id).await.status,
        WebFormStatus::NotYetOpened
    );
    assert_eq!(open_page(&emu, &opened_in_time.id).await.status(), StatusCode::OK);
    emu.advance(1);
    assert_eq!(status_of(&emu, &user, &form.id).await.status, WebFormStatus::Expired);
    let page = open_page(&emu, &form.id).await;
    assert_eq!(page.status(), StatusCode::GONE);
    assert!(page.text().await.unwrap().contains("expired"));
    // A form opened in time can still be finished.
    let done = submit_page(
        &emu,
        &opened_in_time.id,
        &[("action", "connect"), ("login", "demo"), ("pin", "demo")],
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert_eq!(
        status_of(&emu, &user, &opened_in_time.id).await.status,
        WebFormStatus::Completed
    );
}

#[tokio::test]
async fn a_failing_callback_does_not_hold_up_the_person() {
    let emu = start().await;
    // A port nothing listens on: bind, note the port, close.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let user = emu.new_user_token("jane", "secret1").await;
    let form = create_ok(
        &emu,
        &user,
        json!({"redirectUrl": "https://partner.example/done", "callbacks": {"finalised": format!("http://{closed}/cb")}}),
    )
    .await;
    open_page(&emu, &form.id).await;
    let done = submit_page(
        &emu,
        &form.id,
        &[("action", "connect"), ("login", "demo"), ("pin", "demo")],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&emu, &user, &form.id).await.status, WebFormStatus::Completed);
}

// --- COMPLETED_WITH_ERROR, the EXPIRED callback, listing and deleting ---

#[tokio::test]
async fn a_failing_bank_completes_the_form_with_an_error() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let (callback_url, mut callbacks) = callback_receiver().await;
    let form = create_ok(&emu, &user, json!({"callbacks": {"finalised": callback_url}})).await;
    open_page(&emu, &form.id).await;
    let done = submit_page(
        &emu,
        &form.id,
        &[("action", "connect"), ("login", "demo_error"), ("pin", "demo_error")],
    )
    .await;
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("Bank connection failed"));
    let finished = status_of(&emu, &user, &form.id).await;
    assert_eq!(finished.status, WebFormStatus::CompletedWithError);
    assert_eq!(finished.payload.bank_connection_id, None);
    assert_eq!(finished.payload.error_code.as_deref(), Some("BANK_SERVER_REJECTION"));
    assert!(finished.payload.error_message.is_some());
    let callback = next_callback(&mut callbacks).await;
    assert_eq!(callback.status, WebFormStatus::CompletedWithError);
    assert_eq!(callback.web_form_id, form.id);
}

#[tokio::test]
async fn an_expiring_form_calls_back_expired_without_anyone_asking() {
    let emu = start().await;
    let user = emu.new_user_token("jane", "secret1").await;
    let (callback_url, mut callbacks) = callback_receiver().await;
    let form = create_ok(&emu, &user, json!({"callbacks": {"finalised": callback_url}})).await;
    emu.advance(20 * 60);
    // No request reaches the emulator: its sweeper notices the clock and sends the callback.
    let callback = next_callback(&mut callbacks).await;
    assert_eq!(callback.status, WebFormStatus::Expired);
    assert_eq!(callback.web_form_id, form.id);
}

#[tokio::test]
async fn a_user_lists_its_own_forms_by_creation_time() {
    let emu = start().await;
    let jane = emu.new_user_token("jane", "secret1").await;
    let john = emu.new_user_token("john", "secret1").await;
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(create_ok(&emu, &jane, json!({})).await.id);
        emu.advance(1);
    }
    create_ok(&emu, &john, json!({})).await;
    let page: WebFormsPage = emu.get("/api/webForms", Some(&jane)).await.json().await.unwrap();
    let ids: Vec<_> = page.items.iter().map(|f| f.id.clone()).collect();
    assert_eq!(ids, created, "createdAt,asc by default; only jane's");
    assert_eq!(
        (
            page.paging.page,
            page.paging.per_page,
            page.paging.page_count,
            page.paging.total_count
        ),
        (1, 20, 1, 3)
    );
    let newest: WebFormsPage = emu
        .get("/api/webForms?order=createdAt,desc&perPage=2&page=1", Some(&jane))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<_> = newest.items.iter().map(|f| f.id.clone()).collect();
    assert_eq!(ids, [created[2].clone(), created[1].clone()]);
    assert_eq!(newest.paging.page_count, 2);
    let bad = emu.get("/api/webForms?perPage=0&order=id", Some(&jane)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.unwrap();
    let fields: Vec<_> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].clone())
        .collect();
    assert_eq!(fields, [json!("perPage"), json!("order")]);
}

#[tokio::test]
async fn a_deleted_form_is_gone_from_the_api_and_the_browser() {
    let emu = start().await;
    let jane = emu.new_user_token("jane", "secret1").await;
    let john = emu.new_user_token("john", "secret1").await;
    let form = create_ok(&emu, &jane, json!({})).await;
    let path = format!("/api/webForms/{}", form.id);
    let by_other = emu.send(reqwest::Method::DELETE, &path, Some(&john), None).await;
    assert_eq!(by_other.status(), StatusCode::NOT_FOUND);
    let body: Value = by_other.json().await.unwrap();
    assert_eq!(body["code"], "NOT_FOUND");
    let deleted = emu.send(reqwest::Method::DELETE, &path, Some(&jane), None).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert!(deleted.text().await.unwrap().is_empty());
    assert_eq!(fetch(&emu, &jane, &form.id).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(open_page(&emu, &form.id).await.status(), StatusCode::NOT_FOUND);
}
