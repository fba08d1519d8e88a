//! The request id: taken from a well-formed `X-Request-Id` or made up, sent on to finAPI with every call
//! made for the request, echoed in the answer's header, and written into API error bodies, where the form
//! shows it as a support reference.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use onboarding_api::{paths::REQUEST_ID_HEADER, ApiError};
use tracing::Instrument;

const MAX_LENGTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    pub fn generate() -> Self {
        RequestId(uuid::Uuid::new_v4().to_string())
    }

    /// Accepts a caller's id only if it is short and plain, so it is safe in logs and headers.
    pub fn from_caller(value: &str) -> Option<Self> {
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        (!value.is_empty() && value.len() <= MAX_LENGTH && value.chars().all(plain))
            .then(|| RequestId(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Middleware: gives every request a [`RequestId`] extension and every answer its header.
pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(RequestId::from_caller)
        .unwrap_or_else(RequestId::generate);
    request.extensions_mut().insert(id.clone());
    // The path is filled in after routing (`observed::requests`), with the route pattern: callback URLs
    // carry a secret, and no query string ever reaches a log.
    let span = tracing::info_span!(
        "request",
        request_id = %id.as_str(),
        method = %request.method(),
        path = tracing::field::Empty
    );
    let response = next.run(request).instrument(span).await;
    let mut response = with_request_id_in_error_body(response, &id);
    if let Ok(value) = HeaderValue::from_str(id.as_str()) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// API errors leave their handler without the id (handlers need not know it); it is filled in here.
fn with_request_id_in_error_body(mut response: Response, id: &RequestId) -> Response {
    let Some(mut error) = response.extensions_mut().remove::<ApiError>() else {
        return response;
    };
    error.request_id = Some(id.as_str().to_owned());
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&error).unwrap_or_default();
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_caller_ids_are_kept() {
        assert!(RequestId::from_caller("partner-123_abc.1").is_some());
        assert!(RequestId::from_caller("").is_none());
        assert!(RequestId::from_caller(&"a".repeat(65)).is_none());
        assert!(RequestId::from_caller("a b").is_none());
        assert!(RequestId::from_caller("a\r\nSet-Cookie: x").is_none());
    }
}
