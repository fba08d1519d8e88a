//! Time to interactive in headless Chromium through chromedriver (plain W3C WebDriver over HTTP, plus
//! chromedriver's `goog/cdp/execute` to install a probe before any page script runs).
//!
//! Every run is a new browser session with a fresh profile directory (a cold cache). The probe, installed
//! with `Page.addScriptToEvaluateOnNewDocument`, watches the DOM from the very start and records
//! `performance.now()` (milliseconds since navigation start) the first time an `input` exists that is
//! neither disabled nor read-only: the first field accepts input.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PROBE: &str = r#"
(() => {
  const check = () => {
    if (window.__benchTti != null) return;
    const field = document.querySelector('input');
    if (field && !field.disabled && !field.readOnly) {
      window.__benchTti = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true, attributes: true});
  check();
})();
"#;

const READ: &str = r#"
const nav = performance.getEntriesByType('navigation')[0];
return window.__benchTti == null ? null : {
  tti: window.__benchTti,
  dcl: nav ? nav.domContentLoadedEventEnd : null,
  load: nav ? nav.loadEventEnd : null,
};
"#;

pub struct Driver {
    child: Child,
    url: String,
    http: reqwest::Client,
    chromium: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub tti: f64,
    pub dcl: f64,
    pub load: f64,
}

impl Driver {
    pub async fn start() -> Result<Driver, String> {
        let port = crate::stack::free_port();
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {binary} (Debian's chromium-driver; scripts/install): {e}"))?;
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap(),
            chromium: std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        };
        for _ in 0..100 {
            if let Ok(response) = driver.http.get(format!("{}/status", driver.url)).send().await {
                if response.status().is_success() {
                    return Ok(driver);
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("chromedriver did not become ready".into())
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = response.status();
        let value: Value = response.json().await.map_err(|e| format!("{path}: {e}"))?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {}", value["value"]["message"]));
        }
        Ok(value["value"].clone())
    }

    /// One cold load of `url` in a new browser with a new profile.
    pub async fn measure(&self, url: &str, profile: &Path) -> Result<Timing, String> {
        let _ = std::fs::remove_dir_all(profile);
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1100", "--disable-extensions",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let session = self.call(reqwest::Method::POST, "/session", Some(capabilities)).await?;
        let id = session["sessionId"].as_str().ok_or("no session id")?.to_owned();
        let result = self.measure_in(&id, url).await;
        let _ = self
            .call(reqwest::Method::DELETE, &format!("/session/{id}"), None)
            .await;
        let _ = std::fs::remove_dir_all(profile);
        result
    }

    async fn measure_in(&self, session: &str, url: &str) -> Result<Timing, String> {
        let cdp = format!("/session/{session}/goog/cdp/execute");
        // The profile is new, so the cache is empty anyway; this also keeps the load itself from filling it.
        let _ = self
            .call(
                reqwest::Method::POST,
                &cdp,
                Some(json!({"cmd": "Network.setCacheDisabled", "params": {"cacheDisabled": true}})),
            )
            .await;
        self.call(
            reqwest::Method::POST,
            &cdp,
            Some(json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": PROBE}})),
        )
        .await?;
        self.call(
            reqwest::Method::POST,
            &format!("/session/{session}/url"),
            Some(json!({ "url": url })),
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let value = self
                .call(
                    reqwest::Method::POST,
                    &format!("/session/{session}/execute/sync"),
                    Some(json!({"script": READ, "args": []})),
                )
                .await?;
            if let Some(tti) = value["tti"].as_f64() {
                // The load event may not have ended yet when the field is ready: wait for it.
                let load = value["load"].as_f64().unwrap_or(0.0);
                if load > 0.0 || Instant::now() > deadline {
                    return Ok(Timing {
                        tti,
                        dcl: value["dcl"].as_f64().unwrap_or(f64::NAN),
                        load,
                    });
                }
            }
            if Instant::now() > deadline {
                return Err(format!("no field accepted input within 30 s at {url}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A plain static HTML form with the same fields as the create-account step, styled by the same CSS.
pub fn static_form(css: Option<&str>) -> String {
    let css = css
        .map(|href| format!("<link href=/{href} rel=stylesheet>"))
        .unwrap_or_default();
    format!(
        r#"<!doctype html><html lang=de><meta charset=utf-8><meta content="width=device-width,initial-scale=1" name=viewport><meta content=no-referrer name=referrer><title>Konto erstellen – finAPI</title>{css}<body><main><h1>Konto erstellen</h1><form method=post action=/api/users novalidate>
<label for=id>Benutzerkennung</label><input id=id name=id autocomplete=username required maxlength=36>
<label for=password>Passwort</label><input id=password name=password type=password autocomplete=new-password required minlength=8>
<label for=email>E-Mail (optional)</label><input id=email name=email type=email autocomplete=email>
<label for=phone>Telefon (optional)</label><input id=phone name=phone type=tel autocomplete=tel>
<label><input type=checkbox name=autoUpdate> Meine Konten automatisch aktualisieren</label>
<button type=submit>Konto erstellen</button></form></main></body></html>
"#
    )
}

/// A copy of the built form with `static-form.html` next to it, for one proxy to serve both.
pub fn form_dir_with_static(dist: &Path, out: &Path) -> std::io::Result<PathBuf> {
    let dir = out.join("form");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut css = None;
    for entry in std::fs::read_dir(dist)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".css") {
                css = Some(name.clone());
            }
            std::fs::copy(entry.path(), dir.join(&name))?;
        }
    }
    std::fs::write(dir.join("static-form.html"), static_form(css.as_deref()))?;
    Ok(dir)
}
