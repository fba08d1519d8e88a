//! Step 2: log in, then get the handoff.

use crate::api::ApiCall;
use crate::components::error_summary;
use crate::components::{ErrorSummary, Offer, PasswordField, SubmitButton, TextField};
use crate::i18n::{Lang, Texts};
use crate::problem::{inline_error, Problem};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{FormField, Handoff, LoginRequest};

/// The input id of each field, for error links.
pub fn field_id(field: FormField) -> &'static str {
    match field {
        FormField::Password => "log-in-password",
        _ => "log-in-id",
    }
}

#[component]
pub fn LogIn(
    #[prop(into)] lang: Signal<Lang>,
    /// The id of the account just created: filled in, with a note that it exists (WCAG 3.3.7).
    #[prop(default = None)]
    new_account: Option<String>,
    /// Just back from choosing a new password: say that it worked.
    #[prop(optional)]
    password_changed: bool,
    /// Logs in and fetches the handoff: `POST /api/sessions` then `POST /api/handoff` in the app, a
    /// stand-in in tests.
    log_in: ApiCall<LoginRequest, Handoff>,
    /// Logged in: show the last step.
    #[prop(into)]
    on_done: Callback<Handoff>,
    /// Back to creating an account.
    #[prop(into)]
    on_create_account: Callback<()>,
    /// "Forgot your password?", or a locked account: ask for a reset link, with the id typed so far.
    #[prop(into)]
    on_reset: Callback<String>,
) -> impl IntoView {
    let id = RwSignal::new(new_account.clone().unwrap_or_default());
    let password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    // While the proxy has not answered.
    let pending = RwSignal::new(false);

    super::keep_title(lang, |t| t.log_in_title, Some(problems));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            id: id.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let mut found = Vec::new();
        if request.id.is_empty() {
            found.push(Problem::LogInMissing(FormField::Id));
        }
        if request.password.is_empty() {
            found.push(Problem::LogInMissing(FormField::Password));
        }
        if !found.is_empty() {
            error_summary::show(problems, found);
            return;
        }
        problems.set(Vec::new());
        pending.set(true);
        let answer = log_in.run(request);
        spawn_local(async move {
            let answer = answer.await;
            pending.set(false);
            match answer {
                Ok(handoff) => on_done.run(handoff),
                Err(error) => {
                    let found = Problem::from_call(&error);
                    // Never leave a refused password in the page.
                    if found
                        .iter()
                        .any(|p| matches!(p, Problem::WrongCredentials | Problem::AccountLocked))
                    {
                        password.set(String::new());
                    }
                    error_summary::show(problems, found);
                }
            }
        });
    };

    let reset = move |()| on_reset.run(id.get_untracked().trim().to_owned());
    // A locked account: "Reset your password" right under the heading.
    let locked = Signal::derive(move || problems.with(|p| p.contains(&Problem::AccountLocked)));

    // What just happened: a new password, or a new account.
    let notice = move |t: &'static Texts| match (&new_account, password_changed) {
        (_, true) => Some(("password-changed", t.password_changed.to_owned())),
        (Some(account), false) => Some(("account-created", t.account_created(account))),
        (None, false) => None,
    };

    // Built again, in the other language, when the language changes; the values live on in the signals.
    let form = move || {
        let t = lang.get().texts();
        let error = move |field| inline_error(problems, field, t);
        view! {
            {notice(t)
                .map(|(id, text)| {
                    view! {
                        <div class="notice notice--success" id=id role="status">
                            <p>{text}</p>
                        </div>
                    }
                })}
            <h1 class="step__title" tabindex="-1">
                {t.log_in_title}
            </h1>
            <p class="step__intro">{t.log_in_intro}</p>
            <Offer id="reset-locked" label=t.reset_locked_account shown=locked on_click=reset />
            <form id="log-in" novalidate on:submit=submit>
                <TextField
                    id=field_id(FormField::Id)
                    texts=t
                    label=t.user_id_label
                    error=error(FormField::Id)
                    value=id
                    autocomplete="username"
                    identifier=true
                />
                <PasswordField
                    id=field_id(FormField::Password)
                    texts=t
                    label=t.password_label
                    error=error(FormField::Password)
                    value=password
                    autocomplete="current-password"
                />
                <p class="field__after">
                    <button type="button" class="link-button" id="forgot-password" on:click=move |_| reset(())>
                        {t.forgot_password}
                    </button>
                </p>
                <div class="actions">
                    <SubmitButton
                        id="log-in-submit"
                        label=t.log_in_submit
                        pending_label=t.log_in_pending
                        pending=pending.into()
                    />
                    <button
                        type="button"
                        class="link-button"
                        id="go-to-create-account"
                        on:click=move |_| on_create_account.run(())
                    >
                        {t.go_to_create_account}
                    </button>
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
