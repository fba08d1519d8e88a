//! The proxy assembled: its state, its router, and a way to run it on a listener.

use crate::client_auth::ClientAuth;
use crate::finapi_client::{ClientCredentials, FinapiClient};
use crate::handoff_codes::HandoffCodes;
use crate::partner_key::PartnerKey;
use crate::sessions::Sessions;
use crate::{request_id, routes, security};
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{any, get, post};
use axum::Router;
use finapi_emulator::clock::Clock;
use onboarding_api::paths;
use secrecy::SecretString;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};
use url::Url;

/// The form's requests are small; anything bigger is not from the form.
const API_BODY_LIMIT_BYTES: usize = 16 * 1024;

/// Everything the proxy needs, resolved (see `Settings` for where it comes from).
#[derive(Clone)]
pub struct ProxyConfig {
    pub access_url: Url,
    pub web_form_url: Url,
    pub credentials: ClientCredentials,
    pub allowed_parent_origins: Vec<String>,
    pub partner_key: SecretString,
    /// The built form (Trunk's `dist/`). Without it the API still works.
    pub form_dir: PathBuf,
}

#[derive(Clone)]
pub struct AppState {
    pub client_auth: Arc<ClientAuth>,
    pub sessions: Arc<Sessions>,
    pub handoff_codes: Arc<HandoffCodes>,
    pub partner_key: Arc<PartnerKey>,
    pub parent_origins: Arc<Vec<String>>,
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(config: &ProxyConfig, clock: Arc<dyn Clock>) -> Self {
        let finapi = FinapiClient::new(
            config.access_url.clone(),
            config.web_form_url.clone(),
            config.credentials.clone(),
        );
        AppState {
            client_auth: Arc::new(ClientAuth::new(finapi, clock.clone())),
            sessions: Arc::new(Sessions::new(clock.clone())),
            handoff_codes: Arc::new(HandoffCodes::new(clock.clone())),
            partner_key: Arc::new(PartnerKey::new(&config.partner_key)),
            parent_origins: Arc::new(config.allowed_parent_origins.clone()),
            clock,
        }
    }
}

pub fn router(config: &ProxyConfig, state: AppState) -> Router {
    let browser_api = Router::new()
        .route(paths::SETTINGS, get(routes::form_settings::form_settings))
        .route(paths::USERS, post(routes::user_creation::create_user))
        .route(
            paths::SESSIONS,
            post(routes::login::log_in).delete(routes::login::log_out),
        )
        .route(paths::HANDOFF, post(routes::handoff::hand_off))
        .layer(from_fn(security::form_header::require_form_header))
        .layer(security::cors::for_parent_origins(&config.allowed_parent_origins));
    // Server to server: no browser, so no CORS and no form header; the partner key authenticates it.
    let partner_api = Router::new().route(paths::HANDOFF_EXCHANGE, post(routes::handoff::exchange));
    let api = browser_api
        .merge(partner_api)
        .route("/api/{*rest}", any(routes::not_found))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT_BYTES))
        .layer(from_fn(security::headers::api));
    Router::new()
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .merge(api)
        .fallback_service(form_pages(config))
        .layer(from_fn(security::headers::everywhere))
        .layer(from_fn(request_id::assign))
        .with_state(state)
}

/// The built form, with its Content-Security-Policy. Unknown paths get `index.html`.
fn form_pages(config: &ProxyConfig) -> Router {
    let index = config.form_dir.join("index.html");
    let hashes = match std::fs::read_to_string(&index) {
        Ok(html) => security::content_security_policy::inline_script_hashes(&html),
        Err(_) => {
            tracing::warn!(path = %index.display(), "the form is not built: build it with `trunk build --release`");
            Vec::new()
        }
    };
    let policy = security::content_security_policy::policy(&hashes, &config.allowed_parent_origins);
    let policy = Arc::new(HeaderValue::from_str(&policy).expect("the policy is plain ASCII"));
    Router::new()
        .fallback_service(ServeDir::new(&config.form_dir).fallback(ServeFile::new(index)))
        .layer(from_fn_with_state(policy, security::headers::pages))
}

/// A proxy serving on its own task.
pub struct RunningProxy {
    pub addr: SocketAddr,
    pub state: AppState,
    task: tokio::task::JoinHandle<()>,
}

impl RunningProxy {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Binds `listen` (port 0 = any free port) and serves the proxy until the returned value is dropped.
pub async fn spawn(config: ProxyConfig, listen: SocketAddr, clock: Arc<dyn Clock>) -> std::io::Result<RunningProxy> {
    serve(tokio::net::TcpListener::bind(listen).await?, config, clock)
}

/// Serves the proxy on a bound listener (so a caller can know the address before the proxy starts).
pub fn serve(
    listener: tokio::net::TcpListener,
    config: ProxyConfig,
    clock: Arc<dyn Clock>,
) -> std::io::Result<RunningProxy> {
    let addr = listener.local_addr()?;
    let state = AppState::new(&config, clock);
    let app = router(&config, state.clone());
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the proxy stopped");
        }
    });
    Ok(RunningProxy { addr, state, task })
}
