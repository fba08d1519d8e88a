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
    /// `None` once revoked on its own (`token_type_hint=access_token`); the next request for the grant
    /// gets a new one.
    access: Option<LiveToken>,
    /// Only user grants have one.
    refresh: Option<LiveToken>,
}

struct LiveToken {
    token: String,
    /// `None`: never expires.
    expires_at: Option<OffsetDateTime>,
}

impl LiveToken {
    fn new(now: OffsetDateTime, period_seconds: i32) -> Self {
        LiveToken {
            token: random_alphanumeric(TOKEN_LENGTH),
            expires_at: expiry(now, period_seconds),
        }
    }

    fn alive(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_none_or(|at| now < at)
    }

    fn is(&self, token: &str) -> bool {
        constant_time_eq(self.token.as_bytes(), token.as_bytes())
    }
}

impl fmt::Debug for Grant {
    // Tokens never reach a log through Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("access_expires_at", &self.access.as_ref().map(|a| a.expires_at))
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
    /// The user was created by a client without auto-verification and has not been verified yet.
    NotVerified,
}

/// The refresh token is unknown, expired, revoked or was issued to another client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidRefreshToken;

/// `token_type_hint` of `POST /api/v2/oauth/revoke`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTypeHint {
    AccessToken,
    RefreshToken,
}

/// `now + seconds`, or `None` (never expires) for 0. A negative period is treated as 0.
fn expiry(now: OffsetDateTime, seconds: i32) -> Option<OffsetDateTime> {
    (seconds > 0).then(|| now + Duration::seconds(i64::from(seconds)))
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

/// The token answer for a live access token and its grant's refresh token.
fn answer(access: &LiveToken, refresh: Option<&LiveToken>, now: OffsetDateTime) -> Issued {
    Issued {
        access_token: access.token.clone(),
        expires_in: seconds_left(access.expires_at, now),
        refresh_token: refresh.map(|r| r.token.clone()),
    }
}

impl Grant {
    fn issued(&self, access: &LiveToken, now: OffsetDateTime) -> Issued {
        answer(access, self.refresh.as_ref(), now)
    }

    fn live_access(&self, now: OffsetDateTime) -> Option<&LiveToken> {
        self.access.as_ref().filter(|access| access.alive(now))
    }

    fn live_refresh(&self, now: OffsetDateTime) -> Option<&LiveToken> {
        self.refresh.as_ref().filter(|refresh| refresh.alive(now))
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
        // Users created by a client without auto-verification start unverified, and "must first be
        // verified ... before [they] can be authorized", whichever client of the mandator asks.
        if !user.verified {
            return Err(LoginError::NotVerified);
        }
        user.failed_logins = 0;
        user.last_active_at = Some(now);
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
        let (key, grant) = self
            .grants
            .iter_mut()
            .find(|(key, grant)| key.client == client && grant.live_refresh(now).is_some_and(|r| r.is(refresh_token)))
            .ok_or(InvalidRefreshToken)?;
        let access = LiveToken::new(now, period);
        let issued = grant.issued(&access, now);
        if let Some(old) = grant.access.replace(access) {
            self.access_tokens.remove(&old.token);
        }
        self.access_tokens.insert(issued.access_token.clone(), key.clone());
        if let Subject::User(user) = &key.subject {
            if let Some(user) = self.users.get_mut(user) {
                user.last_active_at = Some(now);
            }
        }
        Ok(issued)
    }

    /// Who a live access token speaks for. Unknown, expired and revoked tokens are all `None`.
    pub fn resolve_access_token(&self, token: &str, now: OffsetDateTime) -> Option<GrantKey> {
        let key = self.access_tokens.get(token)?;
        let grant = self.grants.get(key)?;
        grant
            .live_access(now)
            .is_some_and(|access| access.is(token))
            .then(|| key.clone())
    }

    /// `POST /api/v2/oauth/revoke` by `client`, which may revoke only tokens issued to it. finAPI: with
    /// `access_token` only that access token goes; with `refresh_token` the refresh token and the grant's
    /// access tokens go; without a hint everything of the grant goes. As RFC 7009 asks, a token not found
    /// under the hinted type is looked for under the other one. An unknown token changes nothing (finAPI
    /// answers 200 all the same).
    pub fn revoke(&mut self, client: ClientIndex, token: &str, hint: Option<TokenTypeHint>) {
        let found = self.grants.iter().find_map(|(key, grant)| {
            if key.client != client {
                return None;
            }
            if grant.access.as_ref().is_some_and(|access| access.is(token)) {
                Some((key.clone(), TokenTypeHint::AccessToken))
            } else if grant.refresh.as_ref().is_some_and(|refresh| refresh.is(token)) {
                Some((key.clone(), TokenTypeHint::RefreshToken))
            } else {
                None
            }
        });
        let Some((key, found_type)) = found else { return };
        match (hint, found_type) {
            (Some(_), TokenTypeHint::AccessToken) => {
                if let Some(grant) = self.grants.get_mut(&key) {
                    grant.access = None;
                }
            }
            _ => {
                self.grants.remove(&key);
            }
        }
    }

    /// Invalidates every access and refresh token of a user, for every client.
    pub fn revoke_user_tokens(&mut self, canonical_user_id: &str) {
        self.grants
            .retain(|key, _| !matches!(&key.subject, Subject::User(user) if user == canonical_user_id));
    }

    /// The grant's live token, or a new one (keeping a still-valid refresh token).
    fn issue(&mut self, key: GrantKey, now: OffsetDateTime) -> Issued {
        if let Some(grant) = self.grants.get(&key) {
            if let Some(access) = grant.live_access(now) {
                return grant.issued(access, now);
            }
        }
        let configuration = &self.clients[key.client].configuration;
        let (access_period, refresh_period) = match key.subject {
            Subject::Client => (configuration.client_access_tokens_validity_period, None),
            Subject::User(_) => (
                configuration.user_access_tokens_validity_period,
                Some(configuration.refresh_tokens_validity_period),
            ),
        };
        let previous = self.grants.remove(&key);
        if let Some(old) = previous.as_ref().and_then(|grant| grant.access.as_ref()) {
            self.access_tokens.remove(&old.token);
        }
        let kept_refresh = previous
            .and_then(|grant| grant.refresh)
            .filter(|refresh| refresh.alive(now));
        let refresh = refresh_period.map(|period| kept_refresh.unwrap_or_else(|| LiveToken::new(now, period)));
        let access = LiveToken::new(now, access_period);
        let issued = answer(&access, refresh.as_ref(), now);
        self.access_tokens.insert(issued.access_token.clone(), key.clone());
        self.grants.insert(
            key,
            Grant {
                access: Some(access),
                refresh,
            },
        );
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
        let ten_seconds = LiveToken::new(T0, 10);
        assert!(!ten_seconds.alive(T0 + Duration::seconds(10)));
        assert!(LiveToken::new(T0, 0).alive(T0 + Duration::days(10_000)));
    }

    #[test]
    fn revoking_an_access_token_keeps_the_refresh_token() {
        let mut store = Store::new(&crate::EmulatorConfig::development());
        let key = GrantKey {
            client: 0,
            subject: Subject::User("jane".into()),
        };
        let first = store.issue(key.clone(), T0);
        store.revoke(0, &first.access_token, Some(TokenTypeHint::AccessToken));
        assert!(store.resolve_access_token(&first.access_token, T0).is_none());
        let refreshed = store
            .refresh_user_token(0, first.refresh_token.as_deref().unwrap(), T0)
            .unwrap();
        // Another client cannot revoke it.
        store.revoke(1, &refreshed.access_token, None);
        assert!(store.resolve_access_token(&refreshed.access_token, T0).is_some());
        store.revoke(
            0,
            first.refresh_token.as_deref().unwrap(),
            Some(TokenTypeHint::AccessToken),
        );
        assert!(store.resolve_access_token(&refreshed.access_token, T0).is_none());
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
