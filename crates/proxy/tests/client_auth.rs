//! Step 1, client auth, on its own: the token cache against the emulator.

mod common;

use common::*;
use finapi::GrantType;
use onboarding_proxy::request_id::RequestId;
use secrecy::ExposeSecret;

#[tokio::test]
async fn fifty_concurrent_token_requests_cause_one_request_to_finapi() {
    let app = spawn_app().await;
    let client_auth = app.proxy.state.client_auth.clone();
    let requests = (0..50).map(|_| {
        let client_auth = client_auth.clone();
        tokio::spawn(async move {
            client_auth
                .client_token(&RequestId::generate())
                .await
                .unwrap()
                .expose_secret()
                .to_owned()
        })
    });
    let tokens: Vec<String> = futures::future::join_all(requests)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert!(
        tokens.windows(2).all(|pair| pair[0] == pair[1]),
        "everyone got the same token"
    );
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 1);
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_it_expires() {
    let app = spawn_app().await;
    let client_auth = &app.proxy.state.client_auth;
    let id = RequestId::generate();
    let first = client_auth.client_token(&id).await.unwrap().expose_secret().to_owned();
    app.clock.advance(std::time::Duration::from_secs(3600 - 61));
    assert_eq!(client_auth.client_token(&id).await.unwrap().expose_secret(), first);
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 1);
    app.clock.advance(std::time::Duration::from_secs(2));
    let renewed = client_auth.client_token(&id).await.unwrap().expose_secret().to_owned();
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 2);

    // finAPI answered the early renewal with the same token and its last 59 seconds: the proxy keeps it
    // to its real end instead of asking again and again as that end nears.
    assert_eq!(renewed, first);
    for _ in 0..5 {
        app.clock.advance(std::time::Duration::from_secs(11));
        assert_eq!(client_auth.client_token(&id).await.unwrap().expose_secret(), first);
    }
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 2);
    app.clock.advance(std::time::Duration::from_secs(5));
    let next = client_auth.client_token(&id).await.unwrap().expose_secret().to_owned();
    assert_ne!(next, first, "a new token once the old one has really expired");
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 3);
}
