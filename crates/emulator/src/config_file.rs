//! The configuration file (`finapi-emulator --config FILE`): one mandator, in TOML.
//!
//! ```toml
//! mode = "sandbox"                       # or "live" (https-only URLs)
//!
//! [[app_clients]]                        # one or more; all share the mandator's users
//! client_id = "my-app"
//! client_secret = "my-app-secret"
//! data_decryption_key = "5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a"   # 32 hex digits
//! [app_clients.configuration]            # optional; finAPI's names, every field optional
//! isUserAutoVerificationEnabled = false
//! userSynchronizationCallbackUrl = "http://127.0.0.1:9000/finapi/users"
//!
//! [[admin_clients]]                      # mandator admin clients, zero or more
//! client_id = "my-admin"
//! client_secret = "my-admin-secret"
//! ```
//!
//! A setting left out takes finAPI's default for a new sandbox client
//! ([`ClientConfiguration::sandbox_app_client`]). Settings a client can PATCH are held to the PATCH rules
//! ([`crate::settings`]). An unknown key is an error that names it. `emulator.example.toml` beside the
//! crate's `Cargo.toml` lists every key.

use crate::config::{AppClient, ClientCredentials, EmulatorConfig, Mode};
use crate::data_encryption::DataDecryptionKey;
use finapi::client_configuration::ConsentType;
use finapi::{ClientConfiguration, MandatorLicense, Product};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax, an unknown key, or a value of the wrong type; the message names the key and line.
    #[error("{0}")]
    Syntax(String),
    /// Well-formed, but against finAPI's rules or the emulator's needs.
    #[error("{0}")]
    Invalid(String),
}

impl EmulatorConfig {
    /// Reads a configuration file (see [`crate::config_file`]).
    pub fn load(path: &Path) -> Result<Self, ConfigFileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text)
    }

    /// Parses the text of a configuration file.
    pub fn from_toml(text: &str) -> Result<Self, ConfigFileError> {
        let file: FileConfig = toml::from_str(text).map_err(|error| ConfigFileError::Syntax(error.to_string()))?;
        let config = file.into_config()?;
        config.validate().map_err(ConfigFileError::Invalid)?;
        Ok(config)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    mode: FileMode,
    #[serde(default)]
    app_clients: Vec<FileAppClient>,
    #[serde(default)]
    admin_clients: Vec<FileClient>,
    /// Faults to inject (see [`crate::faults`]): `[faults]` with `seed` and `[[faults.rules]]`.
    #[serde(default)]
    faults: crate::faults::FileFaults,
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FileMode {
    #[default]
    Sandbox,
    Live,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileClient {
    client_id: String,
    client_secret: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAppClient {
    client_id: String,
    client_secret: String,
    data_decryption_key: String,
    #[serde(default)]
    configuration: ConfigurationSettings,
}

/// Every field of finAPI's `ClientConfiguration` under its finAPI name, each optional. Left out:
/// `isMandatorAdmin` (it follows from the kind of client) and `categoryRestrictions` (always `null`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ConfigurationSettings {
    pfm_services_enabled: Option<bool>,
    is_automatic_batch_update_enabled: Option<bool>,
    is_development_mode_enabled: Option<bool>,
    is_non_euro_accounts_supported: Option<bool>,
    is_auto_categorization_enabled: Option<bool>,
    mandator_license: Option<MandatorLicense>,
    preferred_consent_type: Option<ConsentType>,
    user_notification_callback_url: Option<String>,
    user_synchronization_callback_url: Option<String>,
    refresh_tokens_validity_period: Option<i32>,
    user_access_tokens_validity_period: Option<i32>,
    client_access_tokens_validity_period: Option<i32>,
    max_user_login_attempts: Option<i32>,
    transaction_import_limitation: Option<i32>,
    is_user_auto_verification_enabled: Option<bool>,
    is_web_scraping_enabled: Option<bool>,
    payments_enabled: Option<bool>,
    is_standalone_payments_enabled: Option<bool>,
    available_bank_groups: Option<Vec<String>>,
    products: Option<Vec<Product>>,
    #[serde(rename = "finTSProductRegistrationNumber")]
    fin_ts_product_registration_number: Option<String>,
    ais_via_web_form: Option<bool>,
    pis_via_web_form: Option<bool>,
    pis_standalone_via_web_form: Option<bool>,
    beta_banks_enabled: Option<bool>,
    cors_allowed_origins: Option<Vec<String>>,
}

impl FileConfig {
    fn into_config(self) -> Result<EmulatorConfig, ConfigFileError> {
        let mode = match self.mode {
            FileMode::Sandbox => Mode::Sandbox,
            FileMode::Live => Mode::Live,
        };
        let app_clients = self
            .app_clients
            .into_iter()
            .map(|client| client.into_app_client(mode))
            .collect::<Result<Vec<_>, _>>()?;
        let admin_clients = self
            .admin_clients
            .into_iter()
            .map(|client| ClientCredentials::new(client.client_id, client.client_secret))
            .collect();
        let faults = self.faults.into_plan().map_err(ConfigFileError::Invalid)?;
        Ok(EmulatorConfig {
            mode,
            app_clients,
            admin_clients,
            faults,
        })
    }
}

impl FileAppClient {
    fn into_app_client(self, mode: Mode) -> Result<AppClient, ConfigFileError> {
        let client = &self.client_id;
        let data_decryption_key = DataDecryptionKey::parse(&self.data_decryption_key).map_err(|error| {
            ConfigFileError::Invalid(format!("app client {client:?}: data_decryption_key: {error}"))
        })?;
        let configuration = self.configuration.over(ClientConfiguration::sandbox_app_client());
        crate::settings::check_configuration(&configuration, mode)
            .map_err(|invalid| ConfigFileError::Invalid(format!("app client {client:?}: configuration: {invalid}")))?;
        Ok(AppClient {
            credentials: ClientCredentials::new(self.client_id, self.client_secret),
            configuration,
            data_decryption_key,
        })
    }
}

impl ConfigurationSettings {
    /// The defaults with every given setting put over them.
    fn over(self, mut c: ClientConfiguration) -> ClientConfiguration {
        fn set<T>(target: &mut T, value: Option<T>) {
            if let Some(value) = value {
                *target = value;
            }
        }
        set(&mut c.pfm_services_enabled, self.pfm_services_enabled);
        set(
            &mut c.is_automatic_batch_update_enabled,
            self.is_automatic_batch_update_enabled,
        );
        set(&mut c.is_development_mode_enabled, self.is_development_mode_enabled);
        set(
            &mut c.is_non_euro_accounts_supported,
            self.is_non_euro_accounts_supported,
        );
        set(
            &mut c.is_auto_categorization_enabled,
            self.is_auto_categorization_enabled,
        );
        set(&mut c.mandator_license, self.mandator_license);
        set(&mut c.preferred_consent_type, self.preferred_consent_type);
        // An empty URL or FinTS number means "not set", as with PATCH.
        let given = |value: Option<String>| value.map(|v| (!v.is_empty()).then_some(v));
        set(
            &mut c.user_notification_callback_url,
            given(self.user_notification_callback_url),
        );
        set(
            &mut c.user_synchronization_callback_url,
            given(self.user_synchronization_callback_url),
        );
        set(
            &mut c.refresh_tokens_validity_period,
            self.refresh_tokens_validity_period,
        );
        set(
            &mut c.user_access_tokens_validity_period,
            self.user_access_tokens_validity_period,
        );
        set(
            &mut c.client_access_tokens_validity_period,
            self.client_access_tokens_validity_period,
        );
        set(&mut c.max_user_login_attempts, self.max_user_login_attempts);
        set(&mut c.transaction_import_limitation, self.transaction_import_limitation);
        set(
            &mut c.is_user_auto_verification_enabled,
            self.is_user_auto_verification_enabled,
        );
        set(&mut c.is_web_scraping_enabled, self.is_web_scraping_enabled);
        set(&mut c.payments_enabled, self.payments_enabled);
        set(
            &mut c.is_standalone_payments_enabled,
            self.is_standalone_payments_enabled,
        );
        set(&mut c.available_bank_groups, self.available_bank_groups);
        set(&mut c.products, self.products);
        set(
            &mut c.fin_ts_product_registration_number,
            given(self.fin_ts_product_registration_number),
        );
        set(&mut c.ais_via_web_form, self.ais_via_web_form);
        set(&mut c.pis_via_web_form, self.pis_via_web_form);
        set(&mut c.pis_standalone_via_web_form, self.pis_standalone_via_web_form);
        set(&mut c.beta_banks_enabled, self.beta_banks_enabled);
        set(&mut c.cors_allowed_origins, self.cors_allowed_origins.map(Some));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
        [[app_clients]]
        client_id = "app"
        client_secret = "app-secret"
        data_decryption_key = "5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a"
    "#;

    #[test]
    fn a_minimal_file_gets_finapis_defaults() {
        let config = EmulatorConfig::from_toml(MINIMAL).unwrap();
        assert_eq!(config.mode, Mode::Sandbox);
        assert_eq!(config.app_clients.len(), 1);
        assert_eq!(
            config.app_clients[0].configuration,
            ClientConfiguration::sandbox_app_client()
        );
        assert!(config.admin_clients.is_empty());
    }

    #[test]
    fn unknown_keys_are_named() {
        let text = format!("{MINIMAL}\n[app_clients.configuration]\nmaxUserLoginAttempt = 5\n");
        let error = EmulatorConfig::from_toml(&text).unwrap_err().to_string();
        assert!(error.contains("maxUserLoginAttempt"), "{error}");
        let error = EmulatorConfig::from_toml(&format!("mandator = 1\n{MINIMAL}"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("mandator"), "{error}");
    }

    #[test]
    fn settings_follow_finapis_rules() {
        let text = format!("{MINIMAL}\n[app_clients.configuration]\nuserAccessTokensValidityPeriod = 30\n");
        let error = EmulatorConfig::from_toml(&text).unwrap_err().to_string();
        assert!(
            error.contains("userAccessTokensValidityPeriod") && error.contains("\"app\""),
            "{error}"
        );
        let live = format!(
            "mode = \"live\"\n{MINIMAL}\n[app_clients.configuration]\nuserSynchronizationCallbackUrl = \"http://a.example/s\"\n"
        );
        assert!(EmulatorConfig::from_toml(&live).is_err());
        let bad_key = MINIMAL.replace("5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a", "xyz");
        assert!(EmulatorConfig::from_toml(&bad_key)
            .unwrap_err()
            .to_string()
            .contains("data_decryption_key"));
    }

    #[test]
    fn a_file_needs_an_app_client_and_unique_ids() {
        assert!(EmulatorConfig::from_toml("mode = \"sandbox\"").is_err());
        let twice = format!("{MINIMAL}\n[[admin_clients]]\nclient_id = \"app\"\nclient_secret = \"x\"\n");
        assert!(EmulatorConfig::from_toml(&twice)
            .unwrap_err()
            .to_string()
            .contains("twice"));
    }
}
