//! The three steps of the onboarding: create an account, log in, done.
//!
//! Each step takes what it needs as props (language, settings, the call to make, what to do next), so a
//! test can mount it without the proxy.

pub mod create_account;
pub mod done;
pub mod log_in;

pub use create_account::CreateAccount;
pub use done::Done;
pub use log_in::LogIn;

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
    },
    Done(Handoff),
}

impl Step {
    pub fn name(&self) -> StepName {
        match self {
            Step::CreateAccount => StepName::CreateAccount,
            Step::LogIn { .. } => StepName::LogIn,
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
