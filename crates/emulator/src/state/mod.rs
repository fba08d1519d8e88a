//! The emulated finAPI's memory: clients, users, tokens and web forms of one mandator.
//!
//! Everything here is plain data and rules, with no HTTP: the routes translate requests into these calls
//! and the outcomes into finAPI's answers. The whole store sits behind one `std::sync::Mutex`
//! ([`crate::EmulatorState::store`]); callers hold it for one operation and never across an `.await`.

pub mod deletion;
pub mod password_change;
pub mod tokens;
pub mod user_list;
pub mod users;
pub mod web_forms;

use crate::config::{ClientCredentials, EmulatorConfig};
use crate::data_encryption::DataDecryptionKey;
use finapi::ClientConfiguration;
use std::collections::HashMap;

pub use deletion::DeletedUser;
pub use tokens::{Issued, Subject};
pub use users::UserRecord;
pub use web_forms::WebFormRecord;

/// A client's index in [`Store::clients`]. Its finAPI-style sequence number is `index + 1`.
pub type ClientIndex = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientRole {
    /// Users, user tokens, web forms.
    App,
    /// Mandator administration only.
    Admin,
}

#[derive(Debug, Clone)]
pub struct Client {
    pub credentials: ClientCredentials,
    pub role: ClientRole,
    /// Read at the moment a rule needs it, so a PATCH applies to newly issued tokens only, as with finAPI.
    pub configuration: ClientConfiguration,
    /// App clients only: what `requestPasswordChange` encrypts with.
    pub data_decryption_key: Option<DataDecryptionKey>,
}

impl Client {
    /// The internal sequence number finAPI shows in `authContext` (`"<client#>/<user#>"`).
    pub fn number(index: ClientIndex) -> usize {
        index + 1
    }
}

#[derive(Debug)]
pub struct Store {
    /// App clients first, then admin clients, in the order of the configuration.
    pub clients: Vec<Client>,
    /// Keyed by the canonical (lower-case) user id: finAPI treats ids case-insensitively.
    users: HashMap<String, UserRecord>,
    /// What finAPI keeps of deleted users (for the mandator admin's user list): no original id.
    deleted_users: Vec<DeletedUser>,
    next_user_number: u64,
    grants: HashMap<tokens::GrantKey, tokens::Grant>,
    /// Every access token issued, to its grant: finding a bearer token's grant without walking all of
    /// them (with many users, every authorised request did). The grant stays the truth: an entry whose
    /// token was revoked or has expired resolves to nothing.
    access_tokens: HashMap<String, tokens::GrantKey>,
    web_forms: HashMap<String, WebFormRecord>,
    next_web_form_sequence: u64,
    /// Forms that expired and whose `finalised` callback has not been sent yet.
    expired_web_forms: Vec<web_forms::Finished>,
    next_bank_connection_id: i64,
}

impl Store {
    pub fn new(config: &EmulatorConfig) -> Self {
        let apps = config.app_clients.iter().map(|client| Client {
            credentials: client.credentials.clone(),
            role: ClientRole::App,
            configuration: client.configuration.clone(),
            data_decryption_key: Some(client.data_decryption_key.clone()),
        });
        let admin_configuration = config.admin_configuration();
        let admins = config.admin_clients.iter().map(|credentials| Client {
            credentials: credentials.clone(),
            role: ClientRole::Admin,
            configuration: admin_configuration.clone(),
            data_decryption_key: None,
        });
        Store {
            clients: apps.chain(admins).collect(),
            users: HashMap::new(),
            deleted_users: Vec::new(),
            next_user_number: 1,
            grants: HashMap::new(),
            access_tokens: HashMap::new(),
            web_forms: HashMap::new(),
            next_web_form_sequence: 1,
            expired_web_forms: Vec::new(),
            next_bank_connection_id: 1,
        }
    }

    pub fn client(&self, index: ClientIndex) -> &Client {
        &self.clients[index]
    }

    pub fn client_mut(&mut self, index: ClientIndex) -> &mut Client {
        &mut self.clients[index]
    }

    /// Every client's `userSynchronizationCallbackUrl` that is set: finAPI notifies all clients of the
    /// mandator of a deletion, the deleting one included.
    pub fn user_synchronization_urls(&self) -> Vec<String> {
        self.clients
            .iter()
            .filter_map(|client| client.configuration.user_synchronization_callback_url.clone())
            .collect()
    }

    /// The client with these credentials. The secret is compared in constant time; an unknown id and a
    /// wrong secret are the same `None`.
    pub fn authenticate_client(&self, client_id: &str, client_secret: &str) -> Option<ClientIndex> {
        self.clients.iter().position(|client| {
            client.credentials.client_id == client_id
                && constant_time_eq(client.credentials.client_secret.as_bytes(), client_secret.as_bytes())
        })
    }

    /// `authContext` of finAPI's `ErrorMessage`: `"<client#>/<user#>"`, with `-` for what is unknown.
    pub fn auth_context(&self, client: Option<ClientIndex>, user: Option<&str>) -> String {
        let client = client.map_or_else(|| "-".to_owned(), |i| Client::number(i).to_string());
        let user = user
            .and_then(|canonical| self.users.get(canonical))
            .map_or_else(|| "-".to_owned(), |user| user.number.to_string());
        format!("{client}/{user}")
    }
}

/// Compares secrets without an early exit, so timing does not reveal how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A random string of `length` ASCII letters and digits: url-safe, and inside finAPI's allowed
/// characters, so it serves for tokens, generated user ids and generated passwords alike.
pub fn random_alphanumeric(length: usize) -> String {
    use rand::{distributions::Alphanumeric, Rng};
    // `thread_rng` is a CSPRNG (ChaCha, seeded from the OS).
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(length)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_numbered_apps_first() {
        let store = Store::new(&EmulatorConfig::development());
        assert_eq!(store.clients.len(), 2);
        assert_eq!(store.clients[0].role, ClientRole::App);
        assert_eq!(store.clients[1].role, ClientRole::Admin);
        assert!(store.clients[1].configuration.is_mandator_admin);
        assert_eq!(store.auth_context(Some(1), None), "2/-");
        assert_eq!(store.auth_context(None, None), "-/-");
    }

    #[test]
    fn client_authentication_needs_id_and_secret() {
        let store = Store::new(&EmulatorConfig::development());
        assert_eq!(
            store.authenticate_client("onboarding-dev-app", "dev-app-secret-change-me"),
            Some(0)
        );
        assert_eq!(
            store.authenticate_client("onboarding-dev-app", "dev-admin-secret-change-me"),
            None
        );
        assert_eq!(store.authenticate_client("nobody", ""), None);
    }

    #[test]
    fn random_strings_are_alphanumeric_and_differ() {
        let a = random_alphanumeric(43);
        assert_eq!(a.len(), 43);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, random_alphanumeric(43));
    }
}
