//! `/wf/{id}`: the page a person opens in a browser to finish a pretend bank connection.
//!
//! `GET` opens the form (once: `NOT_YET_OPENED → IN_PROGRESS`). `POST` (form-urlencoded `action=connect`
//! with `login` and `pin`, or `action=cancel`) ends it: `COMPLETED` with a bank connection id for the
//! finAPI Test Bank's credentials, `ABORTED` on cancel. A final status is reported to
//! `callbacks.finalised`, then the browser is sent to `redirectUrl` (303) or shown a closing page.

use crate::callbacks::{send_expired_web_forms, send_web_form_finalised};
use crate::html::{self, origin_of};
use crate::state::web_forms::{Finished, PageAction, PageError, SubmitOutcome};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use finapi::WebFormStatus;
use serde::Deserialize;

pub async fn show(State(app): State<EmulatorState>, Path(id): Path<String>) -> Response {
    let now = app.now();
    let opened = app.store().open_web_form(&id, now);
    send_expired_web_forms(&app);
    match opened {
        Ok(record) => {
            let origin = record.redirect_url.as_deref().and_then(origin_of);
            html::bank_login_page(&record.id, None, "", origin.as_deref())
        }
        Err(error) => error_page(error),
    }
}

#[derive(Debug, Default, Deserialize)]
struct PageForm {
    action: Option<String>,
    login: Option<String>,
    pin: Option<String>,
}

pub async fn submit(State(app): State<EmulatorState>, Path(id): Path<String>, body: Bytes) -> Response {
    let form: PageForm = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let login = form.login.unwrap_or_default();
    let action = match form.action.as_deref() {
        Some("connect") => PageAction::Connect {
            login: login.clone(),
            pin: form.pin.unwrap_or_default(),
        },
        Some("cancel") => PageAction::Cancel,
        _ => {
            return html::message_page(
                StatusCode::BAD_REQUEST,
                "Unknown action",
                "Please use the buttons \"Connect bank\" or \"Cancel\".",
                None,
            )
        }
    };
    let now = app.now();
    let outcome = app.store().submit_web_form(&id, action, now);
    send_expired_web_forms(&app);
    match outcome {
        Err(error) => error_page(error),
        Ok(SubmitOutcome::WrongCredentials { redirect_url }) => {
            let origin = redirect_url.as_deref().and_then(origin_of);
            html::bank_login_page(
                &id,
                Some("Wrong online banking ID or PIN. Please try again."),
                &login,
                origin.as_deref(),
            )
        }
        Ok(SubmitOutcome::Finished(finished)) => finish(&app, finished),
    }
}

/// Reports the final status and sends the browser on.
fn finish(app: &EmulatorState, finished: Finished) -> Response {
    tracing::info!(status = ?finished.status, "web form finished");
    send_web_form_finalised(app, &finished);
    if let Some(location) = finished.redirect_url.and_then(|url| HeaderValue::from_str(&url).ok()) {
        return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
    }
    let (heading, text) = match finished.status {
        WebFormStatus::Completed => (
            "Bank connected — you can close this window",
            "The finAPI Test Bank was connected. You can close this window and return to the application.",
        ),
        WebFormStatus::CompletedWithError => (
            "Bank connection failed — you can close this window",
            "The bank rejected the connection. You can close this window and return to the application.",
        ),
        _ => (
            "Bank connection cancelled — you can close this window",
            "No bank was connected. You can close this window and return to the application.",
        ),
    };
    html::message_page(StatusCode::OK, heading, text, None)
}

fn error_page(error: PageError) -> Response {
    let (status, heading, text) = match error {
        PageError::Unknown => (
            StatusCode::NOT_FOUND,
            "Web form not found",
            "There is no web form at this address.".to_owned(),
        ),
        PageError::AlreadyOpened => (
            StatusCode::CONFLICT,
            "Web form already opened",
            "This web form has already been opened. A web form can be opened only once; please start again from the application.".to_owned(),
        ),
        PageError::NotOpened => (
            StatusCode::CONFLICT,
            "Web form not opened",
            "This web form has not been opened yet.".to_owned(),
        ),
        PageError::Expired => (
            StatusCode::GONE,
            "Web form expired",
            "This web form has expired: it must be opened within 20 minutes of its creation. Please start again from the application.".to_owned(),
        ),
        PageError::Finished(status) => (
            StatusCode::CONFLICT,
            "Web form already finished",
            format!(
                "This web form is already finished (status {}).",
                status_name(status)
            ),
        ),
    };
    html::message_page(status, heading, &text, None)
}

fn status_name(status: WebFormStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        html::STYLESHEET,
    )
        .into_response()
}
