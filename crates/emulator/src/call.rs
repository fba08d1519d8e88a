//! What every handler knows about the request it answers, and the error bodies built from it.
//!
//! finAPI's `ErrorMessage` carries the request id, the endpoint (`"METHOD /path"`), the date and the
//! `authContext` (`"<client#>/<user#>"`). A handler starts with a [`Call`] (an extractor), adds the
//! auth context once it knows the caller, and builds its errors from it.

use crate::errors::{ApiError, InvalidFieldError, WebFormValidationError};
use crate::format::{rfc3339_millis, web_form_timestamp};
use crate::request_id::RequestId;
use crate::state::web_forms::FieldViolation;
use crate::EmulatorState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use finapi::{ErrorCode, ErrorDetails, ErrorMessage, ErrorType, WebFormError};
use std::convert::Infallible;
use time::OffsetDateTime;

/// `authContext` before the caller is known. See the README: `-` stands for "unknown" on either side.
pub const UNKNOWN_AUTH_CONTEXT: &str = "-/-";

#[derive(Debug, Clone)]
pub struct Call {
    pub request_id: String,
    pub path: String,
    /// `"METHOD /path"` (no query string).
    pub endpoint: String,
    /// When the request arrived, from the emulator's clock.
    pub now: OffsetDateTime,
    auth_context: String,
}

impl Call {
    pub fn new(request_id: String, method: &Method, path: &str, now: OffsetDateTime) -> Self {
        Call {
            request_id,
            path: path.to_owned(),
            endpoint: format!("{method} {path}"),
            now,
            auth_context: UNKNOWN_AUTH_CONTEXT.to_owned(),
        }
    }

    /// The same call, now attributed to a caller (`"1/-"` for a client, `"1/21"` for a user).
    pub fn with_auth_context(mut self, auth_context: String) -> Self {
        self.auth_context = auth_context;
        self
    }

    /// An Access `ErrorMessage` with one error. All emulated errors are `TECHNICAL` (for developers).
    pub fn access_error(&self, status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError::Access(
            status,
            Box::new(ErrorMessage {
                errors: vec![ErrorDetails {
                    message: Some(message.into()),
                    code,
                    error_type: ErrorType::Technical,
                }],
                date: rfc3339_millis(self.now),
                request_id: self.request_id.clone(),
                endpoint: self.endpoint.clone(),
                auth_context: self.auth_context.clone(),
                bank: None,
            }),
        )
    }

    /// 400 `BAD_REQUEST`.
    pub fn bad_request(&self, message: impl Into<String>) -> ApiError {
        self.access_error(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// 403 `UNAUTHORIZED_ACCESS` "Access is denied": a token of the wrong role.
    pub fn access_denied(&self) -> ApiError {
        self.access_error(StatusCode::FORBIDDEN, ErrorCode::UnauthorizedAccess, "Access is denied")
    }

    /// 404 `UNKNOWN_ENTITY`.
    pub fn unknown_entity(&self, message: impl Into<String>) -> ApiError {
        self.access_error(StatusCode::NOT_FOUND, ErrorCode::UnknownEntity, message)
    }

    /// A Web Form 2.0 `Error`, e.g. code `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`.
    pub fn web_form_error(&self, status: StatusCode, code: &str, description: impl Into<String>) -> ApiError {
        ApiError::WebForm(
            status,
            Box::new(WebFormError {
                code: code.to_owned(),
                description: description.into(),
                timestamp: web_form_timestamp(self.now),
                endpoint: self.endpoint.clone(),
            }),
        )
    }

    /// A Web Form 2.0 400 `ValidationError`.
    pub fn web_form_validation(&self, violations: Vec<FieldViolation>) -> ApiError {
        ApiError::WebFormValidation(Box::new(WebFormValidationError {
            errors: violations
                .into_iter()
                .map(|v| InvalidFieldError {
                    field: v.field.to_owned(),
                    message: v.message,
                })
                .collect(),
            timestamp: web_form_timestamp(self.now),
            endpoint: self.endpoint.clone(),
        }))
    }
}

impl FromRequestParts<EmulatorState> for Call {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &EmulatorState) -> Result<Self, Self::Rejection> {
        // The request-id middleware always runs first; the fallback only matters for a router built
        // without it.
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .map_or_else(crate::request_id::generate, |id| id.0.clone());
        Ok(Call::new(request_id, &parts.method, parts.uri.path(), state.now()))
    }
}
