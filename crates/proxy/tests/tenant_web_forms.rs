//! Issue #4, per tenant, seen from outside: the return URLs a tenant allows (`POST /api/handoff?returnUrl=`)
//! and the Web Form options it configures reach finAPI's Web Form (the emulator) as given, and nothing
//! else does. A recording stand-in for finAPI's Web Form host sits between the proxy and the emulator, so
//! the tests read exactly what finAPI received.

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use common::*;
use finapi::{ClientConfiguration, WebFormStatus};
use finapi_emulator::clock::ManualClock;
use finapi_emulator::{Emulator, EmulatorConfig};
use onboarding_api::paths::{self, FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_api::{Handoff, WebFormProgress};
use onboarding_proxy::app::CallbackSettings;
use onboarding_proxy::tenants::{self, TenantExtras, WebFormOptions};
use onboarding_proxy::ProxyOptions;
use secrecy::SecretString;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;

const ACME_KEY: &str = "acme-partner-key-0123456789-abcdefghijklm";
const ACME_ORIGIN: &str = "https://shop.acme.example";
const ACME_RETURN: &str = "https://shop.acme.example/onboarding/done";
const ACME_OTHER_RETURN: &str = "https://shop.acme.example/onboarding/again?step=bank";
const DEFAULT_RETURN: &str = "https://partner.test/welcome-back";
const BARE_KEY: &str = "bare-partner-key-0123456789-abcdefghijklm";
const IMPORT_PATH: &str = "/api/webForms/bankConnectionImport";

/// `acme` with two return URLs and both Web Form options; `bare` with neither (it shares the default
/// tenant's finAPI client).
fn tenants_file() -> String {
    let (acme, bare) = (sha256_hex(ACME_KEY), sha256_hex(BARE_KEY));
    format!(
        r##"
[[tenants]]
id = "acme"
client_id = "acme-app"
client_secret = "acme-app-secret"
partner_key_sha256 = "{acme}"
allowed_parent_origins = ["{ACME_ORIGIN}"]
[tenants.extras]
allowed_return_urls = ["{ACME_RETURN}", "{ACME_OTHER_RETURN}"]
[tenants.extras.web_form]
bank_connection_name = "ACME account"
max_days_for_download = 365

[[tenants]]
id = "bare"
client_id = "onboarding-dev-app"
client_secret = "dev-app-secret-change-me"
partner_key_sha256 = "{bare}"
allowed_parent_origins = ["https://bare.example"]
"##
    )
}

/// finAPI's Web Form host as the proxy sees it: every request is passed on to the emulator, and the
/// bodies of `POST /api/webForms/bankConnectionImport` are kept.
#[derive(Clone)]
struct RecordingWebFormHost {
    url: String,
    imports: Arc<Mutex<Vec<Value>>>,
}

#[derive(Clone)]
struct Forwarding {
    upstream: String,
    imports: Arc<Mutex<Vec<Value>>>,
    http: reqwest::Client,
}

impl RecordingWebFormHost {
    async fn spawn(upstream: String) -> Self {
        let imports = Arc::new(Mutex::new(Vec::new()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Forwarding {
            upstream,
            imports: imports.clone(),
            http: reqwest::Client::new(),
        };
        let app = axum::Router::new().fallback(forward).with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        RecordingWebFormHost { url, imports }
    }

    /// What finAPI received, oldest first.
    fn imports(&self) -> Vec<Value> {
        self.imports.lock().unwrap().clone()
    }

    fn last_import(&self) -> Value {
        self.imports().pop().expect("no Web Form was created at finAPI")
    }
}

async fn forward(
    State(forwarding): State<Forwarding>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::POST && uri.path() == IMPORT_PATH {
        let received = serde_json::from_slice(&body).unwrap_or(Value::Null);
        forwarding.imports.lock().unwrap().push(received);
    }
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut request = forwarding
        .http
        .request(method, format!("{}{path}", forwarding.upstream))
        .body(body);
    for name in [header::AUTHORIZATION, header::CONTENT_TYPE] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let content_type = answer.headers().get(header::CONTENT_TYPE).cloned();
    let mut response = (status, answer.bytes().await.unwrap()).into_response();
    if let Some(content_type) = content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    }
    response
}

struct Stack {
    app: TestApp,
    web_form_host: RecordingWebFormHost,
    /// Follows no redirect: the Web Form's 303 back to the partner is what is looked at.
    browser: reqwest::Client,
}

/// The emulator (with acme's app client), the recording Web Form host, and a proxy with callbacks on
/// its own address, the default tenant returning to [`DEFAULT_RETURN`] with 90 days of transactions,
/// and the tenants of [`tenants_file`].
async fn spawn_stack() -> Stack {
    let clock = Arc::new(ManualClock::new(OffsetDateTime::now_utc()));
    let mut emulator_config = EmulatorConfig::development();
    add_app_client(
        &mut emulator_config,
        "acme-app",
        "acme-app-secret",
        ClientConfiguration::sandbox_app_client(),
    );
    let dev_app = emulator_config.app_client().credentials.clone();
    let emulator = Emulator::spawn(emulator_config, "127.0.0.1:0".parse().unwrap(), clock.clone())
        .await
        .unwrap();
    let web_form_host = RecordingWebFormHost::spawn(emulator.base_url()).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let options = ProxyOptions {
        callbacks: Some(CallbackSettings {
            public_url: url::Url::parse(&format!("http://{}", listener.local_addr().unwrap())).unwrap(),
            secret: SecretString::from(CALLBACK_SECRET),
        }),
        default_tenant: TenantExtras {
            allowed_return_urls: vec![DEFAULT_RETURN.to_owned()],
            web_form: WebFormOptions {
                bank_connection_name: None,
                max_days_for_download: Some(90),
            },
            ..Default::default()
        },
        tenants: tenants::parse_file(&tenants_file()).unwrap(),
        ..Default::default()
    };
    let mut config = proxy_config(&emulator, &dev_app.client_id, &dev_app.client_secret);
    config.web_form_url = url::Url::parse(&web_form_host.url).unwrap();
    let proxy = onboarding_proxy::serve_with_options(listener, config, options, clock.clone()).unwrap();
    Stack {
        app: TestApp {
            emulator,
            proxy,
            clock,
            http: reqwest::Client::new(),
            client_secret: dev_app.client_secret,
        },
        web_form_host,
        browser: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
    }
}

impl Stack {
    /// `""` for the default tenant, else `/t/{tenant}`.
    fn url(&self, tenant_prefix: &str, path: &str) -> String {
        self.app.url(&format!("{tenant_prefix}{path}"))
    }

    /// Signs `id` up and logs them in under the tenant; the session handle.
    async fn session(&self, tenant_prefix: &str, id: &str) -> String {
        let post = |path: &str, body: Value| {
            self.app
                .http
                .post(self.url(tenant_prefix, path))
                .header(FORM_HEADER, FORM_HEADER_VALUE)
                .json(&body)
                .send()
        };
        let created = post(paths::USERS, json!({"id": id, "password": PASSWORD}))
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        let session: Value = post(paths::SESSIONS, json!({"id": id, "password": PASSWORD}))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        session["session"].as_str().unwrap().to_owned()
    }

    /// `POST [/t/{tenant}]/api/handoff[?returnUrl=…]`.
    async fn hand_off(&self, tenant_prefix: &str, session: &str, return_url: Option<&str>) -> reqwest::Response {
        let mut request = self
            .app
            .http
            .post(self.url(tenant_prefix, paths::HANDOFF))
            .header(FORM_HEADER, FORM_HEADER_VALUE)
            .header(SESSION_HEADER, session);
        if let Some(return_url) = return_url {
            request = request.query(&[("returnUrl", return_url)]);
        }
        request.send().await.unwrap()
    }

    async fn handoff(&self, tenant_prefix: &str, session: &str, return_url: Option<&str>) -> Handoff {
        let response = self.hand_off(tenant_prefix, session, return_url).await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// The person connects the finAPI Test Bank in the Web Form; finAPI's answer to the submission.
    async fn connect_bank(&self, web_form_url: &str) -> reqwest::Response {
        assert_eq!(self.browser.get(web_form_url).send().await.unwrap().status(), 200);
        self.browser
            .post(web_form_url)
            .form(&[("action", "connect"), ("login", "demo"), ("pin", "demo")])
            .send()
            .await
            .unwrap()
    }

    async fn refused(&self, tenant_prefix: &str, session: &str, return_url: &str) {
        let before = self.web_form_host.imports().len();
        let response = self.hand_off(tenant_prefix, session, Some(return_url)).await;
        assert_eq!(response.status(), 400, "{tenant_prefix} {return_url}");
        assert_eq!(error_code(response).await, "RETURN_URL_NOT_ALLOWED", "{return_url}");
        assert_eq!(
            self.web_form_host.imports().len(),
            before,
            "no Web Form for a refused return URL"
        );
    }
}

#[tokio::test]
async fn an_allowed_return_url_reaches_the_web_form_and_the_person_is_sent_back_to_it() {
    let stack = spawn_stack().await;
    let session = stack.session("/t/acme", "returning").await;
    let handoff = stack.handoff("/t/acme", &session, Some(ACME_OTHER_RETURN)).await;
    assert_eq!(stack.web_form_host.last_import()["redirectUrl"], ACME_OTHER_RETURN);

    let finished = stack.connect_bank(&handoff.web_form_url.unwrap()).await;
    assert_eq!(finished.status(), 303, "finAPI sends the person back");
    assert_eq!(finished.headers()[header::LOCATION], ACME_OTHER_RETURN);
}

#[tokio::test]
async fn without_a_return_url_the_tenants_first_is_used_and_a_tenant_without_any_sends_none() {
    let stack = spawn_stack().await;
    let acme = stack.session("/t/acme", "first-return").await;
    stack.handoff("/t/acme", &acme, None).await;
    assert_eq!(stack.web_form_host.last_import()["redirectUrl"], ACME_RETURN);

    let default = stack.session("", "default-return").await;
    stack.handoff("", &default, None).await;
    assert_eq!(stack.web_form_host.last_import()["redirectUrl"], DEFAULT_RETURN);

    let bare = stack.session("/t/bare", "no-return").await;
    let handoff = stack.handoff("/t/bare", &bare, None).await;
    assert!(stack.web_form_host.last_import().get("redirectUrl").is_none());
    let finished = stack.connect_bank(&handoff.web_form_url.unwrap()).await;
    assert_eq!(finished.status(), 200, "finAPI's own closing page");
    stack.refused("/t/bare", &bare, ACME_RETURN).await;
}

#[tokio::test]
async fn a_return_url_not_on_the_tenants_list_is_refused() {
    let stack = spawn_stack().await;
    let session = stack.session("/t/acme", "strict").await;
    for near_miss in [
        "https://evil.example/",
        "",
        "http://shop.acme.example/onboarding/done",
        "https://shop.acme.example/onboarding/done/",
        "https://shop.acme.example/onboarding/done?next=https://evil.example",
        "https://shop.acme.example/onboarding/done#x",
        "https://shop.acme.example/onboarding/done.evil.example",
        "https://shop.acme.example.evil.example/onboarding/done",
        "https://shop.acme.example/onboarding/again",
        "https://shop.acme.example/",
        "//shop.acme.example/onboarding/done",
        "/onboarding/done",
    ] {
        stack.refused("/t/acme", &session, near_miss).await;
    }
    // The session is untouched by the refusals.
    stack.handoff("/t/acme", &session, Some(ACME_RETURN)).await;
}

#[tokio::test]
async fn another_tenants_return_url_is_refused() {
    let stack = spawn_stack().await;
    let acme = stack.session("/t/acme", "acme-person").await;
    let default = stack.session("", "default-person").await;
    stack.refused("/t/acme", &acme, DEFAULT_RETURN).await;
    stack.refused("", &default, ACME_RETURN).await;
    stack.refused("", &default, ACME_OTHER_RETURN).await;
    stack.handoff("/t/acme", &acme, Some(ACME_RETURN)).await;
    stack.handoff("", &default, Some(DEFAULT_RETURN)).await;
}

/// Redirect mode asks `GET /api/return-url?url=` before it offers a way back: the same list, the same
/// exact match, no session needed, each tenant only its own.
#[tokio::test]
async fn redirect_mode_may_return_only_to_the_tenants_own_return_urls() {
    let stack = spawn_stack().await;
    let check = |tenant_prefix: &'static str, url: &'static str| {
        let address = stack.url(tenant_prefix, paths::RETURN_URL_CHECK);
        let http = stack.app.http.clone();
        async move { http.get(address).query(&[("url", url)]).send().await.unwrap() }
    };
    for (tenant, url) in [
        ("/t/acme", ACME_RETURN),
        ("/t/acme", ACME_OTHER_RETURN),
        ("", DEFAULT_RETURN),
    ] {
        assert_eq!(check(tenant, url).await.status(), 204, "{tenant} {url}");
    }
    for (tenant, url) in [
        ("/t/acme", DEFAULT_RETURN),
        ("", ACME_RETURN),
        ("/t/acme", "https://shop.acme.example/onboarding/done/../../evil"),
        ("/t/acme", "https://shop.acme.example.evil.example/onboarding/done"),
        ("/t/acme", "javascript:alert(1)"),
        ("/t/bare", ACME_RETURN),
    ] {
        let response = check(tenant, url).await;
        assert_eq!(response.status(), 400, "{tenant} {url}");
        assert_eq!(error_code(response).await, "RETURN_URL_NOT_ALLOWED", "{tenant} {url}");
    }
    let missing = stack
        .app
        .http
        .get(stack.url("", paths::RETURN_URL_CHECK))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 400, "no url: a clear 4xx");
}

#[tokio::test]
async fn each_tenants_web_form_options_reach_finapi() {
    let stack = spawn_stack().await;
    let public_url = stack.app.proxy.base_url();

    let acme = stack.session("/t/acme", "acme-banker").await;
    stack.handoff("/t/acme", &acme, None).await;
    assert_eq!(
        stack.web_form_host.last_import(),
        json!({
            "bankConnectionName": "ACME account",
            "maxDaysForDownload": 365,
            "redirectUrl": ACME_RETURN,
            "callbacks": {"finalised": format!("{public_url}/t/acme/api/callbacks/{CALLBACK_SECRET}/web-form")},
        })
    );

    let default = stack.session("", "default-banker").await;
    stack.handoff("", &default, None).await;
    assert_eq!(
        stack.web_form_host.last_import(),
        json!({
            "maxDaysForDownload": 90,
            "redirectUrl": DEFAULT_RETURN,
            "callbacks": {"finalised": format!("{public_url}/api/callbacks/{CALLBACK_SECRET}/web-form")},
        })
    );

    let bare = stack.session("/t/bare", "bare-banker").await;
    stack.handoff("/t/bare", &bare, None).await;
    assert_eq!(
        stack.web_form_host.last_import(),
        json!({"callbacks": {"finalised": format!("{public_url}/t/bare/api/callbacks/{CALLBACK_SECRET}/web-form")}}),
        "no options: finAPI's defaults"
    );
    assert_eq!(stack.web_form_host.imports().len(), 3);
}

#[tokio::test]
async fn a_tenants_web_form_is_created_for_its_user_and_its_end_reaches_the_tenants_done_step() {
    let stack = spawn_stack().await;
    let session = stack.session("/t/acme", "acme-finisher").await;
    let handoff = stack.handoff("/t/acme", &session, None).await;
    let web_form_url = handoff.web_form_url.unwrap();
    let web_form_id = web_form_url.rsplit('/').next().unwrap().to_owned();

    // The form belongs to the user at acme's finAPI client: their token reads it there.
    let http = &stack.app.http;
    let finapi = stack.app.emulator.base_url();
    let token: Value = json_of(http.post(format!("{finapi}/api/v2/oauth/token")).form(&[
        ("grant_type", "password"),
        ("client_id", "acme-app"),
        ("client_secret", "acme-app-secret"),
        ("username", "acme-finisher"),
        ("password", PASSWORD),
    ]))
    .await;
    let web_form: Value = json_of(
        http.get(format!("{finapi}/api/webForms/{web_form_id}"))
            .bearer_auth(token["access_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(web_form["status"], "NOT_YET_OPENED");

    let finished = stack.connect_bank(&web_form_url).await;
    assert_eq!(finished.headers()[header::LOCATION], ACME_RETURN);
    let progress_url = stack.url("/t/acme", &paths::web_form_progress(&web_form_id));
    let mut status = None;
    for _ in 0..50 {
        let progress: WebFormProgress = json_of(http.get(&progress_url)).await;
        status = progress.status;
        if status.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        status,
        Some(WebFormStatus::Completed),
        "finAPI's callback reached acme's URL"
    );
}

#[test]
fn web_form_options_finapi_would_refuse_stop_start_up_naming_the_tenant() {
    let url = url::Url::parse("http://127.0.0.1:1").unwrap();
    let deployment = tenants::Deployment {
        access_url: &url,
        web_form_url: &url,
        clock: Arc::new(finapi_emulator::clock::SystemClock),
        metrics: Default::default(),
    };
    let with = |name: &str, days: i32| {
        let file = tenants_file()
            .replace("\"ACME account\"", &format!("{name:?}"))
            .replace(
                "max_days_for_download = 365",
                &format!("max_days_for_download = {days}"),
            );
        let acme = tenants::parse_file(&file).unwrap().remove(0);
        tenants::from_config(acme, &deployment)
            .err()
            .map(|error| error.to_string())
    };
    for (name, days) in [("A", 0), (&"n".repeat(64), 3650)] {
        assert_eq!(with(name, days), None, "{name} {days}");
    }
    for (name, days, named) in [
        ("", 365, "bank_connection_name"),
        (&"n".repeat(65), 365, "bank_connection_name"),
        ("ACME account", 3651, "max_days_for_download"),
        ("ACME account", -1, "max_days_for_download"),
    ] {
        let error = with(name, days).expect("refused");
        assert!(error.contains("\"acme\"") && error.contains(named), "{error}");
    }
}
