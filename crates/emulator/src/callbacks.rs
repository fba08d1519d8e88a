//! Outgoing callbacks. finAPI ignores the partner's answer and never lets a slow partner hold up the
//! person in the web form; so does the emulator: each callback is sent from its own task, and failures
//! are only logged.

use crate::EmulatorState;
use finapi::WebFormCompletedCallback;

/// POSTs `WebFormCompletedCallback` to `callbacks.finalised`, in the background.
pub fn send_web_form_finalised(app: &EmulatorState, url: String, body: WebFormCompletedCallback) {
    let http = app.http().clone();
    tokio::spawn(async move {
        // The URL may carry a partner's secret in its query: it is not logged.
        match http.post(url).json(&body).send().await {
            Ok(response) => tracing::info!(
                status = response.status().as_u16(),
                web_form_status = ?body.status,
                "web form callback delivered"
            ),
            Err(error) => tracing::warn!(
                error = %error.without_url(),
                "web form callback failed (ignored, as finAPI does)"
            ),
        }
    });
}
