//! OAuth grants: client tokens, user tokens (password grant), refresh tokens, and user locking.
//!
//! finAPI's rules copied here:
//! - "As long as a token exists and has not expired, the service will always return the same token for
//!   the same credentials", so a grant (client, subject) holds at most one live access token, and a
//!   repeated request gets it back with a smaller `expires_in`;
//! - lifetimes come from the client's configuration at the time of issue; 0 means "never expires";
//! - `maxUserLoginAttempts` consecutive wrong passwords lock the user and invalidate all of the user's
//!   tokens; a successful login resets the count; 0 means "never lock".

use super::{constant_time_eq, random_alphanumeric, ClientIndex, Store};
use finapi::AccessToken;
use std::fmt;
use time::{Duration, OffsetDateTime};

/// 43 characters of `[A-Za-z0-9]` ≈ 256 bits: url-safe and within finAPI's "up to 128 characters".
pub const TOKEN_LENGTH: usize = 43;

/// Whom a token speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    /// The client itself (`client_credentials`).
    Client,
    /// A user, by canonical (lower-case) id (`password` and `refresh_token`).
    User(String),
}

/// One set of credentials: the same key gets the same token while it lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GrantKey {
    pub client: ClientIndex,
    pub subject: Subject,
}

pub struct Grant {
    access_token: String,
    access_expires_at: Option<OffsetDateTime>,
    /// Only user grants have one.
    refresh: Option<RefreshToken>,
}

struct RefreshToken {
    token: String,
    expires_at: Option<OffsetDateTime>,
}

impl fmt::Debug for Grant {
    // Tokens never reach a log through Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("access_expires_at", &self.access_expires_at)
            .finish_non_exhaustive()
    }
}

/// A token answer, before it becomes finAPI's `AccessToken`.
pub struct Issued {
    pub access_token: String,
    /// Seconds left, rounded up so a live token never shows 0 (which would mean "never expires").
    pub expires_in: i64,
    pub refresh_token: Option<String>,
}

impl Issued {
    pub fn into_wire(self) -> AccessToken {
        AccessToken {
            access_token: self.access_token,
            token_type: "bearer".into(),
            refresh_token: self.refresh_token,
            expires_in: self.expires_in,
            scope: "all".into(),
        }
    }
}

/// Why a `password` grant was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginError {
    /// Unknown user or wrong password: deliberately one answer for both.
    BadCredentials,
    /// Too many failed logins.
    Locked,
    /// The client does not auto-verify users and this one has not been verified.
    NotVerified,
}

/// The refresh token is unknown, expired, revoked or was issued to another client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidRefreshToken;

/// `now + seconds`, or `None` (never expires) for 0. A negative period is treated as 0.
fn expiry(now: OffsetDateTime, seconds: i32) -> Option<OffsetDateTime> {
    (seconds > 0).then(|| now + Duration::seconds(i64::from(seconds)))
}

fn alive(expires_at: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    expires_at.is_none_or(|at| now < at)
}

fn seconds_left(expires_at: Option<OffsetDateTime>, now: OffsetDateTime) -> i64 {
    match expires_at {
        None => 0,
        Some(at) => {
            let millis = (at - now).whole_milliseconds().max(0);
            i64::try_from((millis + 999) / 1000).unwrap_or(i64::MAX)
        }
    }
}

impl Grant {
    fn issued(&self, now: OffsetDateTime) -> Issued {
        Issued {
            access_token: self.access_token.clone(),
            expires_in: seconds_left(self.access_expires_at, now),
            refresh_token: self.refresh.as_ref().map(|r| r.token.clone()),
        }
    }

    fn access_alive(&self, now: OffsetDateTime) -> bool {
        alive(self.access_expires_at, now)
    }

    fn refresh_alive(&self, now: OffsetDateTime) -> bool {
        self.refresh
            .as_ref()
            .is_some_and(|refresh| alive(refresh.expires_at, now))
    }
}

impl Store {
    /// `client_credentials`: the client's live token, or a new one.
    pub fn client_token(&mut self, client: ClientIndex, now: OffsetDateTime) -> Issued {
        self.issue(
            GrantKey {
                client,
                subject: Subject::Client,
            },
            now,
        )
    }

    /// `password`: checks the user's credentials, counts failures, locks, and issues a user token.
    pub fn user_token(
        &mut self,
        client: ClientIndex,
        username: &str,
        password: &str,
        now: OffsetDateTime,
    ) -> Result<Issued, LoginError> {
        let configuration = &self.clients[client].configuration;
        let max_attempts = u32::try_from(configuration.max_user_login_attempts).unwrap_or(0);
        let auto_verification = configuration.is_user_auto_verification_enabled;
        let canonical = username.to_ascii_lowercase();
        let user = self.users.get_mut(&canonical).ok_or(LoginError::BadCredentials)?;
        // Like Spring Security (which finAPI runs on), the lock is checked before the password.
        if user.locked {
            return Err(LoginError::Locked);
        }
        if !constant_time_eq(user.password.as_bytes(), password.as_bytes()) {
            user.failed_logins += 1;
            if max_attempts > 0 && user.failed_logins >= max_attempts {
                user.locked = true;
                self.revoke_user_tokens(&canonical);
            }
            return Err(LoginError::BadCredentials);
        }
        if !auto_verification && !user.verified {
            return Err(LoginError::NotVerified);
        }
        user.failed_logins = 0;
        Ok(self.issue(
            GrantKey {
                client,
                subject: Subject::User(canonical),
            },
            now,
        ))
    }

    /// `refresh_token`: a new access token for the grant the refresh token belongs to; the refresh token
    /// itself stays (Spring's default, `reuseRefreshTokens`).
    pub fn refresh_user_token(
        &mut self,
        client: ClientIndex,
        refresh_token: &str,
        now: OffsetDateTime,
    ) -> Result<Issued, InvalidRefreshToken> {
        let period = self.clients[client].configuration.user_access_tokens_validity_period;
        let grant = self
            .grants
            .iter_mut()
            .find(|(key, grant)| {
                key.client == client
                    && grant.refresh_alive(now)
                    && grant
                        .refresh
                        .as_ref()
                        .is_some_and(|refresh| constant_time_eq(refresh.token.as_bytes(), refresh_token.as_bytes()))
            })
            .map(|(_, grant)| grant)
            .ok_or(InvalidRefreshToken)?;
        grant.access_token = random_alphanumeric(TOKEN_LENGTH);
        grant.access_expires_at = expiry(now, period);
        Ok(grant.issued(now))
    }

    /// Who a live access token speaks for. Unknown and expired tokens are both `None`.
    pub fn resolve_access_token(&self, token: &str, now: OffsetDateTime) -> Option<GrantKey> {
        self.grants
            .iter()
            .find(|(_, grant)| {
                constant_time_eq(grant.access_token.as_bytes(), token.as_bytes()) && grant.access_alive(now)
            })
            .map(|(key, _)| key.clone())
    }

    /// Invalidates every access and refresh token of a user, for every client.
    pub fn revoke_user_tokens(&mut self, canonical_user_id: &str) {
        self.grants
            .retain(|key, _| !matches!(&key.subject, Subject::User(user) if user == canonical_user_id));
    }

    /// The grant's live token, or a new one (keeping a still-valid refresh token).
    fn issue(&mut self, key: GrantKey, now: OffsetDateTime) -> Issued {
        if let Some(grant) = self.grants.get(&key).filter(|g| g.access_alive(now)) {
            return grant.issued(now);
        }
        let configuration = &self.clients[key.client].configuration;
        let (access_period, refresh_period) = match key.subject {
            Subject::Client => (configuration.client_access_tokens_validity_period, None),
            Subject::User(_) => (
                configuration.user_access_tokens_validity_period,
                Some(configuration.refresh_tokens_validity_period),
            ),
        };
        let kept_refresh = self
            .grants
            .remove(&key)
            .filter(|grant| grant.refresh_alive(now))
            .and_then(|grant| grant.refresh);
        let refresh = refresh_period.map(|period| {
            kept_refresh.unwrap_or_else(|| RefreshToken {
                token: random_alphanumeric(TOKEN_LENGTH),
                expires_at: expiry(now, period),
            })
        });
        let grant = Grant {
            access_token: random_alphanumeric(TOKEN_LENGTH),
            access_expires_at: expiry(now, access_period),
            refresh,
        };
        let issued = grant.issued(now);
        self.grants.insert(key, grant);
        issued
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

    #[test]
    fn seconds_left_rounds_up_and_zero_means_never() {
        let at = Some(T0 + Duration::seconds(10));
        assert_eq!(seconds_left(at, T0), 10);
        assert_eq!(seconds_left(at, T0 + Duration::milliseconds(9_001)), 1);
        assert_eq!(seconds_left(None, T0), 0);
        assert!(!alive(at, T0 + Duration::seconds(10)));
        assert!(alive(None, T0 + Duration::days(10_000)));
    }

    #[test]
    fn same_client_gets_same_token_until_it_expires() {
        let mut store = Store::new(&crate::EmulatorConfig::development());
        let first = store.client_token(0, T0);
        let again = store.client_token(0, T0 + Duration::seconds(1));
        assert_eq!(first.access_token, again.access_token);
        assert_eq!((first.expires_in, again.expires_in), (3600, 3599));
        let later = store.client_token(0, T0 + Duration::seconds(3600));
        assert_ne!(first.access_token, later.access_token);
        assert!(store
            .resolve_access_token(&first.access_token, T0 + Duration::seconds(3600))
            .is_none());
    }
}
