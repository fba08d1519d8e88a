//! `X-Request-Id`: finAPI echoes the caller's id on every response, or makes one up (`selfgen-<uuid>`),
//! and uses it as `requestId` in error bodies. An id longer than 255 characters is refused with 400.
//!
//! The middleware also writes the one log line per request (method, route, status, request id), never
//! headers, bodies or query strings, so no token, secret or password can reach the log.

use crate::call::Call;
use crate::EmulatorState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const HEADER: &str = "x-request-id";
pub const MAX_LENGTH: usize = 255;

/// The request's id, put in the request's extensions for [`Call`].
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// finAPI's form for an id it generates.
pub fn generate() -> String {
    format!("selfgen-{}", uuid::Uuid::new_v4())
}

/// The caller's id if it is usable; `Err` if it is too long or not printable ASCII (it could not be put
/// in a JSON body and echoed faithfully). An empty header counts as absent.
fn from_caller(value: Option<&HeaderValue>) -> Result<Option<String>, ()> {
    let Some(value) = value else { return Ok(None) };
    let text = value.to_str().map_err(|_| ())?;
    if text.is_empty() {
        Ok(None)
    } else if text.len() > MAX_LENGTH {
        Err(())
    } else {
        Ok(Some(text.to_owned()))
    }
}

pub async fn middleware(State(state): State<EmulatorState>, mut request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_owned(), |m| m.as_str().to_owned());
    let caller_id = from_caller(request.headers().get(HEADER));
    let request_id = caller_id.clone().ok().flatten().unwrap_or_else(generate);
    request.extensions_mut().insert(RequestId(request_id.clone()));

    let mut response = match caller_id {
        Ok(_) => next.run(request).await,
        Err(()) => Call::new(request_id.clone(), &method, &path, state.now())
            .bad_request(format!(
                "The X-Request-Id header must be at most {MAX_LENGTH} printable ASCII characters"
            ))
            .into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(HEADER, value);
    }
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        request_id,
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_255_characters_and_refuses_256() {
        let ok = HeaderValue::from_str(&"a".repeat(255)).unwrap();
        assert_eq!(from_caller(Some(&ok)), Ok(Some("a".repeat(255))));
        let long = HeaderValue::from_str(&"a".repeat(256)).unwrap();
        assert_eq!(from_caller(Some(&long)), Err(()));
        assert_eq!(from_caller(None), Ok(None));
        assert_eq!(from_caller(Some(&HeaderValue::from_static(""))), Ok(None));
    }

    #[test]
    fn generated_ids_look_like_finapis() {
        let id = generate();
        assert!(id.starts_with("selfgen-"));
        assert_eq!(id.len(), "selfgen-".len() + 36);
    }
}
