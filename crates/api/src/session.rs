//! `POST /api/sessions`: log in with finAPI's password grant. The finAPI tokens stay in the proxy; the
//! form gets an opaque handle.

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoginRequest {
    pub id: String,
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Opaque, random; send it back in the `x-onboarding-session` header. Keep it in memory only.
    pub session: String,
    /// The user id as finAPI spells it.
    pub user_id: String,
    /// Seconds until the handle expires.
    pub expires_in: u64,
}
