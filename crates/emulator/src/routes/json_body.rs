//! Reading an Access JSON request body as finAPI does: `application/json` (or `…+json`) only, else 415;
//! an empty or malformed body is a 400.
//!
//! The parser's message is reduced to what cannot leak a secret: a missing field is named, anything else
//! is told by position only (a value from the body, say a password, is never echoed).

use crate::call::Call;
use crate::errors::ApiError;
use axum::http::{header, HeaderMap, StatusCode};
use finapi::ErrorCode;

pub fn json_body<T: serde::de::DeserializeOwned>(call: &Call, headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    require_json(call, headers)?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(call.bad_request("Required request body is missing"));
    }
    serde_json::from_slice(body).map_err(|error| call.bad_request(describe(&error)))
}

fn require_json(call: &Call, headers: &HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| {
            let essence = essence.trim().to_ascii_lowercase();
            essence == "application/json" || essence.ends_with("+json")
        });
    if is_json {
        Ok(())
    } else {
        Err(call.access_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "The Content-Type must be 'application/json'",
        ))
    }
}

fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    // serde's "missing field `userId` at line 1 column 2" names only the field.
    match text
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
    {
        Some((field, _)) => format!("Required field '{field}' is missing"),
        None => format!(
            "The request body is not valid (line {}, column {})",
            error.line(),
            error.column()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_missing_fields_and_never_echo_values() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Params {
            #[serde(rename = "userId")]
            user_id: String,
            flag: bool,
        }
        let missing = serde_json::from_str::<Params>(r#"{"flag":true}"#).unwrap_err();
        assert_eq!(describe(&missing), "Required field 'userId' is missing");
        let wrong = serde_json::from_str::<Params>(r#"{"userId":"x","flag":"s3cret"}"#).unwrap_err();
        assert!(!describe(&wrong).contains("s3cret"));
    }
}
