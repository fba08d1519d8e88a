//! Step 2, user creation: `POST /api/users` → finAPI `POST /api/v2/users` with the client token.
//! The request is checked again with the same rules the form ran; when the client does not verify new
//! users automatically, the proxy verifies the new user right away, so the person can log in.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::error::ApiFailure;
use crate::request_id::RequestId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use onboarding_api::{ApiErrorCode, CreateUserRequest, CreatedUser};
use secrecy::ExposeSecret;

pub async fn create_user(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiFailure> {
    let sign_up = request.validate().map_err(ApiFailure::invalid_input)?;
    let configuration = state.client_auth.configuration(&request_id).await?;
    if sign_up.auto_update && !configuration.is_automatic_batch_update_enabled {
        // The form only offers the choice when the client allows it.
        return Err(ApiFailure::new(ApiErrorCode::MalformedRequest));
    }
    let (finapi, params, request_id) = (state.client_auth.finapi(), &sign_up.to_finapi(), &request_id);
    let user = state
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
        verify(&state, &user.id, request_id).await?;
    }
    tracing::info!(user_id = %user.id, "user created");
    Ok((StatusCode::CREATED, Json(CreatedUser { id: user.id })))
}

/// `POST /api/v2/users/verify/{userId}`; an already verified user is fine.
pub async fn verify(state: &AppState, user_id: &str, request_id: &RequestId) -> Result<(), ApiFailure> {
    let finapi = state.client_auth.finapi();
    let verified = state
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
