//! Step 3, login: `POST /api/sessions` → finAPI's `password` grant. The finAPI tokens stay here; the form
//! gets an opaque session handle. `DELETE /api/sessions` ends the session.
//!
//! An unknown id and a wrong password get the same answer, so the form cannot be used to find out which
//! ids exist. Logins are rate limited per IP and per id. Logging out revokes the user's tokens at finAPI,
//! unless they were handed off to the partner already.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::client_ip::ClientIp;
use crate::error::ApiFailure;
use crate::finapi_client::FinapiError;
use crate::rate_limit::Action;
use crate::request_id::RequestId;
use crate::routes::user_creation::verify;
use crate::session_handle::SessionHandle;
use crate::tenants::CurrentTenant;
use crate::token_lifecycle;
use crate::user_tokens::UserTokens;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use finapi::{FieldError, UserId};
use onboarding_api::{ApiErrorCode, FieldProblem, FormField, LoginRequest, Session};

pub async fn log_in(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    client_ip: ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<Session>, ApiFailure> {
    state
        .rate_limiter
        .check(Action::LogIn, &client_ip, Some(&request.id))
        .await?;
    let user_id = checked_user_id(&request)?;
    let finapi = tenant.client_auth.finapi();
    let token = match finapi
        .user_token(user_id.as_str(), &request.password, &request_id)
        .await
    {
        Err(error) if error.is(StatusCode::FORBIDDEN, "USER_NOT_VERIFIED") => {
            // A sign-up whose verification did not go through (e.g. finAPI failed in between): finish it.
            let configuration = tenant.client_auth.configuration(&request_id).await?;
            if configuration.is_user_auto_verification_enabled {
                return Err(error.into());
            }
            verify(&tenant, user_id.as_str(), &request_id).await?;
            finapi
                .user_token(user_id.as_str(), &request.password, &request_id)
                .await
        }
        other => other,
    }
    .map_err(login_failure)?;
    let now = state.clock.now();
    let tokens = UserTokens::issued(token, now);
    let configuration = tenant.client_auth.configuration(&request_id).await?;
    let lifetime = token_lifecycle::session_lifetime(&configuration, &tokens, now);
    let (handle, _) = state
        .sessions
        .start(&tenant.id, user_id.as_str().to_owned(), tokens, lifetime)
        .await?;
    tracing::info!(user_id = %user_id, "user logged in");
    Ok(Json(Session {
        session: handle,
        user_id: user_id.as_str().to_owned(),
        expires_in: lifetime.whole_seconds().max(0) as u64,
    }))
}

/// Leaving the form: the session ends and, unless a handoff took them over, the tokens are revoked.
pub async fn log_out(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    SessionHandle(handle): SessionHandle,
) -> Result<StatusCode, ApiFailure> {
    if let Some(session) = state.sessions.end(&handle).await? {
        if session.handoff_code.is_none() {
            token_lifecycle::revoke_for(&state, &session.tenant, &session.tokens, &request_id).await;
        }
        tracing::info!(user_id = %session.user_id, "user logged out");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Empty fields are the person's to fix; an id that cannot exist is just wrong credentials.
fn checked_user_id(request: &LoginRequest) -> Result<UserId, ApiFailure> {
    let mut missing = Vec::new();
    if request.id.trim().is_empty() {
        missing.push(FieldProblem {
            field: FormField::Id,
            problem: FieldError::Missing,
        });
    }
    if request.password.is_empty() {
        missing.push(FieldProblem {
            field: FormField::Password,
            problem: FieldError::Missing,
        });
    }
    if !missing.is_empty() {
        return Err(ApiFailure::invalid_input(missing));
    }
    UserId::parse(&request.id).map_err(|_| ApiFailure::new(ApiErrorCode::WrongCredentials))
}

/// finAPI answers bad user credentials with 400 and a locked user with 423.
fn login_failure(error: FinapiError) -> ApiFailure {
    match error.status() {
        Some(StatusCode::BAD_REQUEST) => ApiFailure::new(ApiErrorCode::WrongCredentials),
        Some(StatusCode::LOCKED) => ApiFailure::new(ApiErrorCode::AccountLocked),
        _ => error.into(),
    }
}
