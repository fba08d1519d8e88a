//! Step 4, the quick-auth handoff.
//!
//! `POST /api/handoff` (the form, with its session): mints a one-time code for the partner page and
//! creates a finAPI Web Form 2.0 (bank connection import) for the user. From then on the tokens belong to
//! the code: a newer code replaces an older one, and a code that expires unredeemed has them revoked.
//! `POST /api/handoff/exchange` (the partner's server, with the partner key): redeems the code for the
//! user's finAPI tokens (refreshed first if about to expire); the proxy then forgets its copy and ends
//! the session.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::error::ApiFailure;
use crate::handoff_codes::{Redemption, HANDOFF_CODE_LIFETIME};
use crate::request_id::RequestId;
use crate::session_handle::SessionHandle;
use crate::tenants::CurrentTenant;
use crate::token_lifecycle;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::{Extension, Json};
use finapi::{BankConnectionImportDetails, WebFormCallbacks};
use onboarding_api::{ApiErrorCode, ExchangeRequest, ExchangedTokens, Handoff};
use secrecy::ExposeSecret;
use serde::Deserialize;

/// `?returnUrl=`: where the finAPI Web Form sends the person back to; one of the tenant's allowed
/// return URLs (the first is the default).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandoffQuery {
    return_url: Option<String>,
}

pub async fn hand_off(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    SessionHandle(handle): SessionHandle,
    Query(query): Query<HandoffQuery>,
) -> Result<Json<Handoff>, ApiFailure> {
    let redirect_url = return_url(&tenant, query.return_url.as_deref())?;
    let mut session = state
        .sessions
        .get(&tenant.id, &handle)
        .await?
        .ok_or(ApiFailure::new(ApiErrorCode::SessionExpired))?;
    session.tokens = token_lifecycle::refreshed(&state, &tenant, session.tokens, &request_id).await?;
    let details = BankConnectionImportDetails {
        // With callbacks configured, finAPI tells the proxy how the Web Form ended (for the done step).
        callbacks: state.callbacks.as_ref().map(|callbacks| WebFormCallbacks {
            finalised: Some(callbacks.web_form_url(&tenant.path_prefix())),
        }),
        redirect_url,
        bank_connection_name: tenant.web_form.bank_connection_name.clone(),
        max_days_for_download: tenant.web_form.max_days_for_download,
        ..BankConnectionImportDetails::default()
    };
    let web_form = tenant
        .client_auth
        .finapi()
        .create_bank_connection_import(session.tokens.access_token.expose_secret(), &details, &request_id)
        .await;
    // The handoff does not depend on the Web Form: without it the partner still gets the user.
    let web_form_url = match web_form {
        Ok(form) => Some(form.url),
        Err(error) => {
            tracing::warn!(%error, "could not create the bank connection Web Form");
            None
        }
    };
    let code = state
        .handoff_codes
        .mint(&tenant.id, &handle, &session.user_id, &session.tokens)
        .await?;
    if let Some(previous) = session.handoff_code.replace(code.clone()) {
        state.handoff_codes.drop_code(&previous).await?;
    }
    state.sessions.save(&handle, &session).await?;
    state.metrics.count("onboarding_handoffs_total", &[("event", "minted")]);
    tracing::info!(user_id = %session.user_id, "handoff code minted");
    Ok(Json(Handoff {
        code,
        user_id: session.user_id,
        expires_in: HANDOFF_CODE_LIFETIME.whole_seconds() as u64,
        web_form_url,
    }))
}

pub async fn exchange(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ExchangeRequest>,
) -> Result<Json<ExchangedTokens>, ApiFailure> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    // The key is checked before the code is touched, so a wrong key cannot burn a valid code.
    if !tenant.partner_key.matches(presented) {
        tracing::warn!("handoff exchange with a wrong partner key");
        return Err(ApiFailure::new(ApiErrorCode::PartnerKeyInvalid));
    }
    // Another tenant's code is refused without being touched: that tenant's partner may still redeem it.
    if !state.handoff_codes.belongs_to(&request.code, &tenant.id).await? {
        return Err(ApiFailure::new(ApiErrorCode::HandoffCodeInvalid));
    }
    let handed_off = match state.handoff_codes.redeem(&request.code).await? {
        Redemption::Redeemed(handed_off) => handed_off,
        Redemption::Expired(handed_off) => {
            state
                .metrics
                .count("onboarding_handoffs_total", &[("event", "expired")]);
            token_lifecycle::revoke(&state, &tenant, &handed_off.tokens, &request_id).await;
            state.sessions.end(&handed_off.session_handle).await?;
            return Err(ApiFailure::new(ApiErrorCode::HandoffCodeInvalid));
        }
        Redemption::Unknown => return Err(ApiFailure::new(ApiErrorCode::HandoffCodeInvalid)),
    };
    // The partner owns the tokens now: the proxy forgets its copy.
    state.sessions.end(&handed_off.session_handle).await?;
    state
        .metrics
        .count("onboarding_handoffs_total", &[("event", "redeemed")]);
    tracing::info!(user_id = %handed_off.user_id, "handoff code redeemed");
    let tokens = token_lifecycle::refreshed(&state, &tenant, handed_off.tokens, &request_id).await?;
    Ok(Json(ExchangedTokens {
        user_id: handed_off.user_id,
        access_token: tokens.access_token.expose_secret().to_owned(),
        refresh_token: tokens.refresh_token.as_ref().map(|t| t.expose_secret().to_owned()),
        expires_in: tokens.expires_in(state.clock.now()),
        token_type: tokens.token_type.clone(),
    }))
}

/// `GET /api/return-url?url=`: redirect mode asks before it offers a way back to `url`, so that a link with
/// someone else's `return_url` cannot make the form an open redirect.
#[derive(Debug, Deserialize)]
pub struct ReturnUrlQuery {
    url: String,
}

pub async fn check_return_url(
    CurrentTenant(tenant): CurrentTenant,
    Query(query): Query<ReturnUrlQuery>,
) -> Result<StatusCode, ApiFailure> {
    return_url(&tenant, Some(&query.url))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The Web Form's `redirectUrl`: the one asked for if the tenant allows it, else the tenant's first.
fn return_url(tenant: &crate::tenants::Tenant, asked: Option<&str>) -> Result<Option<String>, ApiFailure> {
    match asked {
        None => Ok(tenant.allowed_return_urls.first().map(|url| url.to_string())),
        Some(asked) => tenant
            .allowed_return_urls
            .iter()
            .find(|allowed| allowed.as_str() == asked || allowed.as_str().trim_end_matches('/') == asked)
            .map(|allowed| Some(allowed.to_string()))
            .ok_or_else(|| {
                tracing::warn!("handoff with a return URL the tenant does not allow");
                ApiFailure::new(ApiErrorCode::ReturnUrlNotAllowed)
            }),
    }
}
