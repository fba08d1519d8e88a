//! `GET /api/settings`: what the form needs before it renders, partly from the client configuration;
//! `GET /api/tenant`: the tenant's id, theme and support contact.

use crate::app::AppState;
use crate::error::ApiFailure;
use crate::request_id::RequestId;
use crate::tenants::CurrentTenant;
use axum::extract::State;
use axum::{Extension, Json};
use finapi::PasswordPolicy;
use onboarding_api::settings::LANGUAGES;
use onboarding_api::{FormSettings, TenantSettings};

pub async fn form_settings(
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
) -> Result<Json<FormSettings>, ApiFailure> {
    let configuration = tenant.client_auth.configuration(&request_id).await?;
    Ok(Json(FormSettings {
        auto_update_offered: configuration.is_automatic_batch_update_enabled,
        password: PasswordPolicy::ONBOARDING.into(),
        languages: LANGUAGES.map(String::from).to_vec(),
        parent_origins: tenant.parent_origins.clone(),
    }))
}

pub async fn tenant_settings(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
) -> Json<TenantSettings> {
    Json(tenant.settings(state.mailer.is_some()))
}
