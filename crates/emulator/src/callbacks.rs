//! Outgoing callbacks: Web Form 2.0's `callbacks.finalised` and Access's user synchronization.
//!
//! finAPI ignores the partner's answer and never lets a slow partner hold up the request that caused the
//! callback (a person in the web form, a client deleting a user); so does the emulator: each callback is
//! sent from its own task, with a timeout (see `crate::app`), and failures are only logged. URLs are not
//! logged: a partner may put a secret in one.

use crate::state::web_forms::Finished;
use crate::EmulatorState;
use finapi::{UserSynchronizationCallback, UserSynchronizationEvent, WebFormCompletedCallback};
use serde::Serialize;

/// POSTs `body` as JSON to `url` in the background.
fn post_in_background<T: Serialize + Send + 'static>(app: &EmulatorState, url: String, body: T, what: &'static str) {
    let http = app.http().clone();
    tokio::spawn(async move {
        match http.post(url).json(&body).send().await {
            Ok(response) => tracing::info!(status = response.status().as_u16(), what, "callback delivered"),
            Err(error) => tracing::warn!(
                error = %error.without_url(),
                what,
                "callback failed (ignored, as finAPI does)"
            ),
        }
    });
}

/// POSTs `WebFormCompletedCallback` to the form's `callbacks.finalised`, if it has one.
pub fn send_web_form_finalised(app: &EmulatorState, finished: &Finished) {
    if let Some(url) = &finished.callback_url {
        let body = WebFormCompletedCallback {
            web_form_id: finished.web_form_id.clone(),
            status: finished.status,
        };
        post_in_background(app, url.clone(), body, "web form finalised");
    }
}

/// POSTs `{"userId": …, "event": "DELETED"}` to every client's `userSynchronizationCallbackUrl`.
pub fn send_user_deleted(app: &EmulatorState, urls: Vec<String>, user_id: &str) {
    for url in urls {
        let body = UserSynchronizationCallback {
            user_id: user_id.to_owned(),
            event: UserSynchronizationEvent::Deleted,
        };
        post_in_background(app, url, body, "user synchronization");
    }
}

/// Sends the callbacks of forms that expired since the last call.
pub fn send_expired_web_forms(app: &EmulatorState) {
    let expired = app.store().take_expired_web_forms();
    for finished in &expired {
        send_web_form_finalised(app, finished);
    }
}
