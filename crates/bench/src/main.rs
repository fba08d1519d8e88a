//! `onboarding-bench SECTION [--quick] [options]`: one benchmark of issue #6; writes its figures as a
//! markdown fragment `OUT/SECTION.md` and its goals as table rows in `OUT/SECTION.goals`.
//! `scripts/bench` runs every section and assembles BENCHMARKS.md from the fragments.
//!
//! Sections: `first-load`, `tti`, `throughput`, `sessions`, `soak`.

mod load;
mod report;
mod sections;
mod stack;
mod tti;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: onboarding-bench SECTION [--quick] [options]
sections:
  first-load     bytes of the first paint (from scripts/first-load-size), goal <= 64 KB brotli
  tti            time to interactive, Leptos form vs a static HTML form, headless Chromium, cold cache
  throughput     onboardings through the proxy vs straight to finAPI at concurrency 1, 8, 32, 128
  sessions       the proxy's peak RSS with 10,000 live sessions
  soak           steady load for --soak-minutes: RSS, fds, sessions, codes, threads over time
  soak-rejudge   the soak's goals again from OUT/soak.md's table (give the same --soak-minutes)
options:
  --quick              small counts, 1-minute soak: for trying it
  --out DIR            where fragments go (default target/bench)
  --proxy-bin PATH     the onboarding-proxy binary (default target/bench-native/onboarding-proxy)
  --dist DIR           the built form (default dist)
  --soak-minutes N     soak length (default 30; 1 with --quick)
  --runs N             TTI runs per page (default 25; 5 with --quick)
  --count N            onboardings per throughput run (default 3000; 400 with --quick)
  --sessions N         live sessions for the memory figure (default 10000; 2000 with --quick)
  --rate N             soak onboardings per second (default 40)";

pub struct Options {
    pub quick: bool,
    pub out: PathBuf,
    pub proxy_bin: PathBuf,
    pub dist: PathBuf,
    pub soak_minutes: f64,
    pub runs: usize,
    pub count: u64,
    pub sessions: usize,
    pub rate: u32,
}

fn parse(args: &[String]) -> Result<(String, Options), String> {
    let mut section = None;
    let mut quick = false;
    let mut values: Vec<(String, String)> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => {
                let value = iter.next().ok_or(format!("{flag} needs a value"))?;
                values.push((flag.to_owned(), value.clone()));
            }
            name if section.is_none() => section = Some(name.to_owned()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let mut options = Options {
        quick,
        out: PathBuf::from("target/bench"),
        proxy_bin: PathBuf::from("target/bench-native/onboarding-proxy"),
        dist: PathBuf::from("dist"),
        soak_minutes: if quick { 1.0 } else { 30.0 },
        runs: if quick { 5 } else { 25 },
        count: if quick { 400 } else { 3000 },
        sessions: if quick { 2_000 } else { 10_000 },
        rate: 40,
    };
    for (flag, value) in values {
        let number = |v: &str| v.parse::<f64>().map_err(|_| format!("{flag}: not a number: {v:?}"));
        match flag.as_str() {
            "--out" => options.out = PathBuf::from(value),
            "--proxy-bin" => options.proxy_bin = PathBuf::from(value),
            "--dist" => options.dist = PathBuf::from(value),
            "--soak-minutes" => options.soak_minutes = number(&value)?,
            "--runs" => options.runs = number(&value)? as usize,
            "--count" => options.count = number(&value)? as u64,
            "--sessions" => options.sessions = number(&value)? as usize,
            "--rate" => options.rate = number(&value)? as u32,
            other => return Err(format!("unknown option {other}")),
        }
    }
    let section = section.ok_or("which section?")?;
    Ok((section, options))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (section, options) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(error) => {
            if !error.is_empty() {
                eprintln!("onboarding-bench: {error}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    std::fs::create_dir_all(&options.out).expect("the output directory");
    let fragment = match section.as_str() {
        "first-load" => sections::first_load(&options).await,
        "tti" => sections::tti(&options).await,
        "throughput" => sections::throughput(&options).await,
        "sessions" => sections::sessions(&options).await,
        "soak" => sections::soak(&options).await,
        "soak-rejudge" => sections::soak_rejudge(&options).await,
        other => {
            eprintln!("onboarding-bench: unknown section {other:?}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match fragment {
        Ok(report) => {
            // soak-rejudge rewrites the soak's fragment.
            let name = section.strip_suffix("-rejudge").unwrap_or(&section);
            report.write(&options.out, name).expect("the fragment is written");
            println!("{}", report.markdown);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("onboarding-bench {section}: {error}");
            ExitCode::FAILURE
        }
    }
}
