//! finAPI Access (V2) and Web Form 2.0, as data: the wire types (serde) and the rules a value must follow.
//!
//! Written once and used by the form (wasm), the proxy and the emulator alike, so a rule cannot drift
//! between them. The crate does no I/O and reads no clock.
//!
//! Two levels of rules live here:
//! - **finAPI's rules** ([`UserId::parse`], [`PasswordPolicy::FINAPI`], [`Email::parse`], [`Phone::parse`]),
//!   which the emulator enforces exactly as finAPI documents them;
//! - **our onboarding policy**, stricter where the product asks for it ([`PasswordPolicy::ONBOARDING`],
//!   [`Email::parse_address`], [`Phone::parse_number`]), which the form and the proxy enforce.

pub mod access_token;
pub mod charset;
pub mod client_configuration;
pub mod email;
pub mod error;
pub mod field;
pub mod mandator_admin;
pub mod paging;
pub mod password;
pub mod password_change;
pub mod phone;
pub mod user;
pub mod user_id;
pub mod user_synchronization;
pub mod web_form;

pub use access_token::{AccessToken, BadCredentialsError, GrantType, RevokeTokenRequest, TokenRequest};
pub use client_configuration::{
    ClientConfiguration, ClientConfigurationParams, ClientSetting, FinapiEnvironment, InvalidSetting, MandatorLicense,
    Product, SettingKind, SettingProblem, SettingValue,
};
pub use email::Email;
pub use error::{ErrorCode, ErrorDetails, ErrorMessage, ErrorType};
pub use field::FieldError;
pub use mandator_admin::{
    MonthlyUserStats, PageableUserInfoList, UserIdentifiersList, UserIdentifiersParams, UserInfo,
};
pub use paging::Paging;
pub use password::{Password, PasswordPolicy};
pub use password_change::{ExecutePasswordChangeParams, PasswordChangingResource, RequestPasswordChangeParams};
pub use phone::Phone;
pub use user::{User, UserCreateParams, UserUpdateParams, VerificationStatusResource};
pub use user_id::UserId;
pub use user_synchronization::{UserSynchronizationCallback, UserSynchronizationEvent};
pub use web_form::{
    BankConnectionImportDetails, WebForm, WebFormCallbacks, WebFormCompletedCallback, WebFormError, WebFormPayload,
    WebFormStatus, WebFormType, WebFormsPage,
};
