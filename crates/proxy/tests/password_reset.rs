//! Locked users get back in: a reset link by email (to a real SMTP receiver on loopback), the same answer
//! for every id, and a new password that unlocks the account at finAPI.

mod common;

use common::smtp::SmtpReceiver;
use common::*;
use onboarding_api::paths;
use onboarding_proxy::mail::{MailSettings, SmtpSecurity};
use onboarding_proxy::rate_limit::RateLimits;
use onboarding_proxy::ProxyOptions;
use secrecy::SecretString;
use serde_json::{json, Value};
use std::time::Duration;

const NEW_PASSWORD: &str = "a brand new passphrase";
const LINK_BASE: &str = "https://onboarding.test";

async fn app_with_mail(smtp: &SmtpReceiver, rate_limits: RateLimits) -> TestApp {
    let options = ProxyOptions {
        mail: Some(MailSettings {
            host: "127.0.0.1".into(),
            port: smtp.addr.port(),
            security: SmtpSecurity::Plaintext,
            username: None,
            password: None,
            from: "Onboarding <no-reply@onboarding.test>".into(),
            link_base: url::Url::parse(LINK_BASE).unwrap(),
        }),
        data_decryption_key: Some(SecretString::from(finapi_emulator::config::DEV_DATA_DECRYPTION_KEY)),
        rate_limits,
        ..Default::default()
    };
    spawn_app_with_options(|_| {}, |_| {}, options).await
}

impl TestApp {
    async fn request_reset(&self, id: &str) -> reqwest::Response {
        self.form_post(paths::PASSWORD_RESETS)
            .json(&json!({"id": id, "language": "en"}))
            .send()
            .await
            .unwrap()
    }

    async fn execute_reset(&self, code: &str, password: &str) -> reqwest::Response {
        self.form_post(paths::PASSWORD_RESET_EXECUTION)
            .json(&json!({"code": code, "password": password}))
            .send()
            .await
            .unwrap()
    }
}

/// The code in the link of a reset email.
fn reset_code(mail: &common::smtp::ReceivedMail) -> String {
    let text = mail.text();
    let prefix = format!("{LINK_BASE}/#reset=");
    let start = text.find(&prefix).unwrap_or_else(|| panic!("no link in {text}")) + prefix.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect()
}

async fn lock(app: &TestApp, id: &str) {
    for _ in 0..3 {
        assert_eq!(app.log_in(id, "wrong password").await.status(), 401);
    }
    assert_eq!(app.log_in(id, PASSWORD).await.status(), 423);
}

#[tokio::test]
async fn a_locked_user_gets_a_link_by_email_sets_a_new_password_and_logs_in() {
    let smtp = SmtpReceiver::start().await;
    let app = app_with_mail(&smtp, RateLimits::default()).await;
    assert_eq!(app.create("locked-jane").await.status(), 201);
    lock(&app, "locked-jane").await;

    assert_eq!(app.request_reset("locked-jane").await.status(), 202);
    let mails = smtp.until(1).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["locked-jane@example.com"]);
    assert!(
        mails[0].data.contains("Subject: Choose a new password"),
        "{}",
        mails[0].data
    );
    let code = reset_code(&mails[0]);
    assert!(code.len() >= 43, "≥ 256 bits: {code}");

    assert_eq!(app.execute_reset(&code, NEW_PASSWORD).await.status(), 204);
    assert_eq!(app.log_in("locked-jane", NEW_PASSWORD).await.status(), 200, "unlocked");
    assert_eq!(app.log_in("locked-jane", PASSWORD).await.status(), 401);
    let again = app.execute_reset(&code, "yet another passphrase").await;
    assert_eq!(again.status(), 400, "a link works once");
    assert_eq!(error_code(again).await, "RESET_LINK_INVALID");
}

#[tokio::test]
async fn the_answer_is_the_same_whether_or_not_the_id_exists_or_has_an_email() {
    let smtp = SmtpReceiver::start().await;
    let app = app_with_mail(&smtp, RateLimits::default()).await;
    assert_eq!(app.create("with-email").await.status(), 201);
    assert_eq!(
        app.create_user(json!({"id": "without-email", "password": PASSWORD}))
            .await
            .status(),
        201
    );
    let mut answers = Vec::new();
    for id in ["with-email", "without-email", "nobody-at-all", "not an id!"] {
        let response = app.request_reset(id).await;
        answers.push((response.status(), response.text().await.unwrap()));
    }
    assert!(answers.iter().all(|answer| *answer == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, 202);
    tokio::time::sleep(Duration::from_millis(800)).await;
    let mails = smtp.until(1).await;
    assert_eq!(mails.len(), 1, "only the account with an email gets one");
    assert_eq!(mails[0].to, ["with-email@example.com"]);
}

#[tokio::test]
async fn a_weak_password_is_refused_and_a_link_expires_after_30_minutes() {
    let smtp = SmtpReceiver::start().await;
    let app = app_with_mail(&smtp, RateLimits::default()).await;
    assert_eq!(app.create("slow-reader").await.status(), 201);
    assert_eq!(app.request_reset("slow-reader").await.status(), 202);
    let code = reset_code(&smtp.until(1).await[0]);
    let weak = app.execute_reset(&code, "short").await;
    assert_eq!(weak.status(), 400);
    let body: Value = weak.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "password");
    app.clock.advance(Duration::from_secs(30 * 60));
    let late = app.execute_reset(&code, NEW_PASSWORD).await;
    assert_eq!(late.status(), 400);
    assert_eq!(error_code(late).await, "RESET_LINK_INVALID");
    assert_eq!(
        app.log_in("slow-reader", PASSWORD).await.status(),
        200,
        "the password is unchanged"
    );
}

#[tokio::test]
async fn reset_requests_are_rate_limited_per_id() {
    let smtp = SmtpReceiver::start().await;
    let mut limits = RateLimits::default();
    limits.per_user_id.max = 2;
    let app = app_with_mail(&smtp, limits).await;
    for _ in 0..2 {
        assert_eq!(app.request_reset("flooded").await.status(), 202);
    }
    let refused = app.request_reset("FLOODED").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(error_code(refused).await, "RATE_LIMITED");
}

#[tokio::test]
async fn the_form_learns_whether_resets_are_offered() {
    let smtp = SmtpReceiver::start().await;
    let with_mail = app_with_mail(&smtp, RateLimits::default()).await;
    let tenant: Value = with_mail
        .http
        .get(with_mail.url(paths::TENANT))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tenant["passwordResetOffered"], true);
    let without = spawn_app().await;
    let tenant: Value = without
        .http
        .get(without.url(paths::TENANT))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tenant["passwordResetOffered"], false);
}
