//! The form's JSON API, one module per step of the flow.

pub mod callbacks;
pub mod form_settings;
pub mod handoff;
pub mod health;
pub mod loader;
pub mod login;
pub mod password_reset;
pub mod user_creation;

use crate::error::ApiFailure;
use onboarding_api::ApiErrorCode;

/// Any other path under `/api`.
pub async fn not_found() -> ApiFailure {
    ApiFailure::new(ApiErrorCode::NotFound)
}
