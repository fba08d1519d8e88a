//! `ClientConfiguration` (GET/PATCH /api/v2/clientConfiguration) and `ClientConfigurationParams`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MandatorLicense {
    Unlicensed,
    Aisp,
    Pisp,
    FullyLicensed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ConsentType {
    Onetime,
    Recurring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Product {
    Access,
    DataIntelligence,
    WebForm,
    GiroIdent,
}

/// The client's configuration as finAPI V2 answers it. Validity periods are seconds; 0 = never expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientConfiguration {
    pub pfm_services_enabled: bool,
    pub is_automatic_batch_update_enabled: bool,
    pub is_development_mode_enabled: bool,
    pub is_non_euro_accounts_supported: bool,
    pub is_auto_categorization_enabled: bool,
    pub mandator_license: MandatorLicense,
    pub preferred_consent_type: ConsentType,
    #[serde(default)]
    pub user_notification_callback_url: Option<String>,
    #[serde(default)]
    pub user_synchronization_callback_url: Option<String>,
    pub refresh_tokens_validity_period: i32,
    pub user_access_tokens_validity_period: i32,
    pub client_access_tokens_validity_period: i32,
    pub max_user_login_attempts: i32,
    pub transaction_import_limitation: i32,
    pub is_user_auto_verification_enabled: bool,
    pub is_mandator_admin: bool,
    pub is_web_scraping_enabled: bool,
    pub payments_enabled: bool,
    pub is_standalone_payments_enabled: bool,
    pub available_bank_groups: Vec<String>,
    pub products: Vec<Product>,
    #[serde(
        default,
        rename = "finTSProductRegistrationNumber",
        skip_serializing_if = "Option::is_none"
    )]
    pub fin_ts_product_registration_number: Option<String>,
    pub ais_via_web_form: bool,
    pub pis_via_web_form: bool,
    pub pis_standalone_via_web_form: bool,
    pub beta_banks_enabled: bool,
    #[serde(default)]
    pub category_restrictions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cors_allowed_origins: Option<Vec<String>>,
}

impl ClientConfiguration {
    /// finAPI's defaults for a new sandbox app client: one-hour tokens, auto-verification on, lock
    /// after three failed logins (the V1 example), Access and Web Form 2.0 licensed.
    pub fn sandbox_app_client() -> Self {
        ClientConfiguration {
            pfm_services_enabled: false,
            is_automatic_batch_update_enabled: false,
            is_development_mode_enabled: false,
            is_non_euro_accounts_supported: false,
            is_auto_categorization_enabled: true,
            mandator_license: MandatorLicense::Unlicensed,
            preferred_consent_type: ConsentType::Recurring,
            user_notification_callback_url: None,
            user_synchronization_callback_url: None,
            refresh_tokens_validity_period: 0,
            user_access_tokens_validity_period: 3600,
            client_access_tokens_validity_period: 3600,
            max_user_login_attempts: 3,
            transaction_import_limitation: 0,
            is_user_auto_verification_enabled: true,
            is_mandator_admin: false,
            is_web_scraping_enabled: false,
            payments_enabled: false,
            is_standalone_payments_enabled: false,
            available_bank_groups: vec!["DE".into()],
            products: vec![Product::Access, Product::WebForm],
            fin_ts_product_registration_number: None,
            ais_via_web_form: true,
            pis_via_web_form: false,
            pis_standalone_via_web_form: false,
            beta_banks_enabled: false,
            category_restrictions: None,
            cors_allowed_origins: Some(Vec::new()),
        }
    }
}

/// `ClientConfigurationParams` (PATCH): only these fields can be changed by a client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientConfigurationParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_notification_callback_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_synchronization_callback_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_tokens_validity_period: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_access_tokens_validity_period: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_access_tokens_validity_period: Option<i32>,
    #[serde(
        default,
        rename = "finTSProductRegistrationNumber",
        skip_serializing_if = "Option::is_none"
    )]
    pub fin_ts_product_registration_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta_banks_enabled: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_finapis_field_names() {
        let mut configuration = ClientConfiguration::sandbox_app_client();
        configuration.fin_ts_product_registration_number = Some("XXXXX".into());
        let json = serde_json::to_value(&configuration).unwrap();
        for field in [
            "isAutomaticBatchUpdateEnabled",
            "isUserAutoVerificationEnabled",
            "clientAccessTokensValidityPeriod",
            "maxUserLoginAttempts",
            "finTSProductRegistrationNumber",
        ] {
            assert!(json.get(field).is_some(), "{field} missing in {json}");
        }
        assert_eq!(json["mandatorLicense"], "UNLICENSED");
        assert_eq!(json["products"], serde_json::json!(["ACCESS", "WEB_FORM"]));
        let back: ClientConfiguration = serde_json::from_value(json).unwrap();
        assert_eq!(back, configuration);
    }
}
