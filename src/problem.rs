//! What stands in the way of a step, kept as data so that the words follow the language switch.

use crate::api::CallError;
use crate::i18n::Texts;
use finapi::FieldError;
use leptos::prelude::*;
use onboarding_api::{ApiErrorCode, FieldProblem, FormField};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A field breaks a sign-up rule (ours, or the proxy's `INVALID_INPUT`).
    Field(FormField, FieldError),
    /// A log-in field was left empty.
    LogInMissing(FormField),
    UserIdTaken,
    WrongCredentials,
    AccountLocked,
    SessionExpired,
    /// Too many attempts: try again after this many seconds (if the proxy said).
    RateLimited {
        retry_after: Option<u32>,
    },
    /// The password reset link is unknown, used or expired.
    ResetLinkInvalid,
    /// The address names a tenant the proxy does not know.
    UnknownTenant,
    /// The proxy or finAPI cannot be reached.
    Unreachable,
    /// finAPI refused a call because of the client's set-up: nothing the person can change.
    FinapiRefused {
        request_id: Option<String>,
    },
    /// Redirect mode: the partner's `return_url` is not on the tenant's list.
    ReturnUrlNotAllowed,
    /// Anything else: ask to try again, with the support reference when there is one.
    Unexpected {
        request_id: Option<String>,
    },
}

impl Problem {
    /// The field under which the message is shown, too.
    pub fn inline_field(&self) -> Option<FormField> {
        match self {
            Problem::Field(field, _) | Problem::LogInMissing(field) => Some(*field),
            Problem::UserIdTaken => Some(FormField::Id),
            _ => None,
        }
    }

    /// The field the error summary links to: the one to change.
    pub fn summary_target(&self) -> Option<FormField> {
        match self {
            // The password field is cleared: that is where to go on.
            Problem::WrongCredentials => Some(FormField::Password),
            _ => self.inline_field(),
        }
    }

    pub fn message(&self, texts: &Texts) -> String {
        match self {
            Problem::Field(field, error) => texts.field_error(*field, *error),
            Problem::LogInMissing(FormField::Password) => texts.enter_your_password.to_owned(),
            Problem::LogInMissing(_) => texts.enter_your_user_id.to_owned(),
            Problem::UserIdTaken => texts.user_id_taken.to_owned(),
            Problem::WrongCredentials => texts.wrong_credentials.to_owned(),
            Problem::AccountLocked => texts.account_locked.to_owned(),
            Problem::SessionExpired => texts.session_expired.to_owned(),
            Problem::RateLimited { retry_after } => texts.rate_limited(*retry_after),
            Problem::ResetLinkInvalid => texts.reset_link_invalid.to_owned(),
            Problem::UnknownTenant => texts.unknown_tenant.to_owned(),
            Problem::Unreachable => texts.unreachable.to_owned(),
            Problem::FinapiRefused { request_id } => texts.finapi_refused(request_id.as_deref()),
            Problem::ReturnUrlNotAllowed => texts.return_url_not_allowed.to_owned(),
            Problem::Unexpected { request_id } => texts.unexpected(request_id.as_deref()),
        }
    }

    /// The problems a failed call stands for.
    pub fn from_call(error: &CallError) -> Vec<Problem> {
        let error = match error {
            CallError::Network => return vec![Problem::Unreachable],
            CallError::RateLimited { retry_after } => {
                return vec![Problem::RateLimited {
                    retry_after: *retry_after,
                }]
            }
            CallError::Api(error) => error,
        };
        let problem = match error.error {
            ApiErrorCode::InvalidInput if !error.fields.is_empty() => {
                return error.fields.iter().map(Problem::from).collect();
            }
            ApiErrorCode::UserIdTaken => Problem::UserIdTaken,
            ApiErrorCode::WrongCredentials => Problem::WrongCredentials,
            ApiErrorCode::AccountLocked => Problem::AccountLocked,
            ApiErrorCode::SessionExpired => Problem::SessionExpired,
            ApiErrorCode::FinapiUnavailable => Problem::Unreachable,
            ApiErrorCode::RateLimited => Problem::RateLimited { retry_after: None },
            ApiErrorCode::ResetLinkInvalid => Problem::ResetLinkInvalid,
            ApiErrorCode::UnknownTenant => Problem::UnknownTenant,
            ApiErrorCode::FinapiRefused => Problem::FinapiRefused {
                request_id: error.request_id.clone(),
            },
            ApiErrorCode::ReturnUrlNotAllowed => Problem::ReturnUrlNotAllowed,
            // Every code is decided here, none by a catch-all, so a new one cannot go untranslated. These
            // mean a fault in the form or the proxy (a malformed request, a missing header, a wrong path,
            // an invalid field list) or belong to the partner's server (handoff exchange): the person can
            // only try again, and support finds the request by its reference.
            ApiErrorCode::InvalidInput
            | ApiErrorCode::MalformedRequest
            | ApiErrorCode::FormHeaderMissing
            | ApiErrorCode::NotFound
            | ApiErrorCode::HandoffCodeInvalid
            | ApiErrorCode::PartnerKeyInvalid
            | ApiErrorCode::Unexpected => Problem::Unexpected {
                request_id: error.request_id.clone(),
            },
        };
        vec![problem]
    }
}

impl From<&FieldProblem> for Problem {
    fn from(problem: &FieldProblem) -> Self {
        Problem::Field(problem.field, problem.problem)
    }
}

/// The message shown under `field`, if any problem is about it.
pub fn inline_message(problems: &[Problem], field: FormField, texts: &Texts) -> Option<String> {
    problems
        .iter()
        .find(|p| p.inline_field() == Some(field))
        .map(|p| p.message(texts))
}

/// The message under `field`, following the step's problems; for a field's `error` prop.
pub fn inline_error(
    problems: RwSignal<Vec<Problem>>,
    field: FormField,
    texts: &'static Texts,
) -> Signal<Option<String>> {
    Signal::derive(move || problems.with(|p| inline_message(p, field, texts)))
}
