//! One-time handoff codes (step 4): minted for a logged-in session, handed to the partner page in the
//! browser, redeemed once by the partner's server for the user's finAPI tokens (like Plaid's
//! `public_token`). 256 random bits, single use, short-lived, kept in the [`Store`].
//!
//! A code nobody redeems is on the reaper's schedule: when it expires, its tokens are revoked at finAPI.

use crate::secure_random;
use crate::store::{Store, StoreError};
use crate::user_tokens::UserTokens;
use finapi_emulator::clock::Clock;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// Long enough for the partner page to post the code to its server, short enough to be useless later.
pub const HANDOFF_CODE_LIFETIME: Duration = Duration::seconds(60);
/// How long an expired code stays readable, so the reaper can still revoke its tokens.
const KEPT_FOR_THE_REAPER: Duration = Duration::hours(1);
const SCHEDULE: &str = "handoffs:expiring";

/// What a code stands for.
#[derive(Clone, Serialize, Deserialize)]
pub struct HandedOff {
    /// Only this tenant's partner key redeems the code.
    #[serde(default = "crate::tenants::default_tenant_id")]
    pub tenant: String,
    /// The session it was minted for: ended when the code is redeemed (the proxy forgets the tokens).
    pub session_handle: String,
    pub user_id: String,
    pub tokens: UserTokens,
    #[serde(with = "time::serde::timestamp")]
    pub expires_at: OffsetDateTime,
}

/// What redeeming a code found.
pub enum Redemption {
    Redeemed(HandedOff),
    /// It was there but too late: the caller revokes its tokens.
    Expired(HandedOff),
    Unknown,
}

pub struct HandoffCodes {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl HandoffCodes {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        HandoffCodes { store, clock }
    }

    pub async fn mint(
        &self,
        tenant: &str,
        session_handle: &str,
        user_id: &str,
        tokens: &UserTokens,
    ) -> Result<String, StoreError> {
        let code = secure_random::token();
        let handed_off = HandedOff {
            tenant: tenant.to_owned(),
            session_handle: session_handle.to_owned(),
            user_id: user_id.to_owned(),
            tokens: tokens.clone(),
            expires_at: self.clock.now() + HANDOFF_CODE_LIFETIME,
        };
        let json = serde_json::to_string(&handed_off).map_err(|e| StoreError(e.to_string()))?;
        self.store
            .put(&key(&code), &json, HANDOFF_CODE_LIFETIME + KEPT_FOR_THE_REAPER)
            .await?;
        self.store.schedule(SCHEDULE, &code, handed_off.expires_at).await?;
        self.store
            .schedule(&user_index(tenant, user_id), &code, handed_off.expires_at)
            .await?;
        Ok(code)
    }

    /// Whether `code` is a live code of `tenant` (read only: the code stays redeemable).
    pub async fn belongs_to(&self, code: &str, tenant: &str) -> Result<bool, StoreError> {
        let handed_off = self.store.get(&key(code)).await?.as_deref().and_then(decode);
        Ok(handed_off.is_some_and(|h| h.tenant == tenant))
    }

    /// The handoff behind `code`, once: a second redemption, or one after expiry, gets nothing.
    pub async fn redeem(&self, code: &str) -> Result<Redemption, StoreError> {
        let Some(handed_off) = self.store.take(&key(code)).await?.as_deref().and_then(decode) else {
            return Ok(Redemption::Unknown);
        };
        self.store.unschedule(SCHEDULE, code).await?;
        self.store
            .unschedule(&user_index(&handed_off.tenant, &handed_off.user_id), code)
            .await?;
        Ok(match handed_off.expires_at > self.clock.now() {
            true => Redemption::Redeemed(handed_off),
            false => Redemption::Expired(handed_off),
        })
    }

    /// Drops a code that was replaced by a newer one for the same session (its tokens live on there).
    pub async fn drop_code(&self, code: &str) -> Result<(), StoreError> {
        self.store.unschedule(SCHEDULE, code).await?;
        self.store.take(&key(code)).await.map(|_| ())
    }

    /// Drops every unredeemed code of `user_id` (finAPI deleted the user).
    pub async fn drop_all_of(&self, tenant: &str, user_id: &str) -> Result<(), StoreError> {
        let everything = self.clock.now() + Duration::days(365 * 100);
        for code in self.store.take_due(&user_index(tenant, user_id), everything).await? {
            self.drop_code(&code).await?;
        }
        Ok(())
    }

    /// Codes that expired unredeemed, each handed to one caller once.
    pub async fn take_expired(&self) -> Result<Vec<HandedOff>, StoreError> {
        let mut expired = Vec::new();
        for code in self.store.take_due(SCHEDULE, self.clock.now()).await? {
            if let Some(handed_off) = self.store.take(&key(&code)).await?.as_deref().and_then(decode) {
                self.store
                    .unschedule(&user_index(&handed_off.tenant, &handed_off.user_id), &code)
                    .await?;
                expired.push(handed_off);
            }
        }
        Ok(expired)
    }
}

fn key(code: &str) -> String {
    format!("handoff:{code}")
}

fn user_index(tenant: &str, user_id: &str) -> String {
    format!("user-handoffs:{tenant}:{}", user_id.to_lowercase())
}

fn decode(json: &str) -> Option<HandedOff> {
    serde_json::from_str(json).ok()
}
