//! A demo partner site, as a bank or fintech embedding the onboarding form would build it.
//!
//! Its page embeds the form in an iframe and listens for the form's messages, checking both
//! `event.origin` and `event.source`. On `HANDOFF` it posts the one-time code to its own server, which
//! redeems it at the proxy with the partner key and proves the tokens work by reading the user back from
//! finAPI (`GET /api/v2/users`). The browser sees the user, never a token.

mod page;

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use finapi::User;
use onboarding_api::{paths, ExchangeRequest, ExchangedTokens};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct PartnerDemoConfig {
    /// Where the onboarding form (the proxy) is, e.g. `http://localhost:8080`.
    pub form_url: String,
    /// finAPI Access, to read the user back with the exchanged token.
    pub finapi_url: String,
    /// The partner key the proxy expects on the exchange.
    pub partner_key: String,
    /// The origin this page is opened under, e.g. `http://localhost:8081`; `None`: `http://<bound address>`.
    pub public_origin: Option<String>,
}

struct Demo {
    config: PartnerDemoConfig,
    http: reqwest::Client,
}

pub struct RunningPartnerDemo {
    pub addr: SocketAddr,
    pub public_origin: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RunningPartnerDemo {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves the demo on `listener` until the returned value is dropped.
pub fn serve(listener: TcpListener, config: PartnerDemoConfig) -> std::io::Result<RunningPartnerDemo> {
    let addr = listener.local_addr()?;
    let public_origin = config.public_origin.clone().unwrap_or_else(|| format!("http://{addr}"));
    let demo = Arc::new(Demo {
        config,
        http: reqwest::Client::new(),
    });
    let app = Router::new()
        .route("/", get(home))
        .route(
            "/partner.js",
            get(|| async { asset("text/javascript; charset=utf-8", page::SCRIPT) }),
        )
        .route(
            "/partner.css",
            get(|| async { asset("text/css; charset=utf-8", page::STYLE) }),
        )
        .route("/exchange", post(exchange))
        .with_state(demo);
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the partner demo stopped");
        }
    });
    Ok(RunningPartnerDemo {
        addr,
        public_origin,
        task,
    })
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn home(State(demo): State<Arc<Demo>>) -> Response {
    let form_origin = url::Url::parse(&demo.config.form_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let html = page::html(&demo.config.form_url);
    // The partner page itself runs under a strict CSP too: no inline script or style anywhere; scripts
    // only from itself and the onboarding server (the loader).
    let csp = format!(
        "default-src 'none'; script-src 'self' {form_origin}; style-src 'self'; connect-src 'self'; frame-src {form_origin}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    );
    let mut response = Html(html).into_response();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// What the partner's server tells its page: the user finAPI knows, never a token.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExchangeResult {
    pub user_id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize)]
struct ExchangeFailure {
    error: String,
}

async fn exchange(State(demo): State<Arc<Demo>>, Json(request): Json<ExchangeRequest>) -> Response {
    match redeem_and_read_user(&demo, &request.code).await {
        Ok(user) => Json(ExchangeResult {
            user_id: user.id,
            email: user.email,
            phone: user.phone,
        })
        .into_response(),
        Err(error) => {
            tracing::warn!(%error, "handoff exchange failed");
            (StatusCode::BAD_GATEWAY, Json(ExchangeFailure { error })).into_response()
        }
    }
}

async fn redeem_and_read_user(demo: &Demo, code: &str) -> Result<User, String> {
    let exchange_url = format!(
        "{}{}",
        demo.config.form_url.trim_end_matches('/'),
        paths::HANDOFF_EXCHANGE
    );
    let response = demo
        .http
        .post(exchange_url)
        .bearer_auth(&demo.config.partner_key)
        .json(&ExchangeRequest { code: code.to_owned() })
        .send()
        .await
        .map_err(|e| format!("the onboarding proxy could not be reached: {e}"))?;
    if !response.status().is_success() {
        return Err(format!(
            "the onboarding proxy refused the code: {}",
            response.text().await.unwrap_or_default()
        ));
    }
    let tokens: ExchangedTokens = response
        .json()
        .await
        .map_err(|e| format!("unreadable exchange answer: {e}"))?;
    let user_url = format!("{}/api/v2/users", demo.config.finapi_url.trim_end_matches('/'));
    let response = demo
        .http
        .get(user_url)
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .map_err(|e| format!("finAPI could not be reached: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("finAPI refused the token: {}", response.status()));
    }
    response
        .json::<User>()
        .await
        .map_err(|e| format!("unreadable user: {e}"))
}
