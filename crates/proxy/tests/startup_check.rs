//! The start-up check of each tenant's finAPI client, against the emulator: a mandator admin client stops
//! the proxy; a client without the Web Form product, a callback URL or a return URL finAPI live will not
//! use, or an unreachable finAPI is a warning (logged, naming the tenant, and returned). finAPI live cannot
//! be reached from a test, so the environment is given to `check_tenant_in`; `check_tenant` takes it from
//! the finAPI URL (the emulator: the sandbox).

mod common;

use common::*;
use finapi::client_configuration::SettingProblem;
use finapi::{ClientConfiguration, FinapiEnvironment, InvalidSetting, Product};
use onboarding_proxy::startup_check::{check_tenant, check_tenant_in, StartupWarning};
use onboarding_proxy::tenants;
use onboarding_proxy::ProxyOptions;
use std::sync::OnceLock;
use FinapiEnvironment::{Live, Sandbox};

const SECRET_IN_URL: &str = "s3cret-in-the-callback-url";

/// A tenant `id` with its own app client (`acme-app`), configured by `configure`, and these return URLs.
async fn tenant_with(id: &str, configure: impl FnOnce(&mut ClientConfiguration), return_urls: &[&str]) -> TestApp {
    logs();
    let digest = sha256_hex("acme-partner-key-0123456789-abcdefghijklm");
    let return_urls: Vec<String> = return_urls.iter().map(|url| format!("{url:?}")).collect();
    let file = format!(
        r#"
[[tenants]]
id = "{id}"
client_id = "acme-app"
client_secret = "acme-app-secret"
partner_key_sha256 = "{digest}"
allowed_parent_origins = ["https://shop.acme.example"]
[tenants.extras]
allowed_return_urls = [{}]
"#,
        return_urls.join(", ")
    );
    let options = ProxyOptions {
        tenants: tenants::parse_file(&file).unwrap(),
        ..Default::default()
    };
    let mut configuration = ClientConfiguration::sandbox_app_client();
    configure(&mut configuration);
    spawn_app_with_options(
        |emulator| add_app_client(emulator, "acme-app", "acme-app-secret", configuration),
        |_| {},
        options,
    )
    .await
}

/// Every log line of this test binary: one process-wide subscriber, installed by the first test that asks
/// (a per-thread one would race with the other tests over tracing's cached interest). Tests tell their
/// lines apart by the tenant id in the start-up check's span.
fn logs() -> &'static CapturedLogs {
    static LOGS: OnceLock<CapturedLogs> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = CapturedLogs::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .init();
        logs
    })
}

/// The start-up check's warnings about `tenant`.
fn logged_warnings(tenant: &str) -> Vec<String> {
    let span = format!("start-up check{{tenant={tenant}}}");
    logs()
        .text()
        .lines()
        .filter(|line| line.contains(" WARN ") && line.contains(&span))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn an_http_callback_url_is_warned_about_against_finapi_live_only() {
    let app = tenant_with(
        "http-callback",
        |configuration| {
            configuration.user_synchronization_callback_url =
                Some(format!("http://hooks.acme.example/sync?token={SECRET_IN_URL}"));
            configuration.user_notification_callback_url = Some("https://hooks.acme.example/notify".into());
        },
        &["https://shop.acme.example/done"],
    )
    .await;
    let tenant = app.proxy.state.tenants.get("http-callback").unwrap();

    let warnings = check_tenant_in(&tenant, &None, Live).await.unwrap();
    assert_eq!(
        warnings,
        [StartupWarning::CallbackUrl(InvalidSetting::new(
            "userSynchronizationCallbackUrl",
            SettingProblem::NotACallbackUrl(Live)
        ))]
    );
    let logged = logged_warnings("http-callback");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].contains("userSynchronizationCallbackUrl") && logged[0].contains("https"),
        "{logged:?}"
    );
    assert!(!logged[0].contains(SECRET_IN_URL), "a callback URL may hold a secret");

    assert_eq!(check_tenant_in(&tenant, &None, Sandbox).await.unwrap(), []);
    assert!(check_tenant(&tenant, &None).await.is_ok(), "the emulator is a sandbox");
    assert_eq!(logged_warnings("http-callback").len(), 1, "nothing more to warn about");
}

#[tokio::test]
async fn an_http_return_url_is_warned_about_against_finapi_live_only() {
    let app = tenant_with(
        "http-return",
        |_| {},
        &["https://shop.acme.example/done", "http://shop.acme.example/plain"],
    )
    .await;
    let tenant = app.proxy.state.tenants.get("http-return").unwrap();
    assert_eq!(
        check_tenant_in(&tenant, &None, Live).await.unwrap(),
        [StartupWarning::ReturnUrl("http://shop.acme.example/plain".into())]
    );
    let logged = logged_warnings("http-return");
    assert!(
        logged.len() == 1 && logged[0].contains("http://shop.acme.example/plain"),
        "{logged:?}"
    );
    assert_eq!(check_tenant_in(&tenant, &None, Sandbox).await.unwrap(), []);
}

#[tokio::test]
async fn a_client_without_the_web_form_product_is_warned_about() {
    let app = tenant_with(
        "no-web-form",
        |configuration| configuration.products = vec![Product::Access],
        &[],
    )
    .await;
    let tenant = app.proxy.state.tenants.get("no-web-form").unwrap();
    for environment in [Sandbox, Live] {
        assert_eq!(
            check_tenant_in(&tenant, &None, environment).await.unwrap(),
            [StartupWarning::NoWebFormProduct]
        );
    }
    assert!(check_tenant(&tenant, &None).await.is_ok(), "a warning, not a refusal");
    let logged = logged_warnings("no-web-form");
    assert_eq!(logged.len(), 3, "{logged:?}");
    assert!(logged.iter().all(|line| line.contains("WEB_FORM")), "{logged:?}");
    let default = app.proxy.state.tenants.default_tenant();
    assert_eq!(
        check_tenant_in(&default, &None, Live).await.unwrap(),
        [],
        "the other tenant's client is fine"
    );
}

#[tokio::test]
async fn a_mandator_admin_client_is_refused_in_either_environment_naming_the_tenant() {
    let mut config = tenants::parse_file(
        r#"
[[tenants]]
id = "acme"
client_id = "onboarding-dev-admin"
client_secret = "dev-admin-secret-change-me"
partner_key_sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
"#,
    )
    .unwrap();
    let options = ProxyOptions {
        tenants: std::mem::take(&mut config),
        ..Default::default()
    };
    logs();
    let app = spawn_app_with_options(|_| {}, |_| {}, options).await;
    let acme = app.proxy.state.tenants.get("acme").unwrap();
    for environment in [Sandbox, Live] {
        let message = check_tenant_in(&acme, &None, environment)
            .await
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("\"acme\"") && message.contains("mandator admin client") && message.contains("app client"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_finapi_is_only_a_warning() {
    logs();
    let app = spawn_app_with(
        |_| {},
        |proxy| proxy.access_url = url::Url::parse("http://127.0.0.1:1").unwrap(),
    )
    .await;
    let default = app.proxy.state.tenants.default_tenant();
    let warnings = check_tenant_in(&default, &None, Live).await.unwrap();
    assert!(
        matches!(warnings.as_slice(), [StartupWarning::ConfigurationUnreadable(_)]),
        "{warnings:?}"
    );
    assert!(warnings[0].to_string().contains("/readyz"));
}
