//! The life of a user's finAPI tokens after login: refreshed with the refresh token before they expire,
//! revoked at finAPI when the person leaves or abandons the form, forgotten once the partner has them.
//!
//! - [`session_lifetime`]: a session lives no longer than its refresh token (nor [`SESSION_LIFETIME`]);
//! - [`refreshed`]: a new access token when the current one is about to expire;
//! - [`revoke`]: the whole grant (refresh token and its access tokens) at finAPI;
//! - [`reap_abandoned`]: sessions and handoff codes that expired unused get their tokens revoked; the
//!   reaper task runs it every [`REAPER_INTERVAL`].

use crate::app::AppState;
use crate::finapi_client::FinapiError;
use crate::request_id::RequestId;
use crate::sessions::SESSION_LIFETIME;
use crate::tenants::Tenant;
use crate::user_tokens::UserTokens;
use finapi::ClientConfiguration;
use secrecy::ExposeSecret;
use time::{Duration, OffsetDateTime};

/// An access token with less than this left is refreshed before it is used or handed to the partner.
pub const REFRESH_MARGIN: Duration = Duration::seconds(60);
pub const REAPER_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);

/// The session ends before the refresh token does: after that nothing could renew the access token.
pub fn session_lifetime(configuration: &ClientConfiguration, tokens: &UserTokens, now: OffsetDateTime) -> Duration {
    let renewable_for = match (&tokens.refresh_token, configuration.refresh_tokens_validity_period) {
        (Some(_), 0) => None,
        (Some(_), seconds) => Some(Duration::seconds(seconds.into())),
        (None, _) => tokens.expires_at.map(|at| at - now),
    };
    renewable_for.map_or(SESSION_LIFETIME, |limit| SESSION_LIFETIME.min(limit))
}

/// `tokens`, with a new access token from the refresh grant if the current one is about to expire.
pub async fn refreshed(
    state: &AppState,
    tenant: &Tenant,
    tokens: UserTokens,
    request_id: &RequestId,
) -> Result<UserTokens, FinapiError> {
    let now = state.clock.now();
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        return Ok(tokens);
    };
    if !tokens.expires_within(REFRESH_MARGIN, now) {
        return Ok(tokens);
    }
    let issued = tenant
        .client_auth
        .finapi()
        .refresh_user_token(refresh_token.expose_secret(), request_id)
        .await?;
    state
        .metrics
        .count("onboarding_user_tokens_total", &[("event", "refreshed")]);
    let mut renewed = UserTokens::issued(issued, now);
    // finAPI keeps the refresh token on a refresh grant; keep ours if it sends none.
    renewed.refresh_token = renewed.refresh_token.or(Some(refresh_token));
    Ok(renewed)
}

/// [`revoke`] with the client of the tenant named `tenant_id` (as a session records it).
pub async fn revoke_for(state: &AppState, tenant_id: &str, tokens: &UserTokens, request_id: &RequestId) {
    match state.tenants.get(tenant_id) {
        Some(tenant) => revoke(state, &tenant, tokens, request_id).await,
        None => tracing::warn!(
            tenant = tenant_id,
            "cannot revoke tokens of a tenant no longer configured"
        ),
    }
}

/// Revokes the user's grant at finAPI. Failures are logged, not raised: the person is leaving anyway.
pub async fn revoke(state: &AppState, tenant: &Tenant, tokens: &UserTokens, request_id: &RequestId) {
    let (token, hint) = match &tokens.refresh_token {
        // No hint: the refresh token and every access token of its grant.
        Some(refresh_token) => (refresh_token, None),
        None => (&tokens.access_token, Some("access_token")),
    };
    let finapi = tenant.client_auth.finapi();
    let revoked = tenant
        .client_auth
        .with_client_token(request_id, |client_token| async move {
            finapi
                .revoke(client_token.expose_secret(), token.expose_secret(), hint, request_id)
                .await
        })
        .await;
    match revoked {
        Ok(()) => state
            .metrics
            .count("onboarding_user_tokens_total", &[("event", "revoked")]),
        Err(error) => tracing::warn!(%error, "could not revoke a user's tokens at finAPI"),
    }
}

/// Revokes the tokens of every session and handoff code that expired unused.
pub async fn reap_abandoned(state: &AppState) {
    let request_id = RequestId::generate();
    match state.sessions.take_expired().await {
        // A session with a handoff code leaves its tokens to the code.
        Ok(sessions) => {
            for session in sessions.iter().filter(|s| s.handoff_code.is_none()) {
                tracing::info!(user_id = %session.user_id, "abandoned session: revoking its tokens");
                revoke_for(state, &session.tenant, &session.tokens, &request_id).await;
            }
        }
        Err(error) => tracing::warn!(%error, "could not read expired sessions"),
    }
    match state.handoff_codes.take_expired().await {
        Ok(codes) => {
            for handed_off in codes {
                state
                    .metrics
                    .count("onboarding_handoffs_total", &[("event", "expired")]);
                tracing::info!(user_id = %handed_off.user_id, "handoff code expired unredeemed: revoking its tokens");
                revoke_for(state, &handed_off.tenant, &handed_off.tokens, &request_id).await;
                if let Err(error) = state.sessions.end(&handed_off.session_handle).await {
                    tracing::warn!(%error, "could not end the session of an expired handoff");
                }
            }
        }
        Err(error) => tracing::warn!(%error, "could not read expired handoff codes"),
    }
}

/// Runs [`reap_abandoned`] every [`REAPER_INTERVAL`] until the returned task is aborted.
pub fn spawn_reaper(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(REAPER_INTERVAL);
        loop {
            ticks.tick().await;
            reap_abandoned(&state).await;
        }
    })
}
