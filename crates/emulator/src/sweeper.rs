//! A background task that notices web forms expiring while nobody looks at them, so that their
//! `finalised` callback (status `EXPIRED`) is sent soon after the emulator's clock passes `expiresAt`,
//! also when the clock is a test's [`crate::clock::ManualClock`] that was moved forward.

use crate::callbacks::send_expired_web_forms;
use crate::EmulatorState;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often (real time) the sweeper reads the emulator's clock.
pub const INTERVAL: Duration = Duration::from_millis(200);

pub fn spawn(app: EmulatorState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(INTERVAL);
        loop {
            ticks.tick().await;
            let now = app.now();
            app.store().expire_web_forms(now);
            send_expired_web_forms(&app);
        }
    })
}
