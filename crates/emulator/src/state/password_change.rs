//! Changing a user's password as a client, the way to unlock a locked user:
//! `requestPasswordChange` hands out a one-time token (a UUID), encrypted together with the user's email
//! with the client's data decryption key; `executePasswordChange` takes the decrypted token and a new
//! password, and then revokes all of the user's tokens (for every client), unlocks the user and resets
//! the failed-login counter.

use super::{constant_time_eq, ClientIndex, Store};
use crate::data_encryption::encrypt;
use finapi::PasswordChangingResource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestError {
    Unknown,
    /// 422 `USER_NOT_VERIFIED`.
    NotVerified,
    /// The client has no data decryption key (a mandator admin client; the routes keep them out).
    NoKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecuteError {
    Unknown,
    /// No token was requested, it was used already, or it is not the one handed out.
    WrongToken,
}

impl Store {
    /// `POST /users/requestPasswordChange` by `client`; a new request replaces an earlier token.
    pub fn request_password_change(
        &mut self,
        client: ClientIndex,
        user_id: &str,
    ) -> Result<PasswordChangingResource, RequestError> {
        let key = self.clients[client]
            .data_decryption_key
            .clone()
            .ok_or(RequestError::NoKey)?;
        let user = self
            .users
            .get_mut(&user_id.to_ascii_lowercase())
            .ok_or(RequestError::Unknown)?;
        if !user.verified {
            return Err(RequestError::NotVerified);
        }
        let token = uuid::Uuid::new_v4().to_string();
        let answer = PasswordChangingResource {
            user_id: user.id.clone(),
            user_email: user.email.as_deref().map(|email| encrypt(&key, email)),
            password_change_token: encrypt(&key, &token),
        };
        user.password_change_token = Some(token);
        Ok(answer)
    }

    /// `POST /users/executePasswordChange` with the decrypted token. The password has been checked
    /// against finAPI's rules by the caller.
    pub fn execute_password_change(
        &mut self,
        user_id: &str,
        token: &str,
        password: String,
    ) -> Result<(), ExecuteError> {
        let canonical = user_id.to_ascii_lowercase();
        let user = self.users.get_mut(&canonical).ok_or(ExecuteError::Unknown)?;
        let expected = user.password_change_token.as_deref().ok_or(ExecuteError::WrongToken)?;
        if !constant_time_eq(expected.as_bytes(), token.as_bytes()) {
            return Err(ExecuteError::WrongToken);
        }
        user.password = password;
        user.password_change_token = None;
        user.locked = false;
        user.failed_logins = 0;
        self.revoke_user_tokens(&canonical);
        Ok(())
    }
}
