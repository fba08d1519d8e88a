//! `POST /api/v2/users/requestPasswordChange` and `…/executePasswordChange` (app client): a client sets
//! a new password for a user, which is also how a locked user is unlocked.

use super::json_body::json_body;
use crate::call::Call;
use crate::errors::ApiError;
use crate::state::password_change::{ExecuteError, RequestError};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finapi::{
    ErrorCode, ExecutePasswordChangeParams, PasswordChangingResource, PasswordPolicy, RequestPasswordChangeParams,
    UserId,
};

/// → 200 `PasswordChangingResource`, token and email encrypted with the calling client's data
/// decryption key.
pub async fn request(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PasswordChangingResource>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let client = caller.require_app_client(&call)?;
    let params: RequestPasswordChangeParams = json_body(&call, &headers, &body)?;
    UserId::parse(&params.user_id).map_err(|_| call.bad_request("'userId' is not a valid user identifier"))?;
    let result = app.store().request_password_change(client, &params.user_id);
    let resource = result.map_err(|error| match error {
        RequestError::Unknown | RequestError::NoKey => {
            call.unknown_entity(format!("No user with id '{}' exists", params.user_id))
        }
        RequestError::NotVerified => call.access_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::UserNotVerified,
            "User is not verified",
        ),
    })?;
    tracing::info!("password change requested");
    Ok(Json(resource))
}

/// → 200, empty. Revokes all of the user's tokens, unlocks the user and resets the failed-login count.
pub async fn execute(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    caller.require_app_client(&call)?;
    let params: ExecutePasswordChangeParams = json_body(&call, &headers, &body)?;
    UserId::parse(&params.user_id).map_err(|_| call.bad_request("'userId' is not a valid user identifier"))?;
    if !is_decrypted_token(&params.password_change_token) {
        return Err(call.bad_request(
            "'passwordChangeToken' must be the decrypted token ([0-9a-f-]); decrypt it with your data decryption key",
        ));
    }
    PasswordPolicy::FINAPI.check(&params.password).map_err(|error| {
        call.bad_request(
            crate::state::users::InvalidField {
                field: "password",
                error,
            }
            .message(),
        )
    })?;
    let result =
        app.store()
            .execute_password_change(&params.user_id, &params.password_change_token, params.password.clone());
    result.map_err(|error| match error {
        ExecuteError::Unknown => call.unknown_entity(format!("No user with id '{}' exists", params.user_id)),
        ExecuteError::WrongToken => call.bad_request("'passwordChangeToken' is not valid for this user"),
    })?;
    tracing::info!("password changed by a client");
    Ok(StatusCode::OK)
}

/// finAPI's pattern for the decrypted token: `[0-9a-f\-]*`, and not empty.
fn is_decrypted_token(token: &str) -> bool {
    !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-')
}
