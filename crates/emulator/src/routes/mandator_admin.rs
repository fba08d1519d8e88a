//! `/api/v2/mandatorAdmin/…` (mandator admin client only): the user list and deleting users.

use super::json_body::json_body;
use crate::call::Call;
use crate::errors::ApiError;
use crate::state::user_list::UserListQuery;
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finapi::{ErrorCode, PageableUserInfoList, UserIdentifiersList, UserIdentifiersParams};

/// `GET /api/v2/mandatorAdmin/getUserList` → 200 `PageableUserInfoList`.
pub async fn get_user_list(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<PageableUserInfoList>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    caller.require_admin_client(&call)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|_| call.bad_request("The query string is not valid"))?;
    let query = UserListQuery::parse(&pairs).map_err(|invalid| {
        if invalid.is_page_size {
            call.access_error(StatusCode::BAD_REQUEST, ErrorCode::IllegalPageSize, invalid.to_string())
        } else {
            call.bad_request(invalid.to_string())
        }
    })?;
    let list = app.store().user_list(&query, call.now);
    Ok(Json(list))
}

/// `POST /api/v2/mandatorAdmin/deleteUsers` → 200 `UserIdentifiersList`; unknown ids are ignored, and
/// every client with a user synchronization URL is told about each deleted user.
pub async fn delete_users(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<UserIdentifiersList>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    caller.require_admin_client(&call)?;
    let params: UserIdentifiersParams = json_body(&call, &headers, &body)?;
    let list = app.delete_and_notify(|store, now| {
        let list = store.delete_users(&params.user_ids, now);
        let deleted = list.deleted_users.clone();
        (list, deleted)
    });
    tracing::info!(
        deleted = list.deleted_users.len(),
        "users deleted by the mandator admin"
    );
    Ok(Json(list))
}
