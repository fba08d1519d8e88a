//! The state every handler shares: configuration, clock, counters, the store, and an HTTP client for
//! callbacks.

use crate::clock::Clock;
use crate::config::{EmulatorConfig, Mode};
use crate::state::Store;
use crate::stats::Stats;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use time::OffsetDateTime;

/// How long a callback POST (web form `finalised`, user synchronization) may take before it is given up.
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(10);

/// Cheap to clone (an `Arc`); pass it to [`crate::router`].
#[derive(Clone)]
pub struct EmulatorState {
    shared: Arc<Shared>,
}

struct Shared {
    mode: Mode,
    clock: Arc<dyn Clock>,
    stats: Arc<Stats>,
    store: Mutex<Store>,
    base_url: String,
    http: reqwest::Client,
}

impl EmulatorState {
    /// `base_url` (e.g. `http://127.0.0.1:8082`, no trailing slash) is where the emulator is reachable;
    /// web form URLs are built from it.
    pub fn new(config: &EmulatorConfig, clock: Arc<dyn Clock>, base_url: impl Into<String>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(CALLBACK_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client for callbacks can be built");
        EmulatorState {
            shared: Arc::new(Shared {
                mode: config.mode,
                clock,
                stats: Arc::new(Stats::default()),
                store: Mutex::new(Store::new(config)),
                base_url: base_url.into().trim_end_matches('/').to_owned(),
                http,
            }),
        }
    }

    pub fn stats(&self) -> Arc<Stats> {
        Arc::clone(&self.shared.stats)
    }

    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    pub fn mode(&self) -> Mode {
        self.shared.mode
    }

    pub fn now(&self) -> OffsetDateTime {
        self.shared.clock.now()
    }

    /// The store, locked. Keep the guard for one operation and never across an `.await`. A panic in
    /// another handler does not make the emulator unusable: the poison is ignored, since every store
    /// operation leaves it consistent before it can panic.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.shared.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.shared.http
    }

    /// Runs a deletion on the store and tells every client's user synchronization URL about each user
    /// it deleted. `delete` returns its result and the deleted users' ids (as created).
    pub(crate) fn delete_and_notify<T>(
        &self,
        delete: impl FnOnce(&mut Store, OffsetDateTime) -> (T, Vec<String>),
    ) -> T {
        let now = self.now();
        let (result, deleted, urls) = {
            let mut store = self.store();
            let (result, deleted) = delete(&mut store, now);
            (result, deleted, store.user_synchronization_urls())
        };
        for user_id in &deleted {
            crate::callbacks::send_user_deleted(self, urls.clone(), user_id);
        }
        result
    }
}
