//! Calls to our backend proxy (same origin, under `/api`). The JSON contract is `onboarding_api`'s.

use crate::json::{self, FromJson, ToJson};
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::Callback;
use onboarding_api::paths::{
    FORM_HEADER, FORM_HEADER_VALUE, HANDOFF, REQUEST_ID_HEADER, SESSIONS, SESSION_HEADER, SETTINGS, USERS,
};
use onboarding_api::{
    ApiError, ApiErrorCode, CreateUserRequest, CreatedUser, FormSettings, Handoff, LoginRequest, Session,
};
use std::future::Future;
use std::pin::Pin;

/// A call to the proxy as a step makes it: the app passes the real call ([`create_user`], …), tests a
/// stand-in, so the steps can be tested without the proxy.
pub type ApiCall<I, O> = Callback<I, Answer<O>>;

/// The answer to come from an [`ApiCall`].
pub type Answer<O> = Pin<Box<dyn Future<Output = Result<O, CallError>>>>;

/// Why a call did not give what was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The proxy could not be reached at all (offline, DNS, blocked): nothing was answered.
    Network,
    /// The proxy answered with an error.
    Api(ApiError),
}

impl CallError {
    /// An error with this code and nothing else, e.g. to stand in for the proxy in tests.
    pub fn code(code: ApiErrorCode) -> Self {
        CallError::Api(ApiError::new(code))
    }
}

/// `GET /api/settings`.
pub async fn fetch_settings() -> Result<FormSettings, CallError> {
    fetch_api(Request::get(SETTINGS).build()).await
}

/// `POST /api/users`: sign up.
pub async fn create_user(request: CreateUserRequest) -> Result<CreatedUser, CallError> {
    fetch_api(with_json(changing(Request::post(USERS)), &request)).await
}

/// `POST /api/sessions`: log in.
pub async fn log_in(request: LoginRequest) -> Result<Session, CallError> {
    fetch_api(with_json(changing(Request::post(SESSIONS)), &request)).await
}

/// `POST /api/handoff`: a one-time code for the partner (and a finAPI Web Form link).
pub async fn hand_off(session: &str) -> Result<Handoff, CallError> {
    fetch_api(changing(Request::post(HANDOFF)).header(SESSION_HEADER, session).build()).await
}

/// `DELETE /api/sessions`: log out.
pub async fn log_out(session: &str) -> Result<(), CallError> {
    send(
        changing(Request::delete(SESSIONS))
            .header(SESSION_HEADER, session)
            .build(),
    )
    .await
    .map(|_| ())
}

/// Marks a state-changing request as the form's (the proxy's CSRF check).
fn changing(request: RequestBuilder) -> RequestBuilder {
    request.header(FORM_HEADER, FORM_HEADER_VALUE)
}

fn with_json(request: RequestBuilder, body: &impl ToJson) -> Result<Request, gloo_net::Error> {
    request
        .header("content-type", "application/json")
        .body(json::stringify(body))
}

/// Sends a request and reads the JSON answer.
async fn fetch_api<T: FromJson>(request: Result<Request, gloo_net::Error>) -> Result<T, CallError> {
    let response = send(request).await?;
    let text = response.text().await.map_err(|_| CallError::Network)?;
    json::parse(&text).ok_or_else(|| unexpected(&response))
}

/// Sends a request; any answer but a success becomes a [`CallError`].
async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, CallError> {
    let request = request.map_err(|_| CallError::code(ApiErrorCode::Unexpected))?;
    let response = request.send().await.map_err(|_| CallError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    let text = response.text().await.unwrap_or_default();
    match json::parse::<ApiError>(&text) {
        Some(mut error) => {
            if error.request_id.is_none() {
                error.request_id = response.headers().get(REQUEST_ID_HEADER);
            }
            Err(CallError::Api(error))
        }
        // Not our proxy's answer, e.g. a gateway in front of it that cannot reach it.
        None if matches!(response.status(), 502..=504) => Err(CallError::Network),
        None => Err(unexpected(&response)),
    }
}

fn unexpected(response: &Response) -> CallError {
    let mut error = ApiError::new(ApiErrorCode::Unexpected);
    error.request_id = response.headers().get(REQUEST_ID_HEADER);
    CallError::Api(error)
}
