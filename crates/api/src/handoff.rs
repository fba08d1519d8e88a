//! The quick-auth handoff: the form gets a one-time code for the partner, the partner's server redeems it.

use serde::{Deserialize, Serialize};

/// The answer to `POST /api/handoff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Handoff {
    /// One-time, ≥ 128 random bits, expires in `expires_in` seconds. Safe to give to the partner page:
    /// only the partner's server, with its partner key, can redeem it.
    pub code: String,
    pub user_id: String,
    pub expires_in: u64,
    /// The finAPI Web Form (bank connection import) to continue with; one-time, valid 20 minutes.
    pub web_form_url: Option<String>,
}

/// The body of `POST /api/handoff/exchange`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangeRequest {
    pub code: String,
}

/// What the partner's server gets for a code: the user's finAPI tokens (field names as finAPI's).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangedTokens {
    #[serde(rename = "userId")]
    pub user_id: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: i64,
    pub token_type: String,
}

impl std::fmt::Debug for ExchangedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExchangedTokens")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}
