//! `/api/v2/users`: create (app client), read one's own (user), verify and verification status (app
//! client).

use crate::call::Call;
use crate::errors::ApiError;
use crate::state::users::{validate_new_user, CreateUserError, VerifyError};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use finapi::{ErrorCode, User, UserCreateParams, VerificationStatusResource};
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
    let user = app.store().create_user(client, new_user).map_err(|error| match error {
        CreateUserError::Exists => call.access_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::EntityExists,
            "A user with this id already exists",
        ),
        CreateUserError::AutoUpdateNotAllowed => call.access_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::IllegalEntityState,
            "The automatic update cannot be enabled: automatic batch update is disabled for this client",
        ),
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

/// A JSON request body: 415 for another content type, 400 if it does not parse. The parser's message is
/// reduced to a position, so no value from the body (a password, say) is echoed.
fn json_body<T: serde::de::DeserializeOwned>(call: &Call, headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| {
            let essence = essence.trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        });
    if !is_json {
        return Err(call.access_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "The Content-Type must be 'application/json'",
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(call.bad_request("Required request body is missing"));
    }
    serde_json::from_slice(body).map_err(|error| {
        call.bad_request(format!(
            "The request body is not valid (line {}, column {})",
            error.line(),
            error.column()
        ))
    })
}
