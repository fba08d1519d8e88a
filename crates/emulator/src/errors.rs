//! Error answers, each in the format of the API that gives it:
//! - Access V2: `ErrorMessage` for every status but 401, and `BadCredentialsError` for 401;
//! - Web Form 2.0: its own `Error` and, for 400, `ValidationError`.
//!
//! Bodies are built by [`crate::call::Call`], which knows the request id, endpoint, time and caller.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use finapi::{BadCredentialsError, ErrorCode, ErrorMessage, ErrorType, WebFormError};
use serde::{Deserialize, Serialize};

/// Web Form 2.0 `ValidationError` (400). Not in the `finapi` crate, so defined here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormValidationError {
    pub errors: Vec<InvalidFieldError>,
    /// `yyyy-MM-dd'T'HH:mm:ss.SSSZ`.
    pub timestamp: String,
    pub endpoint: String,
}

/// Web Form 2.0 `InvalidFieldError`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidFieldError {
    pub field: String,
    pub message: String,
}

/// Bodies are boxed: an `ApiError` travels in every handler's `Result`, and should stay small.
#[derive(Debug)]
pub enum ApiError {
    /// Access: any status but 401.
    Access(StatusCode, Box<ErrorMessage>),
    /// Access: 401, for bad client credentials and missing, unknown or expired tokens.
    Unauthorized(BadCredentialsError),
    /// Web Form 2.0 `Error`.
    WebForm(StatusCode, Box<WebFormError>),
    /// Web Form 2.0 400.
    WebFormValidation(Box<WebFormValidationError>),
}

/// What a 401 says about a token. Deliberately the same for unknown and expired tokens, and never the
/// token itself.
pub const INVALID_TOKEN_DESCRIPTION: &str = "Invalid access token";
pub const MISSING_TOKEN_DESCRIPTION: &str = "Full authentication is required to access this resource";

impl ApiError {
    /// 401 for a client id/secret pair that matches no client (including a missing one).
    pub fn invalid_client() -> Self {
        ApiError::Unauthorized(BadCredentialsError {
            error: "invalid_client".into(),
            error_description: "Bad client credentials".into(),
        })
    }

    /// 401 for a request without a usable bearer token.
    pub fn invalid_token(description: &str) -> Self {
        ApiError::Unauthorized(BadCredentialsError {
            error: "invalid_token".into(),
            error_description: description.into(),
        })
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Access(status, _) | ApiError::WebForm(status, _) => *status,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::WebFormValidation(_) => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Access(_, body) => (status, Json(ErrorMessageBody::from(body.as_ref()))).into_response(),
            ApiError::Unauthorized(body) => {
                let challenge = bearer_challenge(&body);
                let mut response = (status, Json(body)).into_response();
                if let Some(challenge) = challenge {
                    response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
                }
                response
            }
            ApiError::WebForm(_, body) => (status, Json(body)).into_response(),
            ApiError::WebFormValidation(body) => (status, Json(body)).into_response(),
        }
    }
}

/// `ErrorMessage` as finAPI's schema has it: `bank` and `ErrorDetails.multiStepAuthentication` are
/// required (nullable), so they are sent as `null` rather than left out (the shared `finapi` type leaves
/// `bank` out when it is empty, and has no `multiStepAuthentication`, which no emulated error needs).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorMessageBody<'a> {
    errors: Vec<ErrorDetailsBody<'a>>,
    date: &'a str,
    request_id: &'a str,
    endpoint: &'a str,
    auth_context: &'a str,
    bank: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorDetailsBody<'a> {
    message: Option<&'a str>,
    code: ErrorCode,
    #[serde(rename = "type")]
    error_type: ErrorType,
    multi_step_authentication: Option<()>,
}

impl<'a> From<&'a ErrorMessage> for ErrorMessageBody<'a> {
    fn from(message: &'a ErrorMessage) -> Self {
        ErrorMessageBody {
            errors: message
                .errors
                .iter()
                .map(|details| ErrorDetailsBody {
                    message: details.message.as_deref(),
                    code: details.code,
                    error_type: details.error_type,
                    multi_step_authentication: None,
                })
                .collect(),
            date: &message.date,
            request_id: &message.request_id,
            endpoint: &message.endpoint,
            auth_context: &message.auth_context,
            bank: message.bank.as_deref(),
        }
    }
}

/// RFC 6750's `WWW-Authenticate: Bearer …` for token errors (not for bad client credentials).
fn bearer_challenge(body: &BadCredentialsError) -> Option<HeaderValue> {
    (body.error == "invalid_token")
        .then(|| {
            HeaderValue::from_str(&format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                body.error_description
            ))
            .ok()
        })
        .flatten()
}
