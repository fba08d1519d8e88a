//! What protects the form in the browser: CSP, CORS, headers, request ids, and honest failures.

mod common;

use common::*;
use onboarding_api::paths;
use serde_json::Value;

fn built_form_dir(inline_script: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("onboarding-form-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = format!(
        "<!doctype html><html><head><script type=\"module\">{inline_script}</script></head><body></body></html>"
    );
    std::fs::write(dir.join("index.html"), html).unwrap();
    std::fs::write(dir.join("app.js"), "export default 1;").unwrap();
    dir
}

#[tokio::test]
async fn pages_carry_a_strict_csp_that_names_the_parents_and_the_bootstrap_script() {
    let dir = built_form_dir("import init from '/app.js'; init();");
    let app = spawn_app_with(|_| {}, |proxy| proxy.form_dir = dir.clone()).await;
    for path in ["/", "/app.js", "/some/deep/link"] {
        let response = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains(&format!("frame-ancestors {PARTNER_ORIGIN}")), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    }
    let csp = app.http.get(app.url("/")).send().await.unwrap().headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    // sha256 of exactly "import init from '/app.js'; init();"
    use base64::Engine;
    use sha2::Digest;
    let hash =
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"import init from '/app.js'; init();"));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
}

#[tokio::test]
async fn without_parents_only_the_proxy_itself_may_frame_the_form() {
    let dir = built_form_dir("1");
    let app = spawn_app_with(
        |_| {},
        |proxy| {
            proxy.form_dir = dir.clone();
            proxy.allowed_parent_origins.clear();
        },
    )
    .await;
    let response = app.http.get(app.url("/")).send().await.unwrap();
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .ends_with("frame-ancestors 'self'"));
}

#[tokio::test]
async fn cors_answers_only_the_allowed_origins() {
    let app = spawn_app().await;
    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, app.url(paths::USERS))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,x-onboarding-form")
            .send()
    };
    let allowed = preflight(PARTNER_ORIGIN).await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], PARTNER_ORIGIN);
    let allowed_headers = allowed.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(allowed_headers.contains("x-onboarding-form"), "{allowed_headers}");
    let refused = preflight("https://evil.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn api_answers_carry_a_request_id_and_are_not_cached() {
    let app = spawn_app().await;
    let response = app.create_user(serde_json::json!({"id": "", "password": ""})).await;
    let header = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["requestId"],
        header.as_str(),
        "the support reference in the body is the request id"
    );
    let response = app
        .form_post(paths::USERS)
        .header("x-request-id", "partner-trace-1")
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "partner-trace-1");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = spawn_app().await;
    let response = app.http.get(app.url("/api/nothing-here")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(error_code(response).await, "NOT_FOUND");
}

#[tokio::test]
async fn an_unreachable_finapi_is_a_503_the_form_can_word() {
    // A port nothing listens on: bind one, then free it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = spawn_app_with(
        |_| {},
        |proxy| {
            proxy.access_url = url::Url::parse(&format!("http://{closed}")).unwrap();
        },
    )
    .await;
    let response = app.create("nobody").await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "FINAPI_UNAVAILABLE");
    assert!(body["requestId"].is_string());
    let response = app.http.get(app.url(paths::SETTINGS)).send().await.unwrap();
    assert_eq!(response.status(), 503);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app().await;
    let response = app
        .create_user(serde_json::json!({"id": "big", "password": "x".repeat(20_000)}))
        .await;
    assert!(
        response.status() == 413 || response.status() == 400,
        "{}",
        response.status()
    );
}

#[tokio::test]
async fn health_and_readiness_probes() {
    let app = spawn_app().await;
    assert_eq!(app.http.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    assert_eq!(app.http.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let unreachable = spawn_app_with(
        |_| {},
        |proxy| proxy.access_url = url::Url::parse(&format!("http://{closed}")).unwrap(),
    )
    .await;
    assert_eq!(
        unreachable
            .http
            .get(unreachable.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        unreachable
            .http
            .get(unreachable.url("/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        503
    );
}

#[tokio::test]
async fn a_mandator_admin_client_is_refused_at_start_up_with_an_explanation() {
    let app = spawn_app_with(
        |_| {},
        |proxy| {
            proxy.credentials.client_id = "onboarding-dev-admin".into();
            proxy.credentials.client_secret = secrecy::SecretString::from("dev-admin-secret-change-me");
        },
    )
    .await;
    let error = onboarding_proxy::startup_check::check_client(&app.proxy.state.client_auth)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("app client"), "{error}");
    let app = spawn_app().await;
    assert!(
        onboarding_proxy::startup_check::check_client(&app.proxy.state.client_auth)
            .await
            .is_ok()
    );
}
