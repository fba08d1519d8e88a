//! Counters a test can read to check how a client of finAPI behaves (e.g. that a proxy caches tokens).

use finapi::GrantType;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Stats {
    client_credentials: AtomicU64,
    password: AtomicU64,
    refresh_token: AtomicU64,
}

impl Stats {
    /// How many `POST /api/v2/oauth/token` requests named this `grant_type`, whatever their outcome.
    pub fn token_requests(&self, grant: GrantType) -> u64 {
        self.counter(grant).load(Ordering::Relaxed)
    }

    pub(crate) fn record_token_request(&self, grant: GrantType) {
        self.counter(grant).fetch_add(1, Ordering::Relaxed);
    }

    fn counter(&self, grant: GrantType) -> &AtomicU64 {
        match grant {
            GrantType::ClientCredentials => &self.client_credentials,
            GrantType::Password => &self.password,
            GrantType::RefreshToken => &self.refresh_token,
        }
    }
}
