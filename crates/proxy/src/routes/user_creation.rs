//! Step 2, user creation: `POST /api/users` → finAPI `POST /api/v2/users` with the client token.
//! The request is checked again with the same rules the form ran; when the client does not verify new
//! users automatically, the proxy verifies the new user right away, so the person can log in. Sign-ups
//! are rate limited per IP and per id.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::client_ip::ClientIp;
use crate::error::ApiFailure;
use crate::rate_limit::Action;
use crate::request_id::RequestId;
use crate::tenants::{CurrentTenant, Tenant};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use onboarding_api::{ApiErrorCode, CreateUserRequest, CreatedUser};
use secrecy::ExposeSecret;

pub async fn create_user(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    client_ip: ClientIp,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiFailure> {
    state
        .rate_limiter
        .check(Action::SignUp, &client_ip, Some(&request.id))
        .await?;
    let sign_up = request.validate().map_err(ApiFailure::invalid_input)?;
    let configuration = tenant.client_auth.configuration(&request_id).await?;
    if sign_up.auto_update && !configuration.is_automatic_batch_update_enabled {
        // The form only offers the choice when the client allows it.
        return Err(ApiFailure::new(ApiErrorCode::MalformedRequest));
    }
    let (finapi, params, request_id) = (tenant.client_auth.finapi(), &sign_up.to_finapi(), &request_id);
    let user = tenant
        .client_auth
        .with_client_token(request_id, |token| async move {
            finapi.create_user(token.expose_secret(), params, request_id).await
        })
        .await
        .map_err(
            |error| match error.is(StatusCode::UNPROCESSABLE_ENTITY, "ENTITY_EXISTS") {
                true => ApiFailure::new(ApiErrorCode::UserIdTaken),
                false => error.into(),
            },
        )?;
    if !configuration.is_user_auto_verification_enabled {
        verify(&tenant, &user.id, request_id).await?;
    }
    tracing::info!(user_id = %user.id, "user created");
    Ok((StatusCode::CREATED, Json(CreatedUser { id: user.id })))
}

/// `POST /api/v2/users/verify/{userId}`; an already verified user is fine.
pub async fn verify(tenant: &Tenant, user_id: &str, request_id: &RequestId) -> Result<(), ApiFailure> {
    let finapi = tenant.client_auth.finapi();
    let verified = tenant
        .client_auth
        .with_client_token(request_id, |token| async move {
            finapi.verify_user(token.expose_secret(), user_id, request_id).await
        })
        .await;
    match verified {
        Err(error) if !error.is(StatusCode::UNPROCESSABLE_ENTITY, "USER_ALREADY_VERIFIED") => Err(error.into()),
        _ => Ok(()),
    }
}
