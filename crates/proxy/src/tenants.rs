//! Tenants: several embedding partners in one deployment, each with its own finAPI app client, allowed
//! parent origins and return URLs, partner key (kept as a SHA-256 digest only), data decryption key,
//! Web Form options, theme and support contact.
//!
//! The URL names the tenant: `/t/{tenant}/…` is the form and its API for that tenant (`/t/acme/`,
//! `/t/acme/api/sessions`); everything without the prefix is the **default** tenant, configured from the
//! environment as before, so a single-partner deployment needs no tenant configuration at all.
//! [`route_by_tenant`] strips the prefix before routing and leaves the [`CurrentTenant`] in the request.

use crate::client_auth::ClientAuth;
use crate::error::ApiFailure;
use crate::finapi_client::{ClientCredentials, FinapiClient};
use crate::metrics::Metrics;
use crate::partner_key::PartnerKey;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use finapi::web_form::{BANK_CONNECTION_NAME_LENGTH, MAX_DAYS_FOR_DOWNLOAD};
use finapi_emulator::clock::Clock;
use finapi_emulator::data_encryption::DataDecryptionKey;
use onboarding_api::{ApiErrorCode, TenantSettings, Theme};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use url::Url;

pub const DEFAULT_TENANT: &str = "default";

/// For records stored before tenants existed.
pub fn default_tenant_id() -> String {
    DEFAULT_TENANT.to_owned()
}
/// The URL prefix that names a tenant.
pub const TENANT_PREFIX: &str = "/t/";

/// One tenant as configured (`PROXY_TENANTS_FILE`, TOML `[[tenants]]`), before it is resolved.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantConfig {
    /// `a-z 0-9 -`, 1–32 characters: it appears in URLs.
    pub id: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// The app client's data decryption key (32 hex digits), for password resets.
    #[serde(default)]
    pub data_decryption_key: Option<SecretString>,
    /// Hex SHA-256 of the partner key: the key itself is never stored.
    pub partner_key_sha256: String,
    #[serde(default)]
    pub allowed_parent_origins: Vec<String>,
    #[serde(default)]
    pub extras: TenantExtras,
}

/// What any tenant, the default one included, may add to its finAPI client and partner key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantExtras {
    /// Where the finAPI Web Form may send the person back to (`?returnUrl=` of `POST /api/handoff` must be
    /// one of these; the first is the default).
    #[serde(default)]
    pub allowed_return_urls: Vec<String>,
    #[serde(default)]
    pub web_form: WebFormOptions,
    #[serde(default)]
    pub theme: Theme,
    /// Shown by the form when a locked account has no email address to reset by.
    #[serde(default)]
    pub support_contact: Option<String>,
}

/// Options of the finAPI Web Form (bank connection import) created at the handoff.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebFormOptions {
    /// The name the new bank connection gets (finAPI: 1–64 characters).
    #[serde(default)]
    pub bank_connection_name: Option<String>,
    /// How many days of transactions to download (finAPI: 0–3650).
    #[serde(default)]
    pub max_days_for_download: Option<i32>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("tenant {tenant:?}: {problem}")]
pub struct TenantError {
    pub tenant: String,
    pub problem: String,
}

/// A tenant, resolved: what the handlers use.
pub struct Tenant {
    pub id: String,
    pub client_auth: Arc<ClientAuth>,
    pub partner_key: PartnerKey,
    pub data_decryption_key: Option<DataDecryptionKey>,
    pub parent_origins: Vec<String>,
    pub allowed_return_urls: Vec<Url>,
    pub web_form: WebFormOptions,
    pub theme: Theme,
    pub support_contact: Option<String>,
}

impl Tenant {
    /// What the form learns about its tenant; resets are offered when email is set up too.
    pub fn settings(&self, mail_configured: bool) -> TenantSettings {
        TenantSettings {
            id: self.id.clone(),
            theme: self.theme.clone(),
            support_contact: self.support_contact.clone(),
            password_reset_offered: mail_configured && self.data_decryption_key.is_some(),
        }
    }

    /// The path prefix of this tenant's URLs (empty for the default tenant).
    pub fn path_prefix(&self) -> String {
        match self.id.as_str() {
            DEFAULT_TENANT => String::new(),
            id => format!("{TENANT_PREFIX}{id}"),
        }
    }
}

/// Everything a tenant needs from the deployment to resolve.
pub struct Deployment<'a> {
    pub access_url: &'a Url,
    pub web_form_url: &'a Url,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
}

pub struct Tenants {
    by_id: HashMap<String, Arc<Tenant>>,
}

impl Tenants {
    pub fn new(tenants: Vec<Tenant>) -> Self {
        Tenants {
            by_id: tenants.into_iter().map(|t| (t.id.clone(), Arc::new(t))).collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<Arc<Tenant>> {
        self.by_id.get(id).cloned()
    }

    pub fn default_tenant(&self) -> Arc<Tenant> {
        self.by_id[DEFAULT_TENANT].clone()
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<Tenant>> {
        self.by_id.values()
    }
}

/// Resolves one tenant: its own finAPI client (and token cache) and its checked settings.
pub fn resolve(
    id: &str,
    credentials: ClientCredentials,
    partner_key: PartnerKey,
    data_decryption_key: Option<&SecretString>,
    parent_origins: Vec<String>,
    extras: TenantExtras,
    deployment: &Deployment<'_>,
) -> Result<Tenant, TenantError> {
    let problem = |problem: String| TenantError {
        tenant: id.to_owned(),
        problem,
    };
    let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    if id.is_empty() || id.len() > 32 || !id.chars().all(plain) {
        return Err(problem("the id must be 1–32 of a-z, 0-9 and -".into()));
    }
    // Every theme value on the safe list, and a warning when a colour pair fails WCAG AA (the form
    // then falls back to a pair that passes).
    let appearance = extras.theme.appearance().map_err(|e| problem(e.to_string()))?;
    for fallback in appearance.resolve().fallbacks {
        tracing::warn!(
            tenant = id,
            ?fallback,
            "a theme colour fails WCAG AA contrast; the form uses a fallback"
        );
    }
    check_web_form_options(&extras.web_form).map_err(problem)?;
    let data_decryption_key = data_decryption_key
        .map(|key| DataDecryptionKey::parse(key.expose_secret()).map_err(|e| problem(e.to_string())))
        .transpose()?;
    let allowed_return_urls = extras
        .allowed_return_urls
        .iter()
        .map(|url| match Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(parsed),
            _ => Err(problem(format!("{url:?} is not an http(s) URL"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let finapi = FinapiClient::new(
        deployment.access_url.clone(),
        deployment.web_form_url.clone(),
        credentials,
    )
    .with_metrics(deployment.metrics.clone());
    Ok(Tenant {
        id: id.to_owned(),
        client_auth: Arc::new(ClientAuth::new(finapi, deployment.clock.clone())),
        partner_key,
        data_decryption_key,
        parent_origins,
        allowed_return_urls,
        web_form: extras.web_form,
        theme: extras.theme,
        support_contact: extras.support_contact,
    })
}

/// The Web Form options within finAPI's limits: finAPI would refuse every Web Form otherwise.
fn check_web_form_options(options: &WebFormOptions) -> Result<(), String> {
    if let Some(name) = &options.bank_connection_name {
        let (min, max) = BANK_CONNECTION_NAME_LENGTH.into_inner();
        if !BANK_CONNECTION_NAME_LENGTH.contains(&name.chars().count()) {
            return Err(format!("web_form bank_connection_name must be {min}–{max} characters"));
        }
    }
    if let Some(days) = options.max_days_for_download {
        let (min, max) = MAX_DAYS_FOR_DOWNLOAD.into_inner();
        if !MAX_DAYS_FOR_DOWNLOAD.contains(&days) {
            return Err(format!("web_form max_days_for_download must be {min}–{max}"));
        }
    }
    Ok(())
}

/// Resolves a tenant from the tenants file.
pub fn from_config(config: TenantConfig, deployment: &Deployment<'_>) -> Result<Tenant, TenantError> {
    let digest = PartnerKey::from_hex_digest(&config.partner_key_sha256).ok_or_else(|| TenantError {
        tenant: config.id.clone(),
        problem: "partner_key_sha256 must be 64 hex digits (sha256sum of the partner key)".into(),
    })?;
    let origins =
        crate::settings::parse_origins(&config.allowed_parent_origins.join(",")).map_err(|e| TenantError {
            tenant: config.id.clone(),
            problem: e.problem,
        })?;
    if config.id == DEFAULT_TENANT {
        return Err(TenantError {
            tenant: config.id,
            problem: "\"default\" is the tenant from the environment; choose another id".into(),
        });
    }
    resolve(
        &config.id.clone(),
        ClientCredentials {
            client_id: config.client_id,
            client_secret: config.client_secret,
        },
        digest,
        config.data_decryption_key.as_ref(),
        origins,
        config.extras,
        deployment,
    )
}

/// `[[tenants]]` entries of a TOML file.
pub fn parse_file(text: &str) -> Result<Vec<TenantConfig>, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default)]
        tenants: Vec<TenantConfig>,
    }
    toml::from_str::<File>(text)
        .map(|file| file.tenants)
        .map_err(|e| e.message().to_owned())
}

/// The tenant of a request: set by [`route_by_tenant`].
#[derive(Clone)]
pub struct CurrentTenant(pub Arc<Tenant>);

impl<S: Send + Sync> FromRequestParts<S> for CurrentTenant {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentTenant>()
            .cloned()
            .ok_or(ApiFailure::new(ApiErrorCode::UnknownTenant))
    }
}

/// Middleware around the whole router (it must run before routing): `/t/{tenant}/rest` becomes `/rest`
/// with that tenant; any other path keeps the default tenant. An unknown tenant is a 404.
pub async fn route_by_tenant(State(tenants): State<Arc<Tenants>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (tenant, rest) = match path.strip_prefix(TENANT_PREFIX) {
        None => (tenants.default_tenant(), None),
        Some(after) => {
            let (id, rest) = after.split_at(after.find('/').unwrap_or(after.len()));
            match tenants.get(id).filter(|_| id != DEFAULT_TENANT) {
                Some(tenant) => (tenant, Some(if rest.is_empty() { "/" } else { rest }.to_owned())),
                None => return ApiFailure::new(ApiErrorCode::UnknownTenant).into_response(),
            }
        }
    };
    if let Some(rest) = rest {
        let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        if let Ok(uri) = format!("{rest}{query}").parse::<Uri>() {
            *request.uri_mut() = uri;
        }
    }
    request.extensions_mut().insert(CurrentTenant(tenant));
    next.run(request).await
}
