//! Web Form 2.0 API with the user's Access token: `POST /api/webForms/bankConnectionImport`,
//! `GET /api/webForms` (the user's forms, paged), `GET` and `DELETE /api/webForms/{id}`. Errors are in
//! Web Form's own format (`Error`, and `ValidationError` for 400).

use crate::call::Call;
use crate::callbacks::send_expired_web_forms;
use crate::errors::ApiError;
use crate::state::web_forms::{validate_import, CreatedAtOrder, FieldViolation};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use finapi::{BankConnectionImportDetails, Paging, WebForm, WebFormsPage};

/// Web Form 2.0 documents no maximum page size; the emulator uses Access's (500).
const MAX_PER_PAGE: usize = 500;
const DEFAULT_PER_PAGE: usize = 20;

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
    send_expired_web_forms(&app);
    record
        .map(|record| Json(record.to_wire(app.base_url())))
        .ok_or_else(|| not_found(&call))
}

/// → 200, empty; the page at the form's URL is gone too. 404 for anyone but the owner.
pub async fn delete(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (call, caller) = app.web_form_caller(call, &headers)?;
    let owner = caller.require_web_form_user(&call)?;
    if app.store().delete_web_form(&id, owner) {
        tracing::info!("web form deleted");
        Ok(StatusCode::OK)
    } else {
        Err(not_found(&call))
    }
}

/// `GET /api/webForms?order=createdAt,desc&page=1&perPage=20` → 200 `WebFormsPage` of the user's forms.
pub async fn list(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Json<WebFormsPage>, ApiError> {
    let (call, caller) = app.web_form_caller(call, &headers)?;
    let owner = caller.require_web_form_user(&call)?;
    let query = ListQuery::parse(query.as_deref().unwrap_or("")).map_err(|errors| call.web_form_validation(errors))?;
    let (forms, total) = app
        .store()
        .web_forms_of(owner, query.order, query.page, query.per_page, call.now);
    send_expired_web_forms(&app);
    let to_i32 = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    Ok(Json(WebFormsPage {
        items: forms.iter().map(|form| form.to_wire(app.base_url())).collect(),
        paging: Paging {
            page: to_i32(query.page),
            per_page: to_i32(query.per_page),
            page_count: to_i32(total.div_ceil(query.per_page)),
            total_count: i64::try_from(total).unwrap_or(i64::MAX),
        },
    }))
}

fn not_found(call: &Call) -> ApiError {
    call.web_form_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Web form not found")
}

struct ListQuery {
    order: CreatedAtOrder,
    page: usize,
    per_page: usize,
}

impl ListQuery {
    /// Every problem is reported, as Web Form's `ValidationError` lists them all.
    fn parse(query: &str) -> Result<Self, Vec<FieldViolation>> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let mut parsed = ListQuery {
            order: CreatedAtOrder::Ascending,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        };
        let mut violations = Vec::new();
        for (name, value) in &pairs {
            match name.as_str() {
                "page" => match value.parse::<usize>() {
                    Ok(page) if page >= 1 && i32::try_from(page).is_ok() => parsed.page = page,
                    _ => violations.push(violation("page", "must be a number greater than or equal to 1")),
                },
                "perPage" => match value.parse::<usize>() {
                    Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => parsed.per_page = n,
                    _ => violations.push(violation("perPage", &format!("must be between 1 and {MAX_PER_PAGE}"))),
                },
                "order" => match order(value) {
                    Some(order) => parsed.order = order,
                    None => violations.push(violation(
                        "order",
                        "must be 'createdAt', 'createdAt,asc' or 'createdAt,desc'",
                    )),
                },
                _ => {}
            }
        }
        if violations.is_empty() {
            Ok(parsed)
        } else {
            Err(violations)
        }
    }
}

fn violation(field: &'static str, message: &str) -> FieldViolation {
    FieldViolation {
        field,
        message: message.to_owned(),
    }
}

fn order(value: &str) -> Option<CreatedAtOrder> {
    let (property, direction) = value.split_once(',').unwrap_or((value, "asc"));
    if property != "createdAt" {
        return None;
    }
    match direction.to_ascii_lowercase().as_str() {
        "asc" => Some(CreatedAtOrder::Ascending),
        "desc" => Some(CreatedAtOrder::Descending),
        _ => None,
    }
}
