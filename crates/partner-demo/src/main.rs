//! `partner-demo`: the demo partner site. Settings from the environment:
//! `PARTNER_LISTEN` (127.0.0.1:8081), `PARTNER_PUBLIC_ORIGIN` (http://localhost:8081),
//! `PARTNER_FORM_URL` (http://localhost:8080), `PARTNER_FINAPI_URL` (http://127.0.0.1:8082),
//! `PARTNER_KEY` (required: the proxy's partner key).

use partner_demo::{serve, PartnerDemoConfig};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let setting = |name: &str, default: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_owned())
    };
    let Some(partner_key) = std::env::var("PARTNER_KEY").ok().filter(|v| !v.is_empty()) else {
        eprintln!("partner-demo cannot start: setting PARTNER_KEY: missing (the proxy's partner key)");
        return ExitCode::from(2);
    };
    let listen = setting("PARTNER_LISTEN", "127.0.0.1:8081");
    let config = PartnerDemoConfig {
        form_url: setting("PARTNER_FORM_URL", "http://localhost:8080"),
        finapi_url: setting("PARTNER_FINAPI_URL", "http://127.0.0.1:8082"),
        partner_key,
        public_origin: Some(setting("PARTNER_PUBLIC_ORIGIN", "http://localhost:8081")),
    };
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("partner-demo cannot listen on {listen} (setting PARTNER_LISTEN): {error}");
            return ExitCode::FAILURE;
        }
    };
    let demo = match serve(listener, config) {
        Ok(demo) => demo,
        Err(error) => {
            eprintln!("partner-demo failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("demo partner site:            {}/", demo.public_origin);
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
