//! `finapi-emulator [--listen ADDR]`: runs the emulator with the development configuration until Ctrl-C.

use finapi_emulator::clock::SystemClock;
use finapi_emulator::{Emulator, EmulatorConfig};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

const DEFAULT_LISTEN: &str = "127.0.0.1:8082";
const USAGE: &str = "usage: finapi-emulator [--listen ADDR]   (default 127.0.0.1:8082)";

fn parse_listen(mut args: impl Iterator<Item = String>) -> Result<SocketAddr, String> {
    let mut listen = DEFAULT_LISTEN.to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "-h" | "--help" => return Err(String::new()),
            other => match other.strip_prefix("--listen=") {
                Some(value) => listen = value.to_owned(),
                None => return Err(format!("unknown argument {other:?}")),
            },
        }
    }
    listen
        .parse()
        .map_err(|_| format!("not an address (IP:PORT): {listen:?}"))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        // Logs go to stderr, so stdout carries only the start-up banner below.
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let listen = match parse_listen(std::env::args().skip(1)) {
        Ok(listen) => listen,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("finapi-emulator: {message}");
            }
            eprintln!("{USAGE}");
            return if message.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let config = EmulatorConfig::development();
    let app = config.app_client().credentials.clone();
    let admin = config.admin_client().cloned();
    let emulator = match Emulator::spawn(config, listen, Arc::new(SystemClock)).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("finapi-emulator: cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Development defaults, printed on purpose (they protect nothing but this local emulator); they go to
    // stdout, never through the logger.
    println!("finAPI emulator (Access V2 + Web Form 2.0) at {}", emulator.base_url());
    println!(
        "  app client:   client_id={}  client_secret={}",
        app.client_id, app.client_secret
    );
    if let Some(admin) = admin {
        println!(
            "  admin client: client_id={}  client_secret={}",
            admin.client_id, admin.client_secret
        );
    }
    println!("  test bank in the web form: online banking ID demo, PIN demo");
    println!("Press Ctrl-C to stop.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("finapi-emulator: cannot wait for Ctrl-C: {error}");
    }
    emulator.stop().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn listen_defaults_and_overrides() {
        assert_eq!(parse_listen(args(&[])).unwrap(), DEFAULT_LISTEN.parse().unwrap());
        assert_eq!(
            parse_listen(args(&["--listen", "0.0.0.0:9000"])).unwrap(),
            "0.0.0.0:9000".parse().unwrap()
        );
        assert_eq!(
            parse_listen(args(&["--listen=127.0.0.1:1"])).unwrap(),
            "127.0.0.1:1".parse().unwrap()
        );
        assert!(parse_listen(args(&["--listen", "nope"])).is_err());
        assert!(parse_listen(args(&["--bogus"])).is_err());
    }
}
