//! finAPI Web Form 2.0: `POST /api/webForms/bankConnectionImport`, `WebForm`, its lifecycle, its errors.

use serde::{Deserialize, Serialize};

/// How long a web form can be opened after its creation: 20 minutes.
pub const WEB_FORM_LIFETIME_SECONDS: i64 = 20 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebFormType {
    BankConnectionImport,
    BankConnectionUpdate,
    PaymentWithAccountId,
    StandalonePayment,
    StandingOrder,
    DirectDebitWithAccountId,
}

/// `NOT_YET_OPENED` → `IN_PROGRESS` → one of the final states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WebFormStatus {
    NotYetOpened,
    InProgress,
    Completed,
    CompletedWithError,
    Expired,
    Aborted,
    Cancelled,
}

impl WebFormStatus {
    pub fn is_final(self) -> bool {
        !matches!(self, WebFormStatus::NotYetOpened | WebFormStatus::InProgress)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormPayload {
    pub bank_connection_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub standing_order_id: Option<i64>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// `WebForm`. Timestamps use `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, e.g. `2021-03-09T08:36:15.000+0000`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebForm {
    pub id: String,
    pub url: String,
    pub created_at: String,
    pub expires_at: String,
    #[serde(rename = "type")]
    pub form_type: WebFormType,
    pub status: WebFormStatus,
    pub payload: WebFormPayload,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormCallbacks {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalised: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BankSelection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

/// `bankConnectionName`: 1 to 64 characters.
pub const BANK_CONNECTION_NAME_LENGTH: std::ops::RangeInclusive<usize> = 1..=64;
/// `maxDaysForDownload`: 0 (finAPI's default) to 3650 days.
pub const MAX_DAYS_FOR_DOWNLOAD: std::ops::RangeInclusive<i32> = 0..=3650;

/// `BankConnectionImportDetails`: every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BankConnectionImportDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<BankSelection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_connection_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_positions_download: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_owner_data: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days_for_download: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_types: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<WebFormCallbacks>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

/// Web Form 2.0's own error body (not Access's `ErrorMessage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormError {
    /// `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `NOT_ALLOWED`, `ENTITY_EXISTS`, `LOCKED`, ...
    pub code: String,
    pub description: String,
    pub timestamp: String,
    pub endpoint: String,
}

/// The body finAPI POSTs to `callbacks.finalised`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormCompletedCallback {
    pub web_form_id: String,
    pub status: WebFormStatus,
}

/// `WebFormsPage` (`GET /api/webForms`): the caller's forms, ordered by `createdAt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormsPage {
    pub items: Vec<WebForm>,
    pub paging: crate::paging::Paging,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_finapis_documented_example() {
        let body = r#"{"id":"946db09e-5bfc-11eb-ae93-0242ac130002","url":"https://webform.finapi.io/wf/946db09e-5bfc-11eb-ae93-0242ac130002",
            "createdAt":"2021-03-09T08:36:15.000+0000","expiresAt":"2021-03-09T08:56:15.000+0000",
            "type":"BANK_CONNECTION_IMPORT","status":"NOT_YET_OPENED",
            "payload":{"bankConnectionId":null,"paymentId":null,"standingOrderId":null,"errorCode":null,"errorMessage":null}}"#;
        let form: WebForm = serde_json::from_str(body).unwrap();
        assert_eq!(form.form_type, WebFormType::BankConnectionImport);
        assert_eq!(form.status, WebFormStatus::NotYetOpened);
        assert!(!form.status.is_final());
        assert_eq!(
            serde_json::to_value(&form).unwrap(),
            serde_json::from_str::<serde_json::Value>(body).unwrap()
        );
    }

    #[test]
    fn every_status_after_in_progress_is_final() {
        for status in [
            WebFormStatus::Completed,
            WebFormStatus::CompletedWithError,
            WebFormStatus::Expired,
            WebFormStatus::Aborted,
            WebFormStatus::Cancelled,
        ] {
            assert!(status.is_final());
        }
    }
}
