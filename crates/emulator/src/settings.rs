//! finAPI's rules for the client settings a client may change itself (`ClientConfigurationParams`,
//! `PATCH /api/v2/clientConfiguration`), as the emulator applies them. The rules themselves (periods
//! `>= 60` or `0`, callback URLs, the FinTS number, which fields are patchable) and their messages live in
//! the shared [`finapi::client_configuration`]; here a PATCH body is read from JSON, and the configuration
//! file is held to the same rules. The emulator's [`Mode`] is finAPI's environment.

use crate::config::Mode;
use finapi::{
    ClientConfiguration, ClientConfigurationParams, ClientSetting, SettingKind, SettingProblem, SettingValue,
};
use serde_json::{Map, Value};

/// A setting finAPI refuses; its `Display` is finAPI's message, naming the field.
pub use finapi::InvalidSetting;

/// Reads a PATCH body: only patchable keys, each of the right JSON type (`null` = not given).
pub fn parse_patch(body: &Map<String, Value>) -> Result<ClientConfigurationParams, InvalidSetting> {
    let mut params = ClientConfigurationParams::default();
    for (key, value) in body {
        let setting = ClientSetting::parse(key)?;
        if value.is_null() {
            continue;
        }
        let wrong_type = || InvalidSetting::new(key.as_str(), SettingProblem::WrongType(setting.kind()));
        let value = match setting.kind() {
            // An integer that fits finAPI's int32; its range is checked by [`check_params`].
            SettingKind::ValidityPeriod => value
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(SettingValue::Seconds),
            SettingKind::CallbackUrl | SettingKind::FinTsNumber => {
                value.as_str().map(|text| SettingValue::Text(text.to_owned()))
            }
            SettingKind::Flag => value.as_bool().map(SettingValue::Flag),
        }
        .ok_or_else(wrong_type)?;
        params.set(setting, value)?;
    }
    Ok(params)
}

/// finAPI's value rules for the given settings.
pub fn check_params(params: &ClientConfigurationParams, mode: Mode) -> Result<(), InvalidSetting> {
    params.validate(mode)
}

/// Applies checked settings; `""` clears a URL or the FinTS number.
pub fn apply(configuration: &mut ClientConfiguration, params: ClientConfigurationParams) {
    params.apply_to(configuration);
}

/// A whole configuration (from the configuration file): the patchable settings follow the PATCH rules,
/// and the counters finAPI administers are not negative.
pub fn check_configuration(configuration: &ClientConfiguration, mode: Mode) -> Result<(), InvalidSetting> {
    ClientConfigurationParams::of(configuration).validate(mode)?;
    let counters = [
        ("maxUserLoginAttempts", configuration.max_user_login_attempts),
        (
            "transactionImportLimitation",
            configuration.transaction_import_limitation,
        ),
    ];
    for (field, value) in counters {
        if value < 0 {
            return Err(InvalidSetting::new(field, SettingProblem::Negative));
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

    #[test]
    fn the_configuration_files_counters_are_not_negative() {
        let mut configuration = ClientConfiguration::sandbox_app_client();
        assert_eq!(check_configuration(&configuration, Mode::Live), Ok(()));
        configuration.max_user_login_attempts = -1;
        assert_eq!(
            check_configuration(&configuration, Mode::Live).unwrap_err().to_string(),
            "'maxUserLoginAttempts' must not be negative"
        );
    }
}
