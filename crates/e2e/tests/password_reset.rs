//! A locked account gets back in, in a real browser against the release build: wrong passwords lock it at
//! finAPI (the emulator), the form offers a reset, the proxy emails a link (to an SMTP receiver on
//! loopback), the link opens the form on "choose a new password", and the new password logs in. And a
//! tenant's form (`/t/{tenant}/`) calls its own API, wears its colour and names its support contact.

mod support;

use fantoccini::Client;
use onboarding_proxy::mail::{MailSettings, SmtpSecurity};
use onboarding_proxy::ProxyOptions;
use secrecy::SecretString;
use smtp_receiver::SmtpReceiver;
use support::browser::{find, in_browser, type_into, wait_for_text, WAIT};
use support::recording_proxy::{Exchange, RecordingProxy};
use support::stack::Stack;

const PASSWORD: &str = "e2e correct horse battery";
const NEW_PASSWORD: &str = "e2e a brand new passphrase";

/// Waits until the input's value satisfies `ready`.
async fn wait_for_value(client: &Client, css: &str, ready: impl Fn(&str) -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let value = find(client, css).await.prop("value").await.unwrap().unwrap_or_default();
        if ready(&value) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{css} kept the value {value:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn submit(client: &Client, css: &str) {
    find(client, css).await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_user_resets_the_password_by_email_and_logs_in_with_the_new_one() {
    let smtp = SmtpReceiver::start().await;
    let smtp_port = smtp.addr.port();
    let stack = Stack::start_with(|context| ProxyOptions {
        mail: Some(MailSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: SmtpSecurity::Plaintext,
            username: None,
            password: None,
            from: "Onboarding <no-reply@onboarding.test>".into(),
            link_base: url::Url::parse(&context.proxy_url).unwrap(),
        }),
        data_decryption_key: Some(SecretString::from(finapi_emulator::config::DEV_DATA_DECRYPTION_KEY)),
        ..Default::default()
    })
    .await;
    let recorder = RecordingProxy::start().await;
    let user_id = format!("e2e-locked-{}", std::process::id());
    let form_url = format!("{}?lang=en", stack.form_url());

    // A user with an email address on file.
    let created = reqwest::Client::new()
        .post(format!("{}/api/users", stack.proxy.base_url()))
        .header(
            onboarding_api::paths::FORM_HEADER,
            onboarding_api::paths::FORM_HEADER_VALUE,
        )
        .json(&serde_json::json!({"id": user_id, "password": PASSWORD, "email": format!("{user_id}@example.com")}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    let (id, url) = (user_id.clone(), form_url.clone());
    in_browser(recorder.addr, |client| async move {
        client.goto(&url).await.unwrap();
        submit(&client, "#go-to-log-in").await;
        type_into(&client, "#log-in-id", &id).await;
        // The emulator locks a user after three wrong passwords; the fourth try is answered "locked".
        for attempt in 1..=4 {
            type_into(&client, "#log-in-password", &format!("wrong password {attempt}")).await;
            submit(&client, "#log-in-submit").await;
            wait_for_value(&client, "#log-in-password", str::is_empty).await;
        }
        let summary = wait_for_text(&client, "#error-summary", |t| t.contains("locked")).await;
        assert!(summary.contains("Reset your password to unlock it"), "{summary}");

        submit(&client, "#reset-locked").await;
        let prefilled = find(&client, "#reset-id").await.prop("value").await.unwrap();
        assert_eq!(prefilled.as_deref(), Some(id.as_str()), "the id typed is carried over");
        submit(&client, "#reset-submit").await;
        let sent = wait_for_text(&client, "#reset-sent", |t| !t.is_empty()).await;
        assert!(sent.contains("30 minutes"), "{sent}");
    })
    .await;

    let mails = smtp.until(1).await;
    assert_eq!(mails.len(), 1, "one reset email");
    assert_eq!(mails[0].to, [format!("{user_id}@example.com")]);
    let text = mails[0].text();
    let prefix = format!("{}/#reset=", stack.proxy.base_url());
    let start = text
        .find(&prefix)
        .unwrap_or_else(|| panic!("no link to the form in {text}"));
    let link: String = text[start..].chars().take_while(|c| !c.is_whitespace()).collect();

    let id = user_id.clone();
    in_browser(recorder.addr, |client| async move {
        client.goto(&link).await.unwrap();
        let title = wait_for_text(&client, "h1", |t| !t.is_empty()).await;
        // No `?lang=` in the link: the browser's language, which is English in headless Chromium.
        assert_eq!(title, "Choose a new password", "the browser's language");
        let address = client.current_url().await.unwrap();
        assert_eq!(
            address.fragment(),
            None,
            "the code does not linger in the address: {address}"
        );

        find(&client, "#language-switch option[value=de]")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "h1", |t| t == "Neues Passwort festlegen").await;
        find(&client, "#language-switch option[value=en]")
            .await
            .click()
            .await
            .unwrap();
        wait_for_text(&client, "h1", |t| t == "Choose a new password").await;
        type_into(&client, "#new-password", "short").await;
        submit(&client, "#new-password-submit").await;
        wait_for_text(&client, "#new-password-error", |t| t.contains("at least 8 characters")).await;
        type_into(&client, "#new-password", NEW_PASSWORD).await;
        submit(&client, "#new-password-submit").await;
        wait_for_text(&client, "#password-changed", |t| {
            t.contains("Your password has been changed")
        })
        .await;

        type_into(&client, "#log-in-id", &id).await;
        type_into(&client, "#log-in-password", NEW_PASSWORD).await;
        submit(&client, "#log-in-submit").await;
        let done = wait_for_text(&client, "#done", |t| !t.is_empty()).await;
        assert!(done.contains(&id), "logged in with the new password: {done}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_form_calls_its_own_api_wears_its_colour_and_names_its_support_contact() {
    let stack = Stack::start_with(|context| {
        let file = format!(
            r##"
[[tenants]]
id = "acme"
client_id = "{}"
client_secret = "{}"
# SHA-256 of "x": this test redeems no handoff.
partner_key_sha256 = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
[tenants.extras]
support_contact = "help@acme.example"
[tenants.extras.theme]
primary_color = "#aa3300"
"##,
            context.client_id, context.client_secret
        );
        ProxyOptions {
            tenants: onboarding_proxy::tenants::parse_file(&file).unwrap(),
            ..Default::default()
        }
    })
    .await;
    let recorder = RecordingProxy::start().await;
    let form_url = format!("{}t/acme/?lang=en", stack.form_url());
    in_browser(recorder.addr, |client| async move {
        client.goto(&form_url).await.unwrap();
        find(&client, "#signup-id").await;
        let brand = "return getComputedStyle(document.documentElement).getPropertyValue('--brand').trim();";
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let colour = client.execute(brand, vec![]).await.unwrap();
            if colour.as_str() == Some("#aa3300") {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the tenant's colour never came: {colour}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }

        submit(&client, "#go-to-log-in").await;
        submit(&client, "#forgot-password").await;
        // This tenant sends no reset emails: only whom to contact.
        let support = wait_for_text(&client, "#reset-support", |t| !t.is_empty()).await;
        assert_eq!(
            support,
            "Your password can't be reset here. To unlock your account, contact help@acme.example."
        );
        assert!(client.find(fantoccini::Locator::Css("#reset-id")).await.is_err());
    })
    .await;

    let api_calls: Vec<String> = recorder
        .recording
        .exchanges()
        .into_iter()
        .map(|Exchange { url, .. }| url)
        .filter(|url| url.contains("/api/"))
        .collect();
    for path in ["/t/acme/api/settings", "/t/acme/api/tenant"] {
        assert!(
            api_calls.iter().any(|url| url.ends_with(path)),
            "no {path} in {api_calls:?}"
        );
    }
    assert!(
        api_calls.iter().all(|url| url.contains("/t/acme/api/")),
        "every call goes to the tenant's API: {api_calls:?}"
    );
}
