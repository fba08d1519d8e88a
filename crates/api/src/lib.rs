//! The form's JSON API, served by the proxy under `/api`: paths, headers, bodies and error codes.
//!
//! Shared by the form (wasm) and the proxy so that both sides agree by construction. The sign-up checks
//! ([`CreateUserRequest::validate`]) live here too: the form runs them before sending, the proxy runs them
//! again before calling finAPI.

pub mod appearance;
pub mod error;
pub mod handoff;
pub mod password_reset;
pub mod paths;
pub mod session;
pub mod settings;
pub mod signup;
pub mod tenant;
pub mod web_form;

pub use error::{ApiError, ApiErrorCode, FieldProblem, FormField};
pub use handoff::{ExchangeRequest, ExchangedTokens, Handoff};
pub use password_reset::{PasswordResetExecution, PasswordResetRequest};
pub use session::{LoginRequest, Session};
pub use settings::{FormSettings, PasswordRules};
pub use signup::{CreateUserRequest, CreatedUser, ValidSignUp};
pub use tenant::{TenantSettings, Theme};
pub use web_form::WebFormProgress;
