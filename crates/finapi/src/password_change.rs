//! Changing a user's password as a client (`POST /api/v2/users/requestPasswordChange` and
//! `…/executePasswordChange`): the way to unlock a locked user.
//!
//! finAPI encrypts the token and the email in [`PasswordChangingResource`] with the client's *data
//! decryption key*; the client decrypts the token and passes it on in [`ExecutePasswordChangeParams`].

use serde::{Deserialize, Serialize};

/// `RequestPasswordChangeParams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestPasswordChangeParams {
    pub user_id: String,
}

/// `PasswordChangingResource`: `userEmail` and `passwordChangeToken` are encrypted (Base64).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordChangingResource {
    pub user_id: String,
    /// Encrypted; `null` if the user has no email.
    pub user_email: Option<String>,
    /// Encrypted; decrypted it matches `[0-9a-f-]*` (a UUID).
    pub password_change_token: String,
}

impl std::fmt::Debug for PasswordChangingResource {
    // The token unlocks an account: it never reaches a log through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordChangingResource")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// `ExecutePasswordChangeParams`: the **decrypted** token and the new password (6–128 characters).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutePasswordChangeParams {
    pub user_id: String,
    pub password: String,
    pub password_change_token: String,
}

impl std::fmt::Debug for ExecutePasswordChangeParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecutePasswordChangeParams")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_finapis_field_names_and_hides_secrets_in_debug() {
        let params = ExecutePasswordChangeParams {
            user_id: "jane".into(),
            password: "n3w-secret".into(),
            password_change_token: "45a611d8-8a19-4a02-8726-a24b6a691ce9".into(),
        };
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            serde_json::json!({"userId":"jane","password":"n3w-secret",
                "passwordChangeToken":"45a611d8-8a19-4a02-8726-a24b6a691ce9"})
        );
        let printed = format!("{params:?}");
        assert!(!printed.contains("n3w-secret") && !printed.contains("45a611d8"));
        let resource: PasswordChangingResource = serde_json::from_str(
            r#"{"userId":"jane","userEmail":null,"passwordChangeToken":"EnCRyPTEDPassWordCHAnGEToKen=="}"#,
        )
        .unwrap();
        assert!(resource.user_email.is_none());
        assert!(!format!("{resource:?}").contains("EnCRyPTED"));
    }
}
