//! `POST /api/users`: sign up. The form and the proxy both run [`CreateUserRequest::validate`].

use crate::error::{FieldProblem, FormField};
use finapi::{Email, FieldError, Password, PasswordPolicy, Phone, UserCreateParams, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUserRequest {
    pub id: String,
    pub password: String,
    /// Optional; `None` or blank = not given.
    #[serde(default)]
    pub email: Option<String>,
    /// Optional; `None` or blank = not given.
    #[serde(default)]
    pub phone: Option<String>,
    /// finAPI's `isAutoUpdateEnabled`; only offered when the client's batch update is enabled.
    #[serde(default)]
    pub auto_update: bool,
}

impl std::fmt::Debug for CreateUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserRequest")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A sign-up that passed every rule: safe to send to finAPI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSignUp {
    pub id: UserId,
    pub password: Password,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub auto_update: bool,
}

/// The answer to a successful sign-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedUser {
    pub id: String,
}

impl CreateUserRequest {
    /// Checks every field and reports every problem at once, in the order the form shows the fields.
    pub fn validate(&self) -> Result<ValidSignUp, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut note = |field, result: Result<(), FieldError>| {
            if let Err(problem) = result {
                problems.push(FieldProblem { field, problem });
            }
        };
        let id = UserId::parse(&self.id);
        note(FormField::Id, id.as_ref().map(|_| ()).map_err(|e| *e));
        let password = Password::parse(&self.password, PasswordPolicy::ONBOARDING);
        note(FormField::Password, password.as_ref().map(|_| ()).map_err(|e| *e));
        let email = optional(&self.email).map(Email::parse_address).transpose();
        note(FormField::Email, email.as_ref().map(|_| ()).map_err(|e| *e));
        let phone = optional(&self.phone).map(Phone::parse_number).transpose();
        note(FormField::Phone, phone.as_ref().map(|_| ()).map_err(|e| *e));
        match (id, password, email, phone) {
            (Ok(id), Ok(password), Ok(email), Ok(phone)) if problems.is_empty() => Ok(ValidSignUp {
                id,
                password,
                email,
                phone,
                auto_update: self.auto_update,
            }),
            _ => Err(problems),
        }
    }
}

impl ValidSignUp {
    /// finAPI's `UserCreateParams` for this sign-up.
    pub fn to_finapi(&self) -> UserCreateParams {
        UserCreateParams {
            id: Some(self.id.as_str().to_owned()),
            password: Some(self.password.expose().to_owned()),
            email: self.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: self.phone.as_ref().map(|p| p.as_str().to_owned()),
            is_auto_update_enabled: Some(self.auto_update),
        }
    }
}

fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateUserRequest {
        CreateUserRequest {
            id: "jane.doe".into(),
            password: "correct horse".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_sign_up_becomes_finapi_params() {
        let mut req = request();
        req.email = Some(" jane@example.com ".into());
        req.phone = Some("".into());
        let params = req.validate().unwrap().to_finapi();
        assert_eq!(params.id.as_deref(), Some("jane.doe"));
        assert_eq!(params.email.as_deref(), Some("jane@example.com"));
        assert_eq!(params.phone, None);
        assert_eq!(params.is_auto_update_enabled, Some(false));
    }

    #[test]
    fn every_problem_is_reported_in_field_order() {
        let req = CreateUserRequest {
            id: "jane doe".into(),
            password: "short".into(),
            email: Some("jane".into()),
            phone: Some("call me".into()),
            auto_update: false,
        };
        let problems = req.validate().unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [FormField::Id, FormField::Password, FormField::Email, FormField::Phone]
        );
        assert_eq!(problems[1].problem, FieldError::TooShort { min: 8 });
    }

    #[test]
    fn unknown_fields_are_refused() {
        let body = r#"{"id":"jane","password":"12345678","isAdmin":true}"#;
        assert!(serde_json::from_str::<CreateUserRequest>(body).is_err());
    }
}
