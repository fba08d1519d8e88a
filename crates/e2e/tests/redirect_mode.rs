//! Redirect mode, in a real browser against the release build: a partner that does not embed the form
//! sends the person to it with `?return_url=…&state=…`; the person signs up and logs in and lands back on
//! the partner's page with the handoff code and the state, and the partner's server redeems the code. A
//! person who cancels lands back with `error=access_denied`. A `return_url` the tenant does not allow
//! starts nothing: the form is no open redirect.

mod support;

use fantoccini::Client;
use onboarding_proxy::tenants::TenantExtras;
use onboarding_proxy::ProxyOptions;
use support::browser::{find, in_browser, sign_up_and_log_in, wait_for_text, WAIT};
use support::recording_proxy::RecordingProxy;
use support::stack::Stack;

const PASSWORD: &str = "e2e correct horse battery";
/// Opaque to the form: characters that need encoding must come back unchanged.
const STATE: &str = "csrf-7 x&y=z/ü";

/// The proxy allows exactly the partner's `/onboarding/back`.
async fn stack_returning_to_partner() -> Stack {
    Stack::start_with(|context| ProxyOptions {
        default_tenant: TenantExtras {
            allowed_return_urls: vec![format!("{}/onboarding/back", context.partner_origin)],
            ..TenantExtras::default()
        },
        ..ProxyOptions::default()
    })
    .await
}

fn return_url(stack: &Stack) -> String {
    format!("{}/onboarding/back", stack.partner.public_origin)
}

fn form_address(stack: &Stack, return_url: &str) -> String {
    let mut address = url::Url::parse(&stack.form_url()).unwrap();
    address
        .query_pairs_mut()
        .append_pair("lang", "en")
        .append_pair("return_url", return_url)
        .append_pair("state", STATE);
    address.to_string()
}

/// Waits until the browser is at an address starting with `prefix`, and returns it.
async fn wait_for_address(client: &Client, prefix: &str) -> url::Url {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let current = client.current_url().await.unwrap();
        if current.as_str().starts_with(prefix) {
            return current;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never left for {prefix}; at {current}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn query(address: &url::Url, name: &str) -> Option<String> {
    address
        .query_pairs()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_sent_by_redirect_comes_back_with_the_code_and_the_state() {
    let stack = stack_returning_to_partner().await;
    let recorder = RecordingProxy::start().await;
    let user_id = format!("e2e-redirect-{}", std::process::id());
    let (form, back) = (form_address(&stack, &return_url(&stack)), return_url(&stack));
    let proxy_url = stack.proxy.base_url();
    let partner_key = stack.partner_key.clone();
    in_browser(recorder.addr, move |client| async move {
        client.goto(&form).await.unwrap();
        let cancel = wait_for_text(&client, "#cancel", |t| !t.is_empty()).await;
        let partner_host = url::Url::parse(&back).unwrap().host_str().unwrap().to_owned();
        assert!(
            cancel.contains(&partner_host),
            "the way back names the partner: {cancel}"
        );

        sign_up_and_log_in(&client, &user_id, PASSWORD).await;

        let landed = wait_for_address(&client, &back).await;
        assert_eq!(
            query(&landed, "state").as_deref(),
            Some(STATE),
            "the state comes back unchanged"
        );
        let code = query(&landed, "code").expect("the handoff code in the redirect");
        assert_eq!(query(&landed, "error"), None);
        for secret in [PASSWORD, user_id.as_str()] {
            assert!(
                !landed.as_str().contains(secret),
                "nothing the person typed is in the address"
            );
        }

        // The partner's server redeems the code, as in the framed flow.
        let exchanged: serde_json::Value = reqwest::Client::new()
            .post(format!("{proxy_url}/api/handoff/exchange"))
            .bearer_auth(&partner_key)
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(exchanged["userId"], user_id.as_str());
        assert!(exchanged["access_token"].as_str().is_some_and(|t| !t.is_empty()));

        // Back from the partner: a fresh form (the step history of this visit), never the spent handoff.
        client.back().await.unwrap();
        find(&client, "main h1").await;
        assert!(
            client.find(fantoccini::Locator::Css("#done")).await.is_err(),
            "no way back into the handoff"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_cancels_comes_back_without_an_account_and_a_foreign_return_url_starts_nothing() {
    let stack = stack_returning_to_partner().await;
    let recorder = RecordingProxy::start().await;
    let (form, back) = (form_address(&stack, &return_url(&stack)), return_url(&stack));
    let foreign = form_address(&stack, "https://evil.example/steal");
    let near_miss = form_address(&stack, &format!("{back}/../../elsewhere"));
    in_browser(recorder.addr, move |client| async move {
        client.goto(&form).await.unwrap();
        find(&client, "#go-to-log-in").await.click().await.unwrap();
        find(&client, "#cancel").await.click().await.unwrap();
        let landed = wait_for_address(&client, &back).await;
        assert_eq!(query(&landed, "error").as_deref(), Some("access_denied"));
        assert_eq!(
            query(&landed, "status").as_deref(),
            Some("log_in"),
            "where the person left"
        );
        assert_eq!(query(&landed, "state").as_deref(), Some(STATE));
        assert_eq!(query(&landed, "code"), None);

        for refused in [foreign, near_miss] {
            client.goto(&refused).await.unwrap();
            let message = wait_for_text(&client, "#settings-error", |t| !t.is_empty()).await;
            assert!(message.contains("can't receive you back"), "{message}");
            assert!(
                client.find(fantoccini::Locator::Css("#cancel")).await.is_err(),
                "no way out to it"
            );
            assert!(
                client.find(fantoccini::Locator::Css("#signup-id")).await.is_err(),
                "no form either"
            );
            assert!(
                client.find(fantoccini::Locator::Css("#retry")).await.is_err(),
                "trying again cannot help"
            );
        }
    })
    .await;
}
