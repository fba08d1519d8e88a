//! How the proxy fails: an [`ApiFailure`] is an HTTP status plus the contract's [`ApiError`] body.
//! finAPI's failures are mapped here once, into something the form can put in words.

use crate::finapi_client::FinapiError;
use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onboarding_api::{ApiError, ApiErrorCode, FieldProblem};

#[derive(Debug)]
pub struct ApiFailure {
    pub error: ApiError,
    /// Sent as `Retry-After` (with `RATE_LIMITED`).
    pub retry_after_seconds: Option<u64>,
}

impl ApiFailure {
    pub fn new(code: ApiErrorCode) -> Self {
        ApiFailure {
            error: ApiError::new(code),
            retry_after_seconds: None,
        }
    }

    pub fn invalid_input(fields: Vec<FieldProblem>) -> Self {
        ApiFailure {
            error: ApiError {
                fields,
                ..ApiError::new(ApiErrorCode::InvalidInput)
            },
            retry_after_seconds: None,
        }
    }

    pub fn status(&self) -> StatusCode {
        status_of(self.error.error)
    }
}

pub fn status_of(code: ApiErrorCode) -> StatusCode {
    match code {
        ApiErrorCode::InvalidInput
        | ApiErrorCode::MalformedRequest
        | ApiErrorCode::HandoffCodeInvalid
        | ApiErrorCode::ResetLinkInvalid
        | ApiErrorCode::ReturnUrlNotAllowed => StatusCode::BAD_REQUEST,
        ApiErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ApiErrorCode::UserIdTaken => StatusCode::CONFLICT,
        ApiErrorCode::WrongCredentials | ApiErrorCode::SessionExpired | ApiErrorCode::PartnerKeyInvalid => {
            StatusCode::UNAUTHORIZED
        }
        ApiErrorCode::AccountLocked => StatusCode::LOCKED,
        ApiErrorCode::FormHeaderMissing => StatusCode::FORBIDDEN,
        ApiErrorCode::NotFound | ApiErrorCode::UnknownTenant => StatusCode::NOT_FOUND,
        ApiErrorCode::FinapiUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        ApiErrorCode::FinapiRefused => StatusCode::BAD_GATEWAY,
        ApiErrorCode::Unexpected => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(&self.error)).into_response();
        if let Some(seconds) = self.retry_after_seconds {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        // The request-id middleware picks this up to add the support reference to the body.
        response.extensions_mut().insert(self.error);
        response
    }
}

/// The default reading of a finAPI failure. Endpoints that expect particular refusals (an existing id,
/// wrong credentials) match those first and fall back to this.
impl From<FinapiError> for ApiFailure {
    fn from(error: FinapiError) -> Self {
        match &error {
            FinapiError::Unreachable(_) | FinapiError::ServerError { .. } => {
                tracing::warn!(%error, "finAPI unavailable");
                ApiFailure::new(ApiErrorCode::FinapiUnavailable)
            }
            FinapiError::Unauthorized { .. } => {
                tracing::error!(%error, "finAPI refused our client credentials or token: check FINAPI_CLIENT_ID and FINAPI_CLIENT_SECRET");
                ApiFailure::new(ApiErrorCode::FinapiRefused)
            }
            FinapiError::Refused { .. } => {
                tracing::error!(%error, "finAPI refused a request the proxy built");
                ApiFailure::new(ApiErrorCode::FinapiRefused)
            }
            FinapiError::UnreadableAnswer(_) => {
                tracing::error!(%error, "finAPI's answer did not match its schema");
                ApiFailure::new(ApiErrorCode::Unexpected)
            }
        }
    }
}

/// The store (memory or Redis) failed: nothing the person can fix; the request id lets support find it.
impl From<StoreError> for ApiFailure {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "the session store failed");
        ApiFailure::new(ApiErrorCode::Unexpected)
    }
}
