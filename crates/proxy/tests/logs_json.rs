//! The JSON logs (`PROXY_LOG_FORMAT=json`): one JSON object per line, each line of a request carrying its
//! request id, and still nothing secret — whole flows (sign-up, failed and good logins, handoff, exchange,
//! log-out with revocation, a rate-limited login, a password reset by email) at TRACE level, everything
//! logged scanned.
//!
//! One test in its own binary, because it installs the process-wide log subscriber.

mod common;

use common::*;
use onboarding_api::ExchangedTokens;
use onboarding_proxy::logging::{self, LogFormat};
use onboarding_proxy::rate_limit::RateLimits;
use onboarding_proxy::ProxyOptions;
use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn json_logs_carry_the_request_id_and_no_secret() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    logging::init(LogFormat::Json, "trace", move || writer.clone());

    let mut limits = RateLimits::default();
    limits.per_user_id.max = 2;
    let smtp = common::smtp::SmtpReceiver::start().await;
    let options = ProxyOptions {
        rate_limits: limits,
        mail: Some(onboarding_proxy::mail::MailSettings {
            host: "127.0.0.1".into(),
            port: smtp.addr.port(),
            security: onboarding_proxy::mail::SmtpSecurity::Plaintext,
            username: None,
            password: None,
            from: "no-reply@onboarding.test".into(),
            link_base: url::Url::parse("https://onboarding.test").unwrap(),
        }),
        data_decryption_key: Some(secrecy::SecretString::from(
            finapi_emulator::config::DEV_DATA_DECRYPTION_KEY,
        )),
        ..Default::default()
    };
    let app = spawn_app_with_options(|_| {}, |_| {}, options).await;
    assert_eq!(app.create("json-user").await.status(), 201);
    assert_eq!(app.log_in("json-user", "a wrong password").await.status(), 401);
    let session: onboarding_api::Session = app.log_in("json-user", PASSWORD).await.json().await.unwrap();
    assert_eq!(app.log_in("json-user", "another wrong one").await.status(), 429);
    let handoff: onboarding_api::Handoff = app.hand_off(&session.session).await.json().await.unwrap();
    let tokens: ExchangedTokens = app.exchange(&handoff.code, PARTNER_KEY).await.json().await.unwrap();
    let second = app.signed_up_session("json-leaver").await;
    assert_eq!(app.log_out(&second.session).await.status(), 204);
    let reset = app
        .form_post(onboarding_api::paths::PASSWORD_RESETS)
        .json(&serde_json::json!({"id": "json-leaver"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 202);
    let mail = smtp.until(1).await.remove(0).text();
    let code: String = mail[mail.find("#reset=").unwrap() + 7..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let new_password = "the new secret passphrase";
    let executed = app
        .form_post(onboarding_api::paths::PASSWORD_RESET_EXECUTION)
        .json(&serde_json::json!({"code": code, "password": new_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(executed.status(), 204);

    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<Value> = logged
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let created = lines
        .iter()
        .find(|line| {
            line["fields"]["message"] == "user created"
                && line["target"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("onboarding_proxy"))
        })
        .expect("the capture works");
    assert!(
        created["span"]["request_id"].as_str().is_some_and(|id| id.len() >= 32),
        "the request id is on the line: {created}"
    );
    assert!(lines
        .iter()
        .any(|line| line["fields"]["message"] == "rate limit reached"));
    let secrets = [
        ("client secret", app.client_secret.as_str()),
        ("password", PASSWORD),
        ("wrong password", "a wrong password"),
        ("access token", tokens.access_token.as_str()),
        ("refresh token", tokens.refresh_token.as_deref().unwrap()),
        ("session handle", session.session.as_str()),
        ("revoked session handle", second.session.as_str()),
        ("handoff code", handoff.code.as_str()),
        ("partner key", PARTNER_KEY),
        ("reset link code", code.as_str()),
        ("new password", new_password),
        ("email address", "json-leaver@example.com"),
        ("data decryption key", finapi_emulator::config::DEV_DATA_DECRYPTION_KEY),
    ];
    for (name, secret) in secrets {
        assert!(!logged.contains(secret), "the {name} was logged");
    }
}
