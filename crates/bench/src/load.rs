//! The load generator: complete onboardings — create, log in, hand off, exchange — through the proxy,
//! or the same finAPI calls straight to the emulator, from many concurrent workers.

use crate::stack::{Finapi, PARTNER_KEY};
use onboarding_api::paths::{self, FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "correct horse battery staple";

/// Where the onboardings go.
pub enum Target {
    /// Through the proxy's JSON API, as the form and the partner's server do.
    Proxy { base_url: String },
    /// The finAPI calls the proxy makes, straight to finAPI (the emulator), with a client token obtained
    /// once: create the user, the password grant, the Web Form. The exchange has no finAPI call (the
    /// tokens are already where they are needed), so it is not timed.
    Direct {
        base_url: String,
        client_token: String,
        client_id: String,
        client_secret: String,
    },
}

impl Target {
    pub async fn direct(http: &reqwest::Client, finapi: &Finapi) -> Target {
        let base_url = finapi.emulator.base_url();
        let token: Value = http
            .post(format!("{base_url}/api/v2/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", finapi.client_id.as_str()),
                ("client_secret", finapi.client_secret.as_str()),
            ])
            .send()
            .await
            .expect("the emulator answers")
            .json()
            .await
            .expect("a token");
        Target::Direct {
            base_url,
            client_token: token["access_token"].as_str().expect("access_token").to_owned(),
            client_id: finapi.client_id.clone(),
            client_secret: finapi.client_secret.clone(),
        }
    }
}

/// Latencies in microseconds.
#[derive(Default, Clone)]
pub struct Latencies {
    pub steps: [Vec<u32>; 4],
    pub total: Vec<u32>,
}

impl Latencies {
    fn merge(&mut self, other: Latencies) {
        for (mine, theirs) in self.steps.iter_mut().zip(other.steps) {
            mine.extend(theirs);
        }
        self.total.extend(other.total);
    }
}

fn micros(since: Instant) -> u32 {
    since.elapsed().as_micros().min(u32::MAX as u128) as u32
}

async fn expect(response: reqwest::Result<reqwest::Response>, status: u16, what: &str) -> Result<Value, String> {
    let response = response.map_err(|e| format!("{what}: {e}"))?;
    let got = response.status().as_u16();
    let body = response.text().await.unwrap_or_default();
    if got != status {
        return Err(format!("{what}: {got} {}", body.chars().take(200).collect::<String>()));
    }
    Ok(serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// One user through all four steps; the step latencies go into `latencies`.
pub async fn onboard(
    http: &reqwest::Client,
    target: &Target,
    id: &str,
    latencies: &mut Latencies,
) -> Result<(), String> {
    let started = Instant::now();
    match target {
        Target::Proxy { base_url } => {
            let t = Instant::now();
            let body =
                json!({"id": id, "password": PASSWORD, "email": format!("{id}@example.com"), "autoUpdate": false});
            let sent = http
                .post(format!("{base_url}{}", paths::USERS))
                .header(FORM_HEADER, FORM_HEADER_VALUE)
                .json(&body)
                .send()
                .await;
            expect(sent, 201, "create").await?;
            latencies.steps[0].push(micros(t));

            let t = Instant::now();
            let sent = http
                .post(format!("{base_url}{}", paths::SESSIONS))
                .header(FORM_HEADER, FORM_HEADER_VALUE)
                .json(&json!({"id": id, "password": PASSWORD}))
                .send()
                .await;
            let session = expect(sent, 200, "log in").await?;
            let session = session["session"].as_str().ok_or("log in: no session")?.to_owned();
            latencies.steps[1].push(micros(t));

            let t = Instant::now();
            let sent = http
                .post(format!("{base_url}{}", paths::HANDOFF))
                .header(FORM_HEADER, FORM_HEADER_VALUE)
                .header(SESSION_HEADER, &session)
                .send()
                .await;
            let handoff = expect(sent, 200, "hand off").await?;
            let code = handoff["code"].as_str().ok_or("hand off: no code")?.to_owned();
            latencies.steps[2].push(micros(t));

            let t = Instant::now();
            let sent = http
                .post(format!("{base_url}{}", paths::HANDOFF_EXCHANGE))
                .bearer_auth(PARTNER_KEY)
                .json(&json!({"code": code}))
                .send()
                .await;
            let tokens = expect(sent, 200, "exchange").await?;
            if tokens["access_token"].as_str().is_none() {
                return Err("exchange: no access_token".into());
            }
            latencies.steps[3].push(micros(t));
        }
        Target::Direct {
            base_url,
            client_token,
            client_id,
            client_secret,
        } => {
            let t = Instant::now();
            let body = json!({"id": id, "password": PASSWORD, "email": format!("{id}@example.com"), "isAutoUpdateEnabled": false});
            let sent = http
                .post(format!("{base_url}/api/v2/users"))
                .bearer_auth(client_token)
                .json(&body)
                .send()
                .await;
            expect(sent, 201, "create").await?;
            latencies.steps[0].push(micros(t));

            let t = Instant::now();
            let sent = http
                .post(format!("{base_url}/api/v2/oauth/token"))
                .form(&[
                    ("grant_type", "password"),
                    ("client_id", client_id.as_str()),
                    ("client_secret", client_secret.as_str()),
                    ("username", id),
                    ("password", PASSWORD),
                ])
                .send()
                .await;
            let token = expect(sent, 200, "log in").await?;
            let user_token = token["access_token"].as_str().ok_or("log in: no token")?.to_owned();
            latencies.steps[1].push(micros(t));

            let t = Instant::now();
            let sent = http
                .post(format!("{base_url}/api/webForms/bankConnectionImport"))
                .bearer_auth(&user_token)
                .json(&json!({}))
                .send()
                .await;
            expect(sent, 201, "hand off").await?;
            latencies.steps[2].push(micros(t));
        }
    }
    latencies.total.push(micros(started));
    Ok(())
}

/// Sign-up and log-in only: leaves a live session at the proxy.
pub async fn sign_up_and_log_in(http: &reqwest::Client, base_url: &str, id: &str) -> Result<(), String> {
    let body = json!({"id": id, "password": PASSWORD, "autoUpdate": false});
    let sent = http
        .post(format!("{base_url}{}", paths::USERS))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .json(&body)
        .send()
        .await;
    expect(sent, 201, "create").await?;
    let sent = http
        .post(format!("{base_url}{}", paths::SESSIONS))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .json(&json!({"id": id, "password": PASSWORD}))
        .send()
        .await;
    expect(sent, 200, "log in").await?;
    Ok(())
}

pub fn client(concurrency: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency.max(1) * 2)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

pub struct RunResult {
    pub onboardings: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
    pub latencies: Latencies,
}

impl RunResult {
    pub fn merge(&mut self, other: RunResult) {
        self.onboardings += other.onboardings;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.elapsed += other.elapsed;
        self.latencies.merge(other.latencies);
    }

    pub fn throughput(&self) -> f64 {
        self.onboardings as f64 / self.elapsed.as_secs_f64()
    }
}

/// `concurrency` workers, each onboarding one user after another, until `count` onboardings were started.
pub async fn closed_loop(target: Arc<Target>, concurrency: usize, count: u64, prefix: &str) -> RunResult {
    let http = client(concurrency);
    // Warm-up: connections opened, caches filled; not counted.
    let mut warmup = Vec::new();
    for worker in 0..concurrency {
        let (http, target, id) = (http.clone(), target.clone(), format!("{prefix}w{worker}"));
        warmup.push(tokio::spawn(async move {
            let _ = onboard(&http, &target, &id, &mut Latencies::default()).await;
        }));
    }
    for task in warmup {
        let _ = task.await;
    }
    let started = Instant::now();
    let next = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (http, target, prefix, next) = (http.clone(), target.clone(), prefix.to_owned(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            let (mut done, mut errors, mut first_error) = (0u64, 0u64, None);
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let id = format!("{prefix}-{worker}-{}", done + errors);
                match onboard(&http, &target, &id, &mut latencies).await {
                    Ok(()) => done += 1,
                    Err(error) => {
                        errors += 1;
                        first_error.get_or_insert(error);
                    }
                }
            }
            (done, errors, first_error, latencies)
        }));
    }
    let mut result = RunResult {
        onboardings: 0,
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        latencies: Latencies::default(),
    };
    for worker in workers {
        let (done, errors, first_error, latencies) = worker.await.expect("a worker");
        result.onboardings += done;
        result.errors += errors;
        if result.first_error.is_none() {
            result.first_error = first_error;
        }
        result.latencies.merge(latencies);
    }
    result.elapsed = started.elapsed();
    result
}

/// Counters shared by the soak's paced load.
#[derive(Default)]
pub struct Counters {
    pub done: AtomicU64,
    pub errors: AtomicU64,
    pub skipped: AtomicU64,
}

/// Starts `rate` onboardings a second (at most `max_in_flight` at once; a tick with none free is counted
/// as skipped) until `stop` is set.
pub fn paced(
    target: Arc<Target>,
    rate: u32,
    max_in_flight: usize,
    prefix: String,
    counters: Arc<Counters>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let http = client(max_in_flight);
        let permits = Arc::new(tokio::sync::Semaphore::new(max_in_flight));
        let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate.max(1) as f64));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut n = 0u64;
        while !stop.load(Ordering::Relaxed) {
            ticker.tick().await;
            let Ok(permit) = permits.clone().try_acquire_owned() else {
                counters.skipped.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            let (http, target, counters) = (http.clone(), target.clone(), counters.clone());
            let id = format!("{prefix}-{n}");
            n += 1;
            tokio::spawn(async move {
                match onboard(&http, &target, &id, &mut Latencies::default()).await {
                    Ok(()) => counters.done.fetch_add(1, Ordering::Relaxed),
                    Err(error) => {
                        if counters.errors.fetch_add(1, Ordering::Relaxed) < 5 {
                            eprintln!("soak: {error}");
                        }
                        0
                    }
                };
                drop(permit);
            });
        }
        // Let the ones in flight finish.
        let _ = permits.acquire_many(max_in_flight as u32).await;
    })
}

/// Percentile of sorted microseconds, in milliseconds.
pub fn percentile_ms(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}
