//! What a benchmark runs against: the finAPI emulator in this process (so its token counters can be read
//! directly) and the proxy as a separate process (the built `onboarding-proxy` binary), whose memory and
//! open file descriptors are read from `/proc/<pid>/`.

use finapi_emulator::clock::SystemClock;
use finapi_emulator::{Emulator, EmulatorConfig, RunningEmulator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The partner key the bench's proxies accept (the bench is the partner's server).
pub const PARTNER_KEY: &str = "bench-partner-key-0123456789-abcdefghijklmnop";
/// Rate limits high enough never to trigger: every request of a load test comes from one address.
pub const NO_RATE_LIMIT: &str = "1000000000";

pub struct Finapi {
    pub emulator: RunningEmulator,
    pub client_id: String,
    pub client_secret: String,
}

/// The emulator with its development clients; `client_token_validity` changes how long a client token
/// lives (seconds, ≥ 60), so a soak spans several validity periods.
pub async fn start_emulator(client_token_validity: Option<i32>) -> Finapi {
    let mut config = EmulatorConfig::development();
    if let Some(period) = client_token_validity {
        config.app_clients[0].configuration.client_access_tokens_validity_period = period;
    }
    let app = config.app_client().credentials.clone();
    let emulator = Emulator::spawn(config, "127.0.0.1:0".parse().unwrap(), Arc::new(SystemClock))
        .await
        .expect("the finAPI emulator starts");
    Finapi {
        emulator,
        client_id: app.client_id,
        client_secret: app.client_secret,
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The proxy binary, running in its own process; killed when dropped.
pub struct ProxyProcess {
    child: Child,
    pub base_url: String,
    pub log: PathBuf,
}

pub struct ProxyLaunch<'a> {
    pub binary: &'a Path,
    pub finapi: &'a Finapi,
    pub form_dir: &'a Path,
    pub log: PathBuf,
    /// More settings, after the bench's own (e.g. a shorter rate-limit window).
    pub extra_env: Vec<(&'static str, String)>,
}

impl ProxyProcess {
    pub async fn start(launch: ProxyLaunch<'_>) -> ProxyProcess {
        let port = free_port();
        let finapi_url = launch.finapi.emulator.base_url();
        let log = std::fs::File::create(&launch.log).expect("the proxy's log file");
        let mut command = Command::new(launch.binary);
        command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("PROXY_LISTEN", format!("127.0.0.1:{port}"))
            .env("PROXY_FORM_DIR", launch.form_dir)
            .env("FINAPI_ACCESS_URL", &finapi_url)
            .env("FINAPI_WEB_FORM_URL", &finapi_url)
            .env("FINAPI_CLIENT_ID", &launch.finapi.client_id)
            .env("FINAPI_CLIENT_SECRET", &launch.finapi.client_secret)
            .env("PROXY_PARTNER_KEY", PARTNER_KEY)
            .env("PROXY_RATE_LIMIT_PER_IP", NO_RATE_LIMIT)
            .env("PROXY_RATE_LIMIT_PER_USER_ID", NO_RATE_LIMIT)
            // Per-request info lines would measure the terminal, not the proxy.
            .env("RUST_LOG", "warn");
        // Any PROXY_* setting in the bench's environment wins (e.g. PROXY_REDIS_URL to bench the Redis store).
        for (name, value) in std::env::vars().filter(|(name, _)| name.starts_with("PROXY_")) {
            command.env(name, value);
        }
        for (name, value) in &launch.extra_env {
            command.env(name, value);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", launch.binary.display()));
        let mut proxy = ProxyProcess {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            log: launch.log,
        };
        proxy.wait_ready().await;
        proxy
    }

    async fn wait_ready(&mut self) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the proxy exited with {status}; see {}", self.log.display());
            }
            if let Ok(response) = http.get(format!("{}/readyz", self.base_url)).send().await {
                if response.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the proxy did not become ready; see {}", self.log.display());
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn sample(&self) -> ProcessSample {
        ProcessSample::read(self.pid())
    }
}

impl Drop for ProxyProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What `/proc/<pid>/` says about a process.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessSample {
    /// Peak resident set size (VmHWM), bytes.
    pub peak_rss: u64,
    /// Resident set size now (VmRSS), bytes.
    pub rss: u64,
    pub threads: u64,
    pub open_fds: u64,
    /// User + system CPU time so far, seconds.
    pub cpu_seconds: f64,
}

impl ProcessSample {
    pub fn read(pid: u32) -> ProcessSample {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        let open_fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
            .map(|dir| dir.count() as u64)
            .unwrap_or(0);
        ProcessSample {
            peak_rss: field("VmHWM:") * 1024,
            rss: field("VmRSS:") * 1024,
            threads: field("Threads:"),
            open_fds,
            cpu_seconds: cpu_seconds(pid),
        }
    }
}

fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces; the fields after its closing parenthesis are fixed.
    let Some(after) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<u64>().ok()))
        .sum();
    ticks as f64 / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    // USER_HZ is 100 on every Linux the project runs on; `getconf CLK_TCK` confirms it where available.
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// One value of the proxy's Prometheus text (`/metrics`), e.g. `onboarding_live_sessions` or
/// `onboarding_handoffs_total{event="minted"}`.
pub async fn metric(http: &reqwest::Client, base_url: &str, series: &str) -> Option<f64> {
    let text = http
        .get(format!("{base_url}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(series)?;
        rest.strip_prefix(' ')?.trim().parse().ok()
    })
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
