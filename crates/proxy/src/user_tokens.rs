//! A finAPI user's tokens as the proxy keeps them: secret, never logged, never sent to the browser
//! (only to the partner's server, through the handoff exchange).

use finapi::AccessToken;
use secrecy::SecretString;
use time::{Duration, OffsetDateTime};

#[derive(Clone)]
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
}
