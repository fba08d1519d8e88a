//! A finAPI user's tokens as the proxy keeps them: secret, never logged, never sent to the browser
//! (only to the partner's server, through the handoff exchange). Serialised only into the store.

use finapi::AccessToken;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "StoredTokens", into = "StoredTokens")]
pub struct UserTokens {
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    /// `None`: never expires (finAPI's `expires_in: 0`).
    pub expires_at: Option<OffsetDateTime>,
    pub token_type: String,
}

impl UserTokens {
    pub fn issued(token: AccessToken, now: OffsetDateTime) -> Self {
        UserTokens {
            access_token: SecretString::from(token.access_token),
            refresh_token: token.refresh_token.map(SecretString::from),
            expires_at: (token.expires_in > 0).then(|| now + Duration::seconds(token.expires_in)),
            token_type: token.token_type,
        }
    }

    /// finAPI's `expires_in` as of `now`: seconds left, 0 for "never expires".
    pub fn expires_in(&self, now: OffsetDateTime) -> i64 {
        self.expires_at.map_or(0, |at| (at - now).whole_seconds().max(1))
    }

    /// Whether the access token dies within `margin` of `now`.
    pub fn expires_within(&self, margin: Duration, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at - now <= margin)
    }
}

/// The store's form of [`UserTokens`]: the store is as private as the proxy's memory (Redis must be
/// reachable by the proxy only; see the README's security model).
#[derive(Serialize, Deserialize)]
struct StoredTokens {
    access_token: String,
    refresh_token: Option<String>,
    expires_at: Option<i64>,
    token_type: String,
}

impl From<UserTokens> for StoredTokens {
    fn from(tokens: UserTokens) -> Self {
        StoredTokens {
            access_token: tokens.access_token.expose_secret().to_owned(),
            refresh_token: tokens.refresh_token.map(|t| t.expose_secret().to_owned()),
            expires_at: tokens.expires_at.map(OffsetDateTime::unix_timestamp),
            token_type: tokens.token_type,
        }
    }
}

impl From<StoredTokens> for UserTokens {
    fn from(stored: StoredTokens) -> Self {
        UserTokens {
            access_token: SecretString::from(stored.access_token),
            refresh_token: stored.refresh_token.map(SecretString::from),
            expires_at: stored
                .expires_at
                .and_then(|at| OffsetDateTime::from_unix_timestamp(at).ok()),
            token_type: stored.token_type,
        }
    }
}
