//! Rate limits on sign-up, login and password reset, per client IP and per user id (OWASP ASVS 6.1.1 /
//! 6.3.1; the IETF BFF draft: "do your own per-user and per-IP limiting"). Fixed windows counted in the
//! [`Store`], so all instances share the counters. A refused request gets `429 RATE_LIMITED` with
//! `Retry-After` (seconds until the window ends); the form words it in the person's language.
//!
//! Counting the user id as well as the IP means spreading guesses over many addresses does not help,
//! and one address cannot run through many ids. finAPI's own lock (after `maxUserLoginAttempts`) stays
//! the last line; the per-id limit keeps a stranger from reaching it too quickly.

use crate::client_ip::ClientIp;
use crate::error::ApiFailure;
use crate::metrics::Metrics;
use crate::store::Store;
use finapi_emulator::clock::Clock;
use onboarding_api::ApiErrorCode;
use std::sync::Arc;
use time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u64,
    pub window: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Attempts of one action from one address in one window.
    pub per_ip: Limit,
    /// Attempts of one action for one user id (any case) in one window.
    pub per_user_id: Limit,
    /// See [`ClientIp`]: 0 = use the TCP peer.
    pub trusted_proxy_hops: usize,
}

pub const DEFAULT_WINDOW: Duration = Duration::minutes(10);
pub const DEFAULT_PER_IP: u64 = 60;
pub const DEFAULT_PER_USER_ID: u64 = 10;

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            per_ip: Limit {
                max: DEFAULT_PER_IP,
                window: DEFAULT_WINDOW,
            },
            per_user_id: Limit {
                max: DEFAULT_PER_USER_ID,
                window: DEFAULT_WINDOW,
            },
            trusted_proxy_hops: 0,
        }
    }
}

/// What is being limited; each action has its own counters.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    SignUp,
    LogIn,
    PasswordReset,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::SignUp => "sign_up",
            Action::LogIn => "log_in",
            Action::PasswordReset => "password_reset",
        }
    }
}

pub struct RateLimiter {
    limits: RateLimits,
    store: Store,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits, store: Store, clock: Arc<dyn Clock>, metrics: Arc<Metrics>) -> Self {
        RateLimiter {
            limits,
            store,
            clock,
            metrics,
        }
    }

    pub fn trusted_proxy_hops(&self) -> usize {
        self.limits.trusted_proxy_hops
    }

    /// Counts one attempt of `action` from `ip` (and for `user_id`, if the request names one) and refuses
    /// it once either counter is over its limit.
    pub async fn check(&self, action: Action, ip: &ClientIp, user_id: Option<&str>) -> Result<(), ApiFailure> {
        self.count(action, "ip", &ip.key(), self.limits.per_ip).await?;
        if let Some(user_id) = user_id.map(str::trim).filter(|id| !id.is_empty()) {
            // finAPI ids are case-insensitive: "Jane" and "jane" are one account.
            self.count(action, "user_id", &user_id.to_lowercase(), self.limits.per_user_id)
                .await?;
        }
        Ok(())
    }

    async fn count(&self, action: Action, scope: &'static str, who: &str, limit: Limit) -> Result<(), ApiFailure> {
        let window_seconds = limit.window.whole_seconds().max(1);
        let now = self.clock.now().unix_timestamp();
        let window = now.div_euclid(window_seconds);
        let key = format!("ratelimit:{}:{scope}:{who}:{window}", action.name());
        let count = match self.store.increment(&key, limit.window).await {
            Ok(count) => count,
            Err(error) => {
                // Failing open: an unreachable store must not lock everyone out; finAPI's lock still holds.
                tracing::error!(%error, "rate limit store unavailable; request allowed");
                return Ok(());
            }
        };
        if count <= limit.max {
            return Ok(());
        }
        self.metrics.count(
            "onboarding_rate_limited_total",
            &[("action", action.name()), ("scope", scope)],
        );
        tracing::warn!(action = action.name(), scope, "rate limit reached");
        let retry_after = (window + 1) * window_seconds - now;
        Err(ApiFailure::rate_limited(retry_after.max(1) as u64))
    }
}

impl ApiFailure {
    pub fn rate_limited(retry_after_seconds: u64) -> Self {
        ApiFailure {
            retry_after_seconds: Some(retry_after_seconds),
            ..ApiFailure::new(ApiErrorCode::RateLimited)
        }
    }
}
