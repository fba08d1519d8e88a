//! The proxy against an emulator that fails on purpose (`[faults]`): a sign-up whose answer finAPI lost
//! neither leaves two users nor one the person cannot log in to, every failure the person sees is a code
//! the form words with a support reference, and no request hangs past the proxy's deadline.

mod common;

use common::*;
use finapi_emulator::faults::{FaultKind, FaultPlan, FaultRule, FaultWhen};
use finapi_emulator::EmulatorConfig;
use onboarding_api::{paths, ApiError, ApiErrorCode};
use serde_json::json;
use std::time::{Duration, Instant};

fn rule(endpoint: &str, probability: f64, kind: FaultKind, when: FaultWhen) -> FaultRule {
    FaultRule {
        endpoint: endpoint.parse().unwrap(),
        probability,
        kind,
        when,
    }
}

async fn app_with_faults(rules: Vec<FaultRule>, auto_verification: bool) -> TestApp {
    spawn_app_with(
        move |config: &mut EmulatorConfig| {
            config.app_clients[0].configuration.is_user_auto_verification_enabled = auto_verification;
            config.faults = FaultPlan { seed: 6, rules };
        },
        |_| {},
    )
    .await
}

/// A failure as the person sees it: a code the form words, and the support reference.
async fn failure(response: reqwest::Response) -> ApiError {
    let status = response.status();
    let header_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let error: ApiError = response.json().await.expect("an ApiError body");
    assert_eq!(error.request_id.as_deref(), Some(header_id.as_str()), "{status}");
    error
}

/// The mandator's users, read with the admin client while the faults are off.
async fn users_at_finapi(app: &TestApp) -> Vec<String> {
    let faults = app.emulator.faults();
    let was = faults.is_enabled();
    faults.set_enabled(false);
    let base = app.emulator.base_url();
    let token: serde_json::Value = app
        .http
        .post(format!("{base}/api/v2/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "onboarding-dev-admin"),
            ("client_secret", "dev-admin-secret-change-me"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list: finapi::PageableUserInfoList = app
        .http
        .get(format!("{base}/api/v2/mandatorAdmin/getUserList?perPage=500"))
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    faults.set_enabled(was);
    list.users.into_iter().map(|user| user.user_id).collect()
}

#[tokio::test]
async fn a_create_whose_answer_was_lost_is_taken_over_on_the_persons_retry() {
    // Every create is processed and its answer replaced by a 503, the proxy's own retry included.
    let app = app_with_faults(
        vec![rule(
            "POST /api/v2/users",
            1.0,
            FaultKind::Status(503),
            FaultWhen::After,
        )],
        true,
    )
    .await;
    let error = failure(app.create("jane").await).await;
    assert_eq!(error.error, ApiErrorCode::FinapiUnavailable);
    assert_eq!(users_at_finapi(&app).await, ["jane"]);
    // finAPI is back; the person submits the same form again.
    app.emulator.faults().set_enabled(false);
    let retried = app.create("jane").await;
    assert_eq!(retried.status(), 201);
    assert_eq!(retried.json::<serde_json::Value>().await.unwrap()["id"], "jane");
    assert_eq!(app.log_in("jane", PASSWORD).await.status(), 200);
    assert_eq!(users_at_finapi(&app).await, ["jane"]);
}

#[tokio::test]
async fn a_lost_answer_is_taken_over_only_with_the_same_password() {
    let app = app_with_faults(
        vec![rule("POST /api/v2/users", 1.0, FaultKind::Reset, FaultWhen::After)],
        true,
    )
    .await;
    assert_eq!(
        failure(app.create("jane").await).await.error,
        ApiErrorCode::FinapiUnavailable
    );
    app.emulator.faults().set_enabled(false);
    let other_password = app
        .create_user(json!({"id": "jane", "password": "another password entirely"}))
        .await;
    assert_eq!(failure(other_password).await.error, ApiErrorCode::UserIdTaken);
    // The id in another case is the same finAPI user.
    assert_eq!(
        app.create_user(json!({"id": "JANE", "password": PASSWORD}))
            .await
            .status(),
        201
    );
    assert_eq!(users_at_finapi(&app).await, ["jane"]);
}

#[tokio::test]
async fn a_stranger_signing_up_with_a_taken_id_gets_user_id_taken_and_costs_no_login_attempt() {
    let app = app_with_faults(Vec::new(), true).await;
    assert_eq!(app.create("jane").await.status(), 201);
    // maxUserLoginAttempts is 3: were the password grant tried, jane would be locked now.
    for n in 0..4 {
        let response = app
            .create_user(json!({"id": "jane", "password": format!("guessed password {n}")}))
            .await;
        assert_eq!(failure(response).await.error, ApiErrorCode::UserIdTaken);
    }
    // A sign-up that went through is done: submitted again, the id is taken (the person logs in).
    assert_eq!(failure(app.create("jane").await).await.error, ApiErrorCode::UserIdTaken);
    assert_eq!(app.log_in("jane", PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_sign_up_whose_verification_failed_is_finished_on_the_retry() {
    let app = app_with_faults(
        vec![rule(
            "POST /api/v2/users/verify/{userId}",
            1.0,
            FaultKind::Status(502),
            FaultWhen::Before,
        )],
        false,
    )
    .await;
    assert_eq!(
        failure(app.create("jane").await).await.error,
        ApiErrorCode::FinapiUnavailable
    );
    app.emulator.faults().set_enabled(false);
    assert_eq!(app.create("jane").await.status(), 201);
    assert_eq!(app.log_in("jane", PASSWORD).await.status(), 200);
    assert_eq!(users_at_finapi(&app).await, ["jane"]);
}

#[tokio::test]
async fn a_quick_uncertain_failure_is_retried_inside_the_proxy() {
    // Half the creates fail before or after being processed; each sign-up gets one retry inside the proxy,
    // the person up to two more.
    let app = app_with_faults(
        vec![
            rule("POST /api/v2/users", 0.25, FaultKind::Reset, FaultWhen::Before),
            rule("POST /api/v2/users", 0.25, FaultKind::Status(500), FaultWhen::After),
        ],
        false,
    )
    .await;
    let mut first_try = 0;
    for n in 0..30 {
        let id = format!("person-{n}");
        let mut outcome = None;
        for attempt in 0..3 {
            let response = app.create(&id).await;
            if response.status() == 201 {
                first_try += usize::from(attempt == 0);
                outcome = Some(201);
                break;
            }
            assert_eq!(failure(response).await.error, ApiErrorCode::FinapiUnavailable);
        }
        if outcome.is_none() {
            // Gave up: finAPI may or may not have the user; a later sign-up must still work.
            app.emulator.faults().set_enabled(false);
            assert_eq!(app.create(&id).await.status(), 201, "{id}");
            app.emulator.faults().set_enabled(true);
        }
    }
    assert!(first_try >= 15, "{first_try} of 30 at the first try");
    let mut users = users_at_finapi(&app).await;
    users.sort();
    let mut expected: Vec<String> = (0..30).map(|n| format!("person-{n}")).collect();
    expected.sort();
    assert_eq!(users, expected);
    app.emulator.faults().set_enabled(false);
    for id in &expected {
        assert_eq!(app.log_in(id, PASSWORD).await.status(), 200, "{id}");
    }
}

#[tokio::test]
async fn a_stalled_finapi_is_a_translated_failure_within_the_deadline() {
    let app = app_with_faults(
        vec![rule(
            "POST /api/v2/users",
            1.0,
            FaultKind::Stall(Duration::from_secs(40)),
            FaultWhen::After,
        )],
        true,
    )
    .await;
    let started = Instant::now();
    let response = app.create("jane").await;
    let took = started.elapsed();
    assert_eq!(response.status(), 503);
    assert_eq!(failure(response).await.error, ApiErrorCode::FinapiUnavailable);
    assert!(took < Duration::from_secs(26), "{took:?}");
    app.emulator.faults().set_enabled(false);
    assert_eq!(app.create("jane").await.status(), 201);
    assert_eq!(users_at_finapi(&app).await, ["jane"]);
}

#[tokio::test]
async fn a_slow_body_and_a_reset_token_endpoint_are_survived_or_translated() {
    let app = app_with_faults(
        vec![rule(
            "POST /api/v2/users",
            1.0,
            FaultKind::SlowBody(Duration::from_millis(600)),
            FaultWhen::After,
        )],
        true,
    )
    .await;
    assert_eq!(app.create("jane").await.status(), 201);

    let app = app_with_faults(
        vec![rule(
            "POST /api/v2/oauth/token",
            1.0,
            FaultKind::Reset,
            FaultWhen::Before,
        )],
        true,
    )
    .await;
    for response in [
        app.create("john").await,
        app.log_in("john", PASSWORD).await,
        app.form_post(paths::PASSWORD_RESETS)
            .json(&json!({"id": "john"}))
            .send()
            .await
            .unwrap(),
    ] {
        if response.status().is_success() {
            continue; // a reset request answers 202 whatever happens (it does not tell whether an id exists)
        }
        assert_eq!(response.status(), 503);
        assert_eq!(failure(response).await.error, ApiErrorCode::FinapiUnavailable);
    }
}
