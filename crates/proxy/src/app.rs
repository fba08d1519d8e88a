//! The proxy assembled: its state, its router, and a way to run it on a listener.

use crate::client_auth::ClientAuth;
use crate::finapi_client::ClientCredentials;
use crate::handoff_codes::HandoffCodes;
use crate::mail::{MailError, MailSettings, Mailer};
use crate::metrics::Metrics;
use crate::partner_key::PartnerKey;
use crate::rate_limit::{RateLimiter, RateLimits};
use crate::sessions::Sessions;
use crate::store::Store;
use crate::tenants::{self, Deployment, TenantConfig, TenantError, TenantExtras, Tenants, DEFAULT_TENANT};
use crate::{observed, request_id, routes, security, token_lifecycle};
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{any, get, post};
use axum::Router;
use finapi_emulator::clock::Clock;
use onboarding_api::paths;
use secrecy::{ExposeSecret, SecretString};
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

/// What [`ProxyConfig`] leaves at its defaults: the store, rate limits. Kept apart so that code building a
/// `ProxyConfig` literally keeps compiling as options are added.
#[derive(Clone, Default)]
pub struct ProxyOptions {
    /// `None`: this process's memory. `Some(Store::Redis(..))` to share state between instances.
    pub store: Option<Store>,
    pub rate_limits: RateLimits,
    /// Where finAPI reaches the proxy's callbacks; `None`: no callbacks.
    pub callbacks: Option<CallbackSettings>,
    /// The default tenant's data decryption key (32 hex digits): without it, no password resets.
    pub data_decryption_key: Option<SecretString>,
    /// The default tenant's return URLs, Web Form options, theme and support contact.
    pub default_tenant: TenantExtras,
    /// More tenants, each under `/t/{id}/`.
    pub tenants: Vec<TenantConfig>,
    /// SMTP for password reset links; `None`: no resets by email.
    pub mail: Option<MailSettings>,
}

/// finAPI's callbacks come to `{public_url}/api/callbacks/{secret}/…` (see [`routes::callbacks`]).
#[derive(Debug, Clone)]
pub struct CallbackSettings {
    /// The proxy's URL as finAPI sees it, e.g. `https://onboarding.example`.
    pub public_url: Url,
    /// At least 32 random characters: finAPI does not sign callbacks, so the URL is the credential.
    pub secret: SecretString,
}

impl CallbackSettings {
    /// For the tenant whose URLs start with `tenant_prefix` (empty: the default tenant).
    pub fn user_synchronization_url(&self, tenant_prefix: &str) -> String {
        self.url(tenant_prefix, "user-synchronization")
    }

    pub fn web_form_url(&self, tenant_prefix: &str) -> String {
        self.url(tenant_prefix, "web-form")
    }

    fn url(&self, tenant_prefix: &str, kind: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!(
            "{base}{tenant_prefix}/api/callbacks/{}/{kind}",
            self.secret.expose_secret()
        )
    }
}

#[derive(Clone)]
pub struct AppState {
    /// The default tenant's client (each tenant has its own: [`AppState::tenants`]).
    pub client_auth: Arc<ClientAuth>,
    pub tenants: Arc<Tenants>,
    pub store: Store,
    pub sessions: Arc<Sessions>,
    pub handoff_codes: Arc<HandoffCodes>,
    pub rate_limiter: Arc<RateLimiter>,
    pub metrics: Arc<Metrics>,
    /// Checks the secret in callback URLs (a digest, compared in constant time, like the partner key).
    pub callback_secret: Option<Arc<PartnerKey>>,
    pub callbacks: Option<CallbackSettings>,
    pub mailer: Option<Arc<Mailer>>,
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(config: &ProxyConfig, clock: Arc<dyn Clock>) -> Self {
        AppState::with_options(config, &ProxyOptions::default(), clock).expect("the default options are valid")
    }

    /// Fails when a tenant's configuration is wrong (the error names the tenant and the problem).
    pub fn with_options(
        config: &ProxyConfig,
        options: &ProxyOptions,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SetupError> {
        let metrics = Arc::new(Metrics::default());
        let mailer = options.mail.as_ref().map(Mailer::new).transpose()?.map(Arc::new);
        let tenants = Arc::new(resolve_tenants(config, options, clock.clone(), metrics.clone())?);
        let store = options.store.clone().unwrap_or_else(|| Store::in_memory(clock.clone()));
        Ok(AppState {
            client_auth: tenants.default_tenant().client_auth.clone(),
            tenants,
            sessions: Arc::new(Sessions::new(store.clone(), clock.clone())),
            handoff_codes: Arc::new(HandoffCodes::new(store.clone(), clock.clone())),
            rate_limiter: Arc::new(RateLimiter::new(
                options.rate_limits.clone(),
                store.clone(),
                clock.clone(),
                metrics.clone(),
            )),
            store,
            metrics,
            callback_secret: options
                .callbacks
                .as_ref()
                .map(|callbacks| Arc::new(PartnerKey::new(&callbacks.secret))),
            callbacks: options.callbacks.clone(),
            mailer,
            clock,
        })
    }
}

/// What can be wrong in [`ProxyOptions`].
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Tenant(#[from] TenantError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

/// The default tenant from [`ProxyConfig`], then the configured ones.
fn resolve_tenants(
    config: &ProxyConfig,
    options: &ProxyOptions,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
) -> Result<Tenants, TenantError> {
    let deployment = Deployment {
        access_url: &config.access_url,
        web_form_url: &config.web_form_url,
        clock,
        metrics,
    };
    let mut resolved = vec![tenants::resolve(
        DEFAULT_TENANT,
        config.credentials.clone(),
        PartnerKey::new(&config.partner_key),
        options.data_decryption_key.as_ref(),
        config.allowed_parent_origins.clone(),
        options.default_tenant.clone(),
        &deployment,
    )?];
    for tenant in &options.tenants {
        if resolved.iter().any(|known| known.id == tenant.id) {
            return Err(TenantError {
                tenant: tenant.id.clone(),
                problem: "configured twice".into(),
            });
        }
        resolved.push(tenants::from_config(tenant.clone(), &deployment)?);
    }
    Ok(Tenants::new(resolved))
}

/// The whole proxy. The tenant middleware wraps the routed app from outside, so that it can strip
/// `/t/{tenant}` before the routes are matched.
pub fn router(config: &ProxyConfig, state: AppState) -> Router {
    let tenants = state.tenants.clone();
    // Outermost last: every answer, an unknown tenant's 404 included, gets a request id and the headers.
    Router::new()
        .fallback_service(routed(config, state))
        .layer(from_fn_with_state(tenants, tenants::route_by_tenant))
        .layer(from_fn(security::headers::everywhere))
        .layer(from_fn(request_id::assign))
}

fn routed(config: &ProxyConfig, state: AppState) -> Router {
    let browser_api = Router::new()
        .route(paths::SETTINGS, get(routes::form_settings::form_settings))
        .route(paths::TENANT, get(routes::form_settings::tenant_settings))
        .route(paths::USERS, post(routes::user_creation::create_user))
        .route(
            paths::SESSIONS,
            post(routes::login::log_in).delete(routes::login::log_out),
        )
        .route(paths::HANDOFF, post(routes::handoff::hand_off))
        .route(paths::RETURN_URL_CHECK, get(routes::handoff::check_return_url))
        .route(paths::WEB_FORM_PROGRESS, get(routes::callbacks::web_form_progress))
        .route(paths::PASSWORD_RESETS, post(routes::password_reset::request_reset))
        .route(
            paths::PASSWORD_RESET_EXECUTION,
            post(routes::password_reset::execute_reset),
        )
        .layer(from_fn(security::form_header::require_form_header))
        .layer(security::cors::for_tenant_parent_origins());
    // Server to server: no browser, so no CORS and no form header; the partner key authenticates it.
    let partner_api = Router::new()
        .route(paths::HANDOFF_EXCHANGE, post(routes::handoff::exchange))
        // finAPI's callbacks: server to server too; the secret in the path authenticates them.
        .route(
            "/api/callbacks/{secret}/user-synchronization",
            post(routes::callbacks::user_synchronization),
        )
        .route(
            "/api/callbacks/{secret}/web-form",
            post(routes::callbacks::web_form_finalised),
        );
    let api = browser_api
        .merge(partner_api)
        .route("/api/{*rest}", any(routes::not_found))
        // `/api/{*rest}` needs a segment; without these two, `/api` and `/api/` fell through to the form's pages.
        .route("/api", any(routes::not_found))
        .route("/api/", any(routes::not_found))
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT_BYTES))
        .layer(from_fn(api_errors_as_json))
        .layer(from_fn(security::headers::api));
    Router::new()
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/metrics", get(routes::health::metrics))
        .route(routes::loader::LOADER_V1_PATH, get(routes::loader::loader_v1))
        // Not the form's index.html: a script tag pointed at a wrong version must fail visibly.
        .route("/loader/{*rest}", any(routes::not_found))
        .merge(api)
        .fallback_service(form_pages(config))
        .layer(from_fn_with_state(state.metrics.clone(), observed::requests))
        .with_state(state)
}

/// What axum answers by itself — a wrong method (405, empty), a path parameter or query string that does
/// not parse (400, plain text) — leaves in the API's format too: the same status, a JSON `ApiError`
/// (`NOT_FOUND` for 404/405, else `MALFORMED_REQUEST`) and, through the request-id middleware, the support
/// reference. Found by `tests/fuzz_endpoints.rs`.
async fn api_errors_as_json(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    use onboarding_api::{ApiError, ApiErrorCode};
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !status.is_client_error() || is_json || response.extensions().get::<ApiError>().is_some() {
        return response;
    }
    let code = match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => ApiErrorCode::NotFound,
        _ => ApiErrorCode::MalformedRequest,
    };
    let mut replaced = crate::error::ApiFailure::new(code).into_response();
    *replaced.status_mut() = status;
    if let Some(allow) = response.headers().get(header::ALLOW) {
        replaced.headers_mut().insert(header::ALLOW, allow.clone());
    }
    replaced
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
    // Each tenant's pages name its own parents in `frame-ancestors`; the script hashes are shared.
    Router::new()
        .fallback_service(ServeDir::new(&config.form_dir).fallback(ServeFile::new(index)))
        .layer(from_fn_with_state(Arc::new(hashes), security::headers::pages))
}

/// A proxy serving on its own task.
pub struct RunningProxy {
    pub addr: SocketAddr,
    pub state: AppState,
    task: tokio::task::JoinHandle<()>,
    reaper: tokio::task::JoinHandle<()>,
}

impl RunningProxy {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningProxy {
    fn drop(&mut self) {
        self.task.abort();
        self.reaper.abort();
    }
}

/// Binds `listen` (port 0 = any free port) and serves the proxy until the returned value is dropped.
pub async fn spawn(config: ProxyConfig, listen: SocketAddr, clock: Arc<dyn Clock>) -> std::io::Result<RunningProxy> {
    serve(tokio::net::TcpListener::bind(listen).await?, config, clock)
}

/// [`spawn`] with [`ProxyOptions`].
pub async fn spawn_with_options(
    config: ProxyConfig,
    options: ProxyOptions,
    listen: SocketAddr,
    clock: Arc<dyn Clock>,
) -> std::io::Result<RunningProxy> {
    serve_with_options(tokio::net::TcpListener::bind(listen).await?, config, options, clock)
}

/// Serves the proxy on a bound listener (so a caller can know the address before the proxy starts).
pub fn serve(
    listener: tokio::net::TcpListener,
    config: ProxyConfig,
    clock: Arc<dyn Clock>,
) -> std::io::Result<RunningProxy> {
    serve_with_options(listener, config, ProxyOptions::default(), clock)
}

/// [`serve`] with [`ProxyOptions`].
pub fn serve_with_options(
    listener: tokio::net::TcpListener,
    config: ProxyConfig,
    options: ProxyOptions,
    clock: Arc<dyn Clock>,
) -> std::io::Result<RunningProxy> {
    let addr = listener.local_addr()?;
    let state = AppState::with_options(&config, &options, clock).map_err(std::io::Error::other)?;
    // The peer address feeds the per-IP rate limits.
    let app = router(&config, state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the proxy stopped");
        }
    });
    let reaper = token_lifecycle::spawn_reaper(state.clone());
    Ok(RunningProxy {
        addr,
        state,
        task,
        reaper,
    })
}
