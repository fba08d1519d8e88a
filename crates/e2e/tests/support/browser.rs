//! Headless Chromium through chromedriver (Debian's packages), with a fresh profile, no background
//! networking, and every request sent through the recording proxy.

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const WAIT: Duration = Duration::from_secs(30);

/// chromedriver's process, killed when dropped so a failing test leaves no browser behind.
pub struct Driver {
    child: Child,
    pub url: String,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn start_driver() -> Driver {
    let port = free_port();
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {binary} (install Debian's chromium-driver; scripts/install does): {e}")
        });
    let profile = std::env::temp_dir().join(format!("e2e-chromium-{port}"));
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
        profile,
    };
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(response) = http.get(format!("{}/status", driver.url)).send().await {
            if response.status().is_success() {
                return driver;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not become ready");
}

pub async fn open_browser(driver: &Driver, proxy: SocketAddr) -> Client {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1280,1100",
                format!("--user-data-dir={}", driver.profile.display()),
                format!("--proxy-server=http://{proxy}"),
                // Chromium skips proxies for loopback unless told otherwise.
                "--proxy-bypass-list=<-loopback>",
            ]
        }
    });
    let capabilities = capabilities.as_object().unwrap().clone();
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session")
}

/// Waits until the element's text satisfies `ready`, and returns the text.
pub async fn wait_for_text(client: &Client, css: &str, ready: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if ready(&text) {
                    return text;
                }
            }
        }
        if tokio::time::Instant::now() > deadline {
            let source = client.source().await.unwrap_or_default();
            panic!("{css} never showed the expected text; page was:\n{source}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

pub async fn type_into(client: &Client, css: &str, text: &str) {
    let field = find(client, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Runs `steps` in a fresh browser whose traffic goes through the recording proxy at `recorder`, and always
/// closes the browser session before reporting the outcome (a failed step panics after the clean-up).
pub async fn in_browser<F, Fut>(recorder: SocketAddr, steps: F)
where
    F: FnOnce(Client) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let driver = start_driver().await;
    let client = open_browser(&driver, recorder).await;
    let outcome = tokio::spawn({
        let client = client.clone();
        async move { steps(client).await }
    })
    .await;
    let _ = client.close().await;
    drop(driver);
    if let Err(failure) = outcome {
        std::panic::resume_unwind(failure.into_panic());
    }
}

/// A new person on the form's first step: creates the account `id` with `password`, then logs in with it
/// on the step that follows (which has the id filled in already).
pub async fn sign_up_and_log_in(client: &Client, id: &str, password: &str) {
    type_into(client, "#signup-id", id).await;
    type_into(client, "#signup-password", password).await;
    find(client, "#create-account button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for_text(client, "#account-created", |t| t.contains(id)).await;
    type_into(client, "#log-in-password", password).await;
    find(client, "#log-in button[type=submit]").await.click().await.unwrap();
}
