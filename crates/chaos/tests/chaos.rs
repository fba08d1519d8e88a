//! A small fault run in the normal test command: 200 onboardings with 10 % faults (the long stall cut to
//! 3 s, under the proxy's timeout, to stay quick; `scripts/bench-faults` runs 10,000 with the real one).

use onboarding_chaos::{run, ChaosOptions};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_onboardings_with_ten_percent_faults_meet_every_goal() {
    let report = run(ChaosOptions {
        count: 200,
        concurrency: 20,
        fault_rate: 0.10,
        seed: 7,
        long_stall: Duration::from_secs(3),
    })
    .await
    .unwrap();
    let markdown = report.markdown();
    println!("{markdown}");
    assert!(report.injected.total() > 20, "{markdown}");
    assert!(report.goals_met(), "{markdown}");
    assert!(report.completed >= 190, "{markdown}");
}
