//! `GET /api/v2/clientConfiguration`: the calling client's configuration (app or admin client).

use crate::call::Call;
use crate::errors::ApiError;
use crate::EmulatorState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use finapi::ClientConfiguration;

pub async fn get(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
) -> Result<Json<ClientConfiguration>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let client = caller.require_client(&call)?;
    let configuration = app.store().client(client).configuration.clone();
    Ok(Json(configuration))
}
