//! CORS for the browser API: only the allowed parent origins get an answer, with the form's headers.

use axum::http::{header, HeaderName, HeaderValue, Method};
use onboarding_api::paths::{FORM_HEADER, REQUEST_ID_HEADER, SESSION_HEADER};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub fn for_parent_origins(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
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
