//! Sessions of people using the form: an opaque random handle → the finAPI user and their tokens.
//! The form keeps the handle in memory and sends it in the `x-onboarding-session` header; no cookies, so
//! it works in third-party iframes.

use crate::expiring_map::ExpiringMap;
use crate::secure_random;
use crate::user_tokens::UserTokens;
use finapi_emulator::clock::Clock;
use std::sync::Arc;
use time::Duration;

/// A session lasts as long as it takes to finish the form, and never longer than the user's token.
pub const SESSION_LIFETIME: Duration = Duration::minutes(15);

#[derive(Clone)]
pub struct Session {
    pub user_id: String,
    pub tokens: UserTokens,
}

pub struct Sessions {
    live: ExpiringMap<Session>,
    clock: Arc<dyn Clock>,
}

impl Sessions {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Sessions {
            live: ExpiringMap::new(clock.clone()),
            clock,
        }
    }

    /// Starts a session and returns its handle and lifetime in seconds.
    pub fn start(&self, user_id: String, tokens: UserTokens) -> (String, i64) {
        let lifetime = match tokens.expires_at {
            None => SESSION_LIFETIME,
            Some(at) => SESSION_LIFETIME.min(at - self.clock.now()),
        };
        let handle = secure_random::token();
        self.live.insert(handle.clone(), Session { user_id, tokens }, lifetime);
        (handle, lifetime.whole_seconds())
    }

    pub fn get(&self, handle: &str) -> Option<Session> {
        self.live.get(handle)
    }

    pub fn end(&self, handle: &str) {
        self.live.take(handle);
    }

    pub fn live_count(&self) -> usize {
        self.live.len()
    }
}
