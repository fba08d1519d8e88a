//! Redirect mode, for partners who send people to the form instead of framing it: the page is opened
//! with `?return_url=<one of the tenant's allowed return URLs>&state=<anything>`, and the person comes
//! back to `return_url` like from an OAuth authorization request:
//!
//! - after the log-in: `return_url?code=<handoff code>&state=<state>`; the partner's server redeems the
//!   code at `POST /api/handoff/exchange`, as in the framed flow;
//! - on "Cancel": `return_url?error=access_denied&status=<step left from>&state=<state>`.
//!
//! `state` is echoed unchanged (the partner binds it to its own session against CSRF). The proxy checks
//! `return_url` against the tenant's list before the form offers any way back, and again on the handoff,
//! so the form never becomes an open redirect.

use crate::embed::StepName;
use leptos::prelude::window;

/// The address parameters of redirect mode.
pub const RETURN_URL_PARAMETER: &str = "return_url";
pub const STATE_PARAMETER: &str = "state";

/// Where and how to send the person back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnTo {
    url: String,
    state: Option<String>,
}

impl ReturnTo {
    pub fn new(url: impl Into<String>, state: Option<String>) -> ReturnTo {
        ReturnTo { url: url.into(), state }
    }

    /// Redirect mode, if this page asks for it: a `return_url`, and the form is not in a frame (a framed
    /// form answers its partner page by messages instead).
    pub fn from_page_address() -> Option<ReturnTo> {
        let url = crate::page::query_parameter(RETURN_URL_PARAMETER).filter(|url| !url.is_empty())?;
        (!crate::embed::is_framed()).then(|| ReturnTo::new(url, crate::page::query_parameter(STATE_PARAMETER)))
    }

    /// The address as given: what the proxy checks.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The host to name in "Cancel and go back to …"; none for an address that does not parse.
    pub fn host(&self) -> Option<String> {
        web_sys::Url::new(&self.url).ok().map(|url| url.host())
    }

    /// Back with the handoff code.
    pub fn with_code(&self, code: &str) -> Option<String> {
        self.with(&[("code", code)])
    }

    /// Back without an account: the person cancelled on `step`.
    pub fn cancelled(&self, step: StepName) -> Option<String> {
        self.with(&[("error", "access_denied"), ("status", step.as_str())])
    }

    /// The return address with `parameters` and the state added to its query (its own query kept).
    fn with(&self, parameters: &[(&str, &str)]) -> Option<String> {
        let url = web_sys::Url::new(&self.url).ok()?;
        let query = url.search_params();
        for (name, value) in parameters {
            query.append(name, value);
        }
        if let Some(state) = &self.state {
            query.append(STATE_PARAMETER, state);
        }
        url.set_search(&String::from(query.to_string()));
        Some(url.href())
    }
}

/// Leaves the form for `address`, replacing it in the history: back from the partner does not return to
/// a form whose code is spent.
pub fn go(address: &str) {
    _ = window().location().replace(address);
}
