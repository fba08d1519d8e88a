//! `GET /api/settings`: what the form needs before it renders, partly from the client configuration.

use crate::app::AppState;
use crate::error::ApiFailure;
use crate::request_id::RequestId;
use axum::extract::State;
use axum::{Extension, Json};
use finapi::PasswordPolicy;
use onboarding_api::FormSettings;

pub const LANGUAGES: [&str; 2] = ["de", "en"];

pub async fn form_settings(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
) -> Result<Json<FormSettings>, ApiFailure> {
    let configuration = state.client_auth.configuration(&request_id).await?;
    Ok(Json(FormSettings {
        auto_update_offered: configuration.is_automatic_batch_update_enabled,
        password: PasswordPolicy::ONBOARDING.into(),
        languages: LANGUAGES.map(String::from).to_vec(),
        parent_origins: state.parent_origins.to_vec(),
    }))
}
