//! Talking to the partner page when the form runs in its iframe: `window.parent.postMessage`, always to
//! the one allowed parent origin, never to `"*"`.
//!
//! Every message is `{source: "finapi-onboarding", version: 1, type, payload}`:
//!
//! | `type` | `payload` | when |
//! |---|---|---|
//! | `READY` | `{}` | once, when the settings are loaded and the first step is shown |
//! | `STEP` | `{step: "create_account" \| "log_in" \| "done"}` | on every change of step |
//! | `HANDOFF` | `{code, userId}` | after the log-in (just before `STEP` `done`): the one-time code the partner's server redeems |
//! | `EXIT` | `{step}` | the person pressed "Cancel" (shown in a frame, before `done`) |
//!
//! A message never carries a password, a session handle or a token.

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
    Handoff { code: &'a str, user_id: &'a str },
    Exit { step: StepName },
}

impl Message<'_> {
    /// `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Ready => "READY",
            Message::Step { .. } => "STEP",
            Message::Handoff { .. } => "HANDOFF",
            Message::Exit { .. } => "EXIT",
        }
    }

    /// `payload`: `{}`, `{step}` or `{code, userId}`.
    fn payload(&self) -> Object {
        let payload = Object::new();
        match self {
            Message::Ready => {}
            Message::Step { step } | Message::Exit { step } => set(&payload, "step", step.as_str()),
            Message::Handoff { code, user_id } => {
                set(&payload, "code", *code);
                set(&payload, "userId", *user_id);
            }
        }
        payload
    }
}

/// The steps, as the messages name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepName {
    CreateAccount,
    LogIn,
    Done,
}

impl StepName {
    pub fn as_str(self) -> &'static str {
        match self {
            StepName::CreateAccount => "create_account",
            StepName::LogIn => "log_in",
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

    pub fn post(&self, message: &Message) {
        let Ok(Some(parent)) = window().parent() else {
            return;
        };
        if parent.post_message(&envelope(message), &self.origin).is_err() {
            leptos::logging::warn!("finapi-onboarding: could not post to {}", self.origin);
        }
    }
}
