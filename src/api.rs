//! Calls to our backend proxy (same origin, under `/api`, or `/t/{tenant}/api` when the form is served under
//! `/t/{tenant}/`). The JSON contract is `onboarding_api`'s.

use crate::json::{self, FromJson, ToJson};
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::Callback;
use onboarding_api::paths::{
    self, FORM_HEADER, FORM_HEADER_VALUE, HANDOFF, PASSWORD_RESETS, PASSWORD_RESET_EXECUTION, REQUEST_ID_HEADER,
    SESSIONS, SESSION_HEADER, SETTINGS, TENANT, USERS,
};
use onboarding_api::{
    ApiError, ApiErrorCode, CreateUserRequest, CreatedUser, FormSettings, Handoff, LoginRequest,
    PasswordResetExecution, PasswordResetRequest, Session, TenantSettings, WebFormProgress,
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
    /// `429 RATE_LIMITED`: too many attempts; `Retry-After` said after how many seconds to try again.
    RateLimited { retry_after: Option<u32> },
}

impl CallError {
    /// An error with this code and nothing else, e.g. to stand in for the proxy in tests.
    pub fn code(code: ApiErrorCode) -> Self {
        CallError::Api(ApiError::new(code))
    }
}

/// The tenant prefix in a page path: `/t/acme/…` → `/t/acme`; any other path → none. Only an id the proxy
/// could have (a-z, 0-9, `-`, at most 32) counts.
pub fn tenant_prefix_of(pathname: &str) -> Option<String> {
    let mut segments = pathname.trim_start_matches('/').split('/');
    let (Some("t"), Some(id)) = (segments.next(), segments.next()) else {
        return None;
    };
    let valid = !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    valid.then(|| paths::tenant_prefix(id))
}

thread_local! {
    /// The tenant prefix of this page, read once: the one place every call's address comes from.
    static PREFIX: String = leptos::prelude::window()
        .location()
        .pathname()
        .ok()
        .and_then(|path| tenant_prefix_of(&path))
        .unwrap_or_default();
}

/// The address of an API path for this page's tenant: `/api/x` or `/t/{tenant}/api/x`.
pub fn url(path: &str) -> String {
    PREFIX.with(|prefix| format!("{prefix}{path}"))
}

/// `GET /api/settings`.
pub async fn fetch_settings() -> Result<FormSettings, CallError> {
    fetch_api(Request::get(&url(SETTINGS)).build()).await
}

/// `GET /api/tenant`: theme, support contact, whether resets are offered.
pub async fn fetch_tenant() -> Result<TenantSettings, CallError> {
    fetch_api(Request::get(&url(TENANT)).build()).await
}

/// `POST /api/users`: sign up.
pub async fn create_user(request: CreateUserRequest) -> Result<CreatedUser, CallError> {
    fetch_api(with_json(changing(Request::post(&url(USERS))), &request)).await
}

/// `POST /api/sessions`: log in.
pub async fn log_in(request: LoginRequest) -> Result<Session, CallError> {
    fetch_api(with_json(changing(Request::post(&url(SESSIONS))), &request)).await
}

/// `POST /api/handoff`: a one-time code for the partner (and a finAPI Web Form link). In redirect mode,
/// with the partner's `return_url`: the proxy refuses one the tenant does not allow, and the Web Form
/// sends the person back there too.
pub async fn hand_off(session: &str, return_url: Option<&str>) -> Result<Handoff, CallError> {
    let mut request = changing(Request::post(&url(HANDOFF)));
    if let Some(return_url) = return_url {
        request = request.query([("returnUrl", return_url)]);
    }
    fetch_api(request.header(SESSION_HEADER, session).build()).await
}

/// `GET /api/return-url?url=`: whether redirect mode may send the person back to `return_url`.
pub async fn check_return_url(return_url: &str) -> Result<(), CallError> {
    let request = Request::get(&url(paths::RETURN_URL_CHECK))
        .query([("url", return_url)])
        .build();
    send(request).await.map(|_| ())
}

/// `DELETE /api/sessions`: log out.
pub async fn log_out(session: &str) -> Result<(), CallError> {
    send(
        changing(Request::delete(&url(SESSIONS)))
            .header(SESSION_HEADER, session)
            .build(),
    )
    .await
    .map(|_| ())
}

/// `POST /api/password-resets`: email a reset link, if the account has an address (always `202`).
pub async fn request_password_reset(request: PasswordResetRequest) -> Result<(), CallError> {
    post_json(PASSWORD_RESETS, json::stringify(&request)).await
}

/// `POST /api/password-resets/execute`: the new password, with the code of the link (`204`).
pub async fn execute_password_reset(request: PasswordResetExecution) -> Result<(), CallError> {
    post_json(PASSWORD_RESET_EXECUTION, json::stringify(&request)).await
}

/// `GET /api/web-forms/{id}`: how the finAPI Web Form ended, once it has.
pub async fn web_form_progress(web_form_id: String) -> Result<WebFormProgress, CallError> {
    fetch_api(Request::get(&url(&paths::web_form_progress(&web_form_id))).build()).await
}

/// A state-changing `POST` with a JSON body, whose answer has none (`202`, `204`).
async fn post_json(path: &str, body: String) -> Result<(), CallError> {
    let request = changing(Request::post(&url(path)))
        .header("content-type", "application/json")
        .body(body);
    send(request).await.map(|_| ())
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

/// The wire name of what went wrong: the proxy's code, or `NETWORK` when nothing was answered.
pub fn error_name(error: &CallError) -> &'static str {
    match error {
        CallError::Network => "NETWORK",
        CallError::RateLimited { .. } => "RATE_LIMITED",
        CallError::Api(error) => crate::json::error_code_name(error.error),
    }
}

thread_local! {
    /// Told of every failed call (the partner page's `ERROR` message): set by the flow, see
    /// [`report_failures_to`].
    static FAILURE_LISTENER: std::cell::RefCell<Option<Box<dyn Fn(&CallError)>>> =
        const { std::cell::RefCell::new(None) };
}

/// From now on, `listener` hears of every call that fails.
pub fn report_failures_to(listener: impl Fn(&CallError) + 'static) {
    FAILURE_LISTENER.with(|slot| *slot.borrow_mut() = Some(Box::new(listener)));
}

/// Sends a request; any answer but a success becomes a [`CallError`], of which the listener hears.
async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, CallError> {
    let answer = send_unreported(request).await;
    if let Err(error) = &answer {
        FAILURE_LISTENER.with(|slot| slot.borrow().iter().for_each(|listen| listen(error)));
    }
    answer
}

async fn send_unreported(request: Result<Request, gloo_net::Error>) -> Result<Response, CallError> {
    let request = request.map_err(|_| CallError::code(ApiErrorCode::Unexpected))?;
    let response = request.send().await.map_err(|_| CallError::Network)?;
    if response.ok() {
        return Ok(response);
    }
    if response.status() == 429 {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|s| s.trim().parse().ok());
        return Err(CallError::RateLimited { retry_after });
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
