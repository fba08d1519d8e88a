//! `GET /api/web-forms/{id}`: how the person's finAPI Web Form (bank connection) ended, for the done step.

use finapi::WebFormStatus;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebFormProgress {
    /// finAPI's final status (`COMPLETED`, `COMPLETED_WITH_ERROR`, `ABORTED`, `EXPIRED`, …) once its
    /// callback arrived; `null` while the person is still in the Web Form. Poll at most once a second.
    pub status: Option<WebFormStatus>,
}
