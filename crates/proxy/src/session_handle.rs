//! The `x-onboarding-session` header as an extractor: missing means the session is over.

use crate::error::ApiFailure;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use onboarding_api::{paths::SESSION_HEADER, ApiErrorCode};

pub struct SessionHandle(pub String);

impl<S: Send + Sync> FromRequestParts<S> for SessionHandle {
    type Rejection = ApiFailure;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(SESSION_HEADER)
            .and_then(|value| value.to_str().ok())
            .filter(|value| !value.is_empty())
            .map(|value| SessionHandle(value.to_owned()))
            .ok_or(ApiFailure::new(ApiErrorCode::SessionExpired))
    }
}
