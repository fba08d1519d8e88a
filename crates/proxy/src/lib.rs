//! The backend proxy (backend-for-frontend) of the finAPI onboarding form.
//!
//! It alone holds the client secret and the finAPI tokens. It serves the built form and the form's JSON
//! API (`onboarding_api`), and talks to finAPI: a real one, or the emulator it runs in-process when no
//! finAPI URL is configured.
//!
//! The four steps of the flow and where they live:
//! 1. client auth: [`client_auth`];
//! 2. user creation: [`routes::user_creation`];
//! 3. login: [`routes::login`] and [`sessions`];
//! 4. quick-auth handoff: [`routes::handoff`] and [`handoff_codes`].
//!
//! Around them: the user tokens' life ([`token_lifecycle`]), rate limits ([`rate_limit`]), the store that
//! lets instances share state ([`store`], [`redis_store`]), metrics ([`metrics`]) and logs ([`logging`]).

pub mod api_json;
pub mod app;
pub mod client_auth;
pub mod client_ip;
pub mod error;
pub mod finapi_client;
pub mod handoff_codes;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod observed;
pub mod operator;
pub mod partner_key;
pub mod rate_limit;
pub mod redis_store;
pub mod request_id;
pub mod routes;
pub mod secure_random;
pub mod security;
pub mod session_handle;
pub mod sessions;
pub mod settings;
pub mod startup_check;
pub mod store;
pub mod tenants;
pub mod token_lifecycle;
pub mod user_tokens;

pub use app::{
    router, serve, serve_with_options, spawn, spawn_with_options, AppState, ProxyConfig, ProxyOptions, RunningProxy,
};
pub use finapi_client::ClientCredentials;
