//! The user-synchronization callback: finAPI POSTs it to the `userSynchronizationCallbackUrl` of every
//! client of the mandator (the deleting client included) whenever a user is deleted.

use serde::{Deserialize, Serialize};

/// `{"userId": "...", "event": "DELETED"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSynchronizationCallback {
    /// The deleted user's id.
    pub user_id: String,
    pub event: UserSynchronizationEvent,
}

/// finAPI: "this will always be 'DELETED'". Anything else deserialises as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserSynchronizationEvent {
    Deleted,
    #[serde(other)]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_finapis_body() {
        let callback = UserSynchronizationCallback {
            user_id: "jane".into(),
            event: UserSynchronizationEvent::Deleted,
        };
        assert_eq!(
            serde_json::to_value(&callback).unwrap(),
            serde_json::json!({"userId":"jane","event":"DELETED"})
        );
    }
}
