//! The steps of the onboarding: create an account, log in, done; and the way back into a locked account:
//! ask for a reset link, choose a new password.
//!
//! Each step takes what it needs as props (language, settings, the call to make, what to do next), so a
//! test can mount it without the proxy.

pub mod create_account;
pub mod done;
pub mod log_in;
pub mod new_password;
pub mod reset_password;

pub use create_account::CreateAccount;
pub use done::Done;
pub use log_in::LogIn;
pub use new_password::NewPassword;
pub use reset_password::ResetPassword;

use crate::embed::StepName;
use crate::i18n::{Lang, Texts};
use crate::page;
use crate::problem::Problem;
use leptos::prelude::*;
use onboarding_api::Handoff;

/// Where the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    CreateAccount,
    /// `new_account`: the id of the account just created, filled in (WCAG 3.3.7).
    LogIn {
        new_account: Option<String>,
        /// Just after choosing a new password: say so.
        password_changed: bool,
    },
    /// Ask for a password reset link; `id`: what was typed in the log-in step, filled in.
    ResetPassword {
        id: String,
    },
    /// Opened from a reset link (`#reset=<code>`): choose a new password.
    NewPassword {
        code: String,
    },
    Done(Handoff),
}

impl Step {
    pub fn name(&self) -> StepName {
        match self {
            Step::CreateAccount => StepName::CreateAccount,
            Step::LogIn { .. } => StepName::LogIn,
            Step::ResetPassword { .. } => StepName::ResetPassword,
            Step::NewPassword { .. } => StepName::NewPassword,
            Step::Done(_) => StepName::Done,
        }
    }
}

/// Keeps the document title on the step's title, with "Error: " first while the step shows problems.
fn keep_title(lang: Signal<Lang>, title: fn(&Texts) -> &'static str, problems: Option<RwSignal<Vec<Problem>>>) {
    Effect::new(move |_| {
        let texts = lang.get().texts();
        let has_problems = problems.is_some_and(|p| p.with(|p| !p.is_empty()));
        let prefix = if has_problems { texts.error_title_prefix } else { "" };
        page::set_title(&format!("{prefix}{} – {}", title(texts), texts.site_name));
    });
}
