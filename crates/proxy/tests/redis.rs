//! More than one instance: sessions, handoff codes and rate-limit counters in a real `redis-server`
//! (started here on a free port; `scripts/install` installs it). Two proxies on one Redis serve one flow
//! between them, and an instance restarted mid-flow loses nothing.

mod common;

use common::*;
use onboarding_api::paths::{self, FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_api::{ExchangedTokens, Handoff, Session};
use onboarding_proxy::rate_limit::RateLimits;
use onboarding_proxy::redis_store::RedisStore;
use onboarding_proxy::store::Store;
use onboarding_proxy::{ProxyOptions, RunningProxy};
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `redis-server` of this test's own, stopped when dropped.
struct RedisServer {
    child: Child,
    url: String,
}

impl RedisServer {
    /// `None` (with a message) only if `redis-server` is not installed.
    async fn start() -> Option<RedisServer> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let spawned = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("SKIPPED: redis-server is not installed (scripts/install installs it)");
                return None;
            }
            Err(error) => panic!("cannot start redis-server: {error}"),
        };
        let server = RedisServer {
            child,
            url: format!("redis://127.0.0.1:{port}/0"),
        };
        for _ in 0..100 {
            if RedisStore::connect(&server.url, "probe:").await.is_ok() {
                return Some(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not answer on port {port}");
    }

    async fn options(&self) -> ProxyOptions {
        ProxyOptions {
            store: Some(Store::Redis(RedisStore::connect(&self.url, "test:").await.unwrap())),
            rate_limits: RateLimits::default(),
            ..Default::default()
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn log_in_on(app: &TestApp, proxy: &RunningProxy, id: &str) -> reqwest::Response {
    app.http
        .post(format!("{}{}", proxy.base_url(), paths::SESSIONS))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .json(&json!({"id": id, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
}

async fn hand_off_on(app: &TestApp, proxy: &RunningProxy, session: &str) -> reqwest::Response {
    app.http
        .post(format!("{}{}", proxy.base_url(), paths::HANDOFF))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .header(SESSION_HEADER, session)
        .send()
        .await
        .unwrap()
}

async fn exchange_on(app: &TestApp, proxy: &RunningProxy, code: &str) -> reqwest::Response {
    app.http
        .post(format!("{}{}", proxy.base_url(), paths::HANDOFF_EXCHANGE))
        .bearer_auth(PARTNER_KEY)
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn two_instances_on_one_redis_serve_one_flow_between_them() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let app = spawn_app_with_options(|_| {}, |_| {}, redis.options().await).await;
    let other = app.another_instance(redis.options().await).await;
    assert_eq!(app.create("shared").await.status(), 201);
    let session: Session = log_in_on(&app, &app.proxy, "shared").await.json().await.unwrap();
    let response = hand_off_on(&app, &other, &session.session).await;
    assert_eq!(response.status(), 200);
    let handoff: Handoff = response.json().await.unwrap();
    let response = exchange_on(&app, &app.proxy, &handoff.code).await;
    assert_eq!(response.status(), 200);
    let tokens: ExchangedTokens = response.json().await.unwrap();
    assert_eq!(app.finapi_user(&tokens.access_token).await.status(), 200);
    // Once, across instances.
    assert_eq!(exchange_on(&app, &other, &handoff.code).await.status(), 400);
}

#[tokio::test]
async fn an_instance_restarted_mid_flow_loses_nothing() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let app = spawn_app_with_options(|_| {}, |_| {}, redis.options().await).await;
    assert_eq!(app.create("restarted").await.status(), 201);
    let first = app.another_instance(redis.options().await).await;
    let session: Session = log_in_on(&app, &first, "restarted").await.json().await.unwrap();
    drop(first);
    let restarted = app.another_instance(redis.options().await).await;
    let response = hand_off_on(&app, &restarted, &session.session).await;
    assert_eq!(response.status(), 200, "the session survived the restart");
    let handoff: Handoff = response.json().await.unwrap();
    drop(restarted);
    let restarted_again = app.another_instance(redis.options().await).await;
    assert_eq!(exchange_on(&app, &restarted_again, &handoff.code).await.status(), 200);
}

#[tokio::test]
async fn rate_limits_count_across_instances() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let mut options = redis.options().await;
    options.rate_limits.per_user_id.max = 2;
    let app = spawn_app_with_options(|_| {}, |_| {}, options.clone()).await;
    let other = app.another_instance(options).await;
    assert_eq!(log_in_on(&app, &app.proxy, "counted").await.status(), 401);
    assert_eq!(log_in_on(&app, &other, "counted").await.status(), 401);
    let refused = log_in_on(&app, &app.proxy, "counted").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn an_abandoned_session_is_revoked_once_by_one_of_the_instances() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let app = spawn_app_with_options(|_| {}, |_| {}, redis.options().await).await;
    let _other = app.another_instance(redis.options().await).await;
    let session = app.signed_up_session("abandoned-shared").await;
    let token = app.users_finapi_token("abandoned-shared").await;
    app.clock.advance(Duration::from_secs(session.expires_in));
    assert!(app.until_revoked(&token).await);
    let metrics = |proxy: &RunningProxy| proxy.base_url() + "/metrics";
    let a = app
        .http
        .get(metrics(&app.proxy))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let b = app
        .http
        .get(metrics(&_other))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let revoked = |text: &str| text.contains(r#"onboarding_user_tokens_total{event="revoked"} 1"#);
    assert!(revoked(&a) ^ revoked(&b), "exactly one instance revoked it");
    assert!(a.contains("onboarding_live_sessions 0") && b.contains("onboarding_live_sessions 0"));
}

#[tokio::test]
async fn readiness_reports_a_redis_that_stopped() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let app = spawn_app_with_options(|_| {}, |_| {}, redis.options().await).await;
    assert_eq!(app.http.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    drop(redis);
    let response = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
}
