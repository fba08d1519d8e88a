//! The one store behind sessions, handoff codes and rate-limit counters: in this process's memory by
//! default, or Redis when configured, so that several proxy instances share one state (see [`redis_store`]).
//!
//! Values are strings (the callers' JSON). Every entry has a lifetime; the callers also keep their own
//! expiry time inside the value and compare it with the proxy's clock, so both stores behave the same under
//! a test's manual clock. A *schedule* is a set of members each due at a time: the reaper takes the due ones
//! (each exactly once, even with several instances) to revoke what was abandoned.

use crate::redis_store::RedisStore;
use finapi_emulator::clock::Clock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use time::{Duration, OffsetDateTime};

#[derive(Debug, thiserror::Error)]
#[error("the store failed: {0}")]
pub struct StoreError(pub String);

#[derive(Clone)]
pub enum Store {
    Memory(Arc<MemoryStore>),
    Redis(RedisStore),
}

impl Store {
    pub fn in_memory(clock: Arc<dyn Clock>) -> Self {
        Store::Memory(Arc::new(MemoryStore::new(clock)))
    }

    pub async fn put(&self, key: &str, value: &str, lifetime: Duration) -> Result<(), StoreError> {
        match self {
            Store::Memory(store) => {
                store.put(key, value, lifetime);
                Ok(())
            }
            Store::Redis(store) => store.put(key, value, lifetime).await,
        }
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(store) => Ok(store.get(key)),
            Store::Redis(store) => store.get(key).await,
        }
    }

    /// Removes and returns the entry: a one-time read, exactly once across instances.
    pub async fn take(&self, key: &str) -> Result<Option<String>, StoreError> {
        match self {
            Store::Memory(store) => Ok(store.take(key)),
            Store::Redis(store) => store.take(key).await,
        }
    }

    /// Adds one to the counter under `key` (created with `lifetime`) and returns the new count.
    pub async fn increment(&self, key: &str, lifetime: Duration) -> Result<u64, StoreError> {
        match self {
            Store::Memory(store) => Ok(store.increment(key, lifetime)),
            Store::Redis(store) => store.increment(key, lifetime).await,
        }
    }

    /// Puts `member` on `schedule`, due at `due` (a later call moves it).
    pub async fn schedule(&self, schedule: &str, member: &str, due: OffsetDateTime) -> Result<(), StoreError> {
        match self {
            Store::Memory(store) => {
                store.schedule(schedule, member, due);
                Ok(())
            }
            Store::Redis(store) => store.schedule(schedule, member, due).await,
        }
    }

    pub async fn unschedule(&self, schedule: &str, member: &str) -> Result<(), StoreError> {
        match self {
            Store::Memory(store) => {
                store.unschedule(schedule, member);
                Ok(())
            }
            Store::Redis(store) => store.unschedule(schedule, member).await,
        }
    }

    /// Removes and returns the members due by `now`; each is returned to one caller only.
    pub async fn take_due(&self, schedule: &str, now: OffsetDateTime) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Memory(store) => Ok(store.take_due(schedule, now)),
            Store::Redis(store) => store.take_due(schedule, now).await,
        }
    }

    /// How many members of `schedule` are not yet due.
    pub async fn count_pending(&self, schedule: &str, now: OffsetDateTime) -> Result<u64, StoreError> {
        match self {
            Store::Memory(store) => Ok(store.count_pending(schedule, now)),
            Store::Redis(store) => store.count_pending(schedule, now).await,
        }
    }

    /// Whether the store answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Memory(_) => Ok(()),
            Store::Redis(store) => store.ping().await,
        }
    }
}

/// The default store: this process's memory, timed by the proxy's clock.
pub struct MemoryStore {
    clock: Arc<dyn Clock>,
    inner: Mutex<MemoryState>,
}

#[derive(Default)]
struct MemoryState {
    entries: HashMap<String, (String, OffsetDateTime)>,
    schedules: HashMap<String, HashMap<String, OffsetDateTime>>,
    /// When expired entries are next swept out.
    next_sweep: Option<OffsetDateTime>,
}

/// How often writes sweep expired entries out: often enough that abandoned entries cannot pile up, rarely
/// enough that a write does not walk every entry (with 10,000 live sessions, every write did).
const SWEEP_EVERY: Duration = Duration::seconds(1);

impl MemoryState {
    fn sweep_now_and_then(&mut self, now: OffsetDateTime) {
        if self.next_sweep.is_some_and(|next| now < next) {
            return;
        }
        self.next_sweep = Some(now + SWEEP_EVERY);
        self.entries.retain(|_, (_, expires_at)| *expires_at > now);
        // A map keeps its largest capacity; after a peak (a burst of sign-ups whose rate-limit counters
        // have now expired) give the memory back, so a long-running proxy's footprint follows its load.
        let len = self.entries.len();
        if self.entries.capacity() > 4 * len + 1024 {
            self.entries.shrink_to(2 * len);
        }
    }
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        MemoryStore {
            clock,
            inner: Mutex::new(MemoryState::default()),
        }
    }

    fn put(&self, key: &str, value: &str, lifetime: Duration) {
        let now = self.clock.now();
        let mut state = self.lock();
        state.sweep_now_and_then(now);
        state.entries.insert(key.to_owned(), (value.to_owned(), now + lifetime));
    }

    fn get(&self, key: &str) -> Option<String> {
        let now = self.clock.now();
        let state = self.lock();
        let (value, expires_at) = state.entries.get(key)?;
        (*expires_at > now).then(|| value.clone())
    }

    fn take(&self, key: &str) -> Option<String> {
        let now = self.clock.now();
        let (value, expires_at) = self.lock().entries.remove(key)?;
        (expires_at > now).then_some(value)
    }

    fn increment(&self, key: &str, lifetime: Duration) -> u64 {
        let now = self.clock.now();
        let count = self.get(key).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) + 1;
        let mut state = self.lock();
        state.sweep_now_and_then(now);
        let expires_at = match state.entries.get(key) {
            Some((_, expires_at)) if *expires_at > now => *expires_at,
            _ => now + lifetime,
        };
        state.entries.insert(key.to_owned(), (count.to_string(), expires_at));
        count
    }

    fn schedule(&self, schedule: &str, member: &str, due: OffsetDateTime) {
        self.lock()
            .schedules
            .entry(schedule.to_owned())
            .or_default()
            .insert(member.to_owned(), due);
    }

    fn unschedule(&self, schedule: &str, member: &str) {
        let mut state = self.lock();
        if let Some(members) = state.schedules.get_mut(schedule) {
            members.remove(member);
            if members.is_empty() {
                state.schedules.remove(schedule);
            }
        }
    }

    fn take_due(&self, schedule: &str, now: OffsetDateTime) -> Vec<String> {
        let mut state = self.lock();
        let Some(members) = state.schedules.get_mut(schedule) else {
            return Vec::new();
        };
        let due: Vec<String> = members
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(member, _)| member.clone())
            .collect();
        for member in &due {
            members.remove(member);
        }
        due
    }

    fn count_pending(&self, schedule: &str, now: OffsetDateTime) -> u64 {
        self.lock()
            .schedules
            .get(schedule)
            .map_or(0, |members| members.values().filter(|at| **at > now).count() as u64)
    }

    fn lock(&self) -> MutexGuard<'_, MemoryState> {
        // A panic while holding the lock cannot leave a half-written entry; keep serving.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finapi_emulator::clock::ManualClock;

    #[test]
    fn expired_entries_are_swept_out_and_their_memory_given_back() {
        let clock = Arc::new(ManualClock::new(OffsetDateTime::UNIX_EPOCH));
        let store = MemoryStore::new(clock.clone());
        for n in 0..20_000 {
            store.increment(&format!("rate:{n}"), Duration::seconds(600));
        }
        let peak = store.lock().entries.capacity();
        clock.advance(std::time::Duration::from_secs(601));
        store.put("session", "s", Duration::seconds(60));
        let state = store.lock();
        assert_eq!(state.entries.len(), 1, "only the live entry is left");
        assert!(
            state.entries.capacity() < peak / 4,
            "{} of {peak}",
            state.entries.capacity()
        );
    }

    #[tokio::test]
    async fn entries_expire_take_is_one_time_and_schedules_hand_out_due_members_once() {
        let clock = Arc::new(ManualClock::new(OffsetDateTime::UNIX_EPOCH));
        let store = Store::in_memory(clock.clone());
        store.put("a", "1", Duration::seconds(10)).await.unwrap();
        assert_eq!(store.get("a").await.unwrap().as_deref(), Some("1"));
        assert_eq!(store.take("a").await.unwrap().as_deref(), Some("1"));
        assert_eq!(store.take("a").await.unwrap(), None);
        assert_eq!(store.increment("n", Duration::seconds(10)).await.unwrap(), 1);
        assert_eq!(store.increment("n", Duration::seconds(10)).await.unwrap(), 2);
        store
            .schedule("s", "m", clock.now() + Duration::seconds(5))
            .await
            .unwrap();
        assert_eq!(store.count_pending("s", clock.now()).await.unwrap(), 1);
        assert!(store.take_due("s", clock.now()).await.unwrap().is_empty());
        clock.advance(std::time::Duration::from_secs(10));
        assert_eq!(store.get("n").await.unwrap(), None);
        assert_eq!(store.take_due("s", clock.now()).await.unwrap(), ["m"]);
        assert!(store.take_due("s", clock.now()).await.unwrap().is_empty());
    }
}
