//! The partner's loader script: served as JavaScript that other origins may load, versioned in its path,
//! and the same under a tenant's prefix. (Its behaviour in a browser: crates/e2e/tests/loader.rs.)

mod common;

use common::*;

#[tokio::test]
async fn the_loader_is_served_as_a_script_other_origins_may_load() {
    let app = spawn_app().await;
    let response = app.http.get(app.url("/loader/v1.js")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(headers["cross-origin-resource-policy"], "cross-origin");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let script = response.text().await.unwrap();
    assert!(script.contains("FinapiOnboarding"), "the loader defines its one global");
    assert!(
        script.contains("event.origin !== formOrigin") && script.contains("event.source !== frame.contentWindow"),
        "the loader checks the origin and the window of every message"
    );
}

#[tokio::test]
async fn an_unknown_loader_version_is_not_found_rather_than_the_form_page() {
    let app = spawn_app().await;
    let response = app.http.get(app.url("/loader/v2.js")).send().await.unwrap();
    // The form's pages answer unknown paths with index.html (client-side routes); a script tag pointed
    // at a version that does not exist must not get HTML, which would fail silently in the partner's page.
    assert_eq!(response.status(), 404);
    assert_ne!(response.headers()["content-type"], "text/html");
}
