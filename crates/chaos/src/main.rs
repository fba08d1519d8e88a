//! `onboarding-chaos [--count N] [--concurrency N] [--fault-rate R] [--seed S] [--out FILE]`: the fault run
//! of issue #6, item 5 (see the library). Prints the report and writes it as a markdown fragment (default
//! `target/bench/faults.md`, and the goals rows beside it, `faults.goals`); exits 1 if a goal is missed.

use onboarding_chaos::{run, ChaosOptions};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: onboarding-chaos [--count N] [--concurrency N] [--fault-rate R] [--seed S] [--out FILE]";

fn parse(mut args: impl Iterator<Item = String>) -> Result<(ChaosOptions, PathBuf), String> {
    let mut options = ChaosOptions::default();
    let mut out = PathBuf::from("target/bench/faults.md");
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value"))
        };
        let number = |text: String| text.replace(['_', ','], "");
        match name.as_str() {
            "--count" => options.count = number(value()?).parse().map_err(|_| "--count: not a number")?,
            "--concurrency" => {
                options.concurrency = number(value()?).parse().map_err(|_| "--concurrency: not a number")?
            }
            "--fault-rate" => {
                options.fault_rate = value()?.parse().map_err(|_| "--fault-rate: not a number")?;
                if !(0.0..=1.0).contains(&options.fault_rate) {
                    return Err("--fault-rate: between 0 and 1".into());
                }
            }
            "--seed" => options.seed = value()?.parse().map_err(|_| "--seed: not a number")?,
            "--out" => out = PathBuf::from(value()?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok((options, out))
}

#[tokio::main]
async fn main() -> ExitCode {
    let (options, out) = match parse(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("onboarding-chaos: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "onboarding-chaos: {} onboardings, {} at a time, {:.0} % faults, seed {}",
        options.count,
        options.concurrency,
        options.fault_rate * 100.0,
        options.seed
    );
    let report = match run(options).await {
        Ok(report) => report,
        Err(error) => {
            eprintln!("onboarding-chaos: {error}");
            return ExitCode::FAILURE;
        }
    };
    let markdown = report.markdown();
    println!("{markdown}");
    if let Some(dir) = out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(error) = std::fs::write(&out, &markdown) {
        eprintln!("onboarding-chaos: cannot write {}: {error}", out.display());
        return ExitCode::FAILURE;
    }
    let goals = out.with_extension("goals");
    if let Err(error) = std::fs::write(&goals, report.goals_rows()) {
        eprintln!("onboarding-chaos: cannot write {}: {error}", goals.display());
        return ExitCode::FAILURE;
    }
    eprintln!("onboarding-chaos: wrote {} and {}", out.display(), goals.display());
    if report.goals_met() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
