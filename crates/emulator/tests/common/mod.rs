//! Shared by the black-box tests: an emulator on a random port with a manual clock, and a few requests
//! every test needs. Each test binary uses a different subset, hence the `allow`.
#![allow(dead_code)]

use finapi::{AccessToken, ErrorMessage};
use finapi_emulator::clock::ManualClock;
use finapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use time::macros::datetime;
use time::OffsetDateTime;

pub const T0: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);
pub const APP_ID: &str = "onboarding-dev-app";
pub const APP_SECRET: &str = "dev-app-secret-change-me";
pub const ADMIN_ID: &str = "onboarding-dev-admin";
pub const ADMIN_SECRET: &str = "dev-admin-secret-change-me";
pub const DATA_DECRYPTION_KEY: &str = "5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a";

pub struct TestEmulator {
    pub emulator: RunningEmulator,
    pub clock: Arc<ManualClock>,
    /// Does not follow redirects, so a test sees the 303 of a finished web form.
    pub http: reqwest::Client,
}

pub async fn start() -> TestEmulator {
    start_with(EmulatorConfig::development()).await
}

/// The development configuration, changed by `change` (e.g. another token lifetime).
pub async fn start_with_app_config(change: impl FnOnce(&mut finapi::ClientConfiguration)) -> TestEmulator {
    let mut config = EmulatorConfig::development();
    change(&mut config.app_clients[0].configuration);
    start_with(config).await
}

pub async fn start_with(config: EmulatorConfig) -> TestEmulator {
    let clock = Arc::new(ManualClock::new(T0));
    let emulator = Emulator::spawn(config, "127.0.0.1:0".parse().unwrap(), clock.clone())
        .await
        .expect("the emulator starts");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestEmulator { emulator, clock, http }
}

impl TestEmulator {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emulator.base_url())
    }

    pub fn advance(&self, seconds: u64) {
        self.clock.advance(Duration::from_secs(seconds));
    }

    /// `POST /api/v2/oauth/token` with a form body.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> Response {
        self.http
            .post(self.url("/api/v2/oauth/token"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn client_token_as(&self, id: &str, secret: &str) -> AccessToken {
        let response = self
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", id),
                ("client_secret", secret),
            ])
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.unwrap()
    }

    pub async fn client_token(&self) -> String {
        self.client_token_as(APP_ID, APP_SECRET).await.access_token
    }

    pub async fn admin_token(&self) -> String {
        self.client_token_as(ADMIN_ID, ADMIN_SECRET).await.access_token
    }

    pub async fn password_grant(&self, username: &str, password: &str) -> Response {
        self.token_request(&[
            ("grant_type", "password"),
            ("client_id", APP_ID),
            ("client_secret", APP_SECRET),
            ("username", username),
            ("password", password),
        ])
        .await
    }

    /// `POST /api/v2/users` with a JSON body and an optional bearer token.
    pub async fn create_user(&self, token: Option<&str>, body: Value) -> Response {
        let mut request = self.http.post(self.url("/api/v2/users")).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Creates a user with the app client and returns a user access token for it.
    pub async fn new_user_token(&self, id: &str, password: &str) -> String {
        let client = self.client_token().await;
        let created = self
            .create_user(Some(&client), json!({"id": id, "password": password}))
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let response = self.password_grant(id, password).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<AccessToken>().await.unwrap().access_token
    }

    /// Any request: a JSON body if given, a bearer token if given.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    /// `POST /api/v2/oauth/revoke` with a form body and a bearer token.
    pub async fn revoke(&self, token: Option<&str>, form: &[(&str, &str)]) -> Response {
        let mut request = self.http.post(self.url("/api/v2/oauth/revoke")).form(form);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    /// Creates a user with the app client (201 expected).
    pub async fn create_user_ok(&self, id: &str, password: &str) {
        let client = self.client_token().await;
        let created = self
            .create_user(Some(&client), json!({"id": id, "password": password}))
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }
}

/// Asserts the status and returns the body as finAPI's `ErrorMessage`.
pub async fn expect_error(response: Response, status: StatusCode) -> ErrorMessage {
    assert_eq!(response.status(), status);
    let body = response.text().await.unwrap();
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not an ErrorMessage ({e}): {body}"))
}

/// Asserts a 401 with `{"error":"invalid_token", ...}` and nothing else.
pub async fn expect_invalid_token(response: Response) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");
    assert!(body["error_description"].is_string());
    assert_eq!(body.as_object().unwrap().len(), 2, "{body}");
}

/// A partner's callback endpoint on a random port: every JSON body POSTed to it comes out of the channel.
pub async fn callback_receiver() -> (String, tokio::sync::mpsc::UnboundedReceiver<Value>) {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/finapi/callback",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
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

/// The next body a receiver got, waiting at most 10 s (real time: the callback is sent by a task).
pub async fn next_body(receiver: &mut tokio::sync::mpsc::UnboundedReceiver<Value>) -> Value {
    tokio::time::timeout(Duration::from_secs(10), receiver.recv())
        .await
        .expect("a callback within 10 s")
        .expect("the receiver is running")
}
