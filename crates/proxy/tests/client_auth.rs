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
async fn a_token_is_used_to_its_end_and_then_one_new_one_is_asked_for() {
    let app = spawn_app().await;
    let client_auth = &app.proxy.state.client_auth;
    let id = RequestId::generate();
    let first = client_auth.client_token(&id).await.unwrap().expose_secret().to_owned();
    // finAPI would answer an earlier request with this same token: asking before its end gains nothing.
    for _ in 0..5 {
        app.clock.advance(std::time::Duration::from_secs(719));
        assert_eq!(client_auth.client_token(&id).await.unwrap().expose_secret(), first);
    }
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 1);
    app.clock.advance(std::time::Duration::from_secs(6));
    let next = client_auth.client_token(&id).await.unwrap().expose_secret().to_owned();
    assert_ne!(next, first, "a new token once the old one has expired");
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 2);
}

#[tokio::test]
async fn a_call_that_meets_the_tokens_end_is_retried_once_with_a_new_token() {
    let app = spawn_app().await;
    let client_auth = &app.proxy.state.client_auth;
    let id = RequestId::generate();
    let first = client_auth.client_token(&id).await.unwrap().expose_secret().to_owned();
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let clock = &app.clock;
    let used = client_auth
        .with_client_token(&id, |token| {
            let attempt = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let first = first.clone();
            let clock = clock.clone();
            async move {
                if attempt == 0 {
                    assert_eq!(token.expose_secret(), first);
                    // As finAPI answers a token that expired on the way.
                    clock.advance(std::time::Duration::from_secs(3601));
                    return Err(onboarding_proxy::finapi_client::FinapiError::Unauthorized {
                        error: "invalid_token".into(),
                    });
                }
                Ok(token.expose_secret().to_owned())
            }
        })
        .await
        .unwrap();
    assert_ne!(used, first);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(app.emulator.stats().token_requests(GrantType::ClientCredentials), 2);
}
