//! A map whose entries expire: the in-memory store behind sessions and handoff codes.
//! Expired entries are never returned and are swept on every insert, so the map cannot grow without bound
//! from abandoned flows.

use finapi_emulator::clock::Clock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

pub struct ExpiringMap<V> {
    entries: Mutex<HashMap<String, (V, OffsetDateTime)>>,
    clock: Arc<dyn Clock>,
}

impl<V: Clone> ExpiringMap<V> {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        ExpiringMap {
            entries: Mutex::new(HashMap::new()),
            clock,
        }
    }

    pub fn insert(&self, key: String, value: V, lifetime: Duration) {
        let now = self.clock.now();
        let mut entries = self.lock();
        entries.retain(|_, (_, expires_at)| *expires_at > now);
        entries.insert(key, (value, now + lifetime));
    }

    /// The live entry under `key`, left in place.
    pub fn get(&self, key: &str) -> Option<V> {
        let now = self.clock.now();
        self.lock()
            .get(key)
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(value, _)| value.clone())
    }

    /// Removes the entry under `key` and returns it if it was still live: a one-time read.
    pub fn take(&self, key: &str) -> Option<V> {
        let now = self.clock.now();
        self.lock()
            .remove(key)
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(value, _)| value)
    }

    /// Seconds until the entry under `key` expires.
    pub fn seconds_left(&self, key: &str) -> Option<i64> {
        let now = self.clock.now();
        self.lock()
            .get(key)
            .map(|(_, expires_at)| (*expires_at - now).whole_seconds())
            .filter(|s| *s > 0)
    }

    pub fn len(&self) -> usize {
        let now = self.clock.now();
        self.lock().values().filter(|(_, expires_at)| *expires_at > now).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (V, OffsetDateTime)>> {
        // A panic while holding the lock cannot leave a half-written entry; keep serving.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finapi_emulator::clock::ManualClock;

    #[test]
    fn entries_expire_and_take_is_one_time() {
        let clock = Arc::new(ManualClock::new(OffsetDateTime::UNIX_EPOCH));
        let map = ExpiringMap::new(clock.clone());
        map.insert("a".into(), 1, Duration::seconds(10));
        assert_eq!(map.get("a"), Some(1));
        assert_eq!(map.seconds_left("a"), Some(10));
        assert_eq!(map.take("a"), Some(1));
        assert_eq!(map.take("a"), None);
        map.insert("b".into(), 2, Duration::seconds(10));
        clock.advance(std::time::Duration::from_secs(10));
        assert_eq!(map.get("b"), None);
        assert_eq!(map.len(), 0);
    }
}
