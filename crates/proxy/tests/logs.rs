//! Nothing secret in the logs: whole flows (sign-up, failed and good logins, handoff, exchange, a wrong
//! partner key) run with every log line of every crate captured at TRACE level, then everything logged is
//! scanned for the client secret, the passwords, the user's finAPI tokens, the session handle, the
//! handoff code, the partner key and the secret in finAPI's callback URLs.
//!
//! One test in its own binary, because it installs the process-wide log subscriber.

mod common;

use common::*;
use onboarding_api::ExchangedTokens;
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
async fn no_secret_token_or_password_is_ever_logged() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let app = spawn_app_with_callbacks().await;
    assert_eq!(app.create("logged-user").await.status(), 201);
    assert_eq!(app.create("logged-user").await.status(), 409);
    assert_eq!(app.log_in("logged-user", "a wrong password").await.status(), 401);
    let session = app
        .log_in("logged-user", PASSWORD)
        .await
        .json::<onboarding_api::Session>()
        .await
        .unwrap();
    let handoff: onboarding_api::Handoff = app.hand_off(&session.session).await.json().await.unwrap();
    assert_eq!(
        app.exchange(&handoff.code, "a-wrong-partner-key-that-is-long-enough")
            .await
            .status(),
        401
    );
    let tokens: ExchangedTokens = app.exchange(&handoff.code, PARTNER_KEY).await.json().await.unwrap();
    assert_eq!(app.finapi_user(&tokens.access_token).await.status(), 200);
    let callback = app
        .http
        .post(app.url(&format!("/api/callbacks/{CALLBACK_SECRET}/web-form")))
        .json(&serde_json::json!({"webFormId": "31c508d8-0000-4000-8000-000000000000", "status": "COMPLETED"}))
        .send()
        .await
        .unwrap();
    assert_eq!(callback.status(), 200);

    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("user created"), "the capture works: {logged}");
    assert!(
        logged.contains("/api/callbacks/{secret}/web-form"),
        "routes are logged by pattern"
    );
    let secrets = [
        ("client secret", app.client_secret.as_str()),
        ("password", PASSWORD),
        ("wrong password", "a wrong password"),
        ("access token", tokens.access_token.as_str()),
        ("refresh token", tokens.refresh_token.as_deref().unwrap()),
        ("session handle", session.session.as_str()),
        ("handoff code", handoff.code.as_str()),
        ("partner key", PARTNER_KEY),
        ("wrong partner key", "a-wrong-partner-key-that-is-long-enough"),
        ("callback secret", CALLBACK_SECRET),
    ];
    for (name, secret) in secrets {
        assert!(!logged.contains(secret), "the {name} was logged");
    }
}
