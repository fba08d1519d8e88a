//! Operator commands on the proxy's binary, run as an operator would, against the emulator.

mod common;

use common::*;
use std::process::Command;

struct Ran {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs `onboarding-proxy ARGS` with only the given settings in its environment.
async fn onboarding_proxy(app: &TestApp, args: &[&str], admin: bool) -> Ran {
    let base = app.emulator.base_url();
    let mut command = Command::new(env!("CARGO_BIN_EXE_onboarding-proxy"));
    command
        .env_clear()
        .args(args)
        .env("FINAPI_ACCESS_URL", &base)
        .env("FINAPI_WEB_FORM_URL", &base)
        .env("FINAPI_CLIENT_ID", "onboarding-dev-app")
        .env("FINAPI_CLIENT_SECRET", &app.client_secret)
        .env("PROXY_PARTNER_KEY", PARTNER_KEY);
    if admin {
        command
            .env("FINAPI_ADMIN_CLIENT_ID", "onboarding-dev-admin")
            .env("FINAPI_ADMIN_CLIENT_SECRET", "dev-admin-secret-change-me");
    }
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    Ran {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[tokio::test]
async fn the_operator_reads_and_changes_the_client_configuration() {
    let app = spawn_app().await;
    let shown = onboarding_proxy(&app, &["client-configuration"], false).await;
    assert!(shown.ok, "{}", shown.stderr);
    let configuration: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(configuration["userAccessTokensValidityPeriod"], 3600);

    let refused = onboarding_proxy(
        &app,
        &["client-configuration", "set", "userAccessTokensValidityPeriod=59"],
        false,
    )
    .await;
    assert!(!refused.ok);
    assert!(
        refused.stderr.contains("userAccessTokensValidityPeriod"),
        "{}",
        refused.stderr
    );
    let not_patchable = onboarding_proxy(&app, &["client-configuration", "set", "maxUserLoginAttempts=9"], false).await;
    assert!(!not_patchable.ok && not_patchable.stderr.contains("maxUserLoginAttempts"));

    let changed = onboarding_proxy(
        &app,
        &[
            "client-configuration",
            "set",
            "userAccessTokensValidityPeriod=120",
            "betaBanksEnabled=true",
        ],
        false,
    )
    .await;
    assert!(changed.ok, "{}", changed.stderr);
    let shown = onboarding_proxy(&app, &["client-configuration"], false).await;
    let configuration: serde_json::Value = serde_json::from_str(&shown.stdout).unwrap();
    assert_eq!(configuration["userAccessTokensValidityPeriod"], 120);
    assert_eq!(configuration["betaBanksEnabled"], true);
    assert!(!shown.stdout.contains(&app.client_secret) && !shown.stderr.contains(&app.client_secret));
}

#[tokio::test]
async fn the_operator_lists_and_deletes_users_with_the_mandator_admin_client() {
    let app = spawn_app().await;
    for id in ["listed-one", "listed-two"] {
        assert_eq!(app.create(id).await.status(), 201);
    }
    let without_admin = onboarding_proxy(&app, &["users", "list"], false).await;
    assert!(!without_admin.ok);
    assert!(
        without_admin.stderr.contains("FINAPI_ADMIN_CLIENT_ID"),
        "{}",
        without_admin.stderr
    );

    let listed = onboarding_proxy(&app, &["users", "list"], true).await;
    assert!(listed.ok, "{}", listed.stderr);
    assert!(
        listed.stdout.contains("listed-one") && listed.stdout.contains("listed-two"),
        "{}",
        listed.stdout
    );

    let deleted = onboarding_proxy(&app, &["users", "delete", "listed-one"], true).await;
    assert!(deleted.ok, "{}", deleted.stderr);
    assert!(deleted.stdout.contains("deleted: listed-one"), "{}", deleted.stdout);
    let listed = onboarding_proxy(&app, &["users", "list"], true).await;
    assert!(!listed.stdout.contains("listed-one") && listed.stdout.contains("listed-two"));
    assert_eq!(app.log_in("listed-one", PASSWORD).await.status(), 401, "gone at finAPI");
}

#[tokio::test]
async fn an_unknown_command_shows_the_usage() {
    let app = spawn_app().await;
    let ran = onboarding_proxy(&app, &["users", "remove"], true).await;
    assert!(!ran.ok);
    assert!(ran.stderr.contains("usage:"), "{}", ran.stderr);
    let help = onboarding_proxy(&app, &["help"], false).await;
    assert!(help.ok && help.stdout.contains("client-configuration set"));
}
