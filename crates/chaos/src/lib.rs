//! The fault run of issue #6, item 5: N onboardings through the proxy's JSON API, the way the form and a
//! partner's server make them (sign up → log in → handoff → exchange with the partner key), against the
//! finAPI emulator injecting faults into every finAPI endpoint the flow uses (10 % by default), with people
//! who retry like people: up to three times after `FINAPI_UNAVAILABLE`, and a new id when told theirs is
//! taken.
//!
//! It counts:
//! - **panics**: a panic hook counts every panic in the process (the proxy's and the emulator's tasks);
//! - **duplicate users**: people with more than one user at finAPI;
//! - **orphaned users**: users at finAPI that their person's password does not log in to, or that belong to
//!   no one; also, apart, *abandoned* users: created at finAPI for a person who gave up or moved to
//!   another id (the person could log in, but believes the sign-up failed);
//! - **lost handoffs**: codes the form got that the partner could not redeem;
//! - **failures seen**: every non-2xx answer by code, each checked to be an `ApiError` the form words
//!   (`onboarding_api::ApiErrorCode`), with the support reference (`requestId`, equal to `X-Request-Id`);
//!   codes that are not "try again" under faults (anything but `FINAPI_UNAVAILABLE`) are listed.
//!
//! After the run the faults are switched off, the emulator's users are read with the admin client, and each
//! user is logged in to through the proxy with its person's password.

use finapi_emulator::clock::SystemClock;
use finapi_emulator::faults::{FaultCounts, FaultKind, FaultPlan, FaultRule, FaultWhen};
use finapi_emulator::{Emulator, EmulatorConfig};
use futures::stream::{self, StreamExt};
use onboarding_api::paths::{FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_api::{paths, ApiError, ApiErrorCode, ExchangedTokens, Handoff, Session};
use onboarding_proxy::rate_limit::{Limit, RateLimits};
use onboarding_proxy::{ClientCredentials, ProxyConfig, ProxyOptions};
use rand::{Rng, SeedableRng};
use secrecy::SecretString;
use serde_json::json;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

const PARTNER_KEY: &str = "chaos-partner-key-0123456789-abcdefghijkl";
const ADMIN_ID: &str = "onboarding-dev-admin";
const ADMIN_SECRET: &str = "dev-admin-secret-change-me";
/// Tries of one step after `FINAPI_UNAVAILABLE` (the first and two more).
const TRIES: usize = 3;

#[derive(Debug, Clone)]
pub struct ChaosOptions {
    pub count: usize,
    /// People onboarding at the same time.
    pub concurrency: usize,
    /// The share of each flow endpoint's requests that fail (0–1).
    pub fault_rate: f64,
    pub seed: u64,
    /// The long stall: longer than the proxy's 20-second timeout for finAPI calls in a real run; shorter
    /// in the test, to keep it quick.
    pub long_stall: Duration,
}

impl Default for ChaosOptions {
    fn default() -> Self {
        ChaosOptions {
            count: 10_000,
            concurrency: 64,
            fault_rate: 0.10,
            seed: 2026,
            long_stall: Duration::from_secs(25),
        }
    }
}

/// The endpoints the flow calls at finAPI.
pub const FLOW_ENDPOINTS: [&str; 5] = [
    "POST /api/v2/oauth/token",
    "GET /api/v2/clientConfiguration",
    "POST /api/v2/users",
    "POST /api/v2/users/verify/{userId}",
    "POST /api/webForms/bankConnectionImport",
];

/// `rate` of each flow endpoint's requests fail, spread over every kind, before and after the handler.
pub fn fault_plan(options: &ChaosOptions) -> FaultPlan {
    // Shares of the rate, adding up to 1.
    let mix = [
        (0.20, FaultKind::Status(503), FaultWhen::Before),
        (0.20, FaultKind::Status(502), FaultWhen::After),
        (0.15, FaultKind::Reset, FaultWhen::Before),
        (0.15, FaultKind::Reset, FaultWhen::After),
        (0.10, FaultKind::Stall(Duration::from_secs(2)), FaultWhen::Before),
        (0.05, FaultKind::Stall(options.long_stall), FaultWhen::After),
        (0.15, FaultKind::SlowBody(Duration::from_secs(2)), FaultWhen::After),
    ];
    let rules = FLOW_ENDPOINTS
        .iter()
        .flat_map(|endpoint| {
            mix.iter().map(move |(share, kind, when)| FaultRule {
                endpoint: endpoint.parse().expect("a flow endpoint parses"),
                probability: share * options.fault_rate,
                kind: *kind,
                when: *when,
            })
        })
        .collect();
    FaultPlan {
        seed: options.seed,
        rules,
    }
}

/// What a run found.
#[derive(Debug, Default, Clone)]
pub struct ChaosReport {
    pub count: usize,
    pub concurrency: usize,
    pub fault_rate: f64,
    pub seed: u64,
    pub elapsed: Duration,
    pub finapi_requests: u64,
    pub injected: FaultCounts,
    pub panics: u64,
    /// People who ended with a redeemed handoff.
    pub completed: usize,
    /// People who gave up (after three `FINAPI_UNAVAILABLE` in one step), by step.
    pub gave_up: BTreeMap<&'static str, usize>,
    pub users_at_finapi: usize,
    pub duplicate_users: usize,
    pub orphaned_users: usize,
    pub abandoned_users: usize,
    pub told_own_id_taken: usize,
    pub handoffs_minted: usize,
    pub lost_handoffs: usize,
    pub handoffs_without_web_form: usize,
    /// Exchanged tokens that finAPI did not take afterwards.
    pub dead_tokens: usize,
    /// Every failure answer, by code (`"<no ApiError body>"` for one that is not an ApiError).
    pub failures: BTreeMap<String, u64>,
    pub failures_without_request_id: u64,
    pub untranslated_failures: u64,
    /// Codes other than `FINAPI_UNAVAILABLE`: not "try again", so unexpected under faults.
    pub unexpected_failures: u64,
    /// Requests to the proxy that got no answer at all (connection error, or no answer in 60 s).
    pub no_answer: u64,
    /// The longest any request to the proxy took.
    pub slowest_answer: Duration,
    /// Requests slower than the sign-up deadline plus a second.
    pub answers_over_deadline: u64,
    /// What went wrong, for the first few people it went wrong for.
    pub notes: Vec<String>,
}

impl ChaosReport {
    pub fn goals_met(&self) -> bool {
        self.panics == 0
            && self.duplicate_users == 0
            && self.orphaned_users == 0
            && self.lost_handoffs == 0
            && self.failures_without_request_id == 0
            && self.untranslated_failures == 0
            && self.unexpected_failures == 0
            && self.no_answer == 0
            && self.answers_over_deadline == 0
            && self.dead_tokens == 0
    }

    /// Rows of the goals table of BENCHMARKS.md (`| goal | measured | met |`).
    pub fn goals_rows(&self) -> String {
        let met = |ok: bool| if ok { "✅ met" } else { "❌ not met" };
        let failures = self.untranslated_failures + self.failures_without_request_id + self.unexpected_failures;
        let rows = [
            (
                format!(
                    "{} onboardings with {:.0} % faults: 0 panics",
                    self.count,
                    self.fault_rate * 100.0
                ),
                self.panics.to_string(),
                self.panics == 0,
            ),
            (
                "… 0 duplicate or orphaned finAPI users".to_owned(),
                format!("{} duplicate, {} orphaned", self.duplicate_users, self.orphaned_users),
                self.duplicate_users == 0 && self.orphaned_users == 0,
            ),
            (
                "… 0 lost handoffs".to_owned(),
                format!("{} of {}", self.lost_handoffs, self.handoffs_minted),
                self.lost_handoffs == 0,
            ),
            (
                "… every failure a worded message with a support reference".to_owned(),
                format!(
                    "{} of {} not; {} unanswered",
                    failures,
                    self.failures.values().sum::<u64>(),
                    self.no_answer
                ),
                failures == 0 && self.no_answer == 0,
            ),
        ];
        rows.iter()
            .map(|(goal, measured, ok)| format!("| {goal} | {measured} | {} |\n", met(*ok)))
            .collect()
    }

    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let ok = |met: bool| if met { "met" } else { "**NOT met**" };
        let _ = writeln!(
            md,
            "## Faults: {} onboardings with {:.0} % faults\n",
            self.count,
            self.fault_rate * 100.0
        );
        let _ = writeln!(
            md,
            "`scripts/bench-faults --count {}` (seed {}, {} at a time): {:.1} s. The emulator injected {} faults \
             into {} finAPI requests of the flow ({} 5xx, {} resets, {} stalls, {} slow bodies), before and after \
             the request was processed; people retried up to {} times after `FINAPI_UNAVAILABLE`.\n",
            self.count,
            self.seed,
            self.concurrency,
            self.elapsed.as_secs_f64(),
            self.injected.total(),
            self.finapi_requests,
            self.injected.status,
            self.injected.reset,
            self.injected.stall,
            self.injected.slow_body,
            TRIES,
        );
        let _ = writeln!(md, "| measure | result | goal |");
        let _ = writeln!(md, "|---|---|---|");
        let _ = writeln!(md, "| panics | {} | 0: {} |", self.panics, ok(self.panics == 0));
        let _ = writeln!(
            md,
            "| duplicate users (one person, two users) | {} | 0: {} |",
            self.duplicate_users,
            ok(self.duplicate_users == 0)
        );
        let _ = writeln!(
            md,
            "| orphaned users (the person's password does not log in) | {} | 0: {} |",
            self.orphaned_users,
            ok(self.orphaned_users == 0)
        );
        let _ = writeln!(
            md,
            "| lost handoffs (minted, not redeemable) | {} of {} | 0: {} |",
            self.lost_handoffs,
            self.handoffs_minted,
            ok(self.lost_handoffs == 0)
        );
        let untranslated = self.untranslated_failures + self.failures_without_request_id + self.unexpected_failures;
        let _ = writeln!(
            md,
            "| failures not a worded \"try again\" with a support reference | {} of {} | 0: {} |",
            untranslated,
            self.failures.values().sum::<u64>(),
            ok(untranslated == 0)
        );
        let _ = writeln!(
            md,
            "| requests without an answer / over the 25 s deadline | {} / {} (slowest {:.1} s) | 0: {} |",
            self.no_answer,
            self.answers_over_deadline,
            self.slowest_answer.as_secs_f64(),
            ok(self.no_answer == 0 && self.answers_over_deadline == 0)
        );
        let _ = writeln!(
            md,
            "| exchanged tokens finAPI refused afterwards | {} | 0: {} |",
            self.dead_tokens,
            ok(self.dead_tokens == 0)
        );
        let _ = writeln!(
            md,
            "\nCompleted (handoff redeemed): {} of {}; gave up: {}; users at finAPI: {}; told their own id was \
             taken: {}; abandoned users (created for someone who gave up): {}; handoffs without a Web Form \
             (its creation failed; the handoff goes on without): {}.\n",
            self.completed,
            self.count,
            if self.gave_up.is_empty() {
                "none".to_owned()
            } else {
                self.gave_up
                    .iter()
                    .map(|(step, n)| format!("{n} at {step}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            self.users_at_finapi,
            self.told_own_id_taken,
            self.abandoned_users,
            self.handoffs_without_web_form,
        );
        let _ = writeln!(
            md,
            "Failures the people saw, by code: {}.\n",
            if self.failures.is_empty() {
                "none".to_owned()
            } else {
                self.failures
                    .iter()
                    .map(|(code, n)| format!("`{code}` {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        if !self.notes.is_empty() {
            let _ = writeln!(md, "First problems:\n");
            for note in &self.notes {
                let _ = writeln!(md, "- {note}");
            }
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "Goals: {}.",
            if self.goals_met() { "all met" } else { "NOT all met" }
        );
        md
    }
}

static PANICS: AtomicU64 = AtomicU64::new(0);
static HOOK: Once = Once::new();

/// Counts every panic in the process from now on (and still prints it).
fn count_panics() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// What one person went through.
#[derive(Debug, Default)]
struct Person {
    /// Every id they tried to sign up with, and the password.
    ids: Vec<String>,
    password: String,
    /// The id they ended with (sign-up answered 201).
    signed_up: Option<String>,
    gave_up: Option<&'static str>,
    told_own_id_taken: bool,
    handoff_minted: bool,
    handoff_lost: bool,
    without_web_form: bool,
    access_token: Option<String>,
    note: Option<String>,
}

#[derive(Default)]
struct Tally {
    failures: BTreeMap<String, u64>,
    without_request_id: u64,
    untranslated: u64,
    unexpected: u64,
    no_answer: u64,
    slowest: Duration,
    over_deadline: u64,
}

struct Run {
    proxy: String,
    http: reqwest::Client,
    tally: Mutex<Tally>,
}

/// An answer from the proxy: the status and the body, or a failure already tallied.
enum Answer {
    Ok(serde_json::Value),
    Failed(Option<ApiErrorCode>),
}

impl Run {
    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let started = Instant::now();
        let sent = request.timeout(Duration::from_secs(60)).send().await;
        let took = started.elapsed();
        {
            let mut tally = self.tally.lock().unwrap();
            tally.slowest = tally.slowest.max(took);
            if took > onboarding_proxy::routes::user_creation::SIGN_UP_DEADLINE + Duration::from_secs(1) {
                tally.over_deadline += 1;
            }
        }
        let response = match sent {
            Ok(response) => response,
            Err(_) => {
                self.tally.lock().unwrap().no_answer += 1;
                return Answer::Failed(None);
            }
        };
        let status = response.status();
        let header_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().await.unwrap_or_default();
        if status.is_success() {
            return Answer::Ok(serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null));
        }
        let mut tally = self.tally.lock().unwrap();
        match serde_json::from_slice::<ApiError>(&body) {
            Ok(error) => {
                let code = serde_json::to_value(error.error)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                *tally.failures.entry(code).or_default() += 1;
                if error.request_id.is_none() || error.request_id != header_id {
                    tally.without_request_id += 1;
                }
                Answer::Failed(Some(error.error))
            }
            Err(_) => {
                *tally
                    .failures
                    .entry(format!("<no ApiError body, {status}>"))
                    .or_default() += 1;
                tally.untranslated += 1;
                Answer::Failed(None)
            }
        }
    }

    /// Marks a failure the person cannot act on by trying again.
    fn unexpected(&self) {
        self.tally.lock().unwrap().unexpected += 1;
    }

    fn form_post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http
            .post(format!("{}{path}", self.proxy))
            .header(FORM_HEADER, FORM_HEADER_VALUE)
    }

    /// One step, tried up to [`TRIES`] times while it fails with `FINAPI_UNAVAILABLE`.
    async fn step(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<serde_json::Value, Option<ApiErrorCode>> {
        let mut last = None;
        for attempt in 0..TRIES {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(50 * attempt as u64)).await;
            }
            match self.send(build()).await {
                Answer::Ok(body) => return Ok(body),
                Answer::Failed(Some(ApiErrorCode::FinapiUnavailable)) => last = Some(ApiErrorCode::FinapiUnavailable),
                Answer::Failed(None) => last = None,
                Answer::Failed(other) => return Err(other),
            }
        }
        Err(last)
    }

    async fn onboard(&self, index: usize, seed: u64) -> Person {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let password: String = (0..16)
            .map(|_| char::from(b"abcdefghijkmnpqrstuvwxyz23456789"[rng.gen_range(0..32)]))
            .collect();
        let mut person = Person {
            password: password.clone(),
            ..Person::default()
        };
        // Sign up; told the id is taken (it is not anyone else's), a person picks another one, once.
        for suffix in ["", "-b"] {
            let id = format!("chaos-{index}{suffix}");
            person.ids.push(id.clone());
            let body = json!({"id": id, "password": password, "email": format!("{id}@example.com")});
            match self.step(|| self.form_post(paths::USERS).json(&body)).await {
                Ok(_) => {
                    person.signed_up = Some(id);
                    break;
                }
                Err(Some(ApiErrorCode::UserIdTaken)) => {
                    person.told_own_id_taken = true;
                    person.note = Some(format!("{id}: told the id was taken, though it is the person's own"));
                    self.unexpected();
                }
                Err(Some(ApiErrorCode::FinapiUnavailable)) | Err(None) => {
                    person.gave_up = Some("sign-up");
                    return person;
                }
                Err(Some(code)) => {
                    person.note = Some(format!("{id}: sign-up failed with {code:?}"));
                    self.unexpected();
                    person.gave_up = Some("sign-up");
                    return person;
                }
            }
        }
        let Some(id) = person.signed_up.clone() else {
            person.gave_up = Some("sign-up");
            return person;
        };
        // Log in.
        let login = json!({"id": id, "password": password});
        let session: Session = match self.step(|| self.form_post(paths::SESSIONS).json(&login)).await {
            Ok(body) => match serde_json::from_value(body) {
                Ok(session) => session,
                Err(error) => {
                    person.note = Some(format!("{id}: a session that is not one: {error}"));
                    self.unexpected();
                    person.gave_up = Some("log-in");
                    return person;
                }
            },
            Err(code) => {
                if !matches!(code, Some(ApiErrorCode::FinapiUnavailable) | None) {
                    person.note = Some(format!("{id}: log-in failed with {code:?}"));
                    self.unexpected();
                }
                person.gave_up = Some("log-in");
                return person;
            }
        };
        // Handoff: the form asks for a code.
        let handoff: Handoff = match self
            .step(|| {
                self.form_post(paths::HANDOFF)
                    .header(SESSION_HEADER, session.session.as_str())
            })
            .await
        {
            Ok(body) => match serde_json::from_value(body) {
                Ok(handoff) => handoff,
                Err(_) => {
                    self.unexpected();
                    person.gave_up = Some("handoff");
                    return person;
                }
            },
            Err(code) => {
                if !matches!(code, Some(ApiErrorCode::FinapiUnavailable) | None) {
                    person.note = Some(format!("{id}: handoff failed with {code:?}"));
                    self.unexpected();
                }
                person.gave_up = Some("handoff");
                return person;
            }
        };
        person.handoff_minted = true;
        person.without_web_form = handoff.web_form_url.is_none();
        // The partner's server redeems the code.
        let exchange = json!({"code": handoff.code});
        let redeemed = self
            .step(|| {
                self.http
                    .post(format!("{}{}", self.proxy, paths::HANDOFF_EXCHANGE))
                    .bearer_auth(PARTNER_KEY)
                    .json(&exchange)
            })
            .await;
        match redeemed.map(serde_json::from_value::<ExchangedTokens>) {
            Ok(Ok(tokens)) if tokens.user_id == id => person.access_token = Some(tokens.access_token),
            other => {
                person.handoff_lost = true;
                person.note = Some(format!("{id}: handoff code not redeemed: {:?}", other.err()));
            }
        }
        person
    }
}

/// Starts the emulator (with the faults) and the proxy in this process, runs the onboardings, switches the
/// faults off and checks what finAPI holds.
pub async fn run(options: ChaosOptions) -> std::io::Result<ChaosReport> {
    count_panics();
    let panics_before = PANICS.load(Ordering::SeqCst);
    let clock = Arc::new(SystemClock);
    let mut config = EmulatorConfig::development();
    // New users must be verified: the proxy's verify call is part of the flow (and of the faults).
    config.app_clients[0].configuration.is_user_auto_verification_enabled = false;
    config.faults = fault_plan(&options);
    let emulator = Emulator::spawn(config, "127.0.0.1:0".parse().unwrap(), clock.clone()).await?;
    let url = url::Url::parse(&emulator.base_url()).expect("the emulator's URL parses");
    let proxy_config = ProxyConfig {
        access_url: url.clone(),
        web_form_url: url,
        credentials: ClientCredentials {
            client_id: "onboarding-dev-app".into(),
            client_secret: SecretString::from("dev-app-secret-change-me"),
        },
        allowed_parent_origins: vec!["http://partner.chaos:9000".into()],
        partner_key: SecretString::from(PARTNER_KEY),
        form_dir: std::path::PathBuf::from("/nonexistent-form-dir"),
    };
    // One address makes every request: the rate limits would stop the run, not the faults.
    let unlimited = Limit {
        max: u64::MAX / 2,
        window: time::Duration::minutes(10),
    };
    let proxy_options = ProxyOptions {
        rate_limits: RateLimits {
            per_ip: unlimited,
            per_user_id: unlimited,
            trusted_proxy_hops: 0,
        },
        ..ProxyOptions::default()
    };
    let proxy =
        onboarding_proxy::spawn_with_options(proxy_config, proxy_options, "127.0.0.1:0".parse().unwrap(), clock)
            .await?;
    let run = Arc::new(Run {
        proxy: proxy.base_url(),
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(options.concurrency)
            .build()
            .map_err(std::io::Error::other)?,
        tally: Mutex::new(Tally::default()),
    });
    let started = Instant::now();
    let seed = options.seed;
    let people: Vec<Person> = stream::iter(0..options.count)
        .map(|index| {
            let run = run.clone();
            async move {
                tokio::spawn(async move { run.onboard(index, seed).await })
                    .await
                    .unwrap_or_else(|_| Person {
                        note: Some(format!("chaos-{index}: the simulated person panicked")),
                        gave_up: Some("panic"),
                        ..Person::default()
                    })
            }
        })
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    let elapsed = started.elapsed();
    let faults = emulator.faults();
    faults.set_enabled(false);
    let injected = faults.injected();
    let finapi_requests = faults.requests();

    // What finAPI holds, read with the admin client.
    let base = emulator.base_url();
    let users = users_at_finapi(&run.http, &base).await?;
    let mut report = ChaosReport {
        count: options.count,
        concurrency: options.concurrency,
        fault_rate: options.fault_rate,
        seed: options.seed,
        elapsed,
        finapi_requests,
        injected,
        users_at_finapi: users.len(),
        ..ChaosReport::default()
    };
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (index, person) in people.iter().enumerate() {
        for id in &person.ids {
            owner.insert(id.to_ascii_lowercase(), index);
        }
    }
    let mut users_of: HashMap<usize, Vec<String>> = HashMap::new();
    let mut notes = Vec::new();
    for user in &users {
        match owner.get(&user.to_ascii_lowercase()) {
            Some(&index) => users_of.entry(index).or_default().push(user.clone()),
            None => {
                report.orphaned_users += 1;
                notes.push(format!("{user}: a user at finAPI no person asked for"));
            }
        }
    }
    let mut checked = HashSet::new();
    for (index, person) in people.iter().enumerate() {
        let theirs = users_of.get(&index).cloned().unwrap_or_default();
        if theirs.len() > 1 {
            report.duplicate_users += 1;
            notes.push(format!(
                "{}: {} users at finAPI ({theirs:?})",
                person.ids[0],
                theirs.len()
            ));
        }
        for user in &theirs {
            if !checked.insert(user.clone()) {
                continue;
            }
            if let Err(answer) = logs_in(&run.http, &run.proxy, user, &person.password).await {
                report.orphaned_users += 1;
                notes.push(format!("{user}: at finAPI, but the person cannot log in: {answer}"));
            } else if person.signed_up.as_deref() != Some(user.as_str()) {
                report.abandoned_users += 1;
            }
        }
        if person.signed_up.is_some() && theirs.is_empty() {
            report.orphaned_users += 1;
            notes.push(format!(
                "{}: told the sign-up worked, but finAPI has no such user",
                person.ids[0]
            ));
        }
        if let Some(step) = person.gave_up {
            *report.gave_up.entry(step).or_default() += 1;
        }
        report.told_own_id_taken += usize::from(person.told_own_id_taken);
        report.handoffs_minted += usize::from(person.handoff_minted);
        report.lost_handoffs += usize::from(person.handoff_lost);
        report.handoffs_without_web_form += usize::from(person.without_web_form);
        if let Some(token) = &person.access_token {
            report.completed += 1;
            let works = run
                .http
                .get(format!("{base}/api/v2/users"))
                .bearer_auth(token)
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            if !works {
                report.dead_tokens += 1;
                notes.push(format!(
                    "{}: the exchanged token does not work at finAPI",
                    person.ids[0]
                ));
            }
        }
        if let Some(note) = &person.note {
            notes.push(note.clone());
        }
    }
    notes.truncate(20);
    report.notes = notes;
    let tally = std::mem::take(&mut *run.tally.lock().unwrap());
    report.failures = tally.failures;
    report.failures_without_request_id = tally.without_request_id;
    report.untranslated_failures = tally.untranslated;
    report.unexpected_failures = tally.unexpected;
    report.no_answer = tally.no_answer;
    report.slowest_answer = tally.slowest;
    report.answers_over_deadline = tally.over_deadline;
    drop(proxy);
    emulator.stop().await;
    report.panics = PANICS.load(Ordering::SeqCst) - panics_before;
    Ok(report)
}

async fn admin_token(http: &reqwest::Client, base: &str) -> std::io::Result<String> {
    let token: serde_json::Value = http
        .post(format!("{base}/api/v2/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", ADMIN_ID),
            ("client_secret", ADMIN_SECRET),
        ])
        .send()
        .await
        .map_err(std::io::Error::other)?
        .json()
        .await
        .map_err(std::io::Error::other)?;
    token["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| std::io::Error::other("no admin token"))
}

/// Every active user of the mandator.
async fn users_at_finapi(http: &reqwest::Client, base: &str) -> std::io::Result<Vec<String>> {
    let token = admin_token(http, base).await?;
    let mut users = Vec::new();
    for page in 1.. {
        let list: finapi::PageableUserInfoList = http
            .get(format!("{base}/api/v2/mandatorAdmin/getUserList"))
            .bearer_auth(&token)
            .query(&[
                ("page", page.to_string()),
                ("perPage", "500".into()),
                ("isDeleted", "false".into()),
            ])
            .send()
            .await
            .map_err(std::io::Error::other)?
            .json()
            .await
            .map_err(std::io::Error::other)?;
        let last = list.paging.page >= list.paging.page_count;
        users.extend(list.users.into_iter().map(|user| user.user_id));
        if last {
            break;
        }
    }
    Ok(users)
}

/// Whether the person can log in with this id and password, the way they would: through the proxy's
/// `POST /api/sessions` (faults off), which also finishes a sign-up whose verification was lost. `Err`
/// says what they got instead.
async fn logs_in(http: &reqwest::Client, proxy: &str, id: &str, password: &str) -> Result<(), String> {
    let response = http
        .post(format!("{proxy}{}", paths::SESSIONS))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .json(&json!({"id": id, "password": password}))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    Err(format!("{status} {}", response.text().await.unwrap_or_default()))
}
