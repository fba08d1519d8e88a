//! finAPI's rules for the client settings a client may change itself (`ClientConfigurationParams`,
//! `PATCH /api/v2/clientConfiguration`). The configuration file is held to the same rules.
//!
//! - validity periods: seconds, `>= 60` or `0` ("never expires");
//! - callback URLs: at most 512 characters, `""` clears, `https` required in live mode, `http` also
//!   allowed in sandbox mode;
//! - `finTSProductRegistrationNumber`: capital hexadecimal, at most 25 characters, `""` clears;
//! - only the patchable fields: every other key (the rest of `ClientConfiguration`, V1's deprecated
//!   parameters, unknown keys) is refused, naming the key.

use crate::config::Mode;
use finapi::{ClientConfiguration, ClientConfigurationParams};
use serde_json::{Map, Value};

pub const MIN_VALIDITY_PERIOD: i64 = 60;
pub const MAX_CALLBACK_URL_LENGTH: usize = 512;
pub const MAX_FINTS_NUMBER_LENGTH: usize = 25;

const VALIDITY_PERIODS: [&str; 3] = [
    "refreshTokensValidityPeriod",
    "userAccessTokensValidityPeriod",
    "clientAccessTokensValidityPeriod",
];
const CALLBACK_URLS: [&str; 2] = ["userNotificationCallbackUrl", "userSynchronizationCallbackUrl"];
const FINTS_NUMBER: &str = "finTSProductRegistrationNumber";
const BETA_BANKS: &str = "betaBanksEnabled";

/// Fields of `ClientConfiguration` that finAPI administers: a client cannot PATCH them.
const ADMINISTERED_BY_FINAPI: [&str; 22] = [
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

/// A setting finAPI refuses; the message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{field}' {problem}")]
pub struct InvalidSetting {
    pub field: String,
    pub problem: String,
}

fn invalid(field: &str, problem: impl Into<String>) -> InvalidSetting {
    InvalidSetting {
        field: field.to_owned(),
        problem: problem.into(),
    }
}

/// Reads a PATCH body: only patchable keys, each of the right JSON type (`null` = not given).
pub fn parse_patch(body: &Map<String, Value>) -> Result<ClientConfigurationParams, InvalidSetting> {
    let mut params = ClientConfigurationParams::default();
    for (key, value) in body {
        let key = key.as_str();
        if value.is_null() && is_patchable(key) {
            continue;
        }
        match key {
            "refreshTokensValidityPeriod" => params.refresh_tokens_validity_period = Some(period(key, value)?),
            "userAccessTokensValidityPeriod" => params.user_access_tokens_validity_period = Some(period(key, value)?),
            "clientAccessTokensValidityPeriod" => {
                params.client_access_tokens_validity_period = Some(period(key, value)?)
            }
            "userNotificationCallbackUrl" => params.user_notification_callback_url = Some(text(key, value)?),
            "userSynchronizationCallbackUrl" => params.user_synchronization_callback_url = Some(text(key, value)?),
            FINTS_NUMBER => params.fin_ts_product_registration_number = Some(text(key, value)?),
            BETA_BANKS => {
                params.beta_banks_enabled = Some(value.as_bool().ok_or_else(|| invalid(key, "must be a boolean"))?)
            }
            _ if ADMINISTERED_BY_FINAPI.contains(&key) => {
                return Err(invalid(
                    key,
                    "is administered by finAPI and cannot be changed by a client",
                ))
            }
            _ => return Err(invalid(key, "is not a field of ClientConfigurationParams")),
        }
    }
    Ok(params)
}

fn is_patchable(key: &str) -> bool {
    VALIDITY_PERIODS.contains(&key) || CALLBACK_URLS.contains(&key) || key == FINTS_NUMBER || key == BETA_BANKS
}

/// A validity period from JSON: an integer that fits finAPI's int32. Its range is checked by
/// [`check_params`].
fn period(field: &str, value: &Value) -> Result<i32, InvalidSetting> {
    value
        .as_i64()
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| invalid(field, "must be an integer (seconds)"))
}

fn text(field: &str, value: &Value) -> Result<String, InvalidSetting> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| invalid(field, "must be a string"))
}

/// finAPI's value rules for the given settings.
pub fn check_params(params: &ClientConfigurationParams, mode: Mode) -> Result<(), InvalidSetting> {
    let periods = [
        (VALIDITY_PERIODS[0], params.refresh_tokens_validity_period),
        (VALIDITY_PERIODS[1], params.user_access_tokens_validity_period),
        (VALIDITY_PERIODS[2], params.client_access_tokens_validity_period),
    ];
    for (field, value) in periods {
        if let Some(seconds) = value {
            check_period(field, seconds)?;
        }
    }
    let urls = [
        (CALLBACK_URLS[0], &params.user_notification_callback_url),
        (CALLBACK_URLS[1], &params.user_synchronization_callback_url),
    ];
    for (field, value) in urls {
        if let Some(url) = value {
            check_callback_url(field, url, mode)?;
        }
    }
    if let Some(number) = &params.fin_ts_product_registration_number {
        check_fints_number(number)?;
    }
    Ok(())
}

fn check_period(field: &str, seconds: i32) -> Result<(), InvalidSetting> {
    if seconds == 0 || i64::from(seconds) >= MIN_VALIDITY_PERIOD {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("must be greater than or equal to {MIN_VALIDITY_PERIOD}, or 0"),
        ))
    }
}

/// `""` is allowed (it clears the URL).
fn check_callback_url(field: &str, url: &str, mode: Mode) -> Result<(), InvalidSetting> {
    if url.is_empty() {
        return Ok(());
    }
    if url.chars().count() > MAX_CALLBACK_URL_LENGTH {
        return Err(invalid(
            field,
            format!("must be at most {MAX_CALLBACK_URL_LENGTH} characters long"),
        ));
    }
    let wanted = match mode {
        Mode::Live => "must be a valid https URL (finAPI's live system accepts only https)",
        Mode::Sandbox => "must be a valid http or https URL",
    };
    let parsed = reqwest::Url::parse(url).map_err(|_| invalid(field, wanted))?;
    let scheme_ok = match mode {
        Mode::Live => parsed.scheme() == "https",
        Mode::Sandbox => matches!(parsed.scheme(), "https" | "http"),
    };
    if scheme_ok && parsed.host_str().is_some_and(|host| !host.is_empty()) {
        Ok(())
    } else {
        Err(invalid(field, wanted))
    }
}

fn check_fints_number(number: &str) -> Result<(), InvalidSetting> {
    let capital_hex = number.chars().all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c));
    if capital_hex && number.chars().count() <= MAX_FINTS_NUMBER_LENGTH {
        Ok(())
    } else {
        Err(invalid(
            FINTS_NUMBER,
            format!("must be at most {MAX_FINTS_NUMBER_LENGTH} hexadecimal characters in capital case"),
        ))
    }
}

/// Applies checked settings; `""` clears a URL or the FinTS number.
pub fn apply(configuration: &mut ClientConfiguration, params: ClientConfigurationParams) {
    let cleared = |value: String| (!value.is_empty()).then_some(value);
    if let Some(seconds) = params.refresh_tokens_validity_period {
        configuration.refresh_tokens_validity_period = seconds;
    }
    if let Some(seconds) = params.user_access_tokens_validity_period {
        configuration.user_access_tokens_validity_period = seconds;
    }
    if let Some(seconds) = params.client_access_tokens_validity_period {
        configuration.client_access_tokens_validity_period = seconds;
    }
    if let Some(url) = params.user_notification_callback_url {
        configuration.user_notification_callback_url = cleared(url);
    }
    if let Some(url) = params.user_synchronization_callback_url {
        configuration.user_synchronization_callback_url = cleared(url);
    }
    if let Some(number) = params.fin_ts_product_registration_number {
        configuration.fin_ts_product_registration_number = cleared(number);
    }
    if let Some(enabled) = params.beta_banks_enabled {
        configuration.beta_banks_enabled = enabled;
    }
}

/// A whole configuration (from the configuration file): the patchable settings follow the PATCH rules,
/// and the counters finAPI administers are not negative.
pub fn check_configuration(configuration: &ClientConfiguration, mode: Mode) -> Result<(), InvalidSetting> {
    check_params(
        &ClientConfigurationParams {
            user_notification_callback_url: configuration.user_notification_callback_url.clone(),
            user_synchronization_callback_url: configuration.user_synchronization_callback_url.clone(),
            refresh_tokens_validity_period: Some(configuration.refresh_tokens_validity_period),
            user_access_tokens_validity_period: Some(configuration.user_access_tokens_validity_period),
            client_access_tokens_validity_period: Some(configuration.client_access_tokens_validity_period),
            fin_ts_product_registration_number: configuration.fin_ts_product_registration_number.clone(),
            beta_banks_enabled: None,
        },
        mode,
    )?;
    let counters = [
        ("maxUserLoginAttempts", configuration.max_user_login_attempts),
        (
            "transactionImportLimitation",
            configuration.transaction_import_limitation,
        ),
    ];
    for (field, value) in counters {
        if value < 0 {
            return Err(invalid(field, "must not be negative"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch(body: Value, mode: Mode) -> Result<ClientConfigurationParams, InvalidSetting> {
        let params = parse_patch(body.as_object().unwrap())?;
        check_params(&params, mode)?;
        Ok(params)
    }

    #[test]
    fn validity_periods_are_at_least_60_or_0() {
        for ok in [0, 60, 3600] {
            assert!(patch(json!({"userAccessTokensValidityPeriod": ok}), Mode::Sandbox).is_ok());
        }
        for bad in [json!(59), json!(-1), json!(1.5), json!("60"), json!(3_000_000_000i64)] {
            let error = patch(json!({"clientAccessTokensValidityPeriod": bad}), Mode::Sandbox).unwrap_err();
            assert_eq!(error.field, "clientAccessTokensValidityPeriod");
        }
    }

    #[test]
    fn callback_urls_follow_the_mode_and_may_be_cleared() {
        let http = json!({"userSynchronizationCallbackUrl": "http://127.0.0.1:9000/sync"});
        assert!(patch(http.clone(), Mode::Sandbox).is_ok());
        assert!(patch(http, Mode::Live).is_err());
        assert!(patch(
            json!({"userNotificationCallbackUrl": "https://partner.example/n"}),
            Mode::Live
        )
        .is_ok());
        assert!(patch(json!({"userNotificationCallbackUrl": ""}), Mode::Live).is_ok());
        let longest = format!("https://partner.example/{}", "a".repeat(512 - 24));
        assert_eq!(longest.len(), 512);
        assert!(patch(json!({ "userNotificationCallbackUrl": longest }), Mode::Live).is_ok());
        let error = patch(
            json!({ "userNotificationCallbackUrl": format!("{longest}a") }),
            Mode::Live,
        )
        .unwrap_err();
        assert!(error.to_string().contains("512"));
        assert!(patch(json!({"userNotificationCallbackUrl": "ftp://x.example"}), Mode::Sandbox).is_err());
    }

    #[test]
    fn only_patchable_fields_are_accepted() {
        let error = patch(json!({"maxUserLoginAttempts": 5}), Mode::Sandbox).unwrap_err();
        assert_eq!(error.field, "maxUserLoginAttempts");
        assert!(error.to_string().contains("administered by finAPI"));
        let error = patch(json!({"applicationName": "My App"}), Mode::Sandbox).unwrap_err();
        assert_eq!(error.field, "applicationName");
        assert!(patch(json!({"betaBanksEnabled": "yes"}), Mode::Sandbox).is_err());
        assert_eq!(
            patch(json!({"betaBanksEnabled": null}), Mode::Sandbox),
            Ok(Default::default())
        );
    }

    #[test]
    fn fints_numbers_are_capital_hex_up_to_25() {
        assert!(patch(
            json!({"finTSProductRegistrationNumber": "ABCDEF1234567890ABCDEF123"}),
            Mode::Sandbox
        )
        .is_ok());
        assert!(patch(json!({"finTSProductRegistrationNumber": "abc"}), Mode::Sandbox).is_err());
        assert!(patch(json!({"finTSProductRegistrationNumber": "A".repeat(26)}), Mode::Sandbox).is_err());
    }

    #[test]
    fn empty_strings_clear() {
        let mut configuration = ClientConfiguration::sandbox_app_client();
        configuration.user_synchronization_callback_url = Some("http://a.example".into());
        configuration.fin_ts_product_registration_number = Some("ABC".into());
        apply(
            &mut configuration,
            patch(
                json!({"userSynchronizationCallbackUrl": "", "finTSProductRegistrationNumber": "", "refreshTokensValidityPeriod": 60}),
                Mode::Sandbox,
            )
            .unwrap(),
        );
        assert_eq!(configuration.user_synchronization_callback_url, None);
        assert_eq!(configuration.fin_ts_product_registration_number, None);
        assert_eq!(configuration.refresh_tokens_validity_period, 60);
    }
}
