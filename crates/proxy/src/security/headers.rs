//! Headers on every answer: HSTS, no MIME sniffing, no referrer, no powerful features; API answers are never cached (they can carry
//! tokens); page answers carry the Content-Security-Policy.

use crate::security::content_security_policy;
use crate::tenants::CurrentTenant;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

pub async fn everywhere(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Browsers honour HSTS only when it arrives over TLS (RFC 6797 §8.1), so it is safe to send always: it
    // takes effect exactly when the proxy is reached through TLS (directly or via a terminating proxy).
    headers.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // The form needs none of these browser features; say so, so an injected script cannot use them.
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
    );
    response
}

pub async fn api(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The Content-Security-Policy of the form's pages, with the tenant's parent origins as `frame-ancestors`.
pub async fn pages(State(script_hashes): State<Arc<Vec<String>>>, request: Request, next: Next) -> Response {
    let parents = request
        .extensions()
        .get::<CurrentTenant>()
        .map(|CurrentTenant(tenant)| tenant.parent_origins.clone())
        .unwrap_or_default();
    let mut response = next.run(request).await;
    let policy = content_security_policy::policy(&script_hashes, &parents);
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}
