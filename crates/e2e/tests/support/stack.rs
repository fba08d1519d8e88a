//! The emulator, the proxy serving the release build of the form, and the demo partner site.

use finapi_emulator::clock::SystemClock;
use finapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use onboarding_proxy::{ClientCredentials, ProxyConfig, ProxyOptions, RunningProxy};
use partner_demo::{PartnerDemoConfig, RunningPartnerDemo};
use secrecy::SecretString;
use std::path::PathBuf;
use std::sync::Arc;

/// What [`Stack::start_with`]'s options may need to know.
pub struct ProxyContext {
    /// `http://127.0.0.1:<port>`: where the proxy serves the form.
    pub proxy_url: String,
    /// `http://127.0.0.1:<port>`: the demo partner site's origin.
    pub partner_origin: String,
    /// The emulator's app client.
    pub client_id: String,
    pub client_secret: String,
}

pub struct Stack {
    pub emulator: RunningEmulator,
    pub proxy: RunningProxy,
    pub partner: RunningPartnerDemo,
    pub client_secret: String,
    pub partner_key: String,
    pub form_dir: PathBuf,
}

/// The release build of the form, made by `trunk build --release` (the test command does it first).
pub fn form_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    assert!(
        dir.join("index.html").exists(),
        "the form is not built: run `trunk build --release` at the repository root (scripts/test does)"
    );
    dir
}

fn unguessable(label: &str) -> String {
    format!("{label}-{}", uuid_like())
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("{nanos:x}{:x}", std::process::id())
}

impl Stack {
    pub async fn start() -> Stack {
        Stack::start_with(|_| ProxyOptions::default()).await
    }

    /// [`Stack::start`] with the proxy's options, made knowing the proxy's URL (e.g. for reset links) and
    /// the emulator's app client (e.g. for a tenant).
    pub async fn start_with(options: impl FnOnce(&ProxyContext) -> ProxyOptions) -> Stack {
        let clock = Arc::new(SystemClock);
        // A client secret no other part of the test knows: if it shows up in the browser, it leaked.
        let client_secret = unguessable("e2e-client-secret");
        let mut config = EmulatorConfig::development();
        config.app_clients[0].credentials.client_secret = client_secret.clone();
        let client_id = config.app_client().credentials.client_id.clone();
        let emulator = Emulator::spawn(config, "127.0.0.1:0".parse().unwrap(), clock.clone())
            .await
            .unwrap();

        // Both listeners first: each side must know the other's origin before it starts.
        let proxy_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let partner_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy_url = format!("http://{}", proxy_listener.local_addr().unwrap());
        let partner_origin = format!("http://{}", partner_listener.local_addr().unwrap());
        let partner_key = unguessable("e2e-partner-key-0123456789abcdef");

        let finapi_url = url::Url::parse(&emulator.base_url()).unwrap();
        let form_dir = form_dir();
        let options = options(&ProxyContext {
            proxy_url: proxy_url.clone(),
            partner_origin: partner_origin.clone(),
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
        });
        let proxy = onboarding_proxy::serve_with_options(
            proxy_listener,
            ProxyConfig {
                access_url: finapi_url.clone(),
                web_form_url: finapi_url,
                credentials: ClientCredentials {
                    client_id,
                    client_secret: SecretString::from(client_secret.clone()),
                },
                allowed_parent_origins: vec![partner_origin.clone()],
                partner_key: SecretString::from(partner_key.clone()),
                form_dir: form_dir.clone(),
            },
            options,
            clock,
        )
        .unwrap();
        let partner = partner_demo::serve(
            partner_listener,
            PartnerDemoConfig {
                form_url: proxy_url,
                finapi_url: emulator.base_url(),
                partner_key: partner_key.clone(),
                public_origin: Some(partner_origin),
            },
        )
        .unwrap();
        Stack {
            emulator,
            proxy,
            partner,
            client_secret,
            partner_key,
            form_dir,
        }
    }

    pub fn partner_url(&self) -> String {
        format!("{}/", self.partner.public_origin)
    }

    pub fn form_url(&self) -> String {
        format!("{}/", self.proxy.base_url())
    }
}
