//! `onboarding-proxy`: reads its settings from the environment, starts the finAPI emulator in-process
//! when no finAPI URL is set, and serves the form and its API; or runs one operator command
//! (`onboarding-proxy help`, see [`onboarding_proxy::operator`]).

use finapi_emulator::clock::SystemClock;
use finapi_emulator::{Emulator, EmulatorConfig};
use onboarding_proxy::operator::{self, Command};
use onboarding_proxy::redis_store::RedisStore;
use onboarding_proxy::settings::{FinapiTarget, Settings, DEVELOPMENT_PARTNER_KEY};
use onboarding_proxy::store::Store;
use onboarding_proxy::{logging, ClientCredentials, ProxyConfig, ProxyOptions};
use secrecy::{ExposeSecret, SecretString};
use std::process::ExitCode;
use std::sync::Arc;
use url::Url;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match operator::parse(&args) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    if command == Command::Help {
        println!("{}", operator::USAGE);
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("onboarding-proxy cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    logging::init(settings.log_format, "info", std::io::stderr);
    if command != Command::Serve {
        return match operator::run(command, &settings).await {
            Ok(output) => {
                println!("{output}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("onboarding-proxy: {error}");
                ExitCode::FAILURE
            }
        };
    }
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
    let mut data_decryption_key = settings.data_decryption_key.clone();
    let (access_url, web_form_url, credentials) = match settings.finapi.clone() {
        FinapiTarget::EmbeddedEmulator { listen } => {
            let config = EmulatorConfig::development();
            let app = &config.app_client().credentials;
            data_decryption_key = data_decryption_key.or_else(|| {
                Some(SecretString::from(
                    config.app_client().data_decryption_key.reveal().to_owned(),
                ))
            });
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
    let store = match &settings.redis_url {
        None => None,
        Some(url) => Some(Store::Redis(
            RedisStore::connect(url.expose_secret(), &settings.redis_prefix).await?,
        )),
    };
    let options = ProxyOptions {
        store,
        rate_limits: settings.rate_limits.clone(),
        callbacks: settings.callbacks.clone(),
        data_decryption_key,
        default_tenant: settings.default_tenant.clone(),
        tenants: settings.tenants.clone(),
        mail: settings.mail.clone(),
    };
    let proxy = onboarding_proxy::spawn_with_options(config, options, settings.listen, clock).await?;
    for tenant in proxy.state.tenants.all() {
        onboarding_proxy::startup_check::check_tenant(tenant, &proxy.state.callbacks).await?;
    }
    println!("onboarding form:              {}/", proxy.base_url());
    tokio::signal::ctrl_c().await?;
    Ok(())
}
