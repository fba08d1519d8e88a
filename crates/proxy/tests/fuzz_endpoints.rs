//! Issue #6, item 6: every proxy endpoint with generated bad requests — malformed JSON, bodies over the
//! 16 KiB limit, wrong types, unknown fields, huge numbers, deep nesting, invalid UTF-8 and other encodings,
//! wrong or missing content types, wrong methods, junk in path parameters, query strings and headers, under
//! the default tenant, a configured one (`/t/acme`) and unknown ones. Every answer must be below 500, and
//! every error under `/api` a JSON `ApiError` (an `error` code and the `requestId` of the `X-Request-Id`
//! header). A panic would show as a connection closed without an answer (and in the panic hook's count).
//!
//! One proxy and one emulator serve all endpoints' tests, with a real session and real handoff codes, so
//! generated requests also reach the code behind the checks. `PROPTEST_CASES` sets the requests per
//! endpoint (proptest's default, 256, in `cargo test`; `scripts/bench-fuzz` runs 2,000). Each test prints
//! how many requests it sent and the statuses it got.

mod common;

use common::*;
use finapi_emulator::config::ClientCredentials as EmulatorCredentials;
use finapi_emulator::data_encryption::DataDecryptionKey;
use finapi_emulator::AppClient;
use onboarding_api::paths::{self, FORM_HEADER, FORM_HEADER_VALUE, SESSION_HEADER};
use onboarding_proxy::app::CallbackSettings;
use onboarding_proxy::rate_limit::{Limit, RateLimits};
use onboarding_proxy::{tenants, ProxyOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use secrecy::SecretString;
use serde_json::{json, Value};
use sha2::Digest;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

const ACME_KEY: &str = "acme-partner-key-0123456789-abcdefghijklm";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: TestApp,
    /// A live session of the default tenant, and one of acme.
    sessions: Vec<String>,
    /// Handoff codes minted for them (some get redeemed by the fuzzing, which is fine).
    codes: Vec<String>,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();
static PANICS: AtomicU64 = AtomicU64::new(0);

fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // proptest reports a failing case by panicking in the test thread; the server's panics are the
            // ones on tokio's worker threads.
            if std::thread::current()
                .name()
                .is_some_and(|name| name.starts_with("tokio"))
            {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("tokio-fuzz")
            .enable_all()
            .build()
            .unwrap();
        let (app, sessions, codes) = runtime.block_on(setup());
        Fixture {
            runtime,
            app,
            sessions,
            codes,
        }
    })
}

async fn setup() -> (TestApp, Vec<String>, Vec<String>) {
    let digest: String = sha2::Sha256::digest(ACME_KEY.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let acme = format!(
        r#"
[[tenants]]
id = "acme"
client_id = "acme-app"
client_secret = "acme-app-secret"
partner_key_sha256 = "{digest}"
allowed_parent_origins = ["https://shop.acme.example"]
[tenants.extras]
allowed_return_urls = ["https://shop.acme.example/done"]
"#
    );
    let unlimited = Limit {
        max: 1_000_000_000,
        window: time::Duration::minutes(10),
    };
    let options = ProxyOptions {
        tenants: tenants::parse_file(&acme).unwrap(),
        rate_limits: RateLimits {
            per_ip: unlimited,
            per_user_id: unlimited,
            trusted_proxy_hops: 1,
        },
        callbacks: Some(CallbackSettings {
            public_url: url::Url::parse("http://127.0.0.1:9").unwrap(),
            secret: SecretString::from(CALLBACK_SECRET),
        }),
        data_decryption_key: Some(SecretString::from(
            finapi_emulator::config::DEV_DATA_DECRYPTION_KEY.to_owned(),
        )),
        ..Default::default()
    };
    let app = spawn_app_with_options(
        |emulator| {
            emulator.app_clients.push(AppClient {
                credentials: EmulatorCredentials::new("acme-app", "acme-app-secret"),
                configuration: finapi::ClientConfiguration::sandbox_app_client(),
                data_decryption_key: DataDecryptionKey::generate(),
            });
        },
        |_| {},
        options,
    )
    .await;
    let mut sessions = Vec::new();
    let mut codes = Vec::new();
    for prefix in ["", "/t/acme"] {
        let id = format!("fuzz{}", prefix.replace('/', "-"));
        let created = app
            .form_post(&format!("{prefix}{}", paths::USERS))
            .json(&json!({"id": id, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
        let session: Value = app
            .form_post(&format!("{prefix}{}", paths::SESSIONS))
            .json(&json!({"id": id, "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let session = session["session"].as_str().unwrap().to_owned();
        for _ in 0..3 {
            let handoff: Value = app
                .form_post(&format!("{prefix}{}", paths::HANDOFF))
                .header(SESSION_HEADER, &session)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            codes.push(handoff["code"].as_str().unwrap().to_owned());
        }
        sessions.push(session);
    }
    (app, sessions, codes)
}

/// One endpoint of the proxy: its method, its path (`{}` for a path parameter) and the fields of its body.
#[derive(Debug, Clone, Copy)]
struct Endpoint {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    fields: &'static [&'static str],
}

const fn endpoint(
    name: &'static str,
    method: &'static str,
    path: &'static str,
    fields: &'static [&'static str],
) -> Endpoint {
    Endpoint {
        name,
        method,
        path,
        fields,
    }
}

/// Every route of `crates/proxy/src/app.rs` (`onboarding_api::paths` and the callbacks), and a path the
/// API does not have.
const SETTINGS: Endpoint = endpoint("settings", "GET", paths::SETTINGS, &[]);
const TENANT: Endpoint = endpoint("tenant", "GET", paths::TENANT, &[]);
const RETURN_URL_CHECK: Endpoint = endpoint("return_url_check", "GET", paths::RETURN_URL_CHECK, &[]);
const USERS: Endpoint = endpoint(
    "users",
    "POST",
    paths::USERS,
    &["id", "password", "email", "phone", "autoUpdate"],
);
const LOG_IN: Endpoint = endpoint("log_in", "POST", paths::SESSIONS, &["id", "password"]);
const LOG_OUT: Endpoint = endpoint("log_out", "DELETE", paths::SESSIONS, &[]);
const HANDOFF: Endpoint = endpoint("handoff", "POST", paths::HANDOFF, &[]);
const EXCHANGE: Endpoint = endpoint("exchange", "POST", paths::HANDOFF_EXCHANGE, &["code"]);
const WEB_FORM_PROGRESS: Endpoint = endpoint("web_form_progress", "GET", "/api/web-forms/{}", &[]);
const PASSWORD_RESETS: Endpoint = endpoint("password_resets", "POST", paths::PASSWORD_RESETS, &["id", "language"]);
const PASSWORD_RESET_EXECUTION: Endpoint = endpoint(
    "password_reset_execution",
    "POST",
    paths::PASSWORD_RESET_EXECUTION,
    &["code", "password"],
);
const USER_SYNCHRONIZATION: Endpoint = endpoint(
    "user_synchronization_callback",
    "POST",
    "/api/callbacks/{}/user-synchronization",
    &["userId", "event"],
);
const WEB_FORM_CALLBACK: Endpoint = endpoint(
    "web_form_callback",
    "POST",
    "/api/callbacks/{}/web-form",
    &["webFormId", "status"],
);
const UNKNOWN: Endpoint = endpoint("unknown_api_path", "POST", "/api/{}", &["id"]);

/// A request to send.
#[derive(Debug, Clone)]
struct Case {
    method: String,
    prefix: String,
    parameter: String,
    query: String,
    content_type: Option<String>,
    form_header: bool,
    session: Option<Vec<u8>>,
    authorization: Option<Vec<u8>>,
    request_id: Option<Vec<u8>>,
    forwarded_for: Option<Vec<u8>>,
    body: Vec<u8>,
}

fn short_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9@._+-]{0,40}",
        any::<String>(),
        "[\\PC]{0,20}",
        Just(String::new()),
        Just("jane".to_owned()),
        Just(PASSWORD.to_owned()),
        Just("%00%ff%2F..%2F".to_owned()),
        (0usize..5000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A JSON value of any shape, with wrong types where the endpoint wants strings.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        short_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(short_text(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// An object with the endpoint's fields (some left out, any types), sometimes with unknown ones.
fn object_for(endpoint: Endpoint) -> impl Strategy<Value = Value> {
    let fields = endpoint.fields.to_vec();
    let known = prop::collection::vec(
        (
            prop::sample::select(if fields.is_empty() { vec!["id"] } else { fields }),
            prop_oneof![
                3 => short_text().prop_map(Value::String),
                1 => json_value(),
            ],
        ),
        0..6,
    );
    let unknown = prop::collection::vec((short_text(), json_value()), 0..2);
    (known, unknown, any::<bool>()).prop_map(|(known, unknown, with_unknown)| {
        let mut object = serde_json::Map::new();
        for (field, value) in known {
            object.insert(field.to_owned(), value);
        }
        if with_unknown {
            for (field, value) in unknown {
                object.insert(field, value);
            }
        }
        Value::Object(object)
    })
}

/// Bodies: well-formed objects (wrong types, unknown fields), any JSON, broken JSON, huge numbers, deep
/// nesting, over the size limit, invalid UTF-8, UTF-16, a BOM, form data, nothing.
fn body_for(endpoint: Endpoint) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => object_for(endpoint).prop_map(|v| v.to_string().into_bytes()),
        2 => json_value().prop_map(|v| v.to_string().into_bytes()),
        2 => (object_for(endpoint), any::<prop::sample::Index>())
            .prop_map(|(v, cut)| { let text = v.to_string(); let at = cut.index(text.len().max(1)); text.as_bytes()[..at].to_vec() }),
        1 => prop::collection::vec(any::<u8>(), 0..400),
        1 => prop::sample::select(endpoint.fields.to_vec().into_iter().chain(["id"]).collect::<Vec<_>>())
            .prop_flat_map(|field| prop_oneof![
                Just(format!(r#"{{"{field}": 1e999999}}"#)),
                Just(format!(r#"{{"{field}": 123456789012345678901234567890123456789}}"#)),
                Just(format!(r#"{{"{field}": -0.0e-400}}"#)),
                Just(format!(r#"{{"{field}": "{}"}}"#, "9".repeat(5000))),
                Just(format!(r#"{{"{field}": "\ud800"}}"#)),
                Just(format!(r#"{{"{field}": "a\u0000b"}}"#)),
                Just(format!(r#"{{"{field}": "x", "{field}": "y"}}"#)),
            ]).prop_map(String::into_bytes),
        1 => (1usize..20_000, any::<bool>()).prop_map(|(depth, arrays)| {
            if arrays { format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes() }
            else { format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth)).into_bytes() }
        }),
        1 => (16_000usize..70_000).prop_map(|size| json!({"id": "x".repeat(size), "password": PASSWORD}).to_string().into_bytes()),
        1 => object_for(endpoint).prop_map(|v| {
            // Invalid UTF-8 inside a string.
            let mut bytes = v.to_string().into_bytes();
            bytes.splice(bytes.len().saturating_sub(1)..bytes.len().saturating_sub(1), br#","id":"\xff\xfe\xc3(""#.iter().copied());
            bytes
        }),
        1 => object_for(endpoint).prop_map(|v| {
            // UTF-16 LE with a BOM.
            let mut bytes = vec![0xff, 0xfe];
            bytes.extend(v.to_string().encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }),
        1 => object_for(endpoint).prop_map(|v| [&[0xef, 0xbb, 0xbf][..], v.to_string().as_bytes()].concat()),
        1 => Just(b"id=jane&password=correct+horse+battery".to_vec()),
        1 => Just(Vec::new()),
    ]
}

fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "[a-zA-Z0-9._-]{0,80}".prop_map(String::into_bytes),
        prop::collection::vec(0x20u8..0x7f, 0..300),
        // Bytes that are legal in a header value but not ASCII (obs-text).
        prop::collection::vec(prop_oneof![0x20u8..0x7f, 0x80u8..=0xff], 0..100),
    ]
}

fn case_for(endpoint: Endpoint) -> impl Strategy<Value = Case> {
    let fixture = fixture();
    let sessions = fixture.sessions.clone();
    let codes = fixture.codes.clone();
    let method = prop_oneof![
        8 => Just(endpoint.method.to_owned()),
        1 => prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).prop_map(str::to_owned),
        1 => "[A-Z]{1,10}",
    ];
    let prefix = prop_oneof![
        6 => Just(String::new()),
        3 => Just("/t/acme".to_owned()),
        1 => "[a-z0-9-]{0,40}".prop_map(|t| format!("/t/{t}")),
        1 => Just("/t/ACME".to_owned()),
    ];
    let parameter = prop_oneof![
        Just(CALLBACK_SECRET.to_owned()),
        Just("31c508d8-0000-4000-8000-000000000000".to_owned()),
        "[a-zA-Z0-9._~-]{0,80}",
        "(%[0-9A-F]{2}){1,20}",
        Just("..%2F..%2Fetc%2Fpasswd".to_owned()),
        Just("a/b/c".to_owned()),
    ];
    let query = prop_oneof![
        3 => Just(String::new()),
        1 => "[a-zA-Z0-9=&%._-]{0,100}".prop_map(|q| format!("?{q}")),
        1 => Just("?returnUrl=https://shop.acme.example/done".to_owned()),
        1 => Just("?returnUrl=javascript:alert(1)".to_owned()),
        1 => Just("?returnUrl=%ff%fe&returnUrl=x".to_owned()),
    ];
    let content_type = prop::option::weighted(
        0.9,
        prop_oneof![
            6 => Just("application/json".to_owned()),
            1 => Just("application/json; charset=utf-8".to_owned()),
            1 => Just("application/json; charset=utf-16".to_owned()),
            1 => Just("text/plain".to_owned()),
            1 => Just("application/x-www-form-urlencoded".to_owned()),
            1 => Just("multipart/form-data; boundary=x".to_owned()),
            1 => Just("application/vnd.api+json".to_owned()),
            1 => "[ -~]{0,40}",
        ],
    );
    let session = prop::option::weighted(
        0.6,
        prop_oneof![
            2 => prop::sample::select(sessions).prop_map(String::into_bytes),
            1 => header_bytes(),
        ],
    );
    let authorization = prop::option::weighted(
        0.5,
        prop_oneof![
            Just(format!("Bearer {PARTNER_KEY}").into_bytes()),
            Just(format!("Bearer {ACME_KEY}").into_bytes()),
            header_bytes().prop_map(|key| [&b"Bearer "[..], &key].concat()),
            header_bytes(),
        ],
    );
    let code_body = prop::sample::select(codes).prop_map(|code| json!({"code": code}).to_string().into_bytes());
    let body = if endpoint.name == "exchange" {
        prop_oneof![1 => code_body, 4 => body_for(endpoint)].boxed()
    } else {
        body_for(endpoint).boxed()
    };
    (
        (method, prefix, parameter, query),
        (
            content_type,
            prop::bool::weighted(0.85),
            session,
            authorization,
            prop::option::of(header_bytes()),
            prop::option::of(header_bytes()),
        ),
        body,
    )
        .prop_map(
            |(
                (method, prefix, parameter, query),
                (content_type, form_header, session, authorization, request_id, forwarded_for),
                body,
            )| Case {
                method,
                prefix,
                parameter,
                query,
                content_type,
                form_header,
                session,
                authorization,
                request_id,
                forwarded_for,
                body,
            },
        )
}

/// A client that opens a new connection for every request: the server closes a connection after an answer
/// given before a large body was read, and a pooled client would then send the next case down a dead one.
fn fresh_connections() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap())
}

/// Sends `case` and checks the answer: its status (0: the connection closed while the client was still
/// sending a body over 16 KiB), or what is wrong.
async fn check(app: &TestApp, endpoint: Endpoint, case: &Case) -> Result<u16, String> {
    let path = format!(
        "{}{}{}",
        case.prefix,
        endpoint.path.replace("{}", &case.parameter),
        case.query
    );
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut request = fresh_connections()
        .request(method.clone(), app.url(&path))
        .body(case.body.clone());
    if let Some(content_type) = &case.content_type {
        if let Ok(value) = reqwest::header::HeaderValue::from_str(content_type) {
            request = request.header(reqwest::header::CONTENT_TYPE, value);
        }
    }
    if case.form_header {
        request = request.header(FORM_HEADER, FORM_HEADER_VALUE);
    }
    let headers = [
        (SESSION_HEADER, &case.session),
        ("authorization", &case.authorization),
        ("x-request-id", &case.request_id),
        ("x-forwarded-for", &case.forwarded_for),
    ];
    for (name, value) in headers {
        if let Some(value) = value {
            if let Ok(value) = reqwest::header::HeaderValue::from_bytes(value) {
                request = request.header(name, value);
            }
        }
    }
    let response = match request.timeout(std::time::Duration::from_secs(30)).send().await {
        Ok(response) => response,
        Err(error) if error.is_timeout() => return Err(format!("no answer in 30 s: {error}")),
        // The server may answer before it has read a large body it does not need (a CORS preflight, a
        // 405, a 404) and close the connection; the client, still sending, then sees an error instead of
        // the answer. A panic also closes the connection: the panic hook counts those, and `fuzz` fails on
        // any. With a body hyper reads whole anyway, no answer is a failure.
        Err(_) if case.body.len() > 16 * 1024 => return Ok(0),
        Err(error) => return Err(format!("no answer to a {}-byte body: {error}", case.body.len())),
    };
    let status = response.status().as_u16();
    let header_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.map_err(|e| format!("the body broke off: {e}"))?;
    if status >= 500 {
        return Err(format!("{status} {}", String::from_utf8_lossy(&body)));
    }
    let under_api = path.starts_with("/api/") || path.starts_with("/t/");
    if status >= 400 && under_api && method != reqwest::Method::HEAD {
        if !content_type.starts_with("application/json") {
            return Err(format!(
                "{status} with content type {content_type:?}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        let error: Value = serde_json::from_slice(&body).map_err(|e| format!("{status}: not JSON: {e}"))?;
        if !error["error"].is_string() {
            return Err(format!("{status}: no error code: {error}"));
        }
        if error["requestId"].as_str() != header_id.as_deref() || header_id.is_none() {
            return Err(format!(
                "{status}: requestId {} vs header {header_id:?}",
                error["requestId"]
            ));
        }
    }
    Ok(status)
}

fn fuzz(endpoint: Endpoint) {
    let fixture = fixture();
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let statuses = Mutex::new(BTreeMap::<u16, u64>::new());
    let sent = AtomicU64::new(0);
    let panics_before = PANICS.load(Ordering::SeqCst);
    let result = runner.run(&case_for(endpoint), |case| {
        sent.fetch_add(1, Ordering::Relaxed);
        let status = fixture
            .runtime
            .block_on(check(&fixture.app, endpoint, &case))
            .map_err(TestCaseError::fail)?;
        *statuses.lock().unwrap().entry(status).or_default() += 1;
        Ok(())
    });
    let statuses = statuses.into_inner().unwrap();
    let panics = PANICS.load(Ordering::SeqCst) - panics_before;
    println!(
        "fuzz_endpoints {}: {} requests, {} failing, {} panics, statuses {:?}",
        endpoint.name,
        sent.load(Ordering::Relaxed),
        u8::from(result.is_err()),
        panics,
        statuses
    );
    if let Err(error) = result {
        panic!("{}: {error}", endpoint.name);
    }
    assert_eq!(panics, 0, "{}: the server panicked", endpoint.name);
}

macro_rules! fuzz_tests {
    ($($test:ident => $endpoint:expr),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                fuzz($endpoint);
            }
        )*
    };
}

fuzz_tests! {
    settings => SETTINGS,
    tenant => TENANT,
    return_url_check => RETURN_URL_CHECK,
    users => USERS,
    log_in => LOG_IN,
    log_out => LOG_OUT,
    handoff => HANDOFF,
    exchange => EXCHANGE,
    web_form_progress => WEB_FORM_PROGRESS,
    password_resets => PASSWORD_RESETS,
    password_reset_execution => PASSWORD_RESET_EXECUTION,
    user_synchronization_callback => USER_SYNCHRONIZATION,
    web_form_callback => WEB_FORM_CALLBACK,
    unknown_api_path => UNKNOWN,
}
