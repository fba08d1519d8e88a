//! CSRF defence (IETF browser-based-apps BFF, "static custom request header"): every state-changing
//! request to the browser API must carry `x-onboarding-form: 1`. A page on another origin cannot send a
//! custom header without a CORS preflight, and the preflight is only granted to allowed origins.

use crate::error::ApiFailure;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use onboarding_api::paths::{FORM_HEADER, FORM_HEADER_VALUE};
use onboarding_api::ApiErrorCode;

pub async fn require_form_header(request: Request, next: Next) -> Response {
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let has_header = request
        .headers()
        .get(FORM_HEADER)
        .is_some_and(|value| value == FORM_HEADER_VALUE);
    if safe_method || has_header {
        next.run(request).await
    } else {
        tracing::warn!("state-changing request without the form header refused");
        ApiFailure::new(ApiErrorCode::FormHeaderMissing).into_response()
    }
}
