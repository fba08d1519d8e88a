//! Prometheus metrics, served as text on `/metrics`: requests and latencies by route and status, finAPI
//! calls by endpoint and status, client token cache hits, live sessions, handoffs minted / redeemed /
//! expired, and answers refused by a rate limit.
//!
//! Written by hand in the text exposition format (version 0.0.4): a few counters and one histogram do not
//! need a metrics framework. Labels are route patterns and status codes only, never a user id or a value a
//! caller chose, so the number of series stays small and nothing personal is exported.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

type Labels = Vec<(&'static str, String)>;

#[derive(Default)]
pub struct Metrics {
    counters: Mutex<BTreeMap<(&'static str, Labels), u64>>,
    latencies: Mutex<BTreeMap<Labels, Histogram>>,
}

#[derive(Default, Clone)]
struct Histogram {
    buckets: [u64; LATENCY_BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Every counter, with its help text.
const COUNTERS: [(&str, &str); 7] = [
    (
        "onboarding_http_requests_total",
        "Requests answered, by route and status.",
    ),
    (
        "onboarding_finapi_calls_total",
        "Calls to finAPI, by endpoint and status (0: no answer).",
    ),
    (
        "onboarding_client_token_cache_total",
        "Client token lookups, by result (hit or miss).",
    ),
    (
        "onboarding_handoffs_total",
        "Handoff codes, by event (minted, redeemed, expired).",
    ),
    (
        "onboarding_rate_limited_total",
        "Requests refused by a rate limit, by action and scope.",
    ),
    (
        "onboarding_user_tokens_total",
        "User token events (refreshed, revoked).",
    ),
    ("onboarding_callbacks_total", "finAPI callbacks received, by kind."),
];

impl Metrics {
    pub fn count(&self, name: &'static str, labels: &[(&'static str, &str)]) {
        let labels = labels.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        *lock(&self.counters).entry((name, labels)).or_default() += 1;
    }

    pub fn observe_request(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let status = status.to_string();
        let labels: Labels = vec![
            ("route", route.to_owned()),
            ("method", method.to_owned()),
            ("status", status.clone()),
        ];
        *lock(&self.counters)
            .entry(("onboarding_http_requests_total", labels))
            .or_default() += 1;
        let seconds = elapsed.as_secs_f64();
        let mut latencies = lock(&self.latencies);
        let histogram = latencies
            .entry(vec![("route", route.to_owned()), ("method", method.to_owned())])
            .or_default();
        for (bucket, bound) in histogram.buckets.iter_mut().zip(LATENCY_BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The exposition text; `gauges` are values read at scrape time (e.g. live sessions from the store).
    pub fn render(&self, gauges: &[(&str, &str, u64)]) -> String {
        let mut out = String::new();
        let counters = lock(&self.counters).clone();
        for (name, help) in COUNTERS {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for ((_, labels), value) in counters.iter().filter(|((n, _), _)| *n == name) {
                let _ = writeln!(out, "{name}{} {value}", render_labels(labels, None));
            }
        }
        let name = "onboarding_http_request_duration_seconds";
        let _ = writeln!(out, "# HELP {name} Time to answer, by route.\n# TYPE {name} histogram");
        for (labels, histogram) in lock(&self.latencies).iter() {
            for (bound, count) in LATENCY_BUCKETS.iter().zip(histogram.buckets) {
                let le = bound.to_string();
                let _ = writeln!(out, "{name}_bucket{} {count}", render_labels(labels, Some(&le)));
            }
            let all = histogram.count;
            let _ = writeln!(out, "{name}_bucket{} {all}", render_labels(labels, Some("+Inf")));
            let _ = writeln!(out, "{name}_sum{} {}", render_labels(labels, None), histogram.sum);
            let _ = writeln!(out, "{name}_count{} {all}", render_labels(labels, None));
        }
        for (name, help, value) in gauges {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        }
        out
    }
}

fn render_labels(labels: &Labels, le: Option<&str>) -> String {
    let mut parts: Vec<String> = labels
        .iter()
        .map(|(key, value)| format!("{key}=\"{}\"", escape(value)))
        .collect();
    if let Some(le) = le {
        parts.push(format!("le=\"{le}\""));
    }
    match parts.is_empty() {
        true => String::new(),
        false => format!("{{{}}}", parts.join(",")),
    }
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_gauges() {
        let metrics = Metrics::default();
        metrics.count("onboarding_handoffs_total", &[("event", "minted")]);
        metrics.observe_request("/api/users", "POST", 201, Duration::from_millis(30));
        let text = metrics.render(&[("onboarding_live_sessions", "Live sessions.", 3)]);
        assert!(text.contains("onboarding_handoffs_total{event=\"minted\"} 1"), "{text}");
        assert!(text.contains("onboarding_http_requests_total{route=\"/api/users\",method=\"POST\",status=\"201\"} 1"));
        assert!(text.contains(
            "onboarding_http_request_duration_seconds_bucket{route=\"/api/users\",method=\"POST\",le=\"0.05\"} 1"
        ));
        assert!(text.contains(
            "onboarding_http_request_duration_seconds_bucket{route=\"/api/users\",method=\"POST\",le=\"0.025\"} 0"
        ));
        assert!(text.contains("onboarding_live_sessions 3"));
    }
}
