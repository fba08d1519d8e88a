//! Deleting users: by the user (`DELETE /users`), by an app client (`DELETE /users/{userId}`, unverified
//! users only) and by the mandator admin (`POST /mandatorAdmin/deleteUsers`).
//!
//! A deleted user's tokens and web forms go with it and the id becomes free again. finAPI keeps a trace
//! for the mandator admin's user list, but not the original id: "if the deleted user's id was originally
//! 'user', then this service will return 'uXXr'". Who to notify (the clients' user synchronization
//! callbacks) is the caller's business: [`Store::user_synchronization_urls`].

use super::{Store, UserRecord};
use finapi::UserIdentifiersList;
use time::OffsetDateTime;

/// What remains of a deleted user.
#[derive(Debug, Clone)]
pub struct DeletedUser {
    /// The distorted id (`user` → `uXXr`).
    pub masked_id: String,
    pub registered_at: OffsetDateTime,
    pub deleted_at: OffsetDateTime,
    pub last_active_at: Option<OffsetDateTime>,
    pub bank_connection_imports: Vec<OffsetDateTime>,
}

/// finAPI's distortion: the first and the last character are kept, every one between becomes `X`.
pub fn mask_user_id(id: &str) -> String {
    let count = id.chars().count();
    id.chars()
        .enumerate()
        .map(|(i, c)| if i == 0 || i + 1 == count { c } else { 'X' })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteUnverifiedError {
    Unknown,
    /// 422: only unverified users can be deleted by a client.
    Verified,
}

impl Store {
    /// Deletes the user with this canonical id; returns the id as created, or `None` if there is none.
    pub fn delete_user(&mut self, canonical_id: &str, now: OffsetDateTime) -> Option<String> {
        let user = self.users.remove(canonical_id)?;
        self.revoke_user_tokens(canonical_id);
        self.web_forms.retain(|_, form| form.owner != canonical_id);
        let id = user.id.clone();
        self.deleted_users.push(deleted(user, now));
        Some(id)
    }

    /// `DELETE /users/{userId}` (case-insensitive): only a user who is not verified.
    pub fn delete_unverified_user(
        &mut self,
        user_id: &str,
        now: OffsetDateTime,
    ) -> Result<String, DeleteUnverifiedError> {
        let canonical = user_id.to_ascii_lowercase();
        let user = self.users.get(&canonical).ok_or(DeleteUnverifiedError::Unknown)?;
        if user.verified {
            return Err(DeleteUnverifiedError::Verified);
        }
        self.delete_user(&canonical, now).ok_or(DeleteUnverifiedError::Unknown)
    }

    /// `POST /mandatorAdmin/deleteUsers`: unknown ids are ignored entirely. No emulated user is ever
    /// busy, so `nonDeletedUsers` stays empty.
    pub fn delete_users(&mut self, user_ids: &[String], now: OffsetDateTime) -> UserIdentifiersList {
        let mut deleted: Vec<String> = user_ids
            .iter()
            .filter_map(|id| self.delete_user(&id.to_ascii_lowercase(), now))
            .collect();
        deleted.sort();
        UserIdentifiersList {
            deleted_users: deleted,
            non_deleted_users: Vec::new(),
        }
    }
}

fn deleted(user: UserRecord, now: OffsetDateTime) -> DeletedUser {
    DeletedUser {
        masked_id: mask_user_id(&user.id),
        registered_at: user.registered_at,
        deleted_at: now,
        last_active_at: user.last_active_at,
        bank_connection_imports: user.bank_connection_imports,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_keeps_the_first_and_last_character() {
        assert_eq!(mask_user_id("user"), "uXXr");
        assert_eq!(mask_user_id("jane.doe@example.com"), "jXXXXXXXXXXXXXXXXXXm");
        assert_eq!(mask_user_id("ab"), "ab");
        assert_eq!(mask_user_id("a"), "a");
    }
}
