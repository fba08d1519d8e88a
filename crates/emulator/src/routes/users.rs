//! `/api/v2/users`: create, verify, verification status and deleting an unverified user (app client);
//! read, change and delete one's own user (user token).

use super::json_body::json_body;
use crate::call::Call;
use crate::errors::ApiError;
use crate::state::deletion::DeleteUnverifiedError;
use crate::state::users::{validate_new_user, validate_update, CreateUserError, InvalidUpdate, VerifyError};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finapi::{ErrorCode, User, UserCreateParams, UserUpdateParams, VerificationStatusResource};
use serde::Deserialize;

/// `POST /api/v2/users` → 201 `User`, password in plain text (the only time finAPI shows it).
pub async fn create(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let client = caller.require_app_client(&call)?;
    let params: UserCreateParams = json_body(&call, &headers, &body)?;
    let new_user = validate_new_user(params).map_err(|invalid| call.bad_request(invalid.message()))?;
    let user = app
        .store()
        .create_user(client, new_user, call.now)
        .map_err(|error| match error {
            CreateUserError::Exists => call.access_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::EntityExists,
                "A user with this id already exists",
            ),
            CreateUserError::AutoUpdateNotAllowed => auto_update_not_allowed(&call),
        })?;
    tracing::info!(user = %user.id, "user created");
    Ok((StatusCode::CREATED, Json(user)))
}

/// `GET /api/v2/users` → the token's user, password masked.
pub async fn get_own(call: Call, State(app): State<EmulatorState>, headers: HeaderMap) -> Result<Json<User>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let user_id = caller.require_user(&call)?;
    let store = app.store();
    // A user token outlives nothing it speaks for (locking revokes it), so the user exists.
    let user = store
        .user(user_id)
        .ok_or_else(|| ApiError::invalid_token(crate::errors::INVALID_TOKEN_DESCRIPTION))?;
    Ok(Json(user.to_wire(false)))
}

/// `POST /api/v2/users/verify/{userId}` → 200, empty.
pub async fn verify(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    caller.require_app_client(&call)?;
    let result = app.store().verify_user(&user_id);
    result.map_err(|error| match error {
        VerifyError::Unknown => call.unknown_entity(format!("No user with id '{user_id}' exists")),
        VerifyError::AlreadyVerified => call.access_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::UserAlreadyVerified,
            "User already verified",
        ),
    })?;
    Ok(StatusCode::OK)
}

#[derive(Debug, Deserialize)]
struct VerificationStatusQuery {
    #[serde(rename = "userId")]
    user_id: Option<String>,
}

/// `GET /api/v2/users/verificationStatus?userId=…` → `VerificationStatusResource`.
pub async fn verification_status(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<VerificationStatusResource>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    caller.require_app_client(&call)?;
    let user_id = serde_urlencoded::from_str::<VerificationStatusQuery>(query.as_deref().unwrap_or(""))
        .ok()
        .and_then(|q| q.user_id)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| call.bad_request("Required parameter 'userId' is missing"))?;
    let status = app.store().verification_status(&user_id);
    status
        .map(Json)
        .ok_or_else(|| call.unknown_entity(format!("No user with id '{user_id}' exists")))
}

/// `PATCH /api/v2/users` → 200 `User` (password masked). `""` clears the email or phone.
pub async fn update_own(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<User>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let user_id = caller.require_user(&call)?;
    let params: UserUpdateParams = json_body(&call, &headers, &body)?;
    let update = validate_update(params).map_err(|invalid| match invalid {
        InvalidUpdate::Empty => call.bad_request("At least one field must have a non-null value"),
        InvalidUpdate::Field(field) => call.bad_request(field.message()),
    })?;
    let updated = app.store().update_user(caller.client(), user_id, update);
    match updated {
        Some(Ok(user)) => Ok(Json(user)),
        Some(Err(_)) => Err(auto_update_not_allowed(&call)),
        None => Err(ApiError::invalid_token(crate::errors::INVALID_TOKEN_DESCRIPTION)),
    }
}

/// `DELETE /api/v2/users` → 200, empty. Every client with a user synchronization URL is told.
pub async fn delete_own(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let user_id = caller.require_user(&call)?;
    let deleted = app.delete_and_notify(|store, now| {
        let deleted = store.delete_user(user_id, now);
        (deleted.is_some(), deleted.into_iter().collect())
    });
    if !deleted {
        return Err(ApiError::invalid_token(crate::errors::INVALID_TOKEN_DESCRIPTION));
    }
    tracing::info!("user deleted by itself");
    Ok(StatusCode::OK)
}

/// `DELETE /api/v2/users/{userId}` (app client) → 200, empty; only for a user who is not verified.
pub async fn delete_unverified(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    Path(user_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    caller.require_app_client(&call)?;
    let result = app.delete_and_notify(|store, now| {
        let result = store.delete_unverified_user(&user_id, now);
        let deleted = result.iter().cloned().collect();
        (result, deleted)
    });
    result.map_err(|error| match error {
        DeleteUnverifiedError::Unknown => call.unknown_entity(format!("No user with id '{user_id}' exists")),
        DeleteUnverifiedError::Verified => call.access_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::UserAlreadyVerified,
            "The user is already verified; only unverified users can be deleted by a client",
        ),
    })?;
    tracing::info!("unverified user deleted by a client");
    Ok(StatusCode::OK)
}

/// 422 `ILLEGAL_ENTITY_STATE`: `isAutoUpdateEnabled: true` while the client's batch update is off.
fn auto_update_not_allowed(call: &Call) -> ApiError {
    call.access_error(
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::IllegalEntityState,
        "The automatic update cannot be enabled: automatic batch update is disabled for this client",
    )
}
