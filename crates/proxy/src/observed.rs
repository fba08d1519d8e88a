//! Middleware, after routing: every answer counted and timed in [`Metrics`], by route pattern (never the
//! raw path, which could carry a secret or a person's data) and status; the route also goes into the
//! request's log span.

use crate::metrics::Metrics;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;
use std::time::Instant;

pub async fn requests(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned());
    // The request's log span gets the route pattern (or, for the form's pages, the path).
    let logged_path = matched.clone().unwrap_or_else(|| request.uri().path().to_owned());
    tracing::Span::current().record("path", logged_path.as_str());
    let route = matched.unwrap_or_else(|| "other".to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.observe_request(&route, &method, response.status().as_u16(), started.elapsed());
    response
}
