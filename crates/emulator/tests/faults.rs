//! Fault injection (`[faults]`, `src/faults.rs`): each kind, before and after the handler, over real HTTP.
//! Every rule here has probability 1 on `POST /api/v2/users`, so the rest of the API (tokens, the
//! verification status that tells whether a user was created) answers normally.

mod common;

use common::*;
use finapi_emulator::faults::{Endpoint, FaultKind, FaultPlan, FaultRule, FaultWhen};
use finapi_emulator::EmulatorConfig;
use reqwest::StatusCode;
use serde_json::json;
use std::time::{Duration, Instant};

fn with_fault(kind: FaultKind, when: FaultWhen) -> EmulatorConfig {
    let mut config = EmulatorConfig::development();
    config.faults = FaultPlan {
        seed: 1,
        rules: vec![FaultRule {
            endpoint: "POST /api/v2/users".parse::<Endpoint>().unwrap(),
            probability: 1.0,
            kind,
            when,
        }],
    };
    config
}

/// Whether `id` exists, asked through an endpoint without faults.
async fn exists(emulator: &TestEmulator, id: &str) -> bool {
    let token = emulator.client_token().await;
    let response = emulator
        .get(&format!("/api/v2/users/verificationStatus?userId={id}"), Some(&token))
        .await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::NOT_FOUND => false,
        other => panic!("verificationStatus answered {other}"),
    }
}

async fn create(emulator: &TestEmulator, id: &str) -> Result<reqwest::Response, reqwest::Error> {
    let token = emulator.client_token().await;
    emulator
        .http
        .post(emulator.url("/api/v2/users"))
        .bearer_auth(token)
        .json(&json!({"id": id, "password": "secret-password"}))
        .timeout(Duration::from_secs(5))
        .send()
        .await
}

#[tokio::test]
async fn a_status_before_the_handler_leaves_nothing_behind() {
    let emulator = start_with(with_fault(FaultKind::Status(503), FaultWhen::Before)).await;
    let response = create(&emulator, "jane").await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["x-emulator-fault"], "status");
    assert!(response.headers().get("x-request-id").is_none());
    assert!(!exists(&emulator, "jane").await);
    assert_eq!(emulator.emulator.faults().injected().status, 1);
}

#[tokio::test]
async fn a_status_after_the_handler_loses_the_answer_of_a_created_user() {
    let emulator = start_with(with_fault(FaultKind::Status(500), FaultWhen::After)).await;
    let response = create(&emulator, "jane").await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(exists(&emulator, "jane").await);
}

#[tokio::test]
async fn a_reset_closes_the_connection_without_an_answer() {
    for (when, created) in [(FaultWhen::Before, false), (FaultWhen::After, true)] {
        let emulator = start_with(with_fault(FaultKind::Reset, when)).await;
        let error = create(&emulator, "jane").await.expect_err("no answer");
        assert!(error.status().is_none(), "{error:?}");
        assert!(!error.is_timeout(), "{error:?}");
        assert_eq!(exists(&emulator, "jane").await, created, "{when:?}");
        assert_eq!(emulator.emulator.faults().injected().reset, 1);
    }
}

#[tokio::test]
async fn a_stall_delays_the_answer() {
    let emulator = start_with(with_fault(
        FaultKind::Stall(Duration::from_millis(600)),
        FaultWhen::Before,
    ))
    .await;
    let started = Instant::now();
    let response = create(&emulator, "jane").await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(started.elapsed() >= Duration::from_millis(600));
}

#[tokio::test]
async fn a_stall_after_the_handler_outlasts_a_client_timeout_with_the_user_created() {
    let emulator = start_with(with_fault(FaultKind::Stall(Duration::from_secs(3)), FaultWhen::After)).await;
    let token = emulator.client_token().await;
    let error = emulator
        .http
        .post(emulator.url("/api/v2/users"))
        .bearer_auth(token)
        .json(&json!({"id": "jane", "password": "secret-password"}))
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("the client gives up");
    assert!(error.is_timeout(), "{error:?}");
    assert!(exists(&emulator, "jane").await);
    assert_eq!(emulator.emulator.faults().injected().stall, 1);
}

#[tokio::test]
async fn a_slow_body_trickles_the_real_answer() {
    let emulator = start_with(with_fault(
        FaultKind::SlowBody(Duration::from_millis(800)),
        FaultWhen::Before,
    ))
    .await;
    let started = Instant::now();
    let response = create(&emulator, "jane").await.unwrap();
    let headers_after = started.elapsed();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["x-emulator-fault"], "slow-body");
    let user: finapi::User = response.json().await.unwrap();
    assert_eq!(user.id, "jane");
    assert!(headers_after < Duration::from_millis(500), "{headers_after:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn faults_can_be_switched_off_and_other_endpoints_are_untouched() {
    let emulator = start_with(with_fault(FaultKind::Status(503), FaultWhen::Before)).await;
    // The token endpoint has no rule.
    let token = emulator.client_token().await;
    assert!(!token.is_empty());
    emulator.emulator.faults().set_enabled(false);
    assert_eq!(create(&emulator, "jane").await.unwrap().status(), StatusCode::CREATED);
    emulator.emulator.faults().set_enabled(true);
    assert_eq!(
        create(&emulator, "john").await.unwrap().status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(emulator.emulator.faults().injected().total(), 1);
}

#[tokio::test]
async fn a_quarter_of_requests_fail_with_probability_one_quarter() {
    let mut config = with_fault(FaultKind::Status(502), FaultWhen::Before);
    config.faults.rules[0].probability = 0.25;
    let emulator = start_with(config).await;
    let token = emulator.client_token().await;
    let mut failed = 0;
    for n in 0..200 {
        let response = emulator
            .create_user(
                Some(&token),
                json!({"id": format!("user-{n}"), "password": "secret-password"}),
            )
            .await;
        match response.status() {
            StatusCode::CREATED => {}
            StatusCode::BAD_GATEWAY => failed += 1,
            other => panic!("{other}"),
        }
    }
    assert!((25..=75).contains(&failed), "{failed} of 200");
    assert_eq!(emulator.emulator.faults().injected().status, failed);
}

const MINIMAL: &str = r#"
[[app_clients]]
client_id = "app"
client_secret = "app-secret"
data_decryption_key = "5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a"
"#;

#[test]
fn the_example_files_fault_block_parses_when_uncommented() {
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/emulator.example.toml")).unwrap();
    let block_start = example.find("# [faults]").expect("the example shows [faults]");
    let uncommented: String = example[block_start..]
        .lines()
        .map(|line| line.strip_prefix("# ").unwrap_or(line.trim_start_matches('#')))
        .collect::<Vec<_>>()
        .join("\n");
    let config = EmulatorConfig::from_toml(&format!("{MINIMAL}\n{uncommented}")).unwrap();
    assert_eq!(config.faults.seed, 42);
    let kinds: Vec<FaultKind> = config.faults.rules.iter().map(|rule| rule.kind).collect();
    assert_eq!(
        kinds,
        vec![
            FaultKind::Status(503),
            FaultKind::Reset,
            FaultKind::Stall(Duration::from_secs(25)),
            FaultKind::SlowBody(Duration::from_secs(3)),
        ]
    );
    assert_eq!(config.faults.rules[0].when, FaultWhen::After);
    assert_eq!(config.faults.rules[2].when, FaultWhen::Before);
    // The example file itself, as shipped, injects nothing.
    assert!(EmulatorConfig::from_toml(&example).unwrap().faults.rules.is_empty());
}

#[test]
fn bad_fault_rules_are_named() {
    let rule = |body: &str| format!("{MINIMAL}\n[faults]\n[[faults.rules]]\n{body}\n");
    let cases = [
        ("endpoint = \"POST /api/v2/users\"\nprobability = 0.1", "give one of"),
        (
            "endpoint = \"POST /api/v2/users\"\nprobability = 0.1\nstatus = 503\nreset = true",
            "only one",
        ),
        (
            "endpoint = \"POST /api/v2/users\"\nprobability = 0.1\nstatus = 404",
            "500",
        ),
        (
            "endpoint = \"POST /api/v2/users\"\nprobability = 1.5\nstatus = 503",
            "probability",
        ),
        (
            "endpoint = \"/api/v2/users\"\nprobability = 0.1\nstatus = 503",
            "METHOD /path",
        ),
        (
            "endpoint = \"POST /x\"\nprobability = 0.1\nstall_seconds = -1",
            "stall_seconds",
        ),
        (
            "endpoint = \"POST /x\"\nprobability = 0.1\nstatus = 503\nwhen = \"later\"",
            "later",
        ),
        (
            "endpoint = \"POST /x\"\nprobability = 0.1\nstatus = 503\nstatuss = 1",
            "statuss",
        ),
    ];
    for (body, expected) in cases {
        let error = EmulatorConfig::from_toml(&rule(body)).unwrap_err().to_string();
        assert!(error.contains(expected), "{body:?}: {error}");
        if !expected.contains("later") && !expected.contains("statuss") {
            assert!(error.contains("faults.rules[0]"), "{body:?}: {error}");
        }
    }
}
