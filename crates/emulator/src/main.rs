//! `finapi-emulator [--listen ADDR | --port PORT] [--config FILE]`: runs the emulator until Ctrl-C (or
//! SIGTERM), with the development configuration or the mandator described in FILE.

use finapi_emulator::clock::SystemClock;
use finapi_emulator::{Emulator, EmulatorConfig};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const DEFAULT_LISTEN: &str = "127.0.0.1:8082";
const USAGE: &str = "\
usage: finapi-emulator [--listen ADDR | --port PORT] [--config FILE]
  --listen ADDR   address to listen on (default 127.0.0.1:8082)
  --port PORT     port on 127.0.0.1 (0 = any free port)
  --config FILE   the mandator and its clients, in TOML (see emulator.example.toml);
                  without it the development clients are used";

#[derive(Debug, PartialEq, Eq)]
struct Options {
    listen: SocketAddr,
    config: Option<PathBuf>,
}

/// `Err("")` asks for the usage text only (`--help`).
fn parse_options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut listen: Option<String> = None;
    let mut port: Option<String> = None;
    let mut config = None;
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |flag: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        match name.as_str() {
            "--listen" => listen = Some(value("--listen")?),
            "--port" => port = Some(value("--port")?),
            "--config" => config = Some(PathBuf::from(value("--config")?)),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let listen = match (listen, port) {
        (Some(_), Some(_)) => return Err("give --listen or --port, not both".into()),
        (Some(listen), None) => listen
            .parse()
            .map_err(|_| format!("not an address (IP:PORT): {listen:?}"))?,
        (None, Some(port)) => {
            let port: u16 = port.parse().map_err(|_| format!("not a port: {port:?}"))?;
            SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port)
        }
        (None, None) => DEFAULT_LISTEN.parse().map_err(|_| "bad default address".to_owned())?,
    };
    Ok(Options { listen, config })
}

fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        // Logs go to stderr, so stdout carries only the start-up banner.
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// What the emulator serves, on stdout. The development defaults are printed in full on purpose (they
/// protect nothing but a local emulator); a configuration file's secrets and keys are not printed.
fn print_banner(base_url: &str, config: &EmulatorConfig, from_file: bool) {
    println!("finAPI emulator (Access V2 + Web Form 2.0) at {base_url}");
    println!("  mode: {:?}", config.mode);
    if !config.faults.rules.is_empty() {
        println!(
            "  FAULTS: {} rules injecting failures (seed {}; see [faults] in the configuration)",
            config.faults.rules.len(),
            config.faults.seed
        );
    }
    for client in &config.app_clients {
        if from_file {
            println!("  app client:   client_id={}", client.credentials.client_id);
        } else {
            println!(
                "  app client:   client_id={}  client_secret={}  data_decryption_key={}",
                client.credentials.client_id,
                client.credentials.client_secret,
                client.data_decryption_key.reveal()
            );
        }
    }
    for admin in &config.admin_clients {
        if from_file {
            println!("  admin client: client_id={}", admin.client_id);
        } else {
            println!(
                "  admin client: client_id={}  client_secret={}",
                admin.client_id, admin.client_secret
            );
        }
    }
    println!("  test bank in the web form: online banking ID demo, PIN demo (demo_error / demo_error fails)");
    println!("Press Ctrl-C to stop.");
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("finapi-emulator: cannot wait for Ctrl-C: {error}");
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let options = match parse_options(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("finapi-emulator: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match &options.config {
        None => EmulatorConfig::development(),
        Some(path) => match EmulatorConfig::load(path) {
            Ok(config) => config,
            Err(error) => {
                eprintln!("finapi-emulator: {}: {error}", path.display());
                return ExitCode::from(2);
            }
        },
    };
    let printed = config.clone();
    let emulator = match Emulator::spawn(config, options.listen, Arc::new(SystemClock)).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("finapi-emulator: cannot listen on {}: {error}", options.listen);
            return ExitCode::FAILURE;
        }
    };
    print_banner(&emulator.base_url(), &printed, options.config.is_some());
    stop_signal().await;
    emulator.stop().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(list: &[&str]) -> Result<Options, String> {
        parse_options(list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter())
    }

    #[test]
    fn listen_defaults_and_overrides() {
        assert_eq!(parse(&[]).unwrap().listen, DEFAULT_LISTEN.parse().unwrap());
        assert_eq!(
            parse(&["--listen", "0.0.0.0:9000"]).unwrap().listen,
            "0.0.0.0:9000".parse().unwrap()
        );
        assert_eq!(
            parse(&["--listen=127.0.0.1:1"]).unwrap().listen,
            "127.0.0.1:1".parse().unwrap()
        );
        assert!(parse(&["--listen", "nope"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }

    #[test]
    fn a_port_and_a_config_file() {
        let options = parse(&["--port", "9100", "--config", "emulator.toml"]).unwrap();
        assert_eq!(options.listen, "127.0.0.1:9100".parse().unwrap());
        assert_eq!(options.config, Some(PathBuf::from("emulator.toml")));
        assert_eq!(parse(&["--port=0"]).unwrap().listen.port(), 0);
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--port", "1", "--listen", "127.0.0.1:2"]).is_err());
        assert!(parse(&["--config"]).is_err());
        assert_eq!(parse(&["--help"]), Err(String::new()));
    }
}
