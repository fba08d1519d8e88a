//! The HTTP surface: Access V2 under `/api/v2`, Web Form 2.0 under `/api/webForms`, and the web form page
//! a browser opens under `/wf/{id}`. All on one host: `base_url` serves as both finAPI hosts.

pub mod client_configuration;
pub mod json_body;
pub mod mandator_admin;
pub mod oauth;
pub mod password_change;
pub mod users;
pub mod web_form_page;
pub mod web_forms;

use crate::call::Call;
use crate::{html, request_id, EmulatorState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, MethodRouter};
use axum::{middleware, Router};
use finapi::ErrorCode;

pub fn router(state: EmulatorState) -> Router {
    Router::new()
        .route("/api/v2/oauth/token", api(post(oauth::token)))
        .route("/api/v2/oauth/revoke", api(post(oauth::revoke)))
        .route(
            "/api/v2/users",
            api(post(users::create)
                .get(users::get_own)
                .patch(users::update_own)
                .delete(users::delete_own)),
        )
        .route("/api/v2/users/{user_id}", api(delete(users::delete_unverified)))
        .route("/api/v2/users/verify/{user_id}", api(post(users::verify)))
        .route("/api/v2/users/verificationStatus", api(get(users::verification_status)))
        .route(
            "/api/v2/users/requestPasswordChange",
            api(post(password_change::request)),
        )
        .route(
            "/api/v2/users/executePasswordChange",
            api(post(password_change::execute)),
        )
        .route(
            "/api/v2/clientConfiguration",
            api(get(client_configuration::get).patch(client_configuration::patch)),
        )
        .route(
            "/api/v2/mandatorAdmin/getUserList",
            api(get(mandator_admin::get_user_list)),
        )
        .route(
            "/api/v2/mandatorAdmin/deleteUsers",
            api(post(mandator_admin::delete_users)),
        )
        .route(
            "/api/webForms/bankConnectionImport",
            api(post(web_forms::create_bank_connection_import)),
        )
        .route("/api/webForms", api(get(web_forms::list)))
        .route("/api/webForms/{id}", api(get(web_forms::get).delete(web_forms::delete)))
        .route("/wf/{id}", get(web_form_page::show).post(web_form_page::submit))
        .route(html::STYLESHEET_PATH, get(web_form_page::stylesheet))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), request_id::middleware))
        .with_state(state)
}

/// An API route: a method it does not serve gets an error body in the API's format, not an empty 405.
fn api(route: MethodRouter<EmulatorState>) -> MethodRouter<EmulatorState> {
    route.fallback(method_not_allowed)
}

fn is_web_form_api(path: &str) -> bool {
    path == "/api/webForms" || path.starts_with("/api/webForms/")
}

/// 405: Access `METHOD_NOT_ALLOWED`, or Web Form `NOT_ALLOWED`.
async fn method_not_allowed(call: Call) -> Response {
    let message = format!("Request method is not supported: {}", call.endpoint);
    if is_web_form_api(&call.path) {
        call.web_form_error(StatusCode::METHOD_NOT_ALLOWED, "NOT_ALLOWED", message)
    } else {
        call.access_error(StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, message)
    }
    .into_response()
}

/// 404 for paths the emulator does not serve: Web Form `NOT_FOUND` under `/api/webForms`, Access
/// `UNKNOWN_ENTITY` elsewhere under `/api`, and a small HTML page outside the APIs.
async fn not_found(call: Call) -> Response {
    if is_web_form_api(&call.path) {
        call.web_form_error(StatusCode::NOT_FOUND, "NOT_FOUND", "Resource not found")
            .into_response()
    } else if call.path == "/api" || call.path.starts_with("/api/") {
        call.unknown_entity("Resource not found").into_response()
    } else {
        html::message_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "The finAPI emulator has nothing at this address.",
            None,
        )
    }
}
