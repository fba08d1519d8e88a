//! Probes for operators: `/healthz` (the process answers) and `/readyz` (finAPI is reachable and the
//! client token can be obtained, so a sign-up would work now).

use crate::app::AppState;
use crate::request_id::RequestId;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
) -> (StatusCode, String) {
    match state.client_auth.configuration(&request_id).await {
        Ok(_) => (StatusCode::OK, "ready".to_owned()),
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {error}")),
    }
}
