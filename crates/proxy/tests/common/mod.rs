//! A proxy and an emulator on random ports, a clock the test moves, and typed calls to the form's API.

#![allow(dead_code)]

use finapi_emulator::clock::ManualClock;
use finapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use onboarding_api::paths::{FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_api::{paths, Handoff, Session};
use onboarding_proxy::{ClientCredentials, ProxyConfig, RunningProxy};
use secrecy::SecretString;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

pub const PARTNER_KEY: &str = "test-partner-key-0123456789-abcdefghijkl";
pub const PARTNER_ORIGIN: &str = "http://partner.test:9000";
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub emulator: RunningEmulator,
    pub proxy: RunningProxy,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    pub client_secret: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, |_| {}).await
}

/// Lets a test change the emulator's configuration (e.g. the client configuration) and the proxy's.
pub async fn spawn_app_with(
    emulator: impl FnOnce(&mut EmulatorConfig),
    proxy: impl FnOnce(&mut ProxyConfig),
) -> TestApp {
    let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
    let mut emulator_config = EmulatorConfig::development();
    emulator(&mut emulator_config);
    let app = emulator_config.app_client().credentials.clone();
    let running_emulator = Emulator::spawn(emulator_config, "127.0.0.1:0".parse().unwrap(), clock.clone())
        .await
        .unwrap();
    let url = url::Url::parse(&running_emulator.base_url()).unwrap();
    let mut config = ProxyConfig {
        access_url: url.clone(),
        web_form_url: url,
        credentials: ClientCredentials {
            client_id: app.client_id.clone(),
            client_secret: SecretString::from(app.client_secret.clone()),
        },
        allowed_parent_origins: vec![PARTNER_ORIGIN.to_owned()],
        partner_key: SecretString::from(PARTNER_KEY),
        form_dir: PathBuf::from("/nonexistent-form-dir"),
    };
    proxy(&mut config);
    let running_proxy = onboarding_proxy::spawn(config, "127.0.0.1:0".parse().unwrap(), clock.clone())
        .await
        .unwrap();
    TestApp {
        emulator: running_emulator,
        proxy: running_proxy,
        clock,
        http: reqwest::Client::new(),
        client_secret: app.client_secret,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.proxy.base_url(), path)
    }

    /// A request as the form sends it: with the form header.
    pub fn form_post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(self.url(path)).header(FORM_HEADER, FORM_HEADER_VALUE)
    }

    pub async fn create_user(&self, body: Value) -> reqwest::Response {
        self.form_post(paths::USERS).json(&body).send().await.unwrap()
    }

    pub async fn create(&self, id: &str) -> reqwest::Response {
        self.create_user(json!({"id": id, "password": PASSWORD, "email": format!("{id}@example.com")}))
            .await
    }

    pub async fn log_in(&self, id: &str, password: &str) -> reqwest::Response {
        self.form_post(paths::SESSIONS)
            .json(&json!({"id": id, "password": password}))
            .send()
            .await
            .unwrap()
    }

    pub async fn signed_up_session(&self, id: &str) -> Session {
        assert_eq!(self.create(id).await.status(), 201);
        let response = self.log_in(id, PASSWORD).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn hand_off(&self, session: &str) -> reqwest::Response {
        self.form_post(paths::HANDOFF)
            .header(SESSION_HEADER, session)
            .send()
            .await
            .unwrap()
    }

    pub async fn handoff_for(&self, id: &str) -> Handoff {
        let session = self.signed_up_session(id).await;
        let response = self.hand_off(&session.session).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The partner's server redeeming a code.
    pub async fn exchange(&self, code: &str, partner_key: &str) -> reqwest::Response {
        self.http
            .post(self.url(paths::HANDOFF_EXCHANGE))
            .bearer_auth(partner_key)
            .json(&json!({"code": code}))
            .send()
            .await
            .unwrap()
    }

    /// `GET /api/v2/users` at finAPI with a user token, as a partner would.
    pub async fn finapi_user(&self, access_token: &str) -> reqwest::Response {
        self.http
            .get(format!("{}/api/v2/users", self.emulator.base_url()))
            .bearer_auth(access_token)
            .send()
            .await
            .unwrap()
    }
}

pub async fn error_code(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["error"].as_str().unwrap_or_default().to_owned()
}
