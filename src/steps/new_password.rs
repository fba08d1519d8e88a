//! Opened from a reset link (`#reset=<code>`): choose a new password, with the same rules as signing up.

use crate::api::ApiCall;
use crate::components::error_summary;
use crate::components::{ErrorSummary, Offer, PasswordField, SubmitButton};
use crate::i18n::Lang;
use crate::problem::{inline_error, Problem};
use finapi::PasswordPolicy;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{FormField, PasswordResetExecution};

/// The input id of each field, for error links.
pub fn field_id(_: FormField) -> &'static str {
    "new-password"
}

#[component]
pub fn NewPassword(
    #[prop(into)] lang: Signal<Lang>,
    /// The `reset` value of the link's fragment.
    code: String,
    /// `POST /api/password-resets/execute` in the app, a stand-in in tests.
    execute_reset: ApiCall<PasswordResetExecution, ()>,
    /// The password is changed: on to log in.
    #[prop(into)]
    on_changed: Callback<()>,
    /// The link no longer works: ask for a new one.
    #[prop(into)]
    on_new_link: Callback<()>,
) -> impl IntoView {
    let code = StoredValue::new(code);
    let password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let pending = RwSignal::new(false);
    let policy = PasswordPolicy::ONBOARDING;
    super::keep_title(lang, |t| t.new_password_title, Some(problems));

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = PasswordResetExecution {
            code: code.get_value(),
            password: password.get_untracked(),
        };
        if let Err(error) = policy.check(&request.password) {
            error_summary::show(problems, vec![Problem::Field(FormField::Password, error)]);
            return;
        }
        problems.set(Vec::new());
        pending.set(true);
        let answer = execute_reset.run(request);
        spawn_local(async move {
            let answer = answer.await;
            pending.set(false);
            match answer {
                Ok(()) => on_changed.run(()),
                Err(error) => error_summary::show(problems, Problem::from_call(&error)),
            }
        });
    };
    let link_invalid = Signal::derive(move || problems.with(|p| p.contains(&Problem::ResetLinkInvalid)));

    let form = move || {
        let t = lang.get().texts();
        view! {
            <h1 class="step__title" tabindex="-1">
                {t.new_password_title}
            </h1>
            <p class="step__intro">{t.new_password_intro}</p>
            <Offer id="request-new-link" label=t.request_new_link shown=link_invalid on_click=on_new_link />
            <form id="new-password-form" novalidate on:submit=submit>
                <PasswordField
                    id="new-password"
                    texts=t
                    label=t.new_password_label
                    hint=t.new_password_hint(policy.min_length)
                    error=inline_error(problems, FormField::Password, t)
                    value=password
                    autocomplete="new-password"
                />
                <div class="actions">
                    <SubmitButton
                        id="new-password-submit"
                        label=t.new_password_submit
                        pending_label=t.new_password_pending
                        pending=pending.into()
                    />
                </div>
            </form>
        }
    };

    view! {
        <div class="step">
            <ErrorSummary lang problems field_id />
            {form}
        </div>
    }
}
