//! `GET` and `PATCH /api/v2/clientConfiguration`: the calling client's configuration (app or admin
//! client). A PATCH changes only the settings a client may change (see [`crate::settings`]); new token
//! lifetimes apply to tokens issued afterwards.

use super::json_body::json_body;
use crate::call::Call;
use crate::errors::ApiError;
use crate::settings;
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use finapi::ClientConfiguration;
use serde_json::{Map, Value};

pub async fn get(call: Call, State(app): State<EmulatorState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let client = caller.require_client(&call)?;
    let configuration = app.store().client(client).configuration.clone();
    Ok(Json(wire(&configuration)))
}

pub async fn patch(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let client = caller.require_client(&call)?;
    let body: Map<String, Value> = json_body(&call, &headers, &body)?;
    let params = settings::parse_patch(&body).map_err(|invalid| call.bad_request(invalid.to_string()))?;
    settings::check_params(&params, app.mode()).map_err(|invalid| call.bad_request(invalid.to_string()))?;
    let configuration = {
        let mut store = app.store();
        let configuration = &mut store.client_mut(client).configuration;
        settings::apply(configuration, params);
        configuration.clone()
    };
    tracing::info!("client configuration changed");
    Ok(Json(wire(&configuration)))
}

/// The configuration as finAPI answers it: a stored FinTS product registration number shows as
/// `"XXXXX"`, and the schema's nullable fields that the shared type may leave out are sent as `null`.
fn wire(configuration: &ClientConfiguration) -> Value {
    let mut shown = configuration.clone();
    if shown.fin_ts_product_registration_number.is_some() {
        shown.fin_ts_product_registration_number = Some("XXXXX".into());
    }
    let mut value = serde_json::to_value(&shown).unwrap_or(Value::Null);
    if let Some(object) = value.as_object_mut() {
        for field in [
            "finTSProductRegistrationNumber",
            "corsAllowedOrigins",
            "categoryRestrictions",
        ] {
            object.entry(field).or_insert(Value::Null);
        }
    }
    value
}
