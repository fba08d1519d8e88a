//! `GET /api/settings`: what the form needs to know before it renders.

use serde::{Deserialize, Serialize};

/// The languages the form speaks (finAPI Web Form's eleven), the default first: the proxy's
/// `FormSettings::languages`, and the form's `Lang::ALL` in the same order (`tests/translations.rs`).
pub const LANGUAGES: [&str; 11] = ["de", "en", "cs", "es", "fr", "it", "nl", "pl", "ro", "sk", "tr"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormSettings {
    /// Offer the "update my accounts automatically" choice: the client configuration's
    /// `isAutomaticBatchUpdateEnabled`.
    pub auto_update_offered: bool,
    pub password: PasswordRules,
    /// Language codes the form speaks, the default first.
    pub languages: Vec<String>,
    /// Origins allowed to embed the form; the form posts messages to its parent only if it is one of them.
    pub parent_origins: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordRules {
    pub min_length: usize,
    pub max_length: usize,
}

impl From<finapi::PasswordPolicy> for PasswordRules {
    fn from(policy: finapi::PasswordPolicy) -> Self {
        PasswordRules {
            min_length: policy.min_length,
            max_length: policy.max_length,
        }
    }
}
