//! Step 1: create a finAPI user.

use crate::api::ApiCall;
use crate::components::error_summary;
use crate::components::{CheckboxField, ErrorSummary, PasswordField, SubmitButton, TextField};
use crate::i18n::Lang;
use crate::problem::{inline_error, Problem};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{CreateUserRequest, CreatedUser, FormField, FormSettings};

/// The input id of each field, for error links.
pub fn field_id(field: FormField) -> &'static str {
    match field {
        FormField::Id => "signup-id",
        FormField::Password => "signup-password",
        FormField::Email => "signup-email",
        FormField::Phone => "signup-phone",
    }
}

#[component]
pub fn CreateAccount(
    #[prop(into)] lang: Signal<Lang>,
    settings: FormSettings,
    /// Sends a sign-up that passed the checks: `POST /api/users` in the app, a stand-in in tests.
    create_user: ApiCall<CreateUserRequest, CreatedUser>,
    /// The account exists: go on to log in.
    #[prop(into)]
    on_created: Callback<CreatedUser>,
    /// "I already have an account".
    #[prop(into)]
    on_log_in: Callback<()>,
) -> impl IntoView {
    let id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let auto_update = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<Problem>::new());
    // While the proxy has not answered.
    let pending = RwSignal::new(false);
    let auto_update_offered = settings.auto_update_offered;
    let min_length = settings.password.min_length;

    super::keep_title(lang, |t| t.create_account_title, Some(problems));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let given = |value: RwSignal<String>| Some(value.get_untracked()).filter(|v| !v.trim().is_empty());
        let request = CreateUserRequest {
            id: id.get_untracked(),
            password: password.get_untracked(),
            email: given(email),
            phone: given(phone),
            auto_update: auto_update_offered && auto_update.get_untracked(),
        };
        match request.validate() {
            Err(found) => error_summary::show(problems, found.iter().map(Problem::from).collect()),
            Ok(_) => {
                problems.set(Vec::new());
                pending.set(true);
                let answer = create_user.run(request);
                spawn_local(async move {
                    let answer = answer.await;
                    pending.set(false);
                    match answer {
                        Ok(user) => on_created.run(user),
                        Err(error) => error_summary::show(problems, Problem::from_call(&error)),
                    }
                });
            }
        }
    };

    // Built again, in the other language, when the language changes; the values live on in the signals.
    let form = move || {
        let t = lang.get().texts();
        let error = move |field| inline_error(problems, field, t);
        view! {
            <h1 class="step__title" tabindex="-1">
                {t.create_account_title}
            </h1>
            <p class="step__intro">{t.create_account_intro}</p>
            <form id="create-account" novalidate on:submit=submit>
                <TextField
                    id=field_id(FormField::Id)
                    texts=t
                    label=t.user_id_label
                    hint=t.user_id_hint
                    error=error(FormField::Id)
                    value=id
                    autocomplete="username"
                    identifier=true
                />
                <PasswordField
                    id=field_id(FormField::Password)
                    texts=t
                    label=t.password_label
                    hint=t.new_password_hint(min_length)
                    error=error(FormField::Password)
                    value=password
                    autocomplete="new-password"
                />
                <TextField
                    id=field_id(FormField::Email)
                    texts=t
                    label=t.email_label
                    error=error(FormField::Email)
                    value=email
                    input_type="email"
                    autocomplete="email"
                    optional=true
                    identifier=true
                />
                <TextField
                    id=field_id(FormField::Phone)
                    texts=t
                    label=t.phone_label
                    hint=t.phone_hint
                    error=error(FormField::Phone)
                    value=phone
                    input_type="tel"
                    autocomplete="tel"
                    optional=true
                />
                {auto_update_offered
                    .then(|| {
                        view! {
                            <CheckboxField
                                id="signup-auto-update"
                                label=t.auto_update_label
                                hint=t.auto_update_hint
                                checked=auto_update
                            />
                        }
                    })}
                <div class="actions">
                    <SubmitButton
                        id="create-account-submit"
                        label=t.create_account_submit
                        pending_label=t.create_account_pending
                        pending=pending.into()
                    />
                    <button type="button" class="link-button" id="go-to-log-in" on:click=move |_| on_log_in.run(())>
                        {t.go_to_log_in}
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
