//! Talking to the partner page when the form runs in its iframe: `window.parent.postMessage`, always to
//! the one allowed parent origin, never to `"*"`.
//!
//! Every message is `{source: "finapi-onboarding", version: 1, type, payload}`. Stable messages are
//! the contract a partner builds on; informational ones may gain fields or change in a minor release.
//!
//! | `type` | kind | `payload` | when |
//! |---|---|---|---|
//! | `READY` | stable | `{}` | once, when the settings are loaded and the first step is shown |
//! | `STEP` | informational | `{step}` (`create_account`, `log_in`, `reset_password`, `new_password`, `done`) | on every change of step |
//! | `RESIZE` | informational | `{height}` | the form's height in CSS pixels changed |
//! | `ERROR` | stable | `{code, step}` | a call to the server failed; `code` is the proxy's error code or `NETWORK` |
//! | `HANDOFF` | stable | `{code}` | after the log-in (just before `STEP` `done`): the one-time code the partner's server redeems |
//! | `EXIT` | stable | `{status}` | the person pressed "Cancel"; `status` is the step they left from |
//!
//! (`OPEN` comes from the loader script, not from the form.) A message never carries a password, a
//! session handle, a token or anything the person typed: the partner gets the user id from the exchange.

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// `source` of every message: lets the partner tell ours from other messages.
pub const SOURCE: &str = "finapi-onboarding";
/// `version` of the envelope; raised on an incompatible change.
pub const VERSION: u32 = 1;
/// The address parameter a partner names its origin with: `?parent=https://partner.example`.
pub const PARENT_PARAMETER: &str = "parent";

/// A message to the partner page: the `type` and `payload` of the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message<'a> {
    Ready,
    Step { step: StepName },
    Resize { height: u32 },
    Error { code: &'a str, step: StepName },
    Handoff { code: &'a str },
    Exit { status: StepName },
}

impl Message<'_> {
    /// `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Ready => "READY",
            Message::Step { .. } => "STEP",
            Message::Resize { .. } => "RESIZE",
            Message::Error { .. } => "ERROR",
            Message::Handoff { .. } => "HANDOFF",
            Message::Exit { .. } => "EXIT",
        }
    }

    /// `payload`, as in the table above.
    fn payload(&self) -> Object {
        let payload = Object::new();
        match self {
            Message::Ready => {}
            Message::Step { step } => set(&payload, "step", step.as_str()),
            Message::Resize { height } => set(&payload, "height", *height),
            Message::Error { code, step } => {
                set(&payload, "code", *code);
                set(&payload, "step", step.as_str());
            }
            Message::Handoff { code } => set(&payload, "code", *code),
            Message::Exit { status } => set(&payload, "status", status.as_str()),
        }
        payload
    }
}

/// The steps, as the messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepName {
    CreateAccount,
    LogIn,
    /// Asking for a password reset link.
    ResetPassword,
    /// Choosing a new password with a reset link.
    NewPassword,
    Done,
}

impl StepName {
    pub fn as_str(self) -> &'static str {
        match self {
            StepName::CreateAccount => "create_account",
            StepName::LogIn => "log_in",
            StepName::ResetPassword => "reset_password",
            StepName::NewPassword => "new_password",
            StepName::Done => "done",
        }
    }
}

/// A message in its envelope, as posted: `{source, version, type, payload}`.
pub fn envelope(message: &Message) -> JsValue {
    let envelope = Object::new();
    set(&envelope, "source", SOURCE);
    set(&envelope, "version", VERSION);
    set(&envelope, "type", message.kind());
    set(&envelope, "payload", message.payload());
    envelope.into()
}

fn set(object: &Object, key: &str, value: impl Into<JsValue>) {
    _ = Reflect::set(object, &JsValue::from_str(key), &value.into());
}

/// The origin to post to: the `?parent=` origin if it is one of the allowed ones, else the only allowed
/// origin if there is just one, else none.
pub fn choose_parent_origin(asked: Option<&str>, allowed: &[String]) -> Option<String> {
    if let Some(asked) = asked.filter(|asked| allowed.iter().any(|a| a == asked)) {
        return Some(asked.to_owned());
    }
    match allowed {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// Whether the form runs inside a frame.
pub fn is_framed() -> bool {
    let window = window();
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(parent.as_ref(), window.as_ref()),
        _ => false,
    }
}

/// The partner page around the form, at an origin we may post to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parent {
    origin: String,
}

impl Parent {
    /// The parent page, if the form is framed by an allowed origin.
    pub fn find(allowed: &[String]) -> Option<Parent> {
        if !is_framed() {
            return None;
        }
        let asked = crate::page::query_parameter(PARENT_PARAMETER);
        match choose_parent_origin(asked.as_deref(), allowed) {
            Some(origin) => Some(Parent { origin }),
            None => {
                leptos::logging::warn!(
                    "finapi-onboarding: framed, but the parent origin is not known; pass ?{PARENT_PARAMETER}=<origin> \
                     with one of the allowed origins. No messages will be posted."
                );
                None
            }
        }
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The host (and port) of the parent origin, to name the partner.
    pub fn host(&self) -> &str {
        self.origin
            .split_once("://")
            .map_or(self.origin.as_str(), |(_, host)| host)
    }

    /// Tells the parent page the form's height whenever it changes (`RESIZE`), so that the loader can
    /// size the frame to it: no inner scroll bar, and no frame stuck at a few pixels.
    pub fn report_height_changes(&self) {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        let Some(body) = document().body() else {
            return;
        };
        let parent = self.clone();
        let measured = body.clone();
        let last = std::cell::Cell::new(0);
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            let height = u32::try_from(measured.offset_height()).unwrap_or(0);
            if height != last.replace(height) {
                parent.post(&Message::Resize { height });
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&body);
            // Both live as long as the page: one observer per form.
            on_resize.forget();
            std::mem::forget(observer);
        }
    }

    pub fn post(&self, message: &Message) {
        let Ok(Some(parent)) = window().parent() else {
            return;
        };
        if parent.post_message(&envelope(message), &self.origin).is_err() {
            leptos::logging::warn!("finapi-onboarding: could not post to {}", self.origin);
        }
    }
}
