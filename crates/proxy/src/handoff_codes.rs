//! One-time handoff codes (step 4): minted for a logged-in session, handed to the partner page in the
//! browser, redeemed once by the partner's server for the user's finAPI tokens (like Plaid's
//! `public_token`). 256 random bits, single use, short-lived.

use crate::expiring_map::ExpiringMap;
use crate::secure_random;
use crate::sessions::Session;
use finapi_emulator::clock::Clock;
use std::sync::Arc;
use time::Duration;

/// Long enough for the partner page to post the code to its server, short enough to be useless later.
pub const HANDOFF_CODE_LIFETIME: Duration = Duration::seconds(60);

pub struct HandoffCodes {
    unredeemed: ExpiringMap<Session>,
}

impl HandoffCodes {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        HandoffCodes {
            unredeemed: ExpiringMap::new(clock),
        }
    }

    pub fn mint(&self, session: Session) -> String {
        let code = secure_random::token();
        self.unredeemed.insert(code.clone(), session, HANDOFF_CODE_LIFETIME);
        code
    }

    /// The session behind `code`, once: a second redemption, or one after expiry, gets nothing.
    pub fn redeem(&self, code: &str) -> Option<Session> {
        self.unredeemed.take(code)
    }
}
