//! Fault injection: the emulator can fail on purpose, by configuration, so that a client's handling of
//! finAPI's bad days can be tested (issue #6: "10,000 onboardings with 10 % faults").
//!
//! A [`FaultPlan`] is a list of [`FaultRule`]s, each for one endpoint (a method and a path pattern), with a
//! probability and a [`FaultKind`]:
//!
//! - `status = 503` (any 5xx): an error answer instead of the real one;
//! - `reset = true`: the connection is closed without an answer;
//! - `stall_seconds = N`: the answer comes N seconds late (or never, if the client gives up first);
//! - `slow_body_seconds = N`: the status and headers come at once, the body trickles in over N seconds.
//!
//! and a moment ([`FaultWhen`]): `before` the handler runs (the request is never processed) or `after` it
//! (processed — a user created, a token issued — but the answer is lost or late). `after` is the case
//! that tests whether a client can end up with two users, or with one it does not know about. A slow body
//! always comes after (there is no body before).
//!
//! For each request, the matching rules are tried in order with one draw from a seeded RNG: a request to
//! an endpoint with rules of probabilities 0.05 and 0.03 gets the first fault 5 % of the time and the second
//! 3 %. The seed makes a sequential run reproducible (concurrent requests draw in arrival order).
//!
//! The faults wrap the whole emulator from outside, like a network or a load balancer in front of finAPI:
//! an injected error carries no `X-Request-Id` and no finAPI error body. [`Faults`] is the running plan:
//! it counts what it injected and can be switched off and on (e.g. to check the state after a run).

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The faults of an emulator: a seed and rules. The default has none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    pub seed: u64,
    pub rules: Vec<FaultRule>,
}

/// One endpoint's fault: on `endpoint`, with `probability` (0–1), inject `kind` at `when`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub endpoint: Endpoint,
    pub probability: f64,
    pub kind: FaultKind,
    pub when: FaultWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// An answer with this status (500–599) and a plain-text body, instead of the real one.
    Status(u16),
    /// The connection is closed without a byte of an answer.
    Reset,
    /// The answer waits this long.
    Stall(Duration),
    /// The real answer's status and headers at once, its body in small pieces spread over this long.
    SlowBody(Duration),
}

/// Whether the handler runs before the fault (`After`: the request is processed, the answer lost or late).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultWhen {
    #[default]
    Before,
    After,
}

/// `METHOD /path`: the method (`*` for any) and a path whose segments are literal, or `*` / `{name}` for any
/// one segment; a last segment `**` matches the rest of the path (one segment or more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    method: Option<Method>,
    segments: Vec<String>,
}

impl Endpoint {
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        if self.method.as_ref().is_some_and(|wanted| wanted != method) {
            return false;
        }
        let mut actual = path.trim_start_matches('/').split('/');
        for (index, pattern) in self.segments.iter().enumerate() {
            if pattern == "**" && index + 1 == self.segments.len() {
                return actual.next().is_some_and(|s| !s.is_empty());
            }
            match actual.next() {
                Some(segment) if is_wildcard(pattern) => {
                    if segment.is_empty() {
                        return false;
                    }
                }
                Some(segment) if segment == pattern => {}
                _ => return false,
            }
        }
        actual.next().is_none()
    }
}

fn is_wildcard(segment: &str) -> bool {
    segment == "*" || (segment.starts_with('{') && segment.ends_with('}'))
}

impl FromStr for Endpoint {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (method, path) = text
            .trim()
            .split_once(' ')
            .ok_or_else(|| format!("endpoint {text:?}: write it as \"METHOD /path\", e.g. \"POST /api/v2/users\""))?;
        let method = match method {
            "*" => None,
            name => Some(
                Method::from_bytes(name.to_ascii_uppercase().as_bytes())
                    .map_err(|_| format!("endpoint {text:?}: {name:?} is not an HTTP method"))?,
            ),
        };
        let path = path.trim();
        if !path.starts_with('/') {
            return Err(format!("endpoint {text:?}: the path must start with /"));
        }
        let segments = path.trim_start_matches('/').split('/').map(str::to_owned).collect();
        Ok(Endpoint { method, segments })
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = self.method.as_ref().map_or("*", Method::as_str);
        write!(f, "{method} /{}", self.segments.join("/"))
    }
}

/// A rule as the configuration file writes it (`[[faults.rules]]`): exactly one of `status`, `reset`,
/// `stall_seconds`, `slow_body_seconds`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileFaultRule {
    endpoint: String,
    probability: f64,
    #[serde(default)]
    when: FaultWhen,
    status: Option<u16>,
    reset: Option<bool>,
    stall_seconds: Option<f64>,
    slow_body_seconds: Option<f64>,
}

/// The `[faults]` table of the configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileFaults {
    #[serde(default)]
    seed: u64,
    #[serde(default)]
    rules: Vec<FileFaultRule>,
}

impl FileFaults {
    pub(crate) fn into_plan(self) -> Result<FaultPlan, String> {
        let rules = self
            .rules
            .into_iter()
            .enumerate()
            .map(|(index, rule)| {
                rule.into_rule()
                    .map_err(|problem| format!("faults.rules[{index}]: {problem}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FaultPlan { seed: self.seed, rules })
    }
}

impl FileFaultRule {
    fn into_rule(self) -> Result<FaultRule, String> {
        let endpoint: Endpoint = self.endpoint.parse()?;
        if !(0.0..=1.0).contains(&self.probability) {
            return Err(format!("probability must be between 0 and 1, not {}", self.probability));
        }
        let seconds = |name: &str, value: f64| {
            if value.is_finite() && (0.0..=3600.0).contains(&value) {
                Ok(Duration::from_secs_f64(value))
            } else {
                Err(format!("{name} must be between 0 and 3600, not {value}"))
            }
        };
        let mut kinds = Vec::new();
        if let Some(status) = self.status {
            if !(500..=599).contains(&status) {
                return Err(format!("status must be a server error (500–599), not {status}"));
            }
            kinds.push(FaultKind::Status(status));
        }
        match self.reset {
            Some(true) => kinds.push(FaultKind::Reset),
            Some(false) => return Err("reset = false is not a fault: leave the rule out".into()),
            None => {}
        }
        if let Some(value) = self.stall_seconds {
            kinds.push(FaultKind::Stall(seconds("stall_seconds", value)?));
        }
        if let Some(value) = self.slow_body_seconds {
            kinds.push(FaultKind::SlowBody(seconds("slow_body_seconds", value)?));
        }
        let kind = match kinds[..] {
            [kind] => kind,
            [] => return Err("give one of status, reset, stall_seconds, slow_body_seconds".into()),
            _ => return Err("give only one of status, reset, stall_seconds, slow_body_seconds".into()),
        };
        Ok(FaultRule {
            endpoint,
            probability: self.probability,
            kind,
            when: self.when,
        })
    }
}

/// How many faults were injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    pub status: u64,
    pub reset: u64,
    pub stall: u64,
    pub slow_body: u64,
}

impl FaultCounts {
    pub fn total(&self) -> u64 {
        self.status + self.reset + self.stall + self.slow_body
    }
}

/// The running plan; cheap to clone (an `Arc`).
#[derive(Clone)]
pub struct Faults {
    inner: Arc<Inner>,
}

struct Inner {
    plan: FaultPlan,
    rng: Mutex<StdRng>,
    enabled: AtomicBool,
    requests: AtomicU64,
    counts: [AtomicU64; 4],
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Faults")
            .field("plan", &self.inner.plan)
            .field("enabled", &self.is_enabled())
            .finish_non_exhaustive()
    }
}

impl Faults {
    pub fn new(plan: FaultPlan) -> Self {
        Faults {
            inner: Arc::new(Inner {
                rng: Mutex::new(StdRng::seed_from_u64(plan.seed)),
                plan,
                enabled: AtomicBool::new(true),
                requests: AtomicU64::new(0),
                counts: Default::default(),
            }),
        }
    }

    pub fn plan(&self) -> &FaultPlan {
        &self.inner.plan
    }

    /// Switched off, the emulator answers every request normally (and draws nothing).
    pub fn set_enabled(&self, enabled: bool) {
        self.inner.enabled.store(enabled, Ordering::SeqCst);
    }

    pub fn is_enabled(&self) -> bool {
        self.inner.enabled.load(Ordering::SeqCst)
    }

    /// Requests seen by the fault layer (while enabled).
    pub fn requests(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    pub fn injected(&self) -> FaultCounts {
        let count = |index: usize| self.inner.counts[index].load(Ordering::Relaxed);
        FaultCounts {
            status: count(0),
            reset: count(1),
            stall: count(2),
            slow_body: count(3),
        }
    }

    /// The fault for this request, if the draw picks one.
    fn pick(&self, method: &Method, path: &str) -> Option<&FaultRule> {
        if !self.is_enabled() || self.inner.plan.rules.is_empty() {
            return None;
        }
        self.inner.requests.fetch_add(1, Ordering::Relaxed);
        let mut matching = self
            .inner
            .plan
            .rules
            .iter()
            .filter(|rule| rule.endpoint.matches(method, path))
            .peekable();
        matching.peek()?;
        let draw: f64 = self.inner.rng.lock().unwrap_or_else(PoisonError::into_inner).gen();
        let mut threshold = 0.0;
        let rule = matching.find(|rule| {
            threshold += rule.probability;
            draw < threshold
        })?;
        let index = match rule.kind {
            FaultKind::Status(_) => 0,
            FaultKind::Reset => 1,
            FaultKind::Stall(_) => 2,
            FaultKind::SlowBody(_) => 3,
        };
        self.inner.counts[index].fetch_add(1, Ordering::Relaxed);
        Some(rule)
    }
}

/// Wraps `router` in the fault layer (outermost, so that an injected fault is all the client sees).
pub fn apply(router: axum::Router, faults: Faults) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state(faults, middleware))
}

async fn middleware(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let Some(rule) = faults.pick(request.method(), request.uri().path()).cloned() else {
        return next.run(request).await;
    };
    tracing::info!(
        endpoint = %rule.endpoint,
        kind = ?rule.kind,
        when = ?rule.when,
        "injecting a fault"
    );
    match (rule.kind, rule.when) {
        (FaultKind::SlowBody(duration), _) => slow_body(next.run(request).await, duration),
        (FaultKind::Status(status), FaultWhen::Before) => {
            drop(request);
            server_error(status)
        }
        (FaultKind::Status(status), FaultWhen::After) => {
            drop(next.run(request).await);
            server_error(status)
        }
        (FaultKind::Reset, FaultWhen::Before) => {
            drop(request);
            reset()
        }
        (FaultKind::Reset, FaultWhen::After) => {
            drop(next.run(request).await);
            reset()
        }
        (FaultKind::Stall(duration), FaultWhen::Before) => {
            tokio::time::sleep(duration).await;
            next.run(request).await
        }
        (FaultKind::Stall(duration), FaultWhen::After) => {
            let response = next.run(request).await;
            tokio::time::sleep(duration).await;
            response
        }
    }
}

fn server_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = (
        status,
        "Service temporarily unavailable (a fault injected by the finAPI emulator)\n",
    )
        .into_response();
    response
        .headers_mut()
        .insert(FAULT_HEADER, HeaderValue::from_static("status"));
    response
}

/// Marks an answer a fault changed (a status or a slow body; a reset has no answer to mark).
pub const FAULT_HEADER: &str = "x-emulator-fault";

/// A response whose body fails at once: hyper gives up the connection before the answer's head, still in
/// its write buffer, is sent, so the client sees the connection close without an answer.
fn reset() -> Response {
    Response::new(Body::from_stream(Pieces::failing()))
}

/// The real answer, its body in about ten pieces spread over `duration`.
fn slow_body(response: Response, duration: Duration) -> Response {
    let (mut parts, body) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    parts
        .headers
        .insert(FAULT_HEADER, HeaderValue::from_static("slow-body"));
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    tokio::spawn(async move {
        let bytes = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => bytes,
            Err(error) => {
                let _ = sender.send(Err(std::io::Error::other(error))).await;
                return;
            }
        };
        const PIECES: usize = 10;
        let size = bytes.len().div_ceil(PIECES).max(1);
        let pause = duration / PIECES as u32;
        let mut rest = bytes;
        loop {
            tokio::time::sleep(pause).await;
            let piece = rest.split_to(size.min(rest.len()));
            if sender.send(Ok(piece)).await.is_err() || rest.is_empty() {
                return; // done, or the client went away
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(Pieces::Channel(receiver)))
}

/// The body streams of the faults.
enum Pieces {
    Failing(bool),
    Channel(tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>),
}

impl Pieces {
    fn failing() -> Self {
        Pieces::Failing(false)
    }
}

impl futures_core::Stream for Pieces {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        match self.get_mut() {
            Pieces::Failing(done) if *done => std::task::Poll::Ready(None),
            Pieces::Failing(done) => {
                *done = true;
                std::task::Poll::Ready(Some(Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "a reset injected by the finAPI emulator",
                ))))
            }
            Pieces::Channel(receiver) => receiver.poll_recv(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(text: &str) -> Endpoint {
        text.parse().unwrap()
    }

    #[test]
    fn endpoints_match_method_and_path() {
        let users = endpoint("POST /api/v2/users");
        assert!(users.matches(&Method::POST, "/api/v2/users"));
        assert!(!users.matches(&Method::GET, "/api/v2/users"));
        assert!(!users.matches(&Method::POST, "/api/v2/users/verify/x"));
        let verify = endpoint("post /api/v2/users/verify/{userId}");
        assert!(verify.matches(&Method::POST, "/api/v2/users/verify/jane"));
        assert!(!verify.matches(&Method::POST, "/api/v2/users/verify/"));
        assert!(!verify.matches(&Method::POST, "/api/v2/users/verify"));
        let any = endpoint("* /api/webForms/**");
        assert!(any.matches(&Method::GET, "/api/webForms/abc"));
        assert!(any.matches(&Method::DELETE, "/api/webForms/a/b"));
        assert!(!any.matches(&Method::GET, "/api/webForms"));
        assert_eq!(verify.to_string(), "POST /api/v2/users/verify/{userId}");
        assert!("/api/v2/users".parse::<Endpoint>().is_err());
        assert!("POST api".parse::<Endpoint>().is_err());
        assert!("P(ST /x".parse::<Endpoint>().is_err());
    }

    fn plan(probabilities: &[f64]) -> FaultPlan {
        FaultPlan {
            seed: 7,
            rules: probabilities
                .iter()
                .map(|&probability| FaultRule {
                    endpoint: endpoint("POST /api/v2/users"),
                    probability,
                    kind: FaultKind::Status(503),
                    when: FaultWhen::Before,
                })
                .collect(),
        }
    }

    #[test]
    fn probabilities_add_up_and_the_seed_repeats_a_run() {
        let faults = Faults::new(plan(&[0.05, 0.05]));
        let draws: Vec<bool> = (0..20_000)
            .map(|_| faults.pick(&Method::POST, "/api/v2/users").is_some())
            .collect();
        let hits = draws.iter().filter(|hit| **hit).count();
        assert!((1_700..2_300).contains(&hits), "{hits} of 20000");
        assert_eq!(faults.injected().status, hits as u64);
        assert!(faults.pick(&Method::GET, "/api/v2/users").is_none());
        let again = Faults::new(plan(&[0.05, 0.05]));
        let repeated: Vec<bool> = (0..20_000)
            .map(|_| again.pick(&Method::POST, "/api/v2/users").is_some())
            .collect();
        assert_eq!(draws, repeated);
        again.set_enabled(false);
        assert!((0..1000).all(|_| again.pick(&Method::POST, "/api/v2/users").is_none()));
        assert!(Faults::new(plan(&[1.0])).pick(&Method::POST, "/api/v2/users").is_some());
        assert!(Faults::new(plan(&[0.0])).pick(&Method::POST, "/api/v2/users").is_none());
    }
}
