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
/// `GET ?url=`: whether redirect mode may send the person back to `url` (`204`), or not (`400`
/// `RETURN_URL_NOT_ALLOWED`).
pub const RETURN_URL_CHECK: &str = "/api/return-url";

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

/// `GET`: the status of the finAPI Web Form whose id ends the handoff's `webFormUrl`
/// (`…/wf/<id>` → `/api/web-forms/<id>`), as finAPI's `finalised` callback reported it
/// ([`crate::WebFormProgress`]). The route pattern, for the proxy's router.
pub const WEB_FORM_PROGRESS: &str = "/api/web-forms/{id}";

/// [`WEB_FORM_PROGRESS`] for one Web Form id.
pub fn web_form_progress(web_form_id: &str) -> String {
    format!("/api/web-forms/{web_form_id}")
}

/// `GET`: the tenant's id, theme and support contact ([`crate::TenantSettings`]).
pub const TENANT: &str = "/api/tenant";

/// Under `/t/{tenant}/` every path above is prefixed with this (`/t/acme/api/users`).
pub fn tenant_prefix(tenant: &str) -> String {
    format!("/t/{tenant}")
}

/// `POST`: send a password reset link ([`crate::PasswordResetRequest`] → 202, the same for every id).
pub const PASSWORD_RESETS: &str = "/api/password-resets";
/// `POST`: set the new password with the link's code ([`crate::PasswordResetExecution`] → 204).
pub const PASSWORD_RESET_EXECUTION: &str = "/api/password-resets/execute";
