//! The browser-facing defences: CSRF header, CORS, Content-Security-Policy and the other headers.

pub mod content_security_policy;
pub mod cors;
pub mod form_header;
pub mod headers;
