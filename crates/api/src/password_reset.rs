//! A locked account's way back: ask for a reset link by email, then choose a new password with it.
//!
//! 1. `POST /api/password-resets` [`PasswordResetRequest`] → `202`, always the same answer, whether or
//!    not the id exists or has an email address (so the form cannot be used to probe ids). The form then
//!    says "if the account has an email address, a link is on its way; else contact <support>" (the
//!    support contact is in `GET /api/tenant`).
//! 2. The email's link opens the form at `…/#reset=<code>` (a fragment: it never reaches a server log);
//!    the form shows a "choose a new password" step and sends `POST /api/password-resets/execute`
//!    [`PasswordResetExecution`] → `204`; `400 RESET_LINK_INVALID` for an unknown, used or expired link;
//!    `400 INVALID_INPUT` for a password that breaks the rules. Then the person logs in as usual.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub id: String,
    /// The form's language: the email is German for `de` (the default), English for any other.
    #[serde(default)]
    pub language: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordResetExecution {
    /// The `reset` value of the link's fragment.
    pub code: String,
    pub password: String,
}

impl std::fmt::Debug for PasswordResetExecution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordResetExecution").finish_non_exhaustive()
    }
}

/// The fragment key of the reset link: `#reset=<code>`.
pub const RESET_FRAGMENT_KEY: &str = "reset";
