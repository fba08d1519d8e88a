//! CORS for the browser API: only the allowed parent origins (of the tenant in the URL) get an answer,
//! with the form's headers.

use crate::tenants::CurrentTenant;
use axum::http::{header, HeaderName, HeaderValue, Method};
use onboarding_api::paths::{FORM_HEADER, REQUEST_ID_HEADER, SESSION_HEADER};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub fn for_tenant_parent_origins() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, parts| {
            parts
                .extensions
                .get::<CurrentTenant>()
                .is_some_and(|CurrentTenant(tenant)| tenant.parent_origins.iter().any(|allowed| allowed == origin))
        }))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static(FORM_HEADER),
            HeaderName::from_static(SESSION_HEADER),
            HeaderName::from_static(REQUEST_ID_HEADER),
        ])
        .expose_headers([HeaderName::from_static(REQUEST_ID_HEADER)])
        .max_age(Duration::from_secs(600))
}
