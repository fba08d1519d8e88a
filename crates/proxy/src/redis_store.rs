//! The store on Redis (`PROXY_REDIS_URL`): what lets several proxy instances serve one flow — log in on
//! one, hand off on another, redeem on a third — and survive a restart.
//!
//! Every key carries the configured prefix, so several deployments may share one Redis. One-time reads
//! use `GETDEL` and schedules `ZREM`'s answer, so with many instances each item goes to exactly one.

use crate::store::StoreError;
use redis::aio::MultiplexedConnection;
use time::{Duration, OffsetDateTime};

/// Adds one and sets the lifetime on the first increment only: a fixed window.
const INCREMENT_IN_WINDOW: &str =
    "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

#[derive(Clone)]
pub struct RedisStore {
    connection: MultiplexedConnection,
    prefix: String,
}

impl RedisStore {
    /// Connects to `url` (`redis://host:port/db`); fails if Redis does not answer.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let client = redis::Client::open(url).map_err(failure)?;
        let connection = client.get_multiplexed_async_connection().await.map_err(failure)?;
        let store = RedisStore {
            connection,
            prefix: prefix.to_owned(),
        };
        store.ping().await?;
        Ok(store)
    }

    pub async fn put(&self, key: &str, value: &str, lifetime: Duration) -> Result<(), StoreError> {
        self.query::<()>(
            redis::cmd("SET")
                .arg(self.key(key))
                .arg(value)
                .arg("PX")
                .arg(milliseconds(lifetime)),
        )
        .await
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.query(redis::cmd("GET").arg(self.key(key))).await
    }

    pub async fn take(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.query(redis::cmd("GETDEL").arg(self.key(key))).await
    }

    pub async fn increment(&self, key: &str, lifetime: Duration) -> Result<u64, StoreError> {
        self.query(
            redis::cmd("EVAL")
                .arg(INCREMENT_IN_WINDOW)
                .arg(1)
                .arg(self.key(key))
                .arg(milliseconds(lifetime)),
        )
        .await
    }

    pub async fn schedule(&self, schedule: &str, member: &str, due: OffsetDateTime) -> Result<(), StoreError> {
        self.query::<()>(redis::cmd("ZADD").arg(self.key(schedule)).arg(score(due)).arg(member))
            .await
    }

    pub async fn unschedule(&self, schedule: &str, member: &str) -> Result<(), StoreError> {
        self.query::<()>(redis::cmd("ZREM").arg(self.key(schedule)).arg(member))
            .await
    }

    pub async fn take_due(&self, schedule: &str, now: OffsetDateTime) -> Result<Vec<String>, StoreError> {
        let due: Vec<String> = self
            .query(
                redis::cmd("ZRANGEBYSCORE")
                    .arg(self.key(schedule))
                    .arg("-inf")
                    .arg(score(now)),
            )
            .await?;
        let mut taken = Vec::new();
        for member in due {
            // Another instance may take the same member at the same moment: only the one whose ZREM
            // removed it gets it.
            let removed: u64 = self
                .query(redis::cmd("ZREM").arg(self.key(schedule)).arg(&member))
                .await?;
            if removed == 1 {
                taken.push(member);
            }
        }
        Ok(taken)
    }

    pub async fn count_pending(&self, schedule: &str, now: OffsetDateTime) -> Result<u64, StoreError> {
        self.query(
            redis::cmd("ZCOUNT")
                .arg(self.key(schedule))
                .arg(format!("({}", score(now)))
                .arg("+inf"),
        )
        .await
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.query::<String>(&redis::cmd("PING")).await.map(|_| ())
    }

    async fn query<T: redis::FromRedisValue>(&self, command: &redis::Cmd) -> Result<T, StoreError> {
        let mut connection = self.connection.clone();
        command.query_async(&mut connection).await.map_err(failure)
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

fn milliseconds(lifetime: Duration) -> i64 {
    lifetime.whole_milliseconds().clamp(1, i64::MAX as i128) as i64
}

fn score(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

/// Redis errors name the command and the server's message, never a value.
fn failure(error: redis::RedisError) -> StoreError {
    StoreError(error.to_string())
}
