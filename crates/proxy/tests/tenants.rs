//! Tenants: several partners in one deployment, each under `/t/{tenant}/` with its own finAPI client,
//! partner key, parent origins, return URLs, theme and support contact; the default tenant stays as it was.

mod common;

use common::*;
use finapi::ClientConfiguration;
use finapi_emulator::config::{AppClient, ClientCredentials as EmulatorCredentials};
use finapi_emulator::data_encryption::DataDecryptionKey;
use onboarding_api::paths::{FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_proxy::tenants::{self, TenantConfig};
use onboarding_proxy::ProxyOptions;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const ACME_KEY: &str = "acme-partner-key-0123456789-abcdefghijklm";
const ACME_ORIGIN: &str = "https://shop.acme.example";
const ACME_RETURN: &str = "https://shop.acme.example/onboarding/done";

fn acme_file() -> String {
    let digest: String = Sha256::digest(ACME_KEY.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        r##"
[[tenants]]
id = "acme"
client_id = "acme-app"
client_secret = "acme-app-secret"
partner_key_sha256 = "{digest}"
allowed_parent_origins = ["{ACME_ORIGIN}"]
[tenants.extras]
allowed_return_urls = ["{ACME_RETURN}"]
support_contact = "help@acme.example"
[tenants.extras.theme]
display_name = "ACME Shop"
primary_color = "#aa3300"
[tenants.extras.web_form]
bank_connection_name = "ACME account"
"##
    )
}

async fn two_tenants() -> TestApp {
    let options = ProxyOptions {
        tenants: tenants::parse_file(&acme_file()).unwrap(),
        ..Default::default()
    };
    spawn_app_with_options(
        |emulator| {
            let mut configuration = ClientConfiguration::sandbox_app_client();
            // Tells the tenants' clients apart in what the form sees.
            configuration.is_automatic_batch_update_enabled = true;
            emulator.app_clients.push(AppClient {
                credentials: EmulatorCredentials::new("acme-app", "acme-app-secret"),
                configuration,
                data_decryption_key: DataDecryptionKey::generate(),
            });
        },
        |_| {},
        options,
    )
    .await
}

impl TestApp {
    fn acme(&self, path: &str) -> String {
        self.url(&format!("/t/acme{path}"))
    }

    async fn acme_post(&self, path: &str, body: Value) -> reqwest::Response {
        self.http
            .post(self.acme(path))
            .header(FORM_HEADER, FORM_HEADER_VALUE)
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_tenant_uses_its_own_client_and_its_partner_key_redeems_only_its_codes() {
    let app = two_tenants().await;
    let settings: Value = app
        .http
        .get(app.acme("/api/settings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(settings["autoUpdateOffered"], true, "acme's client configuration");
    assert_eq!(settings["parentOrigins"], json!([ACME_ORIGIN]));
    let default: Value = app
        .http
        .get(app.url("/api/settings"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(default["autoUpdateOffered"], false);

    let created = app
        .acme_post("/api/users", json!({"id": "acme-user", "password": PASSWORD}))
        .await;
    assert_eq!(created.status(), 201);
    let session: Value = app
        .acme_post("/api/sessions", json!({"id": "acme-user", "password": PASSWORD}))
        .await
        .json()
        .await
        .unwrap();
    let session = session["session"].as_str().unwrap();
    let handoff = app
        .http
        .post(app.acme("/api/handoff"))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .header(SESSION_HEADER, session)
        .send()
        .await
        .unwrap();
    assert_eq!(handoff.status(), 200);
    let code = handoff.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();

    // The default tenant's partner cannot redeem it, and trying does not burn it.
    let elsewhere = app.exchange(&code, PARTNER_KEY).await;
    assert_eq!(elsewhere.status(), 400);
    let exchange = |key: &'static str| {
        app.http
            .post(app.acme("/api/handoff/exchange"))
            .bearer_auth(key)
            .json(&json!({"code": code}))
            .send()
    };
    assert_eq!(
        exchange(PARTNER_KEY).await.unwrap().status(),
        401,
        "the default key is not acme's"
    );
    let tokens: Value = exchange(ACME_KEY).await.unwrap().json().await.unwrap();
    assert_eq!(
        app.finapi_user(tokens["access_token"].as_str().unwrap()).await.status(),
        200
    );
}

#[tokio::test]
async fn a_session_is_valid_only_under_its_own_tenant() {
    let app = two_tenants().await;
    let session = app.signed_up_session("default-user").await;
    let response = app
        .http
        .post(app.acme("/api/handoff"))
        .header(FORM_HEADER, FORM_HEADER_VALUE)
        .header(SESSION_HEADER, &session.session)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(error_code(response).await, "SESSION_EXPIRED");
    assert_eq!(app.hand_off(&session.session).await.status(), 200);
}

#[tokio::test]
async fn each_tenant_is_framed_and_called_only_by_its_own_origins() {
    let app = two_tenants().await;
    let preflight = |url: String, origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,x-onboarding-form")
            .send()
    };
    let allowed = preflight(app.acme("/api/users"), ACME_ORIGIN).await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], ACME_ORIGIN);
    let other = preflight(app.acme("/api/users"), PARTNER_ORIGIN).await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let default = preflight(app.url("/api/users"), ACME_ORIGIN).await.unwrap();
    assert!(default.headers().get("access-control-allow-origin").is_none());

    let page = app.http.get(app.acme("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.ends_with(&format!("frame-ancestors {ACME_ORIGIN}")), "{csp}");
}

#[tokio::test]
async fn the_tenant_tells_the_form_its_theme_and_support_contact() {
    let app = two_tenants().await;
    let tenant: Value = app
        .http
        .get(app.acme("/api/tenant"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        tenant,
        json!({"id": "acme", "theme": {"displayName": "ACME Shop", "primaryColor": "#aa3300"},
               "supportContact": "help@acme.example", "passwordResetOffered": false})
    );
    let default: Value = app
        .http
        .get(app.url("/api/tenant"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(default["id"], "default");
}

#[tokio::test]
async fn unknown_tenants_are_404s() {
    let app = two_tenants().await;
    for path in ["/t/nobody/api/settings", "/t/nobody/", "/t/default/api/settings"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let header = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "UNKNOWN_TENANT");
        assert_eq!(body["requestId"], header.as_str(), "a support reference here too");
    }
}

#[tokio::test]
async fn only_the_tenants_return_urls_are_accepted() {
    let app = two_tenants().await;
    assert_eq!(
        app.acme_post("/api/users", json!({"id": "returner", "password": PASSWORD}))
            .await
            .status(),
        201
    );
    let session: Value = app
        .acme_post("/api/sessions", json!({"id": "returner", "password": PASSWORD}))
        .await
        .json()
        .await
        .unwrap();
    let hand_off = |return_url: &str| {
        app.http
            .post(app.acme("/api/handoff"))
            .query(&[("returnUrl", return_url)])
            .header(FORM_HEADER, FORM_HEADER_VALUE)
            .header(SESSION_HEADER, session["session"].as_str().unwrap())
            .send()
    };
    let refused = hand_off("https://evil.example/").await.unwrap();
    assert_eq!(refused.status(), 400);
    assert_eq!(error_code(refused).await, "RETURN_URL_NOT_ALLOWED");
    assert_eq!(hand_off(ACME_RETURN).await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_tenant_with_a_mandator_admin_client_is_refused_at_start_up_by_name() {
    let mut config: TenantConfig = tenants::parse_file(&acme_file()).unwrap().remove(0);
    config.client_id = "onboarding-dev-admin".into();
    config.client_secret = secrecy::SecretString::from("dev-admin-secret-change-me");
    let options = ProxyOptions {
        tenants: vec![config],
        ..Default::default()
    };
    let app = spawn_app_with_options(|_| {}, |_| {}, options).await;
    let acme = app.proxy.state.tenants.get("acme").unwrap();
    let error = onboarding_proxy::startup_check::check_tenant(&acme, &None)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("\"acme\"") && message.contains("app client"),
        "{message}"
    );
    let default = app.proxy.state.tenants.default_tenant();
    assert!(onboarding_proxy::startup_check::check_tenant(&default, &None)
        .await
        .is_ok());
}

#[test]
fn a_tenants_file_with_a_plain_partner_key_or_an_unknown_key_is_refused() {
    let plain_key = acme_file().replace("partner_key_sha256 = \"", "partner_key = \"");
    assert!(tenants::parse_file(&plain_key).is_err());
    let config =
        tenants::parse_file(&acme_file().replace(&format!("{:x}", Sha256::digest(ACME_KEY.as_bytes())), ACME_KEY))
            .unwrap();
    assert_eq!(config.len(), 1);
    let url = url::Url::parse("http://127.0.0.1:1").unwrap();
    let deployment = tenants::Deployment {
        access_url: &url,
        web_form_url: &url,
        clock: std::sync::Arc::new(finapi_emulator::clock::SystemClock),
        metrics: Default::default(),
    };
    let error = tenants::from_config(config[0].clone(), &deployment).err().unwrap();
    assert!(error.to_string().contains("partner_key_sha256"), "{error}");
}
