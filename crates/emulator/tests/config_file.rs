//! Rule 1 and 12: mandators and clients from a TOML file, and the binary running on its own.

mod common;

use common::*;
use finapi_emulator::EmulatorConfig;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn example_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("emulator.example.toml")
}

#[tokio::test]
async fn the_example_file_describes_a_mandator_whose_app_clients_share_one_user_base() {
    let config = EmulatorConfig::load(&example_file()).unwrap();
    assert_eq!(config.app_clients.len(), 2);
    assert_eq!(config.admin_clients.len(), 1);
    let web = &config.app_clients[0];
    assert!(!web.configuration.is_user_auto_verification_enabled);
    assert_eq!(web.configuration.max_user_login_attempts, 3);
    // The second client gives only what differs: the rest is finAPI's default.
    assert!(config.app_clients[1].configuration.is_user_auto_verification_enabled);
    let (web_id, web_secret) = (web.credentials.client_id.clone(), web.credentials.client_secret.clone());
    let back_office = config.app_clients[1].credentials.clone();
    let admin = config.admin_clients[0].clone();

    let emu = start_with(config).await;
    let web_token = emu.client_token_as(&web_id, &web_secret).await.access_token;
    let back_token = emu
        .client_token_as(&back_office.client_id, &back_office.client_secret)
        .await
        .access_token;
    let created = emu
        .create_user(Some(&web_token), json!({"id": "jane", "password": "secret1"}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    // The other app client sees the same user: it may verify it, and its user grant works.
    let verify = emu
        .send(
            reqwest::Method::POST,
            "/api/v2/users/verify/jane",
            Some(&back_token),
            None,
        )
        .await;
    assert_eq!(verify.status(), StatusCode::OK);
    let login = emu
        .token_request(&[
            ("grant_type", "password"),
            ("client_id", &back_office.client_id),
            ("client_secret", &back_office.client_secret),
            ("username", "jane"),
            ("password", "secret1"),
        ])
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    let duplicate = emu.create_user(Some(&back_token), json!({"id": "JANE"})).await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Each client has its own configuration; the admin client is the mandator's admin.
    let web_config: Value = emu
        .get("/api/v2/clientConfiguration", Some(&web_token))
        .await
        .json()
        .await
        .unwrap();
    let back_config: Value = emu
        .get("/api/v2/clientConfiguration", Some(&back_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        web_config["userSynchronizationCallbackUrl"],
        "http://127.0.0.1:9000/finapi/users"
    );
    assert_eq!(
        back_config["userSynchronizationCallbackUrl"],
        "http://127.0.0.1:9000/finapi/back-office/users"
    );
    let admin_token = emu
        .client_token_as(&admin.client_id, &admin.client_secret)
        .await
        .access_token;
    let admin_config: Value = emu
        .get("/api/v2/clientConfiguration", Some(&admin_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admin_config["isMandatorAdmin"], true);
}

#[test]
fn every_client_configuration_field_can_be_set_and_unknown_keys_are_named() {
    let text = std::fs::read_to_string(example_file()).unwrap();
    // The example lists every settable field of finAPI's ClientConfiguration but the two left out on
    // purpose (isMandatorAdmin, categoryRestrictions) and the commented-out optional ones.
    for field in [
        "pfmServicesEnabled",
        "isAutomaticBatchUpdateEnabled",
        "mandatorLicense",
        "preferredConsentType",
        "userSynchronizationCallbackUrl",
        "refreshTokensValidityPeriod",
        "userAccessTokensValidityPeriod",
        "clientAccessTokensValidityPeriod",
        "maxUserLoginAttempts",
        "isUserAutoVerificationEnabled",
        "availableBankGroups",
        "products",
        "aisViaWebForm",
        "betaBanksEnabled",
        "corsAllowedOrigins",
    ] {
        assert!(text.contains(&format!("\n{field} = ")), "{field} is not in the example");
    }
    let typo = text.replace("maxUserLoginAttempts = 3", "maxUserLoginAttempt = 3");
    let error = EmulatorConfig::from_toml(&typo).unwrap_err().to_string();
    assert!(error.contains("maxUserLoginAttempt"), "{error}");
    let top_level = format!("mandators = []\n{text}");
    let error = EmulatorConfig::from_toml(&top_level).unwrap_err().to_string();
    assert!(error.contains("mandators"), "{error}");
    let admin_flag = text.replace("betaBanksEnabled = false", "isMandatorAdmin = true");
    assert!(EmulatorConfig::from_toml(&admin_flag)
        .unwrap_err()
        .to_string()
        .contains("isMandatorAdmin"));
    let bad_period = text.replace("refreshTokensValidityPeriod = 0", "refreshTokensValidityPeriod = 30");
    assert!(EmulatorConfig::from_toml(&bad_period)
        .unwrap_err()
        .to_string()
        .contains("refreshTokensValidityPeriod"));
    let missing = EmulatorConfig::load(Path::new("/nonexistent/emulator.toml")).unwrap_err();
    assert!(missing.to_string().contains("/nonexistent/emulator.toml"));
}

/// Stops the child process when the test ends, however it ends.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_takes_a_port_and_a_configuration_file() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_finapi-emulator"))
            .args(["--port", "0", "--config"])
            .arg(example_file())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let banner: Vec<String> = tokio::task::spawn_blocking(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .take_while(|line| !line.starts_with("Press Ctrl-C"))
            .collect()
    })
    .await
    .unwrap();
    let base_url = banner[0].rsplit(' ').next().unwrap().to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{banner:?}");
    let printed = banner.join("\n");
    assert!(printed.contains("client_id=partner-web-app") && printed.contains("client_id=partner-mandator-admin"));
    assert!(
        !printed.contains("secret-change-me"),
        "a file's secrets are not printed: {printed}"
    );
    let token = reqwest::Client::new()
        .post(format!("{base_url}/api/v2/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "partner-web-app"),
            ("client_secret", "partner-web-app-secret-change-me"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::OK);
}

#[test]
fn the_binary_refuses_a_bad_file_naming_the_key() {
    let dir = std::env::temp_dir().join(format!("finapi-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        "[[app_clients]]\nclient_id = \"a\"\nclient_secret = \"b\"\ndata_decryption_key = \"5d9f0c1b7a3e4d2c8b6a0f1e2d3c4b5a\"\nclientSecret = \"c\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_finapi-emulator"))
        .args(["--port", "0", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("clientSecret"), "{message}");
}
