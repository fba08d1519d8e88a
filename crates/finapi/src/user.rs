//! Users: `UserCreateParams` (POST /api/v2/users), `User`, `VerificationStatusResource`.

use serde::{Deserialize, Serialize};

/// `User`. The password is plain text in the answer to a create, `"XXXXX"` everywhere else.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub password: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_auto_update_enabled: bool,
}

/// finAPI's stand-in for a password in every answer but the create.
pub const MASKED_PASSWORD: &str = "XXXXX";

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User").field("id", &self.id).finish_non_exhaustive()
    }
}

/// `UserCreateParams`: every field optional; finAPI generates an id or password left out.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserCreateParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_auto_update_enabled: Option<bool>,
}

impl std::fmt::Debug for UserCreateParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserCreateParams")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// `VerificationStatusResource` (GET /api/v2/users/verificationStatus).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationStatusResource {
    pub user_id: String,
    pub is_user_verified: bool,
}

/// `UserUpdateParams` (PATCH /api/v2/users): at least one field must be non-null; `""` clears the email
/// or phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdateParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_auto_update_enabled: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_keeps_null_email_and_phone_on_the_wire() {
        let user = User {
            id: "jane".into(),
            password: MASKED_PASSWORD.into(),
            email: None,
            phone: None,
            is_auto_update_enabled: false,
        };
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            serde_json::json!({"id":"jane","password":"XXXXX","email":null,"phone":null,"isAutoUpdateEnabled":false})
        );
    }

    #[test]
    fn create_params_leave_out_what_is_not_set() {
        let params = UserCreateParams {
            id: Some("jane".into()),
            is_auto_update_enabled: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&params).unwrap(),
            serde_json::json!({"id":"jane","isAutoUpdateEnabled":true})
        );
    }
}
