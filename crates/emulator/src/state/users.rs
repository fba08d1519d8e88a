//! Users: creation with finAPI's own field rules, verification, and the `User` finAPI answers.

use super::{random_alphanumeric, ClientIndex, Store};
use finapi::user::MASKED_PASSWORD;
use finapi::{
    Email, FieldError, PasswordPolicy, Phone, User, UserCreateParams, UserId, UserUpdateParams,
    VerificationStatusResource,
};
use std::fmt;
use time::OffsetDateTime;

pub struct UserRecord {
    /// finAPI's internal sequence number, shown in `authContext`.
    pub number: u64,
    /// As given at creation (finAPI keeps the case; comparisons ignore it).
    pub id: String,
    pub password: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub is_auto_update_enabled: bool,
    pub verified: bool,
    /// Consecutive failed logins since the last success.
    pub failed_logins: u32,
    pub locked: bool,
    pub registered_at: OffsetDateTime,
    /// The last successful token request (password or refresh grant).
    pub last_active_at: Option<OffsetDateTime>,
    /// When each of the user's bank connections was imported (a completed web form).
    pub bank_connection_imports: Vec<OffsetDateTime>,
    /// The (plain) token of the latest `requestPasswordChange`, usable once.
    pub password_change_token: Option<String>,
}

impl fmt::Debug for UserRecord {
    // The password never reaches a log through Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("number", &self.number)
            .field("id", &self.id)
            .field("verified", &self.verified)
            .field("locked", &self.locked)
            .finish_non_exhaustive()
    }
}

impl UserRecord {
    /// finAPI shows the password in plain text only in the answer to the create.
    pub fn to_wire(&self, show_password: bool) -> User {
        User {
            id: self.id.clone(),
            password: if show_password {
                self.password.clone()
            } else {
                MASKED_PASSWORD.into()
            },
            email: self.email.clone(),
            phone: self.phone.clone(),
            is_auto_update_enabled: self.is_auto_update_enabled,
        }
    }
}

/// `UserCreateParams` that passed finAPI's field rules.
#[derive(Debug)]
pub struct NewUser {
    id: Option<UserId>,
    password: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    is_auto_update_enabled: bool,
}

/// A field of `UserCreateParams` that finAPI refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidField {
    pub field: &'static str,
    pub error: FieldError,
}

impl InvalidField {
    /// The `message` of the 400: names the field and the rule. A forbidden character is named except in
    /// a password, where it would give away part of the secret.
    pub fn message(&self) -> String {
        let field = self.field;
        match self.error {
            FieldError::Missing => format!("'{field}' must not be empty"),
            FieldError::TooShort { min } => {
                format!("'{field}' must be at least {min} characters long")
            }
            FieldError::TooLong { max } => {
                format!("'{field}' must be at most {max} characters long")
            }
            FieldError::ForbiddenCharacter { .. } if field == "password" => {
                format!("'{field}' contains a character that is not allowed")
            }
            FieldError::ForbiddenCharacter { character } => {
                format!("'{field}' contains a character that is not allowed: {character:?}")
            }
            FieldError::NotAnEmailAddress | FieldError::NotAPhoneNumber => {
                format!("'{field}' is not valid")
            }
        }
    }
}

/// An email or phone given in a request: `""` (or blank) means "none" (finAPI's pattern accepts the
/// empty string; in a PATCH it clears the value).
fn given(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

fn checked_email(value: Option<String>) -> Result<Option<String>, InvalidField> {
    given(value)
        .as_deref()
        .map(|email| Email::parse(email).map(|e| e.as_str().to_owned()))
        .transpose()
        .map_err(|error| InvalidField { field: "email", error })
}

fn checked_phone(value: Option<String>) -> Result<Option<String>, InvalidField> {
    given(value)
        .as_deref()
        .map(|phone| Phone::parse(phone).map(|p| p.as_str().to_owned()))
        .transpose()
        .map_err(|error| InvalidField { field: "phone", error })
}

/// `UserUpdateParams` that passed finAPI's rules. `Some(None)` clears a value.
#[derive(Debug)]
pub struct UserUpdate {
    email: Option<Option<String>>,
    phone: Option<Option<String>>,
    is_auto_update_enabled: Option<bool>,
}

/// Why a PATCH body is refused with 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidUpdate {
    /// finAPI: "At least one field must have a non-null value in the request body".
    Empty,
    Field(InvalidField),
}

pub fn validate_update(params: UserUpdateParams) -> Result<UserUpdate, InvalidUpdate> {
    if params.email.is_none() && params.phone.is_none() && params.is_auto_update_enabled.is_none() {
        return Err(InvalidUpdate::Empty);
    }
    let email = params
        .email
        .map(|email| checked_email(Some(email)))
        .transpose()
        .map_err(InvalidUpdate::Field)?;
    let phone = params
        .phone
        .map(|phone| checked_phone(Some(phone)))
        .transpose()
        .map_err(InvalidUpdate::Field)?;
    Ok(UserUpdate {
        email,
        phone,
        is_auto_update_enabled: params.is_auto_update_enabled,
    })
}

/// 422 `ILLEGAL_ENTITY_STATE`: `isAutoUpdateEnabled` without the client's automatic batch update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoUpdateNotAllowed;

/// Applies finAPI's rules (not the onboarding policy) to each given field. An empty or blank email or
/// phone counts as not given: finAPI's pattern for them accepts the empty string.
pub fn validate_new_user(params: UserCreateParams) -> Result<NewUser, InvalidField> {
    let invalid = |field| move |error| InvalidField { field, error };
    let id = params
        .id
        .as_deref()
        .map(UserId::parse)
        .transpose()
        .map_err(invalid("id"))?;
    if let Some(password) = &params.password {
        PasswordPolicy::FINAPI.check(password).map_err(invalid("password"))?;
    }
    let email = checked_email(params.email)?;
    let phone = checked_phone(params.phone)?;
    Ok(NewUser {
        id,
        password: params.password,
        email,
        phone,
        is_auto_update_enabled: params.is_auto_update_enabled.unwrap_or(false),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateUserError {
    /// 422 `ENTITY_EXISTS`: the id is taken, in any case.
    Exists,
    /// 422 `ILLEGAL_ENTITY_STATE`: `isAutoUpdateEnabled` without the client's automatic batch update.
    AutoUpdateNotAllowed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyError {
    Unknown,
    AlreadyVerified,
}

/// Length of a generated password: well inside finAPI's 6–128.
const GENERATED_PASSWORD_LENGTH: usize = 24;

impl Store {
    /// Creates a user for `client`; returns finAPI's answer, with the password in plain text.
    pub fn create_user(
        &mut self,
        client: ClientIndex,
        new: NewUser,
        now: OffsetDateTime,
    ) -> Result<User, CreateUserError> {
        let configuration = &self.clients[client].configuration;
        let verified = configuration.is_user_auto_verification_enabled;
        let batch_update = configuration.is_automatic_batch_update_enabled;
        let id = match new.id {
            Some(id) => id.as_str().to_owned(),
            None => self.unused_random_id(),
        };
        let canonical = id.to_ascii_lowercase();
        if self.users.contains_key(&canonical) {
            return Err(CreateUserError::Exists);
        }
        if new.is_auto_update_enabled && !batch_update {
            return Err(CreateUserError::AutoUpdateNotAllowed);
        }
        let record = UserRecord {
            number: self.next_user_number,
            id,
            password: new
                .password
                .unwrap_or_else(|| random_alphanumeric(GENERATED_PASSWORD_LENGTH)),
            email: new.email,
            phone: new.phone,
            is_auto_update_enabled: new.is_auto_update_enabled,
            verified,
            failed_logins: 0,
            locked: false,
            registered_at: now,
            last_active_at: None,
            bank_connection_imports: Vec::new(),
            password_change_token: None,
        };
        self.next_user_number += 1;
        let answer = record.to_wire(true);
        self.users.insert(canonical, record);
        Ok(answer)
    }

    /// The user with this canonical (lower-case) id.
    pub fn user(&self, canonical_id: &str) -> Option<&UserRecord> {
        self.users.get(canonical_id)
    }

    /// `PATCH /users` for the token's user, through the token's client (whose batch update decides
    /// whether `isAutoUpdateEnabled` may be switched on). `None` if the user no longer exists.
    pub fn update_user(
        &mut self,
        client: ClientIndex,
        canonical_id: &str,
        update: UserUpdate,
    ) -> Option<Result<User, AutoUpdateNotAllowed>> {
        let batch_update = self.clients[client].configuration.is_automatic_batch_update_enabled;
        let user = self.users.get_mut(canonical_id)?;
        if update.is_auto_update_enabled == Some(true) && !batch_update {
            return Some(Err(AutoUpdateNotAllowed));
        }
        if let Some(email) = update.email {
            user.email = email;
        }
        if let Some(phone) = update.phone {
            user.phone = phone;
        }
        if let Some(enabled) = update.is_auto_update_enabled {
            user.is_auto_update_enabled = enabled;
        }
        Some(Ok(user.to_wire(false)))
    }

    /// `POST /users/verify/{userId}`.
    pub fn verify_user(&mut self, user_id: &str) -> Result<(), VerifyError> {
        let user = self
            .users
            .get_mut(&user_id.to_ascii_lowercase())
            .ok_or(VerifyError::Unknown)?;
        if user.verified {
            return Err(VerifyError::AlreadyVerified);
        }
        user.verified = true;
        Ok(())
    }

    /// `GET /users/verificationStatus?userId=`; `None` for an unknown user.
    pub fn verification_status(&self, user_id: &str) -> Option<VerificationStatusResource> {
        self.users
            .get(&user_id.to_ascii_lowercase())
            .map(|user| VerificationStatusResource {
                user_id: user.id.clone(),
                is_user_verified: user.verified,
            })
    }

    /// A generated id is a UUID: 36 characters, all allowed in a user id.
    fn unused_random_id(&self) -> String {
        loop {
            let id = uuid::Uuid::new_v4().to_string();
            if !self.users.contains_key(&id) {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(id: &str) -> UserCreateParams {
        UserCreateParams {
            id: Some(id.into()),
            password: Some("secret1".into()),
            ..Default::default()
        }
    }

    #[test]
    fn messages_name_the_field() {
        let error = validate_new_user(UserCreateParams {
            password: Some("12345".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(error.field, "password");
        assert!(error.message().contains("'password'"));
        assert!(error.message().contains('6'));
    }

    #[test]
    fn a_forbidden_password_character_is_not_repeated() {
        let error = validate_new_user(UserCreateParams {
            password: Some("secret%secret".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(!error.message().contains('%'));
    }

    #[test]
    fn blank_email_and_phone_count_as_absent() {
        let new = validate_new_user(UserCreateParams {
            email: Some("".into()),
            phone: Some("  ".into()),
            ..Default::default()
        })
        .unwrap();
        assert!(new.email.is_none() && new.phone.is_none());
    }

    #[test]
    fn an_update_needs_a_field_and_empty_strings_clear() {
        assert!(matches!(
            validate_update(UserUpdateParams::default()),
            Err(InvalidUpdate::Empty)
        ));
        let update = validate_update(UserUpdateParams {
            email: Some("".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(update.email, Some(None));
        let error = validate_update(UserUpdateParams {
            phone: Some("x".repeat(51)),
            ..Default::default()
        })
        .unwrap_err();
        assert!(matches!(
            error,
            InvalidUpdate::Field(InvalidField { field: "phone", .. })
        ));
    }

    #[test]
    fn ids_are_unique_regardless_of_case_and_generated_when_missing() {
        let mut store = Store::new(&crate::EmulatorConfig::development());
        let now = time::macros::datetime!(2026-11-23 10:00 UTC);
        store
            .create_user(0, validate_new_user(params("Jane")).unwrap(), now)
            .unwrap();
        assert_eq!(
            store.create_user(0, validate_new_user(params("jANE")).unwrap(), now),
            Err(CreateUserError::Exists)
        );
        let generated = store
            .create_user(0, validate_new_user(UserCreateParams::default()).unwrap(), now)
            .unwrap();
        assert_eq!(generated.id.len(), 36);
        assert!(PasswordPolicy::FINAPI.check(&generated.password).is_ok());
    }
}
