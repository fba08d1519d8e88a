//! Who is calling: the bearer token is resolved to an app client, a mandator admin client or a user, and
//! each endpoint states which of them it serves.
//!
//! finAPI's roles: an app client manages users and gets user tokens; an admin client only administers
//! the mandator; a user token acts for one user. A missing, unknown or expired token is a 401; a valid
//! token of the wrong role is a 403.

use crate::call::Call;
use crate::errors::{ApiError, INVALID_TOKEN_DESCRIPTION, MISSING_TOKEN_DESCRIPTION};
use crate::state::{ClientIndex, ClientRole, Subject};
use crate::EmulatorState;
use axum::http::{header, HeaderMap, StatusCode};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    AppClient(ClientIndex),
    AdminClient(ClientIndex),
    /// A user token, with the client it was issued to and the user's canonical id.
    User {
        client: ClientIndex,
        user: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// A token that is unknown, expired or revoked.
    Invalid,
}

impl AuthFailure {
    fn description(self) -> &'static str {
        match self {
            AuthFailure::Missing => MISSING_TOKEN_DESCRIPTION,
            AuthFailure::Invalid => INVALID_TOKEN_DESCRIPTION,
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive).
pub fn bearer_token(headers: &HeaderMap) -> Result<&str, AuthFailure> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(AuthFailure::Missing)?
        .to_str()
        .map_err(|_| AuthFailure::Invalid)?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthFailure::Missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthFailure::Missing);
    }
    match token.trim() {
        "" => Err(AuthFailure::Missing),
        token => Ok(token),
    }
}

impl EmulatorState {
    /// Resolves the request's bearer token; also returns the caller's `authContext`.
    pub fn caller(&self, headers: &HeaderMap) -> Result<(Caller, String), AuthFailure> {
        let token = bearer_token(headers)?;
        let now = self.now();
        let store = self.store();
        let key = store.resolve_access_token(token, now).ok_or(AuthFailure::Invalid)?;
        let caller = match key.subject {
            Subject::User(user) => Caller::User {
                client: key.client,
                user,
            },
            Subject::Client => match store.client(key.client).role {
                ClientRole::App => Caller::AppClient(key.client),
                ClientRole::Admin => Caller::AdminClient(key.client),
            },
        };
        let context = store.auth_context(Some(caller.client()), caller.user());
        Ok((caller, context))
    }

    /// The caller of an Access endpoint; 401 `invalid_token` if there is none.
    pub fn access_caller(&self, call: Call, headers: &HeaderMap) -> Result<(Call, Caller), ApiError> {
        let (caller, context) = self
            .caller(headers)
            .map_err(|failure| ApiError::invalid_token(failure.description()))?;
        Ok((call.with_auth_context(context), caller))
    }

    /// The caller of a Web Form 2.0 endpoint; 401 in Web Form format if there is none.
    pub fn web_form_caller(&self, call: Call, headers: &HeaderMap) -> Result<(Call, Caller), ApiError> {
        match self.caller(headers) {
            Ok((caller, context)) => Ok((call.with_auth_context(context), caller)),
            Err(failure) => Err(call.web_form_error(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", failure.description())),
        }
    }
}

impl Caller {
    pub fn client(&self) -> ClientIndex {
        match self {
            Caller::AppClient(client) | Caller::AdminClient(client) => *client,
            Caller::User { client, .. } => *client,
        }
    }

    pub fn user(&self) -> Option<&str> {
        match self {
            Caller::User { user, .. } => Some(user),
            _ => None,
        }
    }

    /// Access endpoints for app clients only (users, verification): 403 otherwise.
    pub fn require_app_client(&self, call: &Call) -> Result<ClientIndex, ApiError> {
        match self {
            Caller::AppClient(client) => Ok(*client),
            _ => Err(call.access_denied()),
        }
    }

    /// Mandator administration: only a mandator admin client's token; 403 for an app client or a user.
    pub fn require_admin_client(&self, call: &Call) -> Result<ClientIndex, ApiError> {
        match self {
            Caller::AdminClient(client) => Ok(*client),
            _ => Err(call.access_denied()),
        }
    }

    /// Access endpoints for any client token, app or admin (client configuration): 403 for a user.
    pub fn require_client(&self, call: &Call) -> Result<ClientIndex, ApiError> {
        match self {
            Caller::AppClient(client) | Caller::AdminClient(client) => Ok(*client),
            Caller::User { .. } => Err(call.access_denied()),
        }
    }

    /// Access endpoints for a user token: 403 for a client token. Returns the canonical user id.
    pub fn require_user(&self, call: &Call) -> Result<&str, ApiError> {
        self.user().ok_or_else(|| call.access_denied())
    }

    /// Web Form endpoints need a user token: 403 `FORBIDDEN` (Web Form format) for a client token.
    pub fn require_web_form_user(&self, call: &Call) -> Result<&str, ApiError> {
        self.user().ok_or_else(|| {
            call.web_form_error(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "Access is denied: a user's access token is required",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_authorization(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn reads_bearer_tokens() {
        assert_eq!(bearer_token(&with_authorization("Bearer abc")), Ok("abc"));
        assert_eq!(bearer_token(&with_authorization("bearer abc")), Ok("abc"));
        assert_eq!(bearer_token(&HeaderMap::new()), Err(AuthFailure::Missing));
        assert_eq!(
            bearer_token(&with_authorization("Basic abc")),
            Err(AuthFailure::Missing)
        );
        assert_eq!(bearer_token(&with_authorization("Bearer ")), Err(AuthFailure::Missing));
    }
}
