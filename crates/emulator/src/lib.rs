//! A local emulator of finAPI Access V2 and Web Form 2.0.
//!
//! finAPI cannot be reached from development machines and CI, so the proxy and the end-to-end tests talk
//! to this instead. It copies finAPI's documented behaviour: paths, statuses, error bodies, token reuse
//! and lifetimes, user rules, roles, mandator administration, user synchronization callbacks, and the web
//! form lifecycle (see `README.md` for the list, and for what is not emulated). [`EmulatorConfig::load`]
//! reads a configuration file; [`data_encryption`] is finAPI's data-decryption-key scheme.
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! use finapi_emulator::{clock::SystemClock, Emulator, EmulatorConfig};
//! let emulator = Emulator::spawn(
//!     EmulatorConfig::development(),
//!     "127.0.0.1:0".parse().unwrap(),
//!     std::sync::Arc::new(SystemClock),
//! )
//! .await?;
//! println!("finAPI emulator at {}", emulator.base_url());
//! # Ok(()) }
//! ```

mod app;
mod auth;
mod call;
mod callbacks;
pub mod clock;
pub mod config;
pub mod config_file;
pub mod data_encryption;
pub mod errors;
pub mod faults;
mod format;
mod html;
mod request_id;
mod routes;
mod settings;
mod state;
mod stats;
mod sweeper;

pub use app::EmulatorState;
pub use config::{AppClient, ClientCredentials, EmulatorConfig, Mode};
pub use config_file::ConfigFileError;
pub use errors::{InvalidFieldError, WebFormValidationError};
pub use routes::router;
pub use stats::Stats;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Starts emulators.
pub struct Emulator;

impl Emulator {
    /// Binds `listen` (`127.0.0.1:0` for a random port), serves in a tokio task and returns at once.
    ///
    /// Fails with `InvalidInput` for a configuration without an app client or with duplicate client ids,
    /// and with the bind error if the address cannot be bound.
    pub async fn spawn(
        config: EmulatorConfig,
        listen: SocketAddr,
        clock: Arc<dyn clock::Clock>,
    ) -> std::io::Result<RunningEmulator> {
        config
            .validate()
            .map_err(|message| std::io::Error::new(std::io::ErrorKind::InvalidInput, message))?;
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let base_url = base_url_for(addr);
        let state = EmulatorState::new(&config, clock, base_url.clone());
        let stats = state.stats();
        let (shutdown, stop_signal) = oneshot::channel::<()>();
        let sweeper = sweeper::spawn(state.clone());
        let faults = faults::Faults::new(config.faults.clone());
        let app = match config.faults.rules.is_empty() {
            true => router(state),
            false => faults::apply(router(state), faults.clone()),
        };
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Either an explicit shutdown or the handle being dropped ends the server.
                    let _ = stop_signal.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "the finAPI emulator stopped with an error");
            }
        });
        tracing::info!(%base_url, "finAPI emulator listening");
        Ok(RunningEmulator {
            addr,
            base_url,
            stats,
            faults,
            shutdown: Some(shutdown),
            task: Some(task),
            sweeper,
        })
    }
}

/// A running emulator. **Dropping it stops the server** (gracefully: requests in flight are finished);
/// [`RunningEmulator::shutdown`] does the same explicitly, [`RunningEmulator::stop`] also waits for it.
pub struct RunningEmulator {
    addr: SocketAddr,
    base_url: String,
    stats: Arc<Stats>,
    /// The configured faults (none unless the configuration has some), to count or switch them off.
    faults: faults::Faults,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// Expires web forms in the background; stopped with the server.
    sweeper: JoinHandle<()>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`, without a trailing slash: the base of both the Access and the Web Form
    /// API (finAPI has two hosts; the emulator serves both paths on one).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn stats(&self) -> Arc<Stats> {
        Arc::clone(&self.stats)
    }

    /// The injected faults: what was injected, and a switch (see [`faults`]).
    pub fn faults(&self) -> faults::Faults {
        self.faults.clone()
    }

    /// Asks the server to stop and returns at once.
    pub fn shutdown(self) {
        drop(self);
    }

    /// Asks the server to stop and waits until it has.
    pub async fn stop(mut self) {
        self.sweeper.abort();
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        self.sweeper.abort();
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The URL a client uses to reach `addr`: an unspecified address (`0.0.0.0`, `::`) is reached through
/// the loopback address.
fn base_url_for(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_uses_loopback_for_unspecified_addresses() {
        assert_eq!(base_url_for("0.0.0.0:8082".parse().unwrap()), "http://127.0.0.1:8082");
        assert_eq!(base_url_for("[::]:8082".parse().unwrap()), "http://[::1]:8082");
        assert_eq!(base_url_for("127.0.0.1:9".parse().unwrap()), "http://127.0.0.1:9");
    }
}
