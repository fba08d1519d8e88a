//! `onboarding-proxy`: reads its settings from the environment, starts the finAPI emulator in-process
//! when no finAPI URL is set, and serves the form and its API.

use finapi_emulator::clock::SystemClock;
use finapi_emulator::{Emulator, EmulatorConfig};
use onboarding_proxy::settings::{FinapiTarget, Settings, DEVELOPMENT_PARTNER_KEY};
use onboarding_proxy::{ClientCredentials, ProxyConfig};
use secrecy::SecretString;
use std::process::ExitCode;
use std::sync::Arc;
use url::Url;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("onboarding-proxy cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    match run(settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("onboarding-proxy stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    let clock = Arc::new(SystemClock);
    // Keeps the embedded emulator alive as long as the proxy runs.
    let mut _embedded = None;
    let (access_url, web_form_url, credentials) = match settings.finapi {
        FinapiTarget::EmbeddedEmulator { listen } => {
            let config = EmulatorConfig::development();
            let app = &config.app_client().credentials;
            let credentials = ClientCredentials {
                client_id: app.client_id.clone(),
                client_secret: SecretString::from(app.client_secret.clone()),
            };
            let emulator = Emulator::spawn(config, listen, clock.clone()).await?;
            let url = Url::parse(&emulator.base_url())?;
            println!("finAPI emulator (embedded):   {url}");
            _embedded = Some(emulator);
            (url.clone(), url, credentials)
        }
        FinapiTarget::Remote {
            access_url,
            web_form_url,
            client_id,
            client_secret,
        } => (
            access_url,
            web_form_url,
            ClientCredentials {
                client_id,
                client_secret,
            },
        ),
    };
    let partner_key = settings.partner_key.unwrap_or_else(|| {
        println!("partner key (development):    {DEVELOPMENT_PARTNER_KEY}");
        SecretString::from(DEVELOPMENT_PARTNER_KEY)
    });
    let config = ProxyConfig {
        access_url,
        web_form_url,
        credentials,
        allowed_parent_origins: settings.allowed_parent_origins,
        partner_key,
        form_dir: settings.form_dir,
    };
    let proxy = onboarding_proxy::spawn(config, settings.listen, clock).await?;
    onboarding_proxy::startup_check::check_client(&proxy.state.client_auth).await?;
    println!("onboarding form:              {}/", proxy.base_url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
