//! `ClientConfiguration` (GET/PATCH /api/v2/clientConfiguration), `ClientConfigurationParams`, and
//! finAPI's rules for the settings a client may change itself (PATCH), used by the emulator (which answers
//! with finAPI's messages) and the proxy's operator commands and start-up check alike:
//!
//! - validity periods: seconds, `>= 60` or `0` ("never expires");
//! - callback URLs: at most 512 characters, `""` clears, `https` on finAPI live, `http` also in the
//!   sandbox ([`FinapiEnvironment`]);
//! - `finTSProductRegistrationNumber`: capital hexadecimal, at most 25 characters, `""` clears;
//! - only the patchable fields ([`ClientSetting`]); the rest of `ClientConfiguration` is administered by
//!   finAPI ([`ADMINISTERED_BY_FINAPI`]).

use serde::{Deserialize, Serialize};
use std::fmt;

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

/// Which finAPI system a client belongs to. finAPI live calls only `https` callback URLs; the sandbox
/// (and the emulator in sandbox mode) also `http`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FinapiEnvironment {
    #[default]
    Sandbox,
    Live,
}

impl FinapiEnvironment {
    /// Whether a URL with this scheme may be given to finAPI as a callback or redirect URL.
    pub fn allows_scheme(self, scheme: &str) -> bool {
        match self {
            FinapiEnvironment::Live => scheme == "https",
            FinapiEnvironment::Sandbox => matches!(scheme, "https" | "http"),
        }
    }
}

/// A validity period is at least this many seconds, or 0 ("never expires").
pub const MIN_VALIDITY_PERIOD: i32 = 60;
/// The longest callback URL finAPI stores.
pub const MAX_CALLBACK_URL_LENGTH: usize = 512;
/// The longest FinTS product registration number.
pub const MAX_FINTS_NUMBER_LENGTH: usize = 25;

/// Fields of `ClientConfiguration` that finAPI administers: a client cannot PATCH them.
pub const ADMINISTERED_BY_FINAPI: [&str; 22] = [
    "pfmServicesEnabled",
    "isAutomaticBatchUpdateEnabled",
    "isDevelopmentModeEnabled",
    "isNonEuroAccountsSupported",
    "isAutoCategorizationEnabled",
    "mandatorLicense",
    "preferredConsentType",
    "maxUserLoginAttempts",
    "transactionImportLimitation",
    "isUserAutoVerificationEnabled",
    "isMandatorAdmin",
    "isWebScrapingEnabled",
    "paymentsEnabled",
    "isStandalonePaymentsEnabled",
    "availableBankGroups",
    "products",
    "aisViaWebForm",
    "pisViaWebForm",
    "pisStandaloneViaWebForm",
    "categoryRestrictions",
    "corsAllowedOrigins",
    "dataDecryptionKey",
];

/// A field of [`ClientConfigurationParams`]: what a client may change itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientSetting {
    UserNotificationCallbackUrl,
    UserSynchronizationCallbackUrl,
    RefreshTokensValidityPeriod,
    UserAccessTokensValidityPeriod,
    ClientAccessTokensValidityPeriod,
    FinTsProductRegistrationNumber,
    BetaBanksEnabled,
}

/// What kind of value a [`ClientSetting`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// Seconds (int32): at least [`MIN_VALIDITY_PERIOD`], or 0.
    ValidityPeriod,
    /// A URL finAPI calls; `""` clears it.
    CallbackUrl,
    /// Capital hexadecimal, at most [`MAX_FINTS_NUMBER_LENGTH`]; `""` clears it.
    FinTsNumber,
    Flag,
}

impl ClientSetting {
    pub const ALL: [ClientSetting; 7] = [
        ClientSetting::UserNotificationCallbackUrl,
        ClientSetting::UserSynchronizationCallbackUrl,
        ClientSetting::RefreshTokensValidityPeriod,
        ClientSetting::UserAccessTokensValidityPeriod,
        ClientSetting::ClientAccessTokensValidityPeriod,
        ClientSetting::FinTsProductRegistrationNumber,
        ClientSetting::BetaBanksEnabled,
    ];

    /// finAPI's (JSON) name.
    pub fn name(self) -> &'static str {
        match self {
            ClientSetting::UserNotificationCallbackUrl => "userNotificationCallbackUrl",
            ClientSetting::UserSynchronizationCallbackUrl => "userSynchronizationCallbackUrl",
            ClientSetting::RefreshTokensValidityPeriod => "refreshTokensValidityPeriod",
            ClientSetting::UserAccessTokensValidityPeriod => "userAccessTokensValidityPeriod",
            ClientSetting::ClientAccessTokensValidityPeriod => "clientAccessTokensValidityPeriod",
            ClientSetting::FinTsProductRegistrationNumber => "finTSProductRegistrationNumber",
            ClientSetting::BetaBanksEnabled => "betaBanksEnabled",
        }
    }

    pub fn kind(self) -> SettingKind {
        match self {
            ClientSetting::UserNotificationCallbackUrl | ClientSetting::UserSynchronizationCallbackUrl => {
                SettingKind::CallbackUrl
            }
            ClientSetting::RefreshTokensValidityPeriod
            | ClientSetting::UserAccessTokensValidityPeriod
            | ClientSetting::ClientAccessTokensValidityPeriod => SettingKind::ValidityPeriod,
            ClientSetting::FinTsProductRegistrationNumber => SettingKind::FinTsNumber,
            ClientSetting::BetaBanksEnabled => SettingKind::Flag,
        }
    }

    /// The setting a key names, or why a client cannot change it.
    pub fn parse(name: &str) -> Result<ClientSetting, InvalidSetting> {
        if let Some(setting) = ClientSetting::ALL.into_iter().find(|s| s.name() == name) {
            return Ok(setting);
        }
        let problem = if ADMINISTERED_BY_FINAPI.contains(&name) {
            SettingProblem::AdministeredByFinapi
        } else {
            SettingProblem::NotAField
        };
        Err(InvalidSetting::new(name, problem))
    }
}

/// A value for a [`ClientSetting`], before finAPI's rules are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingValue {
    Seconds(i32),
    Text(String),
    Flag(bool),
}

/// What finAPI refuses about a setting. `Display` is finAPI's wording (the emulator answers it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingProblem {
    /// A field of `ClientConfiguration` only finAPI changes.
    AdministeredByFinapi,
    /// No field of that name.
    NotAField,
    /// A value of another JSON type than the field's.
    WrongType(SettingKind),
    /// A validity period below [`MIN_VALIDITY_PERIOD`] and not 0.
    PeriodTooShort,
    /// A callback URL longer than [`MAX_CALLBACK_URL_LENGTH`] characters.
    UrlTooLong,
    /// Not an absolute URL with a host and a scheme the environment calls.
    NotACallbackUrl(FinapiEnvironment),
    /// Not capital hexadecimal, or longer than [`MAX_FINTS_NUMBER_LENGTH`].
    NotAFinTsNumber,
    /// A count below 0 (`maxUserLoginAttempts`, `transactionImportLimitation`).
    Negative,
}

impl fmt::Display for SettingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingProblem::AdministeredByFinapi => {
                f.write_str("is administered by finAPI and cannot be changed by a client")
            }
            SettingProblem::NotAField => f.write_str("is not a field of ClientConfigurationParams"),
            SettingProblem::WrongType(SettingKind::ValidityPeriod) => f.write_str("must be an integer (seconds)"),
            SettingProblem::WrongType(SettingKind::CallbackUrl | SettingKind::FinTsNumber) => {
                f.write_str("must be a string")
            }
            SettingProblem::WrongType(SettingKind::Flag) => f.write_str("must be a boolean"),
            SettingProblem::PeriodTooShort => {
                write!(f, "must be greater than or equal to {MIN_VALIDITY_PERIOD}, or 0")
            }
            SettingProblem::UrlTooLong => write!(f, "must be at most {MAX_CALLBACK_URL_LENGTH} characters long"),
            SettingProblem::NotACallbackUrl(FinapiEnvironment::Live) => {
                f.write_str("must be a valid https URL (finAPI's live system accepts only https)")
            }
            SettingProblem::NotACallbackUrl(FinapiEnvironment::Sandbox) => {
                f.write_str("must be a valid http or https URL")
            }
            SettingProblem::NotAFinTsNumber => write!(
                f,
                "must be at most {MAX_FINTS_NUMBER_LENGTH} hexadecimal characters in capital case"
            ),
            SettingProblem::Negative => f.write_str("must not be negative"),
        }
    }
}

/// A setting finAPI refuses: the field (as named by the caller) and the rule it breaks. `Display` is
/// finAPI's message, e.g. `'refreshTokensValidityPeriod' must be greater than or equal to 60, or 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSetting {
    pub field: String,
    pub problem: SettingProblem,
}

impl InvalidSetting {
    pub fn new(field: impl Into<String>, problem: SettingProblem) -> Self {
        InvalidSetting {
            field: field.into(),
            problem,
        }
    }
}

impl fmt::Display for InvalidSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' {}", self.field, self.problem)
    }
}

impl std::error::Error for InvalidSetting {}

/// A validity period: seconds, at least [`MIN_VALIDITY_PERIOD`], or 0 ("never expires").
pub fn check_validity_period(seconds: i32) -> Result<(), SettingProblem> {
    if seconds == 0 || seconds >= MIN_VALIDITY_PERIOD {
        Ok(())
    } else {
        Err(SettingProblem::PeriodTooShort)
    }
}

/// A callback URL: `""` (clears it), or an absolute URL with a host, at most
/// [`MAX_CALLBACK_URL_LENGTH`] characters, whose scheme the environment calls (`https`; in the sandbox
/// also `http`).
pub fn check_callback_url(url: &str, environment: FinapiEnvironment) -> Result<(), SettingProblem> {
    if url.is_empty() {
        return Ok(());
    }
    if url.chars().count() > MAX_CALLBACK_URL_LENGTH {
        return Err(SettingProblem::UrlTooLong);
    }
    match url::Url::parse(url) {
        Ok(parsed)
            if environment.allows_scheme(parsed.scheme()) && parsed.host_str().is_some_and(|host| !host.is_empty()) =>
        {
            Ok(())
        }
        _ => Err(SettingProblem::NotACallbackUrl(environment)),
    }
}

/// A FinTS product registration number: capital hexadecimal, at most [`MAX_FINTS_NUMBER_LENGTH`]
/// characters; `""` clears it.
pub fn check_fints_number(number: &str) -> Result<(), SettingProblem> {
    let capital_hex = number.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c));
    if capital_hex && number.chars().count() <= MAX_FINTS_NUMBER_LENGTH {
        Ok(())
    } else {
        Err(SettingProblem::NotAFinTsNumber)
    }
}

impl ClientConfigurationParams {
    /// Sets one field; the value must be of the setting's kind (its rules are checked by
    /// [`ClientConfigurationParams::validate`]).
    pub fn set(&mut self, setting: ClientSetting, value: SettingValue) -> Result<(), InvalidSetting> {
        use ClientSetting as S;
        match (setting, value) {
            (S::UserNotificationCallbackUrl, SettingValue::Text(url)) => {
                self.user_notification_callback_url = Some(url)
            }
            (S::UserSynchronizationCallbackUrl, SettingValue::Text(url)) => {
                self.user_synchronization_callback_url = Some(url)
            }
            (S::RefreshTokensValidityPeriod, SettingValue::Seconds(s)) => self.refresh_tokens_validity_period = Some(s),
            (S::UserAccessTokensValidityPeriod, SettingValue::Seconds(s)) => {
                self.user_access_tokens_validity_period = Some(s)
            }
            (S::ClientAccessTokensValidityPeriod, SettingValue::Seconds(s)) => {
                self.client_access_tokens_validity_period = Some(s)
            }
            (S::FinTsProductRegistrationNumber, SettingValue::Text(number)) => {
                self.fin_ts_product_registration_number = Some(number)
            }
            (S::BetaBanksEnabled, SettingValue::Flag(enabled)) => self.beta_banks_enabled = Some(enabled),
            (setting, _) => {
                return Err(InvalidSetting::new(
                    setting.name(),
                    SettingProblem::WrongType(setting.kind()),
                ))
            }
        }
        Ok(())
    }

    /// The patchable settings of a whole configuration (all of them given), to hold it to the PATCH rules.
    pub fn of(configuration: &ClientConfiguration) -> Self {
        ClientConfigurationParams {
            user_notification_callback_url: configuration.user_notification_callback_url.clone(),
            user_synchronization_callback_url: configuration.user_synchronization_callback_url.clone(),
            refresh_tokens_validity_period: Some(configuration.refresh_tokens_validity_period),
            user_access_tokens_validity_period: Some(configuration.user_access_tokens_validity_period),
            client_access_tokens_validity_period: Some(configuration.client_access_tokens_validity_period),
            fin_ts_product_registration_number: configuration.fin_ts_product_registration_number.clone(),
            beta_banks_enabled: Some(configuration.beta_banks_enabled),
        }
    }

    /// finAPI's value rules for the given fields: the first one broken (periods, then callback URLs, then
    /// the FinTS number).
    pub fn validate(&self, environment: FinapiEnvironment) -> Result<(), InvalidSetting> {
        self.problems(environment).into_iter().next().map_or(Ok(()), Err)
    }

    /// Every rule the given fields break, in the order [`ClientConfigurationParams::validate`] checks them.
    pub fn problems(&self, environment: FinapiEnvironment) -> Vec<InvalidSetting> {
        let mut problems = Vec::new();
        let mut check = |setting: ClientSetting, result: Result<(), SettingProblem>| {
            if let Err(problem) = result {
                problems.push(InvalidSetting::new(setting.name(), problem));
            }
        };
        let periods = [
            (
                ClientSetting::RefreshTokensValidityPeriod,
                self.refresh_tokens_validity_period,
            ),
            (
                ClientSetting::UserAccessTokensValidityPeriod,
                self.user_access_tokens_validity_period,
            ),
            (
                ClientSetting::ClientAccessTokensValidityPeriod,
                self.client_access_tokens_validity_period,
            ),
        ];
        for (setting, seconds) in periods {
            if let Some(seconds) = seconds {
                check(setting, check_validity_period(seconds));
            }
        }
        let urls = [
            (
                ClientSetting::UserNotificationCallbackUrl,
                &self.user_notification_callback_url,
            ),
            (
                ClientSetting::UserSynchronizationCallbackUrl,
                &self.user_synchronization_callback_url,
            ),
        ];
        for (setting, url) in urls {
            if let Some(url) = url {
                check(setting, check_callback_url(url, environment));
            }
        }
        if let Some(number) = &self.fin_ts_product_registration_number {
            check(
                ClientSetting::FinTsProductRegistrationNumber,
                check_fints_number(number),
            );
        }
        problems
    }

    /// Applies the given fields to a configuration; `""` clears a URL or the FinTS number.
    pub fn apply_to(self, configuration: &mut ClientConfiguration) {
        let cleared = |value: String| (!value.is_empty()).then_some(value);
        if let Some(seconds) = self.refresh_tokens_validity_period {
            configuration.refresh_tokens_validity_period = seconds;
        }
        if let Some(seconds) = self.user_access_tokens_validity_period {
            configuration.user_access_tokens_validity_period = seconds;
        }
        if let Some(seconds) = self.client_access_tokens_validity_period {
            configuration.client_access_tokens_validity_period = seconds;
        }
        if let Some(url) = self.user_notification_callback_url {
            configuration.user_notification_callback_url = cleared(url);
        }
        if let Some(url) = self.user_synchronization_callback_url {
            configuration.user_synchronization_callback_url = cleared(url);
        }
        if let Some(number) = self.fin_ts_product_registration_number {
            configuration.fin_ts_product_registration_number = cleared(number);
        }
        if let Some(enabled) = self.beta_banks_enabled {
            configuration.beta_banks_enabled = enabled;
        }
    }
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

    fn check(
        body: serde_json::Value,
        environment: FinapiEnvironment,
    ) -> Result<ClientConfigurationParams, InvalidSetting> {
        let params: ClientConfigurationParams = serde_json::from_value(body).unwrap();
        params.validate(environment)?;
        Ok(params)
    }

    #[test]
    fn validity_periods_are_at_least_60_or_0() {
        for ok in [0, 60, 61, 3600, i32::MAX] {
            assert_eq!(check_validity_period(ok), Ok(()), "{ok}");
        }
        for bad in [59, 1, -1, -60, i32::MIN] {
            assert_eq!(check_validity_period(bad), Err(SettingProblem::PeriodTooShort), "{bad}");
        }
        for setting in [
            "refreshTokensValidityPeriod",
            "userAccessTokensValidityPeriod",
            "clientAccessTokensValidityPeriod",
        ] {
            assert!(check(serde_json::json!({ setting: 60 }), FinapiEnvironment::Live).is_ok());
            assert!(check(serde_json::json!({ setting: 0 }), FinapiEnvironment::Live).is_ok());
            let error = check(serde_json::json!({ setting: 59 }), FinapiEnvironment::Sandbox).unwrap_err();
            assert_eq!(error.field, setting);
            assert_eq!(
                error.to_string(),
                format!("'{setting}' must be greater than or equal to 60, or 0")
            );
        }
    }

    #[test]
    fn callback_urls_are_at_most_512_characters() {
        let base = "https://partner.example/";
        let longest = format!("{base}{}", "a".repeat(MAX_CALLBACK_URL_LENGTH - base.len()));
        assert_eq!(longest.chars().count(), 512);
        assert_eq!(check_callback_url(&longest, FinapiEnvironment::Live), Ok(()));
        assert_eq!(
            check_callback_url(&format!("{longest}a"), FinapiEnvironment::Live),
            Err(SettingProblem::UrlTooLong)
        );
        // Characters, not bytes: 512 'ä' in the path are still 512 characters.
        let umlauts = format!("{base}{}", "ä".repeat(MAX_CALLBACK_URL_LENGTH - base.len()));
        assert_eq!(check_callback_url(&umlauts, FinapiEnvironment::Sandbox), Ok(()));
        let error = check(
            serde_json::json!({"userNotificationCallbackUrl": format!("{longest}a")}),
            FinapiEnvironment::Sandbox,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "'userNotificationCallbackUrl' must be at most 512 characters long"
        );
    }

    #[test]
    fn http_callback_urls_only_in_the_sandbox() {
        let http = "http://127.0.0.1:9000/sync";
        assert_eq!(check_callback_url(http, FinapiEnvironment::Sandbox), Ok(()));
        assert_eq!(
            check_callback_url(http, FinapiEnvironment::Live),
            Err(SettingProblem::NotACallbackUrl(FinapiEnvironment::Live))
        );
        for environment in [FinapiEnvironment::Sandbox, FinapiEnvironment::Live] {
            assert_eq!(check_callback_url("https://partner.example/n", environment), Ok(()));
            assert_eq!(check_callback_url("", environment), Ok(()), "\"\" clears");
            for bad in ["ftp://x.example", "partner.example/n", "https://", "not a url"] {
                assert_eq!(
                    check_callback_url(bad, environment),
                    Err(SettingProblem::NotACallbackUrl(environment)),
                    "{bad}"
                );
            }
        }
        let error = check(
            serde_json::json!({"userSynchronizationCallbackUrl": http}),
            FinapiEnvironment::Live,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "'userSynchronizationCallbackUrl' must be a valid https URL (finAPI's live system accepts only https)"
        );
        let error = check(
            serde_json::json!({"userSynchronizationCallbackUrl": "ftp://x.example"}),
            FinapiEnvironment::Sandbox,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "'userSynchronizationCallbackUrl' must be a valid http or https URL"
        );
    }

    #[test]
    fn fints_numbers_are_capital_hex_up_to_25() {
        assert_eq!(check_fints_number("ABCDEF1234567890ABCDEF123"), Ok(()));
        assert_eq!(check_fints_number(""), Ok(()), "\"\" clears");
        for bad in ["abc", "ABCG", "A".repeat(26).as_str(), "12 34"] {
            assert_eq!(check_fints_number(bad), Err(SettingProblem::NotAFinTsNumber), "{bad}");
        }
        let error = check(
            serde_json::json!({"finTSProductRegistrationNumber": "abc"}),
            FinapiEnvironment::Sandbox,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "'finTSProductRegistrationNumber' must be at most 25 hexadecimal characters in capital case"
        );
    }

    #[test]
    fn only_the_patchable_fields_can_be_named() {
        for setting in ClientSetting::ALL {
            assert_eq!(ClientSetting::parse(setting.name()), Ok(setting));
        }
        let administered = ClientSetting::parse("maxUserLoginAttempts").unwrap_err();
        assert_eq!(administered.problem, SettingProblem::AdministeredByFinapi);
        assert_eq!(
            administered.to_string(),
            "'maxUserLoginAttempts' is administered by finAPI and cannot be changed by a client"
        );
        let unknown = ClientSetting::parse("applicationName").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "'applicationName' is not a field of ClientConfigurationParams"
        );
    }

    #[test]
    fn a_value_must_be_of_the_settings_kind() {
        let mut params = ClientConfigurationParams::default();
        params
            .set(ClientSetting::RefreshTokensValidityPeriod, SettingValue::Seconds(60))
            .unwrap();
        params
            .set(ClientSetting::BetaBanksEnabled, SettingValue::Flag(true))
            .unwrap();
        params
            .set(
                ClientSetting::UserNotificationCallbackUrl,
                SettingValue::Text(String::new()),
            )
            .unwrap();
        assert_eq!(params.refresh_tokens_validity_period, Some(60));
        assert_eq!(params.beta_banks_enabled, Some(true));
        assert_eq!(params.user_notification_callback_url.as_deref(), Some(""));
        let wrong = [
            (
                ClientSetting::UserAccessTokensValidityPeriod,
                SettingValue::Text("60".into()),
                "must be an integer (seconds)",
            ),
            (
                ClientSetting::UserSynchronizationCallbackUrl,
                SettingValue::Flag(true),
                "must be a string",
            ),
            (
                ClientSetting::BetaBanksEnabled,
                SettingValue::Text("yes".into()),
                "must be a boolean",
            ),
        ];
        for (setting, value, message) in wrong {
            let error = params.set(setting, value).unwrap_err();
            assert_eq!(error.to_string(), format!("'{}' {message}", setting.name()));
        }
    }

    #[test]
    fn every_broken_rule_is_reported_in_order() {
        let params = ClientConfigurationParams {
            user_notification_callback_url: Some("http://partner.example/n".into()),
            refresh_tokens_validity_period: Some(59),
            fin_ts_product_registration_number: Some("abc".into()),
            ..Default::default()
        };
        let fields: Vec<_> = params
            .problems(FinapiEnvironment::Live)
            .into_iter()
            .map(|invalid| invalid.field)
            .collect();
        assert_eq!(
            fields,
            [
                "refreshTokensValidityPeriod",
                "userNotificationCallbackUrl",
                "finTSProductRegistrationNumber"
            ]
        );
        assert_eq!(
            params.validate(FinapiEnvironment::Live).unwrap_err().field,
            "refreshTokensValidityPeriod"
        );
        assert_eq!(
            params.problems(FinapiEnvironment::Sandbox).len(),
            2,
            "http is fine in the sandbox"
        );
    }

    #[test]
    fn a_whole_configuration_is_held_to_the_patch_rules_and_empty_strings_clear() {
        let mut configuration = ClientConfiguration::sandbox_app_client();
        assert_eq!(
            ClientConfigurationParams::of(&configuration).validate(FinapiEnvironment::Live),
            Ok(())
        );
        configuration.user_synchronization_callback_url = Some("http://a.example".into());
        configuration.fin_ts_product_registration_number = Some("ABC".into());
        let params = ClientConfigurationParams::of(&configuration);
        assert_eq!(params.validate(FinapiEnvironment::Sandbox), Ok(()));
        assert_eq!(
            params.validate(FinapiEnvironment::Live).unwrap_err().field,
            "userSynchronizationCallbackUrl"
        );
        ClientConfigurationParams {
            user_synchronization_callback_url: Some(String::new()),
            fin_ts_product_registration_number: Some(String::new()),
            refresh_tokens_validity_period: Some(60),
            ..Default::default()
        }
        .apply_to(&mut configuration);
        assert_eq!(configuration.user_synchronization_callback_url, None);
        assert_eq!(configuration.fin_ts_product_registration_number, None);
        assert_eq!(configuration.refresh_tokens_validity_period, 60);
        assert_eq!(
            configuration.user_access_tokens_validity_period, 3600,
            "not given: unchanged"
        );
    }
}
