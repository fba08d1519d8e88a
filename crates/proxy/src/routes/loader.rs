//! `GET /loader/v1.js`: the partner's loader script. A partner page includes it with `<script src>` from
//! this server; it creates the form's iframe, checks the origin and window of every message, resizes the
//! frame and hands the events to the partner's callbacks (see the README, "Embedding").
//!
//! The version is in the path: a change that breaks the message contract gets a new path, so a partner's
//! page never changes under it.

use axum::http::header;
use axum::response::IntoResponse;

/// Where the loader of message contract version 1 is served.
pub const LOADER_V1_PATH: &str = "/loader/v1.js";

const LOADER_V1: &str = include_str!("../../assets/loader-v1.js");

pub async fn loader_v1() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // Short: a fix reaches every partner page within minutes, and the script is small.
            (header::CACHE_CONTROL, "public, max-age=300"),
            // Loaded by other origins' pages by design.
            (
                header::HeaderName::from_static("cross-origin-resource-policy"),
                "cross-origin",
            ),
        ],
        LOADER_V1,
    )
}
