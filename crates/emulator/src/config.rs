//! The emulated mandator: its mode (sandbox or live) and its clients.
//!
//! finAPI gives a mandator one or more *app clients* (users, tokens, web forms) and *mandator admin
//! clients* (administration only). All clients of a mandator share one user base, and so do the
//! emulator's.

use crate::data_encryption::DataDecryptionKey;
use finapi::ClientConfiguration;
use std::collections::HashSet;
use std::fmt;

/// Which finAPI environment is emulated (the shared [`finapi::FinapiEnvironment`]). It decides, e.g.,
/// whether `http://` callback and redirect URLs are accepted (sandbox) or only `https://` (live).
pub use finapi::FinapiEnvironment as Mode;

/// A client's id and secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl ClientCredentials {
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }
}

impl fmt::Debug for ClientCredentials {
    // The secret never reaches a log through Debug.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// An app client and the configuration `GET /api/v2/clientConfiguration` answers for it. Token lifetimes,
/// auto-verification, the login-attempt limit and batch update all come from this configuration.
#[derive(Debug, Clone)]
pub struct AppClient {
    pub credentials: ClientCredentials,
    pub configuration: ClientConfiguration,
    /// finAPI hands each client a data decryption key along with its id and secret; the answer of
    /// `POST /api/v2/users/requestPasswordChange` is encrypted with it (see [`crate::data_encryption`]).
    pub data_decryption_key: DataDecryptionKey,
}

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub mode: Mode,
    /// At least one. All share one user base (one mandator).
    pub app_clients: Vec<AppClient>,
    /// Mandator admin clients: they get client tokens and their configuration, nothing user-related.
    pub admin_clients: Vec<ClientCredentials>,
    /// Faults to inject (none by default; see [`crate::faults`]).
    pub faults: crate::faults::FaultPlan,
}

/// The development defaults. They are printed by the binary and documented in the README: they guard
/// nothing but a local emulator.
pub const DEV_APP_CLIENT_ID: &str = "onboarding-dev-app";
pub const DEV_APP_CLIENT_SECRET: &str = "dev-app-secret-change-me";
pub const DEV_ADMIN_CLIENT_ID: &str = "onboarding-dev-admin";
pub const DEV_ADMIN_CLIENT_SECRET: &str = "dev-admin-secret-change-me";
pub const DEV_DATA_DECRYPTION_KEY: &str = "5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a";

impl EmulatorConfig {
    /// A sandbox mandator with one app client (finAPI's sandbox defaults) and one admin client.
    pub fn development() -> Self {
        EmulatorConfig {
            mode: Mode::Sandbox,
            app_clients: vec![AppClient {
                credentials: ClientCredentials::new(DEV_APP_CLIENT_ID, DEV_APP_CLIENT_SECRET),
                configuration: ClientConfiguration::sandbox_app_client(),
                data_decryption_key: DataDecryptionKey::parse(DEV_DATA_DECRYPTION_KEY)
                    .expect("the development key is 32 hex digits"),
            }],
            admin_clients: vec![ClientCredentials::new(DEV_ADMIN_CLIENT_ID, DEV_ADMIN_CLIENT_SECRET)],
            faults: crate::faults::FaultPlan::default(),
        }
    }

    /// The first app client.
    ///
    /// # Panics
    /// If there is none (a configuration [`Emulator::spawn`](crate::Emulator::spawn) would refuse).
    pub fn app_client(&self) -> &AppClient {
        self.app_clients.first().expect("EmulatorConfig has no app client")
    }

    /// The first admin client, if any.
    pub fn admin_client(&self) -> Option<&ClientCredentials> {
        self.admin_clients.first()
    }

    /// What an admin client's `GET /api/v2/clientConfiguration` answers: the mandator's settings (taken
    /// from the first app client) with `isMandatorAdmin: true`, and no callback URLs (they are each
    /// client's own; an admin client sets its own with PATCH).
    pub fn admin_configuration(&self) -> ClientConfiguration {
        let mut configuration = self
            .app_clients
            .first()
            .map(|client| client.configuration.clone())
            .unwrap_or_else(ClientConfiguration::sandbox_app_client);
        configuration.is_mandator_admin = true;
        configuration.user_notification_callback_url = None;
        configuration.user_synchronization_callback_url = None;
        configuration
    }

    /// Checks what the emulator relies on: at least one app client, non-empty and unique client ids.
    /// (A configuration built in code may use settings finAPI's PATCH would refuse, e.g. a 5-second token
    /// lifetime for a test; a configuration *file* is held to finAPI's rules, see [`crate::config_file`].)
    pub fn validate(&self) -> Result<(), String> {
        if self.app_clients.is_empty() {
            return Err("the emulator needs at least one app client".into());
        }
        let mut seen = HashSet::new();
        let all = self
            .app_clients
            .iter()
            .map(|client| &client.credentials)
            .chain(&self.admin_clients);
        for credentials in all {
            if credentials.client_id.is_empty() || credentials.client_secret.is_empty() {
                return Err("client ids and secrets must not be empty".into());
            }
            if !seen.insert(credentials.client_id.as_str()) {
                return Err(format!("client id {:?} is used twice", credentials.client_id));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn development_config_is_valid_and_has_the_documented_clients() {
        let config = EmulatorConfig::development();
        assert_eq!(config.validate(), Ok(()));
        assert_eq!(config.app_client().credentials.client_id, DEV_APP_CLIENT_ID);
        assert_eq!(config.admin_clients[0].client_id, DEV_ADMIN_CLIENT_ID);
        assert!(!config.app_client().configuration.is_mandator_admin);
        assert!(config.admin_configuration().is_mandator_admin);
    }

    #[test]
    fn an_admin_client_does_not_inherit_callback_urls() {
        let mut config = EmulatorConfig::development();
        config.app_clients[0].configuration.user_synchronization_callback_url = Some("http://a.example/s".into());
        config.app_clients[0].configuration.user_notification_callback_url = Some("http://a.example/n".into());
        let admin = config.admin_configuration();
        assert_eq!(admin.user_synchronization_callback_url, None);
        assert_eq!(admin.user_notification_callback_url, None);
    }

    #[test]
    fn duplicate_client_ids_are_refused() {
        let mut config = EmulatorConfig::development();
        config.admin_clients[0].client_id = DEV_APP_CLIENT_ID.into();
        assert!(config.validate().is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let printed = format!("{:?}", EmulatorConfig::development());
        assert!(!printed.contains(DEV_DATA_DECRYPTION_KEY));
        assert!(!printed.contains(DEV_APP_CLIENT_SECRET));
        assert!(!printed.contains(DEV_ADMIN_CLIENT_SECRET));
    }
}
