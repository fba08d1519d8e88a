//! Probes for operators: `/healthz` (the process answers), `/readyz` (finAPI is reachable, the client
//! token can be obtained and the store answers, so a sign-up would work now) and `/metrics` (Prometheus).

use crate::app::AppState;
use crate::request_id::RequestId;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Extension;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
) -> (StatusCode, String) {
    if let Err(error) = state.store.ping().await {
        return (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {error}"));
    }
    match state.client_auth.configuration(&request_id).await {
        Ok(_) => (StatusCode::OK, "ready".to_owned()),
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {error}")),
    }
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    // Read from the store: with Redis, the sessions of every instance.
    let live_sessions = state.sessions.live_count().await.unwrap_or_default();
    let text = state.metrics.render(&[(
        "onboarding_live_sessions",
        "Sessions that are live now (all instances sharing the store).",
        live_sessions,
    )]);
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
}
