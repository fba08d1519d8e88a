//! OAuth: `POST /api/v2/oauth/token` (form-urlencoded `GetTokenParams`) and its answers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    ClientCredentials,
    Password,
    RefreshToken,
}

/// `GetTokenParams`. Every field is optional on the wire so that a missing one can be answered with
/// finAPI's error rather than a parser's.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl std::fmt::Debug for TokenRequest {
    // Secrets never reach a log through Debug.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// `AccessToken`: `token_type` is always `"bearer"`, `scope` always `"all"`, `expires_in` 0 = never.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    pub access_token: String,
    pub token_type: String,
    /// Only for the `password` and `refresh_token` grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub expires_in: i64,
    pub scope: String,
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// The body of a 401 from finAPI: bad client credentials, or a missing, invalid or expired token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadCredentialsError {
    pub error: String,
    pub error_description: String,
}

/// The form-urlencoded body of `POST /api/v2/oauth/revoke` (with the client's token). `token_type_hint`
/// is `access_token` or `refresh_token`; without it finAPI revokes the whole grant. Fields are optional on
/// the wire so that a missing one gets finAPI's error rather than a parser's.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeTokenRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type_hint: Option<String>,
}

impl std::fmt::Debug for RevokeTokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevokeTokenRequest")
            .field("token_type_hint", &self.token_type_hint)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_token_is_omitted_for_client_tokens() {
        let token = AccessToken {
            access_token: "abc".into(),
            token_type: "bearer".into(),
            refresh_token: None,
            expires_in: 3600,
            scope: "all".into(),
        };
        let json = serde_json::to_value(&token).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"access_token":"abc","token_type":"bearer","expires_in":3600,"scope":"all"})
        );
    }

    #[test]
    fn debug_hides_tokens_and_secrets() {
        let request = TokenRequest {
            client_secret: Some("s3cr3t".into()),
            password: Some("pw123456".into()),
            ..Default::default()
        };
        let printed = format!("{request:?}");
        assert!(!printed.contains("s3cr3t") && !printed.contains("pw123456"));
    }
}
