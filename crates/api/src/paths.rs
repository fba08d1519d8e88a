//! Where things are, and the headers that carry meaning.

/// `GET`: what the form needs to render ([`crate::FormSettings`]).
pub const SETTINGS: &str = "/api/settings";
/// `POST`: create a finAPI user ([`crate::CreateUserRequest`] → 201 [`crate::CreatedUser`]).
pub const USERS: &str = "/api/users";
/// `POST`: log in ([`crate::LoginRequest`] → [`crate::Session`]); `DELETE` with the session header: log out.
pub const SESSIONS: &str = "/api/sessions";
/// `POST` with the session header: mint a handoff code and a finAPI Web Form ([`crate::Handoff`]).
pub const HANDOFF: &str = "/api/handoff";
/// `POST`, server to server, `Authorization: Bearer <partner key>`: redeem a handoff code.
pub const HANDOFF_EXCHANGE: &str = "/api/handoff/exchange";

/// Every state-changing request from the form carries this header with [`FORM_HEADER_VALUE`]. A custom
/// header cannot be sent cross-origin without a CORS preflight, which the proxy only grants to allowed
/// origins: this is the CSRF defence of the browser-based-apps BFF pattern.
pub const FORM_HEADER: &str = "x-onboarding-form";
pub const FORM_HEADER_VALUE: &str = "1";

/// The opaque session handle, kept in the form's memory only (no cookies: the form runs in third-party
/// iframes).
pub const SESSION_HEADER: &str = "x-onboarding-session";

/// Echoed on every answer; shown to the person as a support reference.
pub const REQUEST_ID_HEADER: &str = "x-request-id";
