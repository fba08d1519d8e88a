//! Rule 9: whenever a user is deleted (by the user, by a client, by the mandator admin), every client of
//! the mandator with a `userSynchronizationCallbackUrl` gets `{"userId": …, "event": "DELETED"}`, the
//! deleting client included; a slow or failing receiver neither blocks nor fails the deletion.

mod common;

use common::*;
use finapi_emulator::{ClientCredentials, EmulatorConfig};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

const SECOND_ID: &str = "second-app";
const SECOND_SECRET: &str = "second-secret";

/// Two app clients, each with its own callback receiver (real axum servers on random ports), and an
/// admin client.
async fn mandator_with_receivers() -> (TestEmulator, UnboundedReceiver<Value>, UnboundedReceiver<Value>) {
    let (first_url, first) = callback_receiver().await;
    let (second_url, second) = callback_receiver().await;
    let mut config = EmulatorConfig::development();
    config.app_clients[0].configuration.is_user_auto_verification_enabled = false;
    config.app_clients[0].configuration.user_synchronization_callback_url = Some(first_url);
    let mut other = config.app_clients[0].clone();
    other.credentials = ClientCredentials::new(SECOND_ID, SECOND_SECRET);
    other.configuration.user_synchronization_callback_url = Some(second_url);
    config.app_clients.push(other);
    (start_with(config).await, first, second)
}

async fn expect_deleted(receiver: &mut UnboundedReceiver<Value>, user_id: &str) {
    assert_eq!(
        next_body(receiver).await,
        json!({"userId": user_id, "event": "DELETED"})
    );
}

#[tokio::test]
async fn every_client_hears_of_a_user_deleting_itself() {
    let (emu, mut first, mut second) = mandator_with_receivers().await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id": "Jane", "password": "secret1"}))
        .await;
    emu.send(Method::POST, "/api/v2/users/verify/jane", Some(&client), None)
        .await;
    let user: finapi::AccessToken = emu.password_grant("jane", "secret1").await.json().await.unwrap();
    let deleted = emu
        .send(Method::DELETE, "/api/v2/users", Some(&user.access_token), None)
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    // The id as created, to the deleting user's client and to the other one, once each (the admin client
    // has no URL of its own: it does not inherit the app client's).
    expect_deleted(&mut first, "Jane").await;
    expect_deleted(&mut second, "Jane").await;
    // Proving an absence needs a short real wait (not an expiry: the callbacks are already on their way).
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        first.try_recv().is_err() && second.try_recv().is_err(),
        "one callback per client"
    );
}

#[tokio::test]
async fn every_client_hears_of_a_client_deleting_an_unverified_user() {
    let (emu, mut first, mut second) = mandator_with_receivers().await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id": "jane"})).await;
    let other = emu.client_token_as(SECOND_ID, SECOND_SECRET).await.access_token;
    let deleted = emu.send(Method::DELETE, "/api/v2/users/JANE", Some(&other), None).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    expect_deleted(&mut first, "jane").await;
    expect_deleted(&mut second, "jane").await;
}

#[tokio::test]
async fn every_client_hears_of_the_mandator_admin_deleting_users() {
    let (emu, mut first, mut second) = mandator_with_receivers().await;
    let client = emu.client_token().await;
    emu.create_user(Some(&client), json!({"id": "jane"})).await;
    emu.create_user(Some(&client), json!({"id": "john"})).await;
    let admin = emu.admin_token().await;
    // The admin client may have a URL of its own too.
    let (admin_url, mut admin_receiver) = callback_receiver().await;
    emu.send(
        Method::PATCH,
        "/api/v2/clientConfiguration",
        Some(&admin),
        Some(json!({"userSynchronizationCallbackUrl": admin_url})),
    )
    .await;
    let response = emu
        .send(
            Method::POST,
            "/api/v2/mandatorAdmin/deleteUsers",
            Some(&admin),
            Some(json!({"userIds": ["jane", "john", "nobody"]})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    for receiver in [&mut first, &mut second, &mut admin_receiver] {
        let mut users = vec![next_body(receiver).await, next_body(receiver).await];
        users.sort_by_key(|body| body["userId"].as_str().unwrap().to_owned());
        assert_eq!(
            users,
            [
                json!({"userId": "jane", "event": "DELETED"}),
                json!({"userId": "john", "event": "DELETED"})
            ]
        );
    }
}

/// A receiver that accepts the connection and never answers.
async fn stalling_receiver() -> String {
    let app = axum::Router::new().route(
        "/finapi/callback",
        axum::routing::post(|| async {
            std::future::pending::<()>().await;
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/finapi/callback", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

#[tokio::test]
async fn a_stalling_or_failing_receiver_does_not_hold_up_the_deletion() {
    let stalling = stalling_receiver().await;
    // A port nothing listens on: bind, note the port, close.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let (working_url, mut working) = callback_receiver().await;
    let mut config = EmulatorConfig::development();
    config.app_clients[0].configuration.user_synchronization_callback_url = Some(stalling);
    for (i, url) in [format!("http://{closed}/cb"), working_url].into_iter().enumerate() {
        let mut other = config.app_clients[0].clone();
        other.credentials = ClientCredentials::new(format!("app-{i}"), "secret");
        other.configuration.user_synchronization_callback_url = Some(url);
        config.app_clients.push(other);
    }
    let emu = start_with(config).await;
    let user = emu.new_user_token("jane", "secret1").await;
    let started = Instant::now();
    let deleted = emu.send(Method::DELETE, "/api/v2/users", Some(&user), None).await;
    assert_eq!(deleted.status(), StatusCode::OK);
    // The callback timeout is 10 s; the deletion answers long before it.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    expect_deleted(&mut working, "jane").await;
    // And the emulator keeps serving while the stalled callback waits.
    assert_eq!(
        emu.password_grant("jane", "secret1").await.status(),
        StatusCode::BAD_REQUEST
    );
}
