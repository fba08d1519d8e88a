//! A proxy and an emulator on random ports, a clock the test moves, and typed calls to the form's API.

#![allow(dead_code)]

#[allow(unused_imports)] // Not every test file reads mail.
pub use smtp_receiver as smtp;

use finapi_emulator::clock::ManualClock;
use finapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use onboarding_api::paths::{FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_api::{paths, Handoff, Session};
use onboarding_proxy::{ClientCredentials, ProxyConfig, ProxyOptions, RunningProxy};
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
    spawn_app_with_options(emulator, proxy, ProxyOptions::default()).await
}

/// [`spawn_app_with`], with the proxy's options (store, rate limits).
pub async fn spawn_app_with_options(
    emulator: impl FnOnce(&mut EmulatorConfig),
    proxy: impl FnOnce(&mut ProxyConfig),
    options: ProxyOptions,
) -> TestApp {
    let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
    let mut emulator_config = EmulatorConfig::development();
    emulator(&mut emulator_config);
    let app = emulator_config.app_client().credentials.clone();
    let running_emulator = Emulator::spawn(emulator_config, "127.0.0.1:0".parse().unwrap(), clock.clone())
        .await
        .unwrap();
    let mut config = proxy_config(&running_emulator, &app.client_id, &app.client_secret);
    proxy(&mut config);
    let running_proxy =
        onboarding_proxy::spawn_with_options(config, options, "127.0.0.1:0".parse().unwrap(), clock.clone())
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

/// The proxy's configuration for the development app client of `emulator`.
pub fn proxy_config(emulator: &RunningEmulator, client_id: &str, client_secret: &str) -> ProxyConfig {
    let url = url::Url::parse(&emulator.base_url()).unwrap();
    ProxyConfig {
        access_url: url.clone(),
        web_form_url: url,
        credentials: ClientCredentials {
            client_id: client_id.to_owned(),
            client_secret: SecretString::from(client_secret.to_owned()),
        },
        allowed_parent_origins: vec![PARTNER_ORIGIN.to_owned()],
        partner_key: SecretString::from(PARTNER_KEY),
        form_dir: PathBuf::from("/nonexistent-form-dir"),
    }
}

impl TestApp {
    /// One more proxy instance in front of the same emulator, with the same clock.
    pub async fn another_instance(&self, options: ProxyOptions) -> RunningProxy {
        let config = proxy_config(&self.emulator, "onboarding-dev-app", &self.client_secret);
        onboarding_proxy::spawn_with_options(config, options, "127.0.0.1:0".parse().unwrap(), self.clock.clone())
            .await
            .unwrap()
    }

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

impl TestApp {
    /// A token straight from finAPI's token endpoint, as the app client. finAPI hands out the same token for
    /// the same credentials while it lives, so this is the very token the proxy holds.
    pub async fn finapi_token(&self, form: &[(&str, &str)]) -> Value {
        let client_id = "onboarding-dev-app";
        let mut fields = vec![("client_id", client_id), ("client_secret", self.client_secret.as_str())];
        fields.extend_from_slice(form);
        let response = self
            .http
            .post(format!("{}/api/v2/oauth/token", self.emulator.base_url()))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The user's access token at finAPI (the one the proxy's session holds).
    pub async fn users_finapi_token(&self, id: &str) -> String {
        let token = self
            .finapi_token(&[("grant_type", "password"), ("username", id), ("password", PASSWORD)])
            .await;
        token["access_token"].as_str().unwrap().to_owned()
    }

    /// Waits (real time, up to 5 s) until finAPI refuses `access_token`: the reaper runs every half second.
    pub async fn until_revoked(&self, access_token: &str) -> bool {
        for _ in 0..50 {
            if self.finapi_user(access_token).await.status() == 401 {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    pub async fn log_out(&self, session: &str) -> reqwest::Response {
        self.http
            .delete(self.url(paths::SESSIONS))
            .header(FORM_HEADER, FORM_HEADER_VALUE)
            .header(SESSION_HEADER, session)
            .send()
            .await
            .unwrap()
    }
}

pub const CALLBACK_SECRET: &str = "test-callback-secret-0123456789-abcdefgh";

/// An app whose proxy receives finAPI's callbacks on its own address, and has registered the user
/// synchronization callback with the emulator.
pub async fn spawn_app_with_callbacks() -> TestApp {
    let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
    let emulator_config = EmulatorConfig::development();
    let app = emulator_config.app_client().credentials.clone();
    let emulator = Emulator::spawn(emulator_config, "127.0.0.1:0".parse().unwrap(), clock.clone())
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callbacks = onboarding_proxy::app::CallbackSettings {
        public_url: url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap(),
        secret: SecretString::from(CALLBACK_SECRET),
    };
    let options = ProxyOptions {
        callbacks: Some(callbacks.clone()),
        ..Default::default()
    };
    let config = proxy_config(&emulator, &app.client_id, &app.client_secret);
    let proxy = onboarding_proxy::serve_with_options(listener, config, options, clock.clone()).unwrap();
    onboarding_proxy::startup_check::register_callbacks(&proxy.state.client_auth, &callbacks)
        .await
        .unwrap();
    TestApp {
        emulator,
        proxy,
        clock,
        http: reqwest::Client::new(),
        client_secret: app.client_secret,
    }
}

/// The JSON answer to `request`.
pub async fn json_of<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    request.send().await.unwrap().json().await.unwrap()
}

/// Hex SHA-256, as a tenants file holds a partner key.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One more app client of the emulated mandator (a tenant's own client).
pub fn add_app_client(
    emulator: &mut EmulatorConfig,
    client_id: &str,
    client_secret: &str,
    configuration: finapi::ClientConfiguration,
) {
    emulator.app_clients.push(finapi_emulator::config::AppClient {
        credentials: finapi_emulator::config::ClientCredentials::new(client_id, client_secret),
        configuration,
        data_decryption_key: finapi_emulator::data_encryption::DataDecryptionKey::generate(),
    });
}

/// Log lines written to memory, for a test that reads what was logged.
#[derive(Clone, Default)]
pub struct CapturedLogs(pub Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLogs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
