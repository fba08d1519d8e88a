//! Errors the proxy answers with. Codes, not sentences: the form words them in the person's language.

use finapi::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub error: ApiErrorCode,
    /// For [`ApiErrorCode::InvalidInput`]: what is wrong with which field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
    /// The support reference of the request (also in the `x-request-id` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn new(error: ApiErrorCode) -> Self {
        ApiError {
            error,
            fields: Vec::new(),
            request_id: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ApiErrorCode {
    /// One or more fields break a rule; see `fields`. (400)
    InvalidInput,
    /// The body is not the JSON this endpoint takes. (400)
    MalformedRequest,
    /// A user with this id exists already (finAPI: 422 `ENTITY_EXISTS`). (409)
    UserIdTaken,
    /// Unknown id or wrong password; deliberately the same answer for both. (401)
    WrongCredentials,
    /// finAPI locked the user after too many failed logins (finAPI: 423). (423)
    AccountLocked,
    /// The session handle is missing, unknown or expired: log in again. (401)
    SessionExpired,
    /// The handoff code is unknown, used or expired. (400)
    HandoffCodeInvalid,
    /// The partner key on an exchange is missing or wrong. (401)
    PartnerKeyInvalid,
    /// A state-changing request came without the form's header. (403)
    FormHeaderMissing,
    /// finAPI could not be reached or answered with a server error. (503)
    FinapiUnavailable,
    /// finAPI refused the request in a way the form cannot fix (configuration). (502)
    FinapiRefused,
    /// No such endpoint. (404)
    NotFound,
    /// Too many attempts from this address or for this user id; the `Retry-After` header says after how
    /// many seconds to try again. (429)
    RateLimited,
    /// The password reset link is unknown, used or expired: ask for a new one. (400)
    ResetLinkInvalid,
    /// The tenant named in the URL is not configured. (404)
    UnknownTenant,
    /// `POST /api/handoff?returnUrl=` names a URL the tenant does not allow. (400)
    ReturnUrlNotAllowed,
    /// Anything else; the request id lets support find it. (500)
    Unexpected,
}

/// The fields of the sign-up and login forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FormField {
    Id,
    Password,
    Email,
    Phone,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldProblem {
    pub field: FormField,
    pub problem: FieldError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_problems_serialise_readably() {
        let error = ApiError {
            error: ApiErrorCode::InvalidInput,
            fields: vec![FieldProblem {
                field: FormField::Password,
                problem: FieldError::TooShort { min: 8 },
            }],
            request_id: Some("r-1".into()),
        };
        assert_eq!(
            serde_json::to_value(&error).unwrap(),
            serde_json::json!({"error":"INVALID_INPUT","fields":[{"field":"password","problem":{"rule":"tooShort","min":8}}],"requestId":"r-1"})
        );
        let forbidden = FieldProblem {
            field: FormField::Id,
            problem: FieldError::ForbiddenCharacter { character: '%' },
        };
        let json = serde_json::to_value(forbidden).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"field":"id","problem":{"rule":"forbiddenCharacter","character":"%"}})
        );
        assert_eq!(serde_json::from_value::<FieldProblem>(json).unwrap(), forbidden);
    }
}
