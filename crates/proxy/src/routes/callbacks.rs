//! finAPI's callbacks, server to server. finAPI does not sign them, so their URLs carry an unguessable
//! secret (`PROXY_CALLBACK_SECRET`); a wrong secret gets the same 404 as an unknown path.
//!
//! - `POST /api/callbacks/{secret}/user-synchronization` `{userId, event: "DELETED"}`: the user is gone at
//!   finAPI, so their sessions end and their handoff codes are dropped;
//! - `POST /api/callbacks/{secret}/web-form` `{webFormId, status}` (the Web Form's `callbacks.finalised`):
//!   the status is kept for an hour for the form's done step, which reads it from
//!   `GET /api/web-forms/{id}`.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::error::ApiFailure;
use crate::tenants::CurrentTenant;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use finapi::{UserSynchronizationCallback, UserSynchronizationEvent, WebFormCompletedCallback, WebFormStatus};
use onboarding_api::{ApiErrorCode, WebFormProgress};
use time::Duration;

/// Long enough for the done step to show it, short enough not to keep a record of people's bank links.
const WEB_FORM_STATUS_KEPT_FOR: Duration = Duration::hours(1);

pub async fn user_synchronization(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Path(secret): Path<String>,
    ApiJson(callback): ApiJson<UserSynchronizationCallback>,
) -> Result<StatusCode, ApiFailure> {
    authenticate(&state, &secret)?;
    state
        .metrics
        .count("onboarding_callbacks_total", &[("kind", "user_synchronization")]);
    if callback.event != UserSynchronizationEvent::Deleted {
        return Ok(StatusCode::OK);
    }
    let ended = state.sessions.end_all_of(&tenant.id, &callback.user_id).await?;
    state.handoff_codes.drop_all_of(&tenant.id, &callback.user_id).await?;
    tracing::info!(user_id = %callback.user_id, ended, "finAPI deleted the user: sessions ended, handoff codes dropped");
    Ok(StatusCode::OK)
}

pub async fn web_form_finalised(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    ApiJson(callback): ApiJson<WebFormCompletedCallback>,
) -> Result<StatusCode, ApiFailure> {
    authenticate(&state, &secret)?;
    state
        .metrics
        .count("onboarding_callbacks_total", &[("kind", "web_form")]);
    if !is_web_form_id(&callback.web_form_id) {
        return Err(ApiFailure::new(ApiErrorCode::MalformedRequest));
    }
    let status = serde_json::to_string(&callback.status).unwrap_or_default();
    state
        .store
        .put(&key(&callback.web_form_id), &status, WEB_FORM_STATUS_KEPT_FOR)
        .await?;
    tracing::info!(status = %status, "Web Form finalised");
    Ok(StatusCode::OK)
}

/// `GET /api/web-forms/{id}`: the id (a UUID, finAPI's own secret in the Web Form's URL) is the key.
pub async fn web_form_progress(
    State(state): State<AppState>,
    Path(web_form_id): Path<String>,
) -> Result<Json<WebFormProgress>, ApiFailure> {
    if !is_web_form_id(&web_form_id) {
        return Err(ApiFailure::new(ApiErrorCode::NotFound));
    }
    let status = state
        .store
        .get(&key(&web_form_id))
        .await?
        .and_then(|json| serde_json::from_str::<WebFormStatus>(&json).ok());
    Ok(Json(WebFormProgress { status }))
}

fn authenticate(state: &AppState, secret: &str) -> Result<(), ApiFailure> {
    match &state.callback_secret {
        Some(expected) if expected.matches(secret) => Ok(()),
        _ => {
            tracing::warn!("a callback with a wrong secret, or callbacks are not configured");
            Err(ApiFailure::new(ApiErrorCode::NotFound))
        }
    }
}

/// finAPI's Web Form ids are UUIDs.
fn is_web_form_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

fn key(web_form_id: &str) -> String {
    format!("webform:{}", web_form_id.to_lowercase())
}
