//! Web Form 2.0 API: `POST /api/webForms/bankConnectionImport` and `GET /api/webForms/{id}`, with the
//! user's Access token.

use crate::call::Call;
use crate::errors::ApiError;
use crate::state::web_forms::{validate_import, FieldViolation};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finapi::{BankConnectionImportDetails, WebForm};

/// → 201 `WebForm`, `NOT_YET_OPENED`, valid for 20 minutes. An empty body means "all defaults".
pub async fn create_bank_connection_import(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<WebForm>), ApiError> {
    let (call, caller) = app.web_form_caller(call, &headers)?;
    let owner = caller.require_web_form_user(&call)?;
    let details: BankConnectionImportDetails = if body.iter().all(u8::is_ascii_whitespace) {
        BankConnectionImportDetails::default()
    } else {
        serde_json::from_slice(&body).map_err(|error| {
            call.web_form_validation(vec![FieldViolation {
                field: "body",
                message: format!(
                    "not a valid BankConnectionImportDetails (line {}, column {})",
                    error.line(),
                    error.column()
                ),
            }])
        })?
    };
    let request = validate_import(&details, app.mode()).map_err(|errors| call.web_form_validation(errors))?;
    let record = app.store().create_web_form(owner, request, call.now);
    tracing::info!("web form created");
    Ok((StatusCode::CREATED, Json(record.to_wire(app.base_url()))))
}

/// → 200 `WebForm` for its owner; 404 for anyone else, as for an unknown id.
pub async fn get(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<WebForm>, ApiError> {
    let (call, caller) = app.web_form_caller(call, &headers)?;
    let owner = caller.require_web_form_user(&call)?;
    let record = app.store().web_form_of(&id, owner, call.now);
    record
        .map(|record| Json(record.to_wire(app.base_url())))
        .ok_or_else(|| call.web_form_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Web form not found"))
}
