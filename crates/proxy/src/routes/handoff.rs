//! Step 4, the quick-auth handoff.
//!
//! `POST /api/handoff` (the form, with its session): mints a one-time code for the partner page and
//! creates a finAPI Web Form 2.0 (bank connection import) for the user.
//! `POST /api/handoff/exchange` (the partner's server, with the partner key): redeems the code for the
//! user's finAPI tokens.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::error::ApiFailure;
use crate::handoff_codes::HANDOFF_CODE_LIFETIME;
use crate::request_id::RequestId;
use crate::session_handle::SessionHandle;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::{Extension, Json};
use finapi::BankConnectionImportDetails;
use onboarding_api::{ApiErrorCode, ExchangeRequest, ExchangedTokens, Handoff};
use secrecy::ExposeSecret;

pub async fn hand_off(
    State(state): State<AppState>,
    Extension(request_id): Extension<RequestId>,
    SessionHandle(handle): SessionHandle,
) -> Result<Json<Handoff>, ApiFailure> {
    let session = state
        .sessions
        .get(&handle)
        .ok_or(ApiFailure::new(ApiErrorCode::SessionExpired))?;
    let web_form = state
        .client_auth
        .finapi()
        .create_bank_connection_import(
            session.tokens.access_token.expose_secret(),
            &BankConnectionImportDetails::default(),
            &request_id,
        )
        .await;
    // The handoff does not depend on the Web Form: without it the partner still gets the user.
    let web_form_url = match web_form {
        Ok(form) => Some(form.url),
        Err(error) => {
            tracing::warn!(%error, "could not create the bank connection Web Form");
            None
        }
    };
    let user_id = session.user_id.clone();
    let code = state.handoff_codes.mint(session);
    tracing::info!(user_id = %user_id, "handoff code minted");
    Ok(Json(Handoff {
        code,
        user_id,
        expires_in: HANDOFF_CODE_LIFETIME.whole_seconds() as u64,
        web_form_url,
    }))
}

pub async fn exchange(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ExchangeRequest>,
) -> Result<Json<ExchangedTokens>, ApiFailure> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    // The key is checked before the code is touched, so a wrong key cannot burn a valid code.
    if !state.partner_key.matches(presented) {
        tracing::warn!("handoff exchange with a wrong partner key");
        return Err(ApiFailure::new(ApiErrorCode::PartnerKeyInvalid));
    }
    let session = state
        .handoff_codes
        .redeem(&request.code)
        .ok_or(ApiFailure::new(ApiErrorCode::HandoffCodeInvalid))?;
    tracing::info!(user_id = %session.user_id, "handoff code redeemed");
    let tokens = &session.tokens;
    Ok(Json(ExchangedTokens {
        user_id: session.user_id.clone(),
        access_token: tokens.access_token.expose_secret().to_owned(),
        refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose_secret().to_owned()),
        expires_in: tokens.expires_in(state.clock.now()),
        token_type: tokens.token_type.clone(),
    }))
}
