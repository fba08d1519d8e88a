//! finAPI's `ErrorMessage`: the body of every error but a 401.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorMessage {
    pub errors: Vec<ErrorDetails>,
    /// RFC 3339 in V2, e.g. `2020-11-19T16:54:06.854+01:00`.
    pub date: String,
    /// The caller's `X-Request-Id`, or `selfgen-<uuid>`.
    pub request_id: String,
    /// `"METHOD /path"`.
    pub endpoint: String,
    /// `"<client#>/<user#>"`.
    pub auth_context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<String>,
}

impl ErrorMessage {
    /// The code of the first error, which is the one finAPI's clients act on.
    pub fn code(&self) -> Option<ErrorCode> {
        self.errors.first().map(|e| e.code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetails {
    pub message: Option<String>,
    pub code: ErrorCode,
    #[serde(rename = "type")]
    pub error_type: ErrorType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorType {
    /// For the end user.
    Business,
    /// For developers.
    Technical,
}

/// `ErrorCode` of finAPI Access V2. A code this crate does not know deserialises as `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    AdditionalAuthenticationRequired,
    BadRequest,
    BankServerRejection,
    CollectiveMoneyTransferNotSupported,
    EntityExists,
    Forbidden,
    IbanOnlyDirectDebitNotSupported,
    IbanOnlyMoneyTransferNotSupported,
    IllegalEntityState,
    IllegalFieldValue,
    IllegalPageSize,
    InvalidConsent,
    InvalidFilterOptions,
    InvalidToken,
    InvalidTwoStepProcedure,
    Locked,
    LoginFieldsMismatch,
    MethodNotAllowed,
    MissingCredentials,
    MissingField,
    MissingTwoStepProcedure,
    NoAccountsForTypeList,
    NoCertificate,
    NoExistingChallenge,
    NoTppClientCredentials,
    NoPsuMetadata,
    TooManyIds,
    UnauthorizedAccess,
    UnexpectedError,
    UnknownEntity,
    UnsupportedBank,
    UnsupportedFeature,
    UnsupportedMediaType,
    UnsupportedOrder,
    UserAlreadyVerified,
    UserNotVerified,
    WebFormAborted,
    WebFormRequired,
    #[serde(other)]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_finapis_documented_example() {
        let body = r#"{"errors":[{"message":"Interface 'FINTS_SERVER' is not supported for this operation.",
            "code":"BAD_REQUEST","type":"TECHNICAL"}],"date":"2020-11-19T16:54:06.854+01:00",
            "requestId":"selfgen-312042e7-df55-47e4-bffd-956a68ef37b5","endpoint":"POST /api/v2/bankConnections/import",
            "authContext":"1/21","bank":"DEMO0002 - finAPI Test Redirect Bank"}"#;
        let message: ErrorMessage = serde_json::from_str(body).unwrap();
        assert_eq!(message.code(), Some(ErrorCode::BadRequest));
        assert_eq!(message.errors[0].error_type, ErrorType::Technical);
        assert_eq!(message.auth_context, "1/21");
    }

    #[test]
    fn unknown_codes_do_not_break_parsing() {
        let details: ErrorDetails =
            serde_json::from_str(r#"{"message":null,"code":"SOMETHING_NEW","type":"BUSINESS"}"#).unwrap();
        assert_eq!(details.code, ErrorCode::Other);
    }

    #[test]
    fn codes_use_finapis_spelling() {
        assert_eq!(
            serde_json::to_string(&ErrorCode::EntityExists).unwrap(),
            r#""ENTITY_EXISTS""#
        );
        assert_eq!(
            serde_json::to_string(&ErrorCode::NoPsuMetadata).unwrap(),
            r#""NO_PSU_METADATA""#
        );
        assert_eq!(
            serde_json::to_string(&ErrorCode::UnauthorizedAccess).unwrap(),
            r#""UNAUTHORIZED_ACCESS""#
        );
    }
}
