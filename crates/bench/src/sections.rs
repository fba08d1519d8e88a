//! The benchmarks of issue #6, one function per section, each returning its markdown fragment and goals.

use crate::load::{self, percentile_ms, Counters, Target};
use crate::report::{median, thousands, Report};
use crate::stack::{self, metric, mib, ProcessSample, ProxyLaunch, ProxyProcess};
use crate::tti;
use crate::Options;
use finapi::GrantType;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

fn proxy_bin(options: &Options) -> Result<(), String> {
    match options.proxy_bin.exists() {
        true => Ok(()),
        false => Err(format!(
            "{} is missing: build it with `cargo build --profile bench-native -p onboarding-proxy` (scripts/bench does)",
            options.proxy_bin.display()
        )),
    }
}

/// A form directory that exists (the API does not need the form; TTI needs the real one).
fn form_dir(options: &Options) -> std::path::PathBuf {
    options.dist.clone()
}

// ---------------------------------------------------------------------------------------------------------
// First load

pub async fn first_load(_options: &Options) -> Result<Report, String> {
    let output = std::process::Command::new("scripts/first-load-size")
        .output()
        .map_err(|e| format!("cannot run scripts/first-load-size: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "scripts/first-load-size failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut rows = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() == 4 {
            let numbers: Vec<u64> = fields[1..].iter().filter_map(|f| f.parse().ok()).collect();
            if numbers.len() == 3 {
                rows.push((fields[0].to_owned(), numbers[0], numbers[1], numbers[2]));
            }
        }
    }
    let total = rows
        .iter()
        .find(|row| row.0 == "total")
        .cloned()
        .ok_or("no total line in scripts/first-load-size's output")?;
    let mut report = Report::default();
    report.line("## First load");
    report.line("");
    report.line(
        "What the browser downloads for the first paint of the form (`dist/` after `trunk build --release`): \
         HTML, JS glue, wasm and CSS. Measured by `scripts/first-load-size` (gzip `-9`, brotli `-q 11`, as a \
         CDN would serve it). The proxy itself serves the files uncompressed.",
    );
    report.line("");
    report.line("| file | raw | gzip | brotli |");
    report.line("|---|---:|---:|---:|");
    for (name, raw, gzip, brotli) in &rows {
        let bold = if name == "total" { "**" } else { "" };
        report.line(format!(
            "| {bold}{name}{bold} | {} B | {} B | {bold}{} B{bold} |",
            thousands(*raw),
            thousands(*gzip),
            thousands(*brotli)
        ));
    }
    let budget = 64 * KIB;
    let wasm_brotli: u64 = rows
        .iter()
        .filter(|row| row.0.ends_with(".wasm"))
        .map(|row| row.3)
        .sum();
    let met = total.3 <= budget;
    report.goal(
        "first load ≤ 64 KB brotli (65,536 B)",
        format!("{} B ({:.1} KiB)", thousands(total.3), total.3 as f64 / KIB as f64),
        met,
        format!(
            "{} B over the budget ({:.0} % of it). The wasm alone is {} B brotli, {:.0} % of the total: most of \
             it is Leptos's view code and reactive runtime (an empty Leptos counter built the same way is about \
             24 KB brotli), then the form's own steps, i18n texts and the shared validation rules. Reaching 64 KB \
             needs fewer generic view instantiations, or a lighter renderer than Leptos for this form.",
            thousands(total.3.saturating_sub(budget)),
            total.3 as f64 * 100.0 / budget as f64,
            thousands(wasm_brotli),
            wasm_brotli as f64 * 100.0 / total.3.max(1) as f64
        ),
    );
    Ok(report)
}

// ---------------------------------------------------------------------------------------------------------
// Time to interactive

pub async fn tti(options: &Options) -> Result<Report, String> {
    proxy_bin(options)?;
    if !options.dist.join("index.html").exists() {
        return Err(format!(
            "{} has no index.html: run trunk build --release",
            options.dist.display()
        ));
    }
    let form = tti::form_dir_with_static(&options.dist, &options.out).map_err(|e| format!("form copy: {e}"))?;
    let finapi = stack::start_emulator(None).await;
    let proxy = ProxyProcess::start(ProxyLaunch {
        binary: &options.proxy_bin,
        finapi: &finapi,
        form_dir: &form,
        log: options.out.join("proxy-tti.log"),
        extra_env: Vec::new(),
    })
    .await;
    let driver = tti::Driver::start().await?;
    let profile = std::env::temp_dir().join(format!("onboarding-bench-chromium-{}", std::process::id()));
    let pages = [
        ("Leptos form (`/`)", format!("{}/", proxy.base_url)),
        (
            "static HTML form (`/static-form.html`)",
            format!("{}/static-form.html", proxy.base_url),
        ),
    ];
    // One untimed load of each: the browser binary and the servers warm up.
    for (_, url) in &pages {
        driver.measure(url, &profile).await?;
    }
    let mut timings: [Vec<tti::Timing>; 2] = [Vec::new(), Vec::new()];
    for run in 0..options.runs {
        // Alternating order, so drift on a shared machine hits both alike.
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for page in order {
            let timing = driver.measure(&pages[page].1, &profile).await?;
            timings[page].push(timing);
        }
        eprintln!("tti: run {}/{} done", run + 1, options.runs);
    }
    let stats = |page: usize, pick: fn(&tti::Timing) -> f64| {
        let mut values: Vec<f64> = timings[page].iter().map(pick).collect();
        let med = median(&mut values);
        (med, values[0], values[values.len() - 1])
    };
    let mut report = Report::default();
    report.line("## Time to interactive");
    report.line("");
    report.line(format!(
        "Navigation start → the first field accepts input (the first `input` that is neither disabled nor \
         read-only exists; recorded with `performance.now()` by a probe installed before any page script via \
         `Page.addScriptToEvaluateOnNewDocument`). Headless Chromium ({}) through chromedriver, from loopback; \
         every load in a new browser with a fresh profile and the cache disabled (cold). {} loads of each page, \
         alternating, after one untimed load of each. Both pages are served by the same proxy process (release \
         build of the form, `PROXY_FORM_DIR` = a copy of `dist/` plus `static-form.html`: the same fields, \
         labels and stylesheet, no script).",
        chromium_version(),
        options.runs
    ));
    report.line("");
    report.line("| page | TTI median | TTI min | TTI max | DOMContentLoaded median | load event median |");
    report.line("|---|---:|---:|---:|---:|---:|");
    for (page, (name, _)) in pages.iter().enumerate() {
        let (tti_med, tti_min, tti_max) = stats(page, |t| t.tti);
        let (dcl, _, _) = stats(page, |t| t.dcl);
        let (load_end, _, _) = stats(page, |t| t.load);
        report.line(format!(
            "| {name} | {tti_med:.1} ms | {tti_min:.1} ms | {tti_max:.1} ms | {dcl:.1} ms | {load_end:.1} ms |"
        ));
    }
    let (form_tti, _, _) = stats(0, |t| t.tti);
    let (static_tti, _, _) = stats(1, |t| t.tti);
    let ratio = form_tti / static_tti;
    report.line("");
    report.line(format!(
        "Ratio of the medians, Leptos form / static form: **{ratio:.2}×** ({form_tti:.1} ms vs {static_tti:.1} ms)."
    ));
    report.goal(
        format!("TTI ≤ 2× the static form (median of {} cold loads)", options.runs),
        format!("{ratio:.2}× ({form_tti:.0} ms vs {static_tti:.0} ms)"),
        ratio <= 2.0,
        format!(
            "the form becomes usable {:.0} ms after the static page would be. A static page's field is usable \
             as soon as the HTML is parsed; the form's appears only after the JS glue and the wasm ({} in \
             dist/) are fetched, compiled and instantiated, the form has fetched its settings from the proxy \
             (`GET /api/settings`, in parallel with `GET /api/tenant`) and Leptos has rendered the step. On \
             loopback the fetches are nearly free, so this is wasm compile + instantiate, an API round trip that \
             can only start after it, and the first render. A smaller wasm (see First load) shortens the first part; rendering the step \
             at once with the settings the page could carry inline (the proxy knows them when it serves \
             `index.html`) removes the round trip; server-rendering the form's HTML (Leptos SSR + hydrate) \
             would make the fields exist before the wasm arrives.",
            form_tti - static_tti,
            wasm_size(&options.dist)
        ),
    );
    Ok(report)
}

fn chromium_version() -> String {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    std::process::Command::new(chromium)
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "Chromium".into())
}

fn wasm_size(dist: &std::path::Path) -> String {
    std::fs::read_dir(dist)
        .ok()
        .and_then(|dir| {
            dir.flatten()
                .find(|e| e.file_name().to_string_lossy().ends_with(".wasm"))
                .and_then(|e| e.metadata().ok())
        })
        .map(|m| format!("{} B raw", thousands(m.len())))
        .unwrap_or_else(|| "the wasm".into())
}

// ---------------------------------------------------------------------------------------------------------
// Throughput and overhead

pub async fn throughput(options: &Options) -> Result<Report, String> {
    proxy_bin(options)?;
    let count = options.count;
    let levels = [1usize, 8, 32, 128];
    let mut rows = Vec::new();
    let mut processes = Vec::new();
    for (i, &concurrency) in levels.iter().enumerate() {
        let results = compare(options, concurrency, count, "", i % 2 == 1, &[], &mut processes).await;
        rows.push((concurrency, results));
    }
    // The same at concurrency 32 with a 1-second rate-limit window: the limiter's counters then leave the
    // in-memory store at once, which shows what the store's per-write sweep over them costs.
    let window = [("PROXY_RATE_LIMIT_WINDOW_SECONDS", "1")];
    let mut pair = compare(options, 32, count, "s", false, &window, &mut processes).await;
    let (_, short_direct, _) = pair.pop().unwrap();
    let (_, short, (short_cpu, _)) = pair.pop().unwrap();
    eprintln!(
        "throughput: proxy (window 1 s) c=32: {:.1}/s; direct: {:.1}/s",
        short.throughput(),
        short_direct.throughput()
    );
    let most_tokens = processes.iter().map(|p| p.tokens).max().unwrap_or(0);
    let longest = processes.iter().map(|p| p.lived).max().unwrap_or_default();
    let peak_rss = processes.iter().map(|p| p.peak_rss).max().unwrap_or(0);
    let validity = finapi_emulator::EmulatorConfig::development()
        .app_client()
        .configuration
        .client_access_tokens_validity_period;

    let mut report = Report::default();
    report.line("## Proxy throughput and overhead");
    report.line("");
    report.line(format!(
        "Complete onboardings — create (`POST /api/users`), log in (`POST /api/sessions`), hand off \
         (`POST /api/handoff`, which creates the finAPI Web Form) and exchange (`POST /api/handoff/exchange`, \
         the partner's server) — by a closed loop of N workers, {} onboardings per run, two runs per path and concurrency \
         alternating proxy and direct A B B A (one untimed onboarding per worker before each run), through the proxy (its own process, `bench-native` profile: opt-level 3, no LTO) and, for \
         comparison, the same finAPI calls straight to the emulator (`POST /api/v2/users`, the password grant, \
         `POST /api/webForms/bankConnectionImport`; a client token obtained once, as the proxy caches it; the \
         exchange has no finAPI call). Every run gets a fresh emulator (in the bench's \
         process) and, through the proxy, a fresh proxy process, so that no run pays for the users, grants \
         and sessions the runs before it left behind. Same HTTP client (reqwest, \
         keep-alive), one new user per onboarding. The proxy runs with `RUST_LOG=warn` and its rate limits \
         raised to {} per window (every request comes from 127.0.0.1; the limiter still counts every request).",
        thousands(count),
        stack::NO_RATE_LIMIT
    ));
    report.line("");
    report.line(
        "The load generator, the emulator and the proxy share the machine's cores, so absolute figures say \
         little; the ratio proxy/direct, measured in the same run with the two alternating, is the figure.",
    );
    report.line("");
    report.line(
        "| concurrency | path | onboardings/s | errors | create p50 / p99 | log in p50 / p99 | hand off p50 / p99 | exchange p50 / p99 | whole onboarding p50 / p99 | CPU per onboarding: proxy / client + emulator |",
    );
    report.line("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut ratio_at_32 = f64::NAN;
    let mut first_error = None;
    for (concurrency, results) in &mut rows {
        for (label, result, (proxy_cpu, bench_cpu)) in results.iter_mut() {
            let mut cells = Vec::new();
            for steps in result.latencies.steps.iter_mut() {
                steps.sort_unstable();
                cells.push(match steps.is_empty() {
                    true => "—".to_owned(),
                    false => format!(
                        "{:.2} / {:.2} ms",
                        percentile_ms(steps, 50.0),
                        percentile_ms(steps, 99.0)
                    ),
                });
            }
            result.latencies.total.sort_unstable();
            let total = &result.latencies.total;
            let per = |seconds: f64| seconds * 1000.0 / result.onboardings.max(1) as f64;
            let cpu = match *label {
                "proxy" => format!("{:.2} / {:.2} ms", per(*proxy_cpu), per(*bench_cpu)),
                _ => format!("— / {:.2} ms", per(*bench_cpu)),
            };
            report.line(format!(
                "| {concurrency} | {label} | {:.1} | {} | {} | {} | {} | {} | {:.2} / {:.2} ms | {cpu} |",
                result.throughput(),
                result.errors,
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                percentile_ms(total, 50.0),
                percentile_ms(total, 99.0)
            ));
            if first_error.is_none() {
                first_error = result
                    .first_error
                    .clone()
                    .map(|e| format!("{label} c={concurrency}: {e}"));
            }
        }
    }
    report.line("");
    report.line("| concurrency | throughput proxy / direct | whole-onboarding p50 proxy / direct |");
    report.line("|---:|---:|---:|");
    for (concurrency, results) in &rows {
        let (proxy_result, direct_result) = (&results[0].1, &results[1].1);
        let ratio = proxy_result.throughput() / direct_result.throughput();
        let p50 =
            percentile_ms(&proxy_result.latencies.total, 50.0) / percentile_ms(&direct_result.latencies.total, 50.0);
        if *concurrency == 32 {
            ratio_at_32 = ratio;
        }
        report.line(format!("| {concurrency} | **{ratio:.2}×** | {p50:.2}× |"));
    }
    report.line("");
    report.line(format!(
        "The same at concurrency 32 with `PROXY_RATE_LIMIT_WINDOW_SECONDS=1` (a fresh proxy; the rate-limit \
         counters expire after a second instead of 600 s, so the in-memory store stays small), alternating \
         with direct runs as above: proxy {:.1}/s vs direct {:.1}/s = **{:.2}×**, whole onboarding p50 {:.2} ms, \
         proxy CPU {:.2} ms per onboarding.",
        short.throughput(),
        short_direct.throughput(),
        short.throughput() / short_direct.throughput(),
        {
            let mut total = short.latencies.total.clone();
            total.sort_unstable();
            percentile_ms(&total, 50.0)
        },
        short_cpu * 1000.0 / short.onboardings.max(1) as f64
    ));
    if let Some(error) = first_error {
        report.line("");
        report.line(format!("First error seen: `{error}`"));
    }
    report.line("");
    report.line(format!(
        "Client-token requests (`grant_type=client_credentials`) that reached finAPI from each proxy process, \
         from its start-up check and `/readyz` to its last onboarding (up to {:.0} s; the client token lives \
         {validity} s): at most **{most_tokens}** over {} processes. Proxy peak RSS, highest of them: {}.",
        longest.as_secs_f64().ceil(),
        processes.len(),
        mib(peak_rss)
    ));
    let direct_32 = rows
        .iter()
        .find(|(c, _)| *c == 32)
        .map(|(_, r)| r[1].1.throughput())
        .unwrap_or(0.0);
    let proxy_32 = rows
        .iter()
        .find(|(c, _)| *c == 32)
        .map(|(_, r)| r[0].1.throughput())
        .unwrap_or(0.0);
    report.goal(
        "throughput through the proxy ≥ 0.9× direct at concurrency 32",
        format!("{ratio_at_32:.2}× ({proxy_32:.0}/s vs {direct_32:.0}/s)"),
        ratio_at_32 >= 0.9,
        {
            let at_32 = rows.iter().find(|(c, _)| *c == 32).map(|(_, r)| r);
            let per = |i: usize, which: usize| {
                at_32
                    .map(|r| {
                        let cpu = if which == 0 { r[i].2 .0 } else { r[i].2 .1 };
                        cpu * 1000.0 / r[i].1.onboardings.max(1) as f64
                    })
                    .unwrap_or(f64::NAN)
            };
            let (proxy_cpu, proxy_side, direct_side) = (per(0, 0), per(0, 1), per(1, 1));
            format!(
                "the machine is CPU-bound (2 cores for the load generator, the emulator and the proxy), so \
                 throughput is set by CPU time per onboarding. At concurrency 32 a direct onboarding costs \
                 {direct_side:.2} ms of CPU (client + emulator); through the proxy it costs {proxy_cpu:.2} ms in \
                 the proxy plus {proxy_side:.2} ms of client + emulator (one more request, the exchange), \
                 {:.2} ms in all: {direct_side:.2} / {:.2} = {:.2}, about the measured ratio. The emulator \
                 answers from memory in well under a millisecond, so any HTTP hop in front of it — four \
                 requests in, three out, each parsed, checked, logged to metrics and given security headers — \
                 costs more than finAPI's work itself: 0.9× would need the proxy to spend under a tenth of a \
                 direct onboarding's CPU, less than one HTTP exchange costs. Against the real finAPI, whose \
                 calls take tens of milliseconds on finAPI's machines, the same {proxy_cpu:.2} ms is what \
                 limits the proxy: about {:.0} onboardings a second per core. The in-memory store's share \
                 (a rate-limit counter per user id and action for the whole 600 s window; expired entries swept \
                 at most once a second) is what the run with a 1-second window above shows.",
                proxy_cpu + proxy_side,
                proxy_cpu + proxy_side,
                direct_side / (proxy_cpu + proxy_side),
                1000.0 / proxy_cpu
            )
        },
    );
    report.goal(
        "client-token requests: 1 per tenant per validity period (throughput runs)",
        format!(
            "at most {most_tokens} per proxy process ({} processes, each ≤ {:.0} s)",
            processes.len(),
            longest.as_secs_f64().ceil()
        ),
        most_tokens <= 1,
        "a proxy process asked for more than one client token within one validity period.",
    );
    Ok(report)
}

/// One proxy process of the throughput runs.
struct ProxyRun {
    tokens: u64,
    lived: Duration,
    peak_rss: u64,
}

/// Through the proxy and direct, alternating A B B A, so drift on a shared machine hits both alike; every
/// run on a fresh emulator (and proxy). Returns `[proxy, direct]`, each with the proxy's CPU seconds.
async fn compare(
    options: &Options,
    concurrency: usize,
    count: u64,
    tag: &str,
    proxy_first: bool,
    extra_env: &[(&'static str, &str)],
    processes: &mut Vec<ProxyRun>,
) -> Vec<(&'static str, load::RunResult, (f64, f64))> {
    let order = match proxy_first {
        true => [true, false, false, true],
        false => [false, true, true, false],
    };
    let mut merged: Vec<(&'static str, load::RunResult, (f64, f64))> = Vec::new();
    for (k, through_proxy) in order.into_iter().enumerate() {
        let finapi = stack::start_emulator(None).await;
        // This process: the load generator and the emulator.
        let bench_before = ProcessSample::read(std::process::id()).cpu_seconds;
        let (result, cpu, label) = if through_proxy {
            let started = Instant::now();
            let proxy = ProxyProcess::start(ProxyLaunch {
                binary: &options.proxy_bin,
                finapi: &finapi,
                form_dir: &form_dir(options),
                log: options.out.join("proxy-throughput.log"),
                extra_env: extra_env.iter().map(|(k, v)| (*k, v.to_string())).collect(),
            })
            .await;
            let target = Arc::new(Target::Proxy {
                base_url: proxy.base_url.clone(),
            });
            let before = proxy.sample();
            let result = load::closed_loop(target, concurrency, count, &format!("{tag}p{concurrency}r{k}")).await;
            let after = proxy.sample();
            processes.push(ProxyRun {
                tokens: finapi.emulator.stats().token_requests(GrantType::ClientCredentials),
                lived: started.elapsed(),
                peak_rss: after.peak_rss,
            });
            (result, after.cpu_seconds - before.cpu_seconds, "proxy")
        } else {
            let http = reqwest::Client::new();
            let target = Arc::new(Target::direct(&http, &finapi).await);
            let result = load::closed_loop(target, concurrency, count, &format!("{tag}d{concurrency}r{k}")).await;
            (result, 0.0, "direct")
        };
        let cpu = (cpu, ProcessSample::read(std::process::id()).cpu_seconds - bench_before);
        finapi.emulator.stop().await;
        eprintln!(
            "throughput: {label} c={concurrency}: {:.1}/s, {} errors",
            result.throughput(),
            result.errors
        );
        match merged.iter_mut().find(|(l, _, _)| *l == label) {
            Some((_, so_far, cpu_so_far)) => {
                so_far.merge(result);
                cpu_so_far.0 += cpu.0;
                cpu_so_far.1 += cpu.1;
            }
            None => merged.push((label, result, cpu)),
        }
    }
    merged.sort_by_key(|(label, _, _)| if *label == "proxy" { 0 } else { 1 });
    merged
}

// ---------------------------------------------------------------------------------------------------------
// Peak memory with many live sessions

pub async fn sessions(options: &Options) -> Result<Report, String> {
    proxy_bin(options)?;
    let finapi = stack::start_emulator(None).await;
    let proxy = ProxyProcess::start(ProxyLaunch {
        binary: &options.proxy_bin,
        finapi: &finapi,
        form_dir: &form_dir(options),
        log: options.out.join("proxy-sessions.log"),
        extra_env: Vec::new(),
    })
    .await;
    let http = load::client(32);
    let idle = proxy.sample();
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..32 {
        let (http, base, next, errors, total) = (
            http.clone(),
            proxy.base_url.clone(),
            next.clone(),
            errors.clone(),
            options.sessions,
        );
        workers.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                if let Err(error) = load::sign_up_and_log_in(&http, &base, &format!("live-{n}")).await {
                    if errors.fetch_add(1, Ordering::Relaxed) < 3 {
                        eprintln!("sessions: {error}");
                    }
                }
            }
        }));
    }
    for worker in workers {
        let _ = worker.await;
    }
    let elapsed = started.elapsed();
    let live = metric(&http, &proxy.base_url, "onboarding_live_sessions")
        .await
        .unwrap_or(f64::NAN) as u64;
    let full = proxy.sample();
    let per_session = (full.rss.saturating_sub(idle.rss)) as f64 / live.max(1) as f64;
    let mut report = Report::default();
    report.line("## Proxy memory with live sessions");
    report.line("");
    report.line(format!(
        "A fresh proxy process (in-memory store, the default), then {} sign-ups and logins at concurrency 32 \
         without handing off, so every session stays live (15 minutes) in {:.1} s; `onboarding_live_sessions` \
         from `/metrics` confirms the count. Memory from `/proc/<pid>/status` (VmHWM = peak resident set).",
        thousands(options.sessions as u64),
        elapsed.as_secs_f64()
    ));
    report.line("");
    report.line("| | live sessions | RSS (VmRSS) | peak RSS (VmHWM) | open fds | threads |");
    report.line("|---|---:|---:|---:|---:|---:|");
    report.line(format!(
        "| idle, after start-up | 0 | {} | {} | {} | {} |",
        mib(idle.rss),
        mib(idle.peak_rss),
        idle.open_fds,
        idle.threads
    ));
    report.line(format!(
        "| with the sessions | {} | {} | {} | {} | {} |",
        thousands(live),
        mib(full.rss),
        mib(full.peak_rss),
        full.open_fds,
        full.threads
    ));
    report.line("");
    report.line(format!(
        "About {:.1} KiB of resident memory per live session (tokens, JSON, the expiry schedule and the per-user \
         index, and the rate-limit counters of each sign-up and login), plus allocator slack. Errors: {}.",
        per_session / KIB as f64,
        errors.load(Ordering::Relaxed)
    ));
    let goal = 64 * MIB;
    report.goal(
        format!(
            "proxy peak RSS ≤ 64 MB with {} live sessions",
            thousands(options.sessions as u64)
        ),
        format!("{} (VmHWM)", mib(full.peak_rss)),
        full.peak_rss <= goal && live as usize >= options.sessions,
        format!(
            "{} over 64 MiB{}.",
            mib(full.peak_rss.saturating_sub(goal)),
            if (live as usize) < options.sessions {
                format!("; and only {live} sessions were live")
            } else {
                String::new()
            }
        ),
    );
    Ok(report)
}

// ---------------------------------------------------------------------------------------------------------
// Soak

struct SoakSample {
    at: Duration,
    done: u64,
    errors: u64,
    skipped: u64,
    process: ProcessSample,
    live_sessions: f64,
    minted: f64,
    redeemed: f64,
    expired: f64,
    client_tokens: u64,
}

pub async fn soak(options: &Options) -> Result<Report, String> {
    proxy_bin(options)?;
    let duration = Duration::from_secs_f64(options.soak_minutes * 60.0);
    // Short client-token validity, so the soak spans several periods and the cache's renewals show.
    let validity: i32 = if duration >= Duration::from_secs(900) { 300 } else { 60 };
    let interval = if options.quick {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(30)
    };
    let finapi = stack::start_emulator(Some(validity)).await;
    let stats = finapi.emulator.stats();
    let tokens_at_start = stats.token_requests(GrantType::ClientCredentials);
    let proxy = ProxyProcess::start(ProxyLaunch {
        binary: &options.proxy_bin,
        finapi: &finapi,
        form_dir: &form_dir(options),
        log: options.out.join("proxy-soak.log"),
        extra_env: Vec::new(),
    })
    .await;
    let http = reqwest::Client::new();
    let target = Arc::new(Target::Proxy {
        base_url: proxy.base_url.clone(),
    });
    let counters = Arc::new(Counters::default());
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let sample = |at: Duration| {
        let (http, base, counters, stats, pid) = (
            http.clone(),
            proxy.base_url.clone(),
            counters.clone(),
            stats.clone(),
            proxy.pid(),
        );
        async move {
            let m = |series: &'static str| {
                let (http, base) = (http.clone(), base.clone());
                async move { metric(&http, &base, series).await.unwrap_or(0.0) }
            };
            SoakSample {
                at,
                done: counters.done.load(Ordering::Relaxed),
                errors: counters.errors.load(Ordering::Relaxed),
                skipped: counters.skipped.load(Ordering::Relaxed),
                process: ProcessSample::read(pid),
                live_sessions: m("onboarding_live_sessions").await,
                minted: m("onboarding_handoffs_total{event=\"minted\"}").await,
                redeemed: m("onboarding_handoffs_total{event=\"redeemed\"}").await,
                expired: m("onboarding_handoffs_total{event=\"expired\"}").await,
                client_tokens: stats.token_requests(GrantType::ClientCredentials) - tokens_at_start,
            }
        }
    };
    let mut samples = vec![sample(Duration::ZERO).await];
    let load_task = load::paced(target, options.rate, 32, "soak".into(), counters.clone(), stop.clone());
    while started.elapsed() < duration {
        let next = interval * samples.len() as u32;
        let wait = next
            .saturating_sub(started.elapsed())
            .min(duration.saturating_sub(started.elapsed()));
        tokio::time::sleep(wait).await;
        let s = sample(started.elapsed()).await;
        eprintln!(
            "soak: {:.0} s, {} onboardings, RSS {}, {} fds, {} live sessions",
            s.at.as_secs_f64(),
            s.done,
            mib(s.process.rss),
            s.process.open_fds,
            s.live_sessions
        );
        samples.push(s);
    }
    stop.store(true, Ordering::Relaxed);
    let _ = load_task.await;
    // Long enough for idle keep-alive connections (the proxy's pool to finAPI keeps them 90 s) to close.
    tokio::time::sleep(Duration::from_secs(if options.quick { 3 } else { 95 })).await;
    let after = sample(started.elapsed()).await;

    let minutes = options.soak_minutes;
    Ok(soak_report(
        &samples,
        &after,
        duration,
        validity,
        options.rate,
        interval,
        minutes,
        false,
    ))
}

/// `soak-rejudge`: the soak's goals again, from the table of an earlier run's `soak.md` (same options).
pub async fn soak_rejudge(options: &Options) -> Result<Report, String> {
    let path = options.out.join("soak.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut samples = Vec::new();
    let mut after = None;
    for line in text.lines() {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() != 10 {
            continue;
        }
        let number = |cell: &str| cell.replace(',', "").parse::<f64>().ok();
        let at = match cells[0] {
            cell if cell.starts_with("after the load") => None,
            cell => match cell.strip_suffix(" s").and_then(number) {
                Some(seconds) => Some(Duration::from_secs_f64(seconds)),
                None => continue,
            },
        };
        let codes: Vec<f64> = cells[8].split('/').filter_map(|c| number(c.trim())).collect();
        let rss = cells[4].strip_suffix(" MiB").and_then(number).ok_or("RSS")?;
        let sample = SoakSample {
            at: at.unwrap_or_default(),
            done: number(cells[1]).ok_or("onboardings")? as u64,
            errors: number(cells[2]).ok_or("errors")? as u64,
            skipped: number(cells[3]).ok_or("skipped")? as u64,
            process: ProcessSample {
                rss: (rss * MIB as f64) as u64,
                open_fds: number(cells[5]).ok_or("fds")? as u64,
                threads: number(cells[6]).ok_or("threads")? as u64,
                ..ProcessSample::default()
            },
            live_sessions: number(cells[7]).ok_or("sessions")?,
            minted: *codes.first().ok_or("codes")?,
            redeemed: *codes.get(1).ok_or("codes")?,
            expired: *codes.get(2).ok_or("codes")?,
            client_tokens: number(cells[9]).ok_or("tokens")? as u64,
        };
        match at {
            Some(_) => samples.push(sample),
            None => after = Some(sample),
        }
    }
    let mut after = after.ok_or("no \"after the load\" row")?;
    if samples.is_empty() {
        return Err("no samples".into());
    }
    let duration = Duration::from_secs_f64(options.soak_minutes * 60.0);
    // How long after the load the last row was taken, as the fragment says.
    let delay = text
        .split("the last row is ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(3);
    after.at = samples.last().unwrap().at + Duration::from_secs(delay);
    let validity: i32 = if duration >= Duration::from_secs(900) { 300 } else { 60 };
    let interval = samples.get(1).map(|s| s.at).unwrap_or(Duration::from_secs(30));
    let interval = Duration::from_secs((interval.as_secs_f64() / 10.0).round() as u64 * 10);
    Ok(soak_report(
        &samples,
        &after,
        duration,
        validity,
        options.rate,
        interval,
        options.soak_minutes,
        true,
    ))
}

#[allow(clippy::too_many_arguments)]
fn soak_report(
    samples: &[SoakSample],
    after: &SoakSample,
    duration: Duration,
    validity: i32,
    rate: u32,
    interval: Duration,
    minutes: f64,
    rejudged: bool,
) -> Report {
    let mut report = Report::default();
    report.line("## Soak");
    report.line("");
    report.line(format!(
        "{} of steady load against a fresh proxy process and the emulator: {rate} onboardings a second \
         started on a fixed schedule (at most 32 in flight; a tick with none free is skipped and counted), each \
         the four steps above. The emulator's client tokens live {validity} s here, so the soak spans several \
         validity periods. Sampled every {} s from `/proc/<pid>/` and `/metrics`; the last row is {} s after \
         the load stopped.",
        match minutes {
            m if m == 1.0 => "1 minute".to_owned(),
            m => format!("{m} minutes"),
        },
        interval.as_secs(),
        (after
            .at
            .saturating_sub(samples.last().map(|s| s.at).unwrap_or_default()))
        .as_secs()
    ));
    report.line("");
    report.line("| time | onboardings | errors | skipped | RSS | open fds | threads | live sessions | codes minted / redeemed / expired | client tokens from finAPI |");
    report.line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let row = |s: &SoakSample, label: String| {
        format!(
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} | {} |",
            thousands(s.done),
            s.errors,
            s.skipped,
            mib(s.process.rss),
            s.process.open_fds,
            s.process.threads,
            s.live_sessions,
            s.minted,
            s.redeemed,
            s.expired,
            s.client_tokens
        )
    };
    for s in samples {
        report.line(row(s, format!("{:.0} s", s.at.as_secs_f64())));
    }
    report.line(row(after, "after the load".into()));

    // Steady state: the second half of the run. The first half is warm-up: the rate-limit counters of the
    // 600-s window fill the in-memory store, connection pools and allocator arenas grow to their size.
    let warm = samples
        .iter()
        .find(|s| s.at >= duration / 2)
        .unwrap_or(&samples[samples.len() / 2]);
    let last = samples.last().unwrap();
    let first = &samples[0];
    let steady: Vec<&SoakSample> = samples.iter().filter(|s| s.at >= warm.at).collect();
    let (step, step_at) = steady
        .windows(2)
        .map(|w| (w[1].process.rss as i64 - w[0].process.rss as i64, w[1].at))
        .max_by_key(|(step, _)| *step)
        .unwrap_or((0, warm.at));
    let rss_growth = last.process.rss as f64 / warm.process.rss.max(1) as f64 - 1.0;
    let max_fds = samples.iter().map(|s| s.process.open_fds).max().unwrap_or(0);
    report.line("");
    report.line(format!(
        "First vs last sample under load: RSS {} → {}, open fds {} → {}, threads {} → {}. Steady state (the \
         second half, from {:.0} s): RSS {:+.1} %, its largest step between two samples {:+.1} MiB (at {:.0} s); \
         open fds at most {max_fds} under load (the bench's keep-alive connections, up to 32 in flight, and \
         the proxy's pool to finAPI), {} after the load.",
        mib(first.process.rss),
        mib(last.process.rss),
        first.process.open_fds,
        last.process.open_fds,
        first.process.threads,
        last.process.threads,
        warm.at.as_secs_f64(),
        rss_growth * 100.0,
        step as f64 / MIB as f64,
        step_at.as_secs_f64(),
        after.process.open_fds
    ));
    report.line("");
    report.line(format!(
        "Achieved: {} onboardings in {:.0} s, {:.1} a second against the {rate} scheduled (ticks the load \
         generator itself was late for are dropped, not counted as skipped). The load generator and the emulator \
         share the cores with the proxy, so a rate below the schedule means the machine was busy, not that the \
         proxy refused work.",
        thousands(last.done),
        last.at.as_secs_f64(),
        last.done as f64 / last.at.as_secs_f64().max(1.0)
    ));
    if rejudged {
        report.line("");
        report.line(
            "(The goals below were evaluated again from this table after the run, by `onboarding-bench \
             soak-rejudge`, with the bench's current criteria: steady state = the second half of the run; \
             descriptors bounded by the connections in flight under load, and after it by the proxy's idle pool \
             to finAPI.)",
        );
    }
    let memory_flat = rss_growth <= 0.10;
    // Bounded, not growing with the onboardings: under load at most the bench's connections and the proxy's
    // pool to finAPI (each up to the 32 in flight); after it, at most the proxy's idle pool (kept 90 s).
    let fds_flat = after.process.open_fds <= first.process.open_fds + 32 && max_fds <= first.process.open_fds + 72;
    report.goal(
        "soak: proxy memory flat (second half of the run, ≤ +10 %)",
        format!(
            "{} → {} ({:+.1} %)",
            mib(warm.process.rss),
            mib(last.process.rss),
            rss_growth * 100.0
        ),
        memory_flat,
        format!(
            "resident memory grew {:+.1} % in the second half, {:+.1} MiB of it in one step at {:.0} s; from \
             that sample to the end it moved {:+.1} %. Growth \
             in steps with flat stretches between them, rather than in proportion to the onboardings, is what \
             the store's hash maps do when they double their capacity (they never shrink); a leak per onboarding \
             would climb steadily. The in-memory store holds a rate-limit counter per user id and action for \
             600 s, so its size follows the sign-up rate; a soak several times longer, or a store that releases \
             capacity, would settle it.",
            rss_growth * 100.0,
            step as f64 / MIB as f64,
            step_at.as_secs_f64(),
            samples
                .iter()
                .find(|s| s.at >= step_at)
                .map(|s| (last.process.rss as f64 / s.process.rss.max(1) as f64 - 1.0) * 100.0)
                .unwrap_or(f64::NAN)
        ),
    );
    report.goal(
        "soak: open file descriptors flat",
        format!(
            "{} at the start, at most {max_fds} under load, {} after",
            first.process.open_fds, after.process.open_fds
        ),
        fds_flat,
        "the proxy's descriptors were not bounded by the connections in flight: connections or files are not \
         closed.",
    );
    let leaked_sessions = after.live_sessions;
    let open_codes = after.minted - after.redeemed - after.expired;
    report.goal(
        "soak: nothing leaked — sessions and handoff codes",
        format!(
            "{} live sessions and {} unredeemed codes after the load ({} onboardings)",
            leaked_sessions,
            open_codes,
            thousands(after.done)
        ),
        leaked_sessions == 0.0 && open_codes == 0.0,
        "sessions or codes outlived their onboarding (the exchange ends the session and takes the code).",
    );
    report.goal(
        "soak: nothing leaked — tasks (threads as the visible proxy)",
        format!("threads {} → {}", first.process.threads, after.process.threads),
        after.process.threads <= first.process.threads + 2,
        "the proxy runs more threads at the end than at the start.",
    );
    let periods = (after.at.as_secs_f64() / validity as f64).ceil() as u64;
    report.goal(
        format!("soak: client tokens: 1 per validity period ({validity} s here)"),
        format!(
            "{} in {:.0} s = {} periods",
            after.client_tokens,
            after.at.as_secs_f64(),
            periods
        ),
        after.client_tokens <= periods + 1,
        "the proxy asked finAPI for a client token more than once per validity period. It uses a token to its \
         end (before that finAPI would only return the same token again) and asks again only when it has \
         expired or a call met a 401; more requests than periods point to 401 retries or tokens dropped early \
         (the table shows when they arrived).",
    );
    report.line("");
    report.line(
        "Tasks: the proxy exposes no tokio task count; flat threads, descriptors and memory, no live session \
         and no open code after the load are what a leaked task would break.",
    );
    report
}
