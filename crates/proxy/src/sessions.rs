//! Sessions of people using the form: an opaque random handle → the finAPI user and their tokens.
//! The form keeps the handle in memory and sends it in the `x-onboarding-session` header; no cookies, so
//! it works in third-party iframes.
//!
//! Sessions live in the [`Store`], so any instance can serve any request of a flow. Each session is also on
//! the reaper's schedule at its expiry: a session nobody ended (the person closed the tab) has its tokens
//! revoked at finAPI then (see [`crate::token_lifecycle`]).

use crate::secure_random;
use crate::store::{Store, StoreError};
use crate::user_tokens::UserTokens;
use finapi_emulator::clock::Clock;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// A session lasts as long as it takes to finish the form, and never longer than the user's refresh token.
pub const SESSION_LIFETIME: Duration = Duration::minutes(15);
/// How long an expired session stays readable in the store, so the reaper can still revoke its tokens.
const KEPT_FOR_THE_REAPER: Duration = Duration::hours(1);
const SCHEDULE: &str = "sessions:expiring";

#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    /// The tenant whose finAPI client holds the tokens; the session is valid under that tenant only.
    #[serde(default = "crate::tenants::default_tenant_id")]
    pub tenant: String,
    pub user_id: String,
    pub tokens: UserTokens,
    #[serde(with = "time::serde::timestamp")]
    pub expires_at: OffsetDateTime,
    /// The last handoff code minted for this session: from then on the tokens belong to that handoff
    /// (redeemed by the partner, or revoked when the code expires), not to the session.
    #[serde(default)]
    pub handoff_code: Option<String>,
}

pub struct Sessions {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl Sessions {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Sessions { store, clock }
    }

    /// Starts a session for `lifetime` and returns its handle.
    pub async fn start(
        &self,
        tenant: &str,
        user_id: String,
        tokens: UserTokens,
        lifetime: Duration,
    ) -> Result<(String, Session), StoreError> {
        let handle = secure_random::token();
        let session = Session {
            tenant: tenant.to_owned(),
            user_id,
            tokens,
            expires_at: self.clock.now() + lifetime,
            handoff_code: None,
        };
        self.save(&handle, &session).await?;
        self.store.schedule(SCHEDULE, &handle, session.expires_at).await?;
        // Also filed under the user, so finAPI's "user deleted" callback can end them all.
        self.store
            .schedule(
                &user_index(&session.tenant, &session.user_id),
                &handle,
                session.expires_at,
            )
            .await?;
        Ok((handle, session))
    }

    /// The live session under `handle`, if it belongs to `tenant`.
    pub async fn get(&self, tenant: &str, handle: &str) -> Result<Option<Session>, StoreError> {
        let Some(json) = self.store.get(&key(handle)).await? else {
            return Ok(None);
        };
        Ok(decode(&json).filter(|session| session.expires_at > self.clock.now() && session.tenant == tenant))
    }

    /// Writes a changed session back (refreshed tokens, a new handoff code).
    pub async fn save(&self, handle: &str, session: &Session) -> Result<(), StoreError> {
        let kept_for = (session.expires_at - self.clock.now()) + KEPT_FOR_THE_REAPER;
        let json = serde_json::to_string(session).map_err(|e| StoreError(e.to_string()))?;
        self.store.put(&key(handle), &json, kept_for).await
    }

    /// Ends the session and returns it (if it was there), so the caller can decide about its tokens.
    pub async fn end(&self, handle: &str) -> Result<Option<Session>, StoreError> {
        self.store.unschedule(SCHEDULE, handle).await?;
        let session = self.store.take(&key(handle)).await?.as_deref().and_then(decode);
        if let Some(session) = &session {
            self.store
                .unschedule(&user_index(&session.tenant, &session.user_id), handle)
                .await?;
        }
        Ok(session)
    }

    /// Ends every session of `user_id` at `tenant` (finAPI deleted the user); returns how many were live.
    pub async fn end_all_of(&self, tenant: &str, user_id: &str) -> Result<usize, StoreError> {
        let everything = self.clock.now() + Duration::days(365 * 100);
        let handles = self.store.take_due(&user_index(tenant, user_id), everything).await?;
        let mut ended = 0;
        for handle in handles {
            self.store.unschedule(SCHEDULE, &handle).await?;
            ended += usize::from(self.store.take(&key(&handle)).await?.is_some());
        }
        Ok(ended)
    }

    /// Sessions that expired without being ended, each handed to one caller once.
    pub async fn take_expired(&self) -> Result<Vec<Session>, StoreError> {
        let mut expired = Vec::new();
        for handle in self.store.take_due(SCHEDULE, self.clock.now()).await? {
            if let Some(session) = self.store.take(&key(&handle)).await?.as_deref().and_then(decode) {
                self.store
                    .unschedule(&user_index(&session.tenant, &session.user_id), &handle)
                    .await?;
                expired.push(session);
            }
        }
        Ok(expired)
    }

    pub async fn live_count(&self) -> Result<u64, StoreError> {
        self.store.count_pending(SCHEDULE, self.clock.now()).await
    }
}

fn key(handle: &str) -> String {
    format!("session:{handle}")
}

/// finAPI user ids are case-insensitive.
fn user_index(tenant: &str, user_id: &str) -> String {
    format!("user-sessions:{tenant}:{}", user_id.to_lowercase())
}

fn decode(json: &str) -> Option<Session> {
    serde_json::from_str(json).ok()
}
