//! A locked account, or a forgotten password: ask for a reset link by email.
//!
//! The proxy answers the same for every id (it does not tell whether the id exists or has an email
//! address), so the confirmation says "if". When the tenant cannot send links, the step only says whom to
//! contact.

use crate::api::ApiCall;
use crate::components::error_summary;
use crate::components::{ErrorSummary, SubmitButton, TextField};
use crate::i18n::Lang;
use crate::page;
use crate::problem::{inline_error, Problem};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{FormField, PasswordResetRequest, TenantSettings};

/// The input id of each field, for error links.
pub fn field_id(_: FormField) -> &'static str {
    "reset-id"
}

#[component]
pub fn ResetPassword(
    #[prop(into)] lang: Signal<Lang>,
    /// The id typed in the log-in step, filled in.
    #[prop(optional)]
    id: String,
    /// The tenant's support contact and whether it sends reset links; `None` while not known.
    #[prop(into)]
    tenant: Signal<Option<TenantSettings>>,
    /// `POST /api/password-resets` in the app, a stand-in in tests.
    request_reset: ApiCall<PasswordResetRequest, ()>,
    /// "Back to log in".
    #[prop(into)]
    on_back: Callback<()>,
) -> impl IntoView {
    let id = RwSignal::new(id);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let pending = RwSignal::new(false);
    let sent = RwSignal::new(false);
    super::keep_title(lang, |t| t.reset_title, Some(problems));

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = PasswordResetRequest {
            id: id.get_untracked().trim().to_owned(),
            language: Some(lang.get_untracked().code().to_owned()),
        };
        if request.id.is_empty() {
            error_summary::show(problems, vec![Problem::LogInMissing(FormField::Id)]);
            return;
        }
        problems.set(Vec::new());
        pending.set(true);
        let answer = request_reset.run(request);
        spawn_local(async move {
            let answer = answer.await;
            pending.set(false);
            match answer {
                Ok(()) => {
                    sent.set(true);
                    page::focus_after_render("reset-title");
                }
                Err(error) => error_summary::show(problems, Problem::from_call(&error)),
            }
        });
    };

    // Built again when the language changes, the request is sent, or the tenant's settings arrive; the
    // elements stay (the status region too), only what changed in them is updated.
    let content = move || {
        let t = lang.get().texts();
        let sent = sent.get();
        // Without the tenant's settings (not loaded yet), a request is offered: the proxy answers it the same
        // either way.
        let (offered, support) = tenant.with(|tenant| match tenant {
            Some(tenant) => (tenant.password_reset_offered, tenant.support_contact.clone()),
            None => (true, None),
        });
        // Whom to contact: instead of a request, or for an account without an email address.
        let contact = match (offered, support) {
            (false, Some(support)) => Some(t.reset_by_support(&support)),
            (false, None) => Some(t.reset_by_service.to_owned()),
            (true, Some(support)) if sent => Some(t.no_email_contact(&support)),
            _ => None,
        };
        let form = (offered && !sent).then(|| {
            view! {
                <p class="step__intro">{t.reset_intro}</p>
                <form id="reset" novalidate on:submit=submit>
                    <TextField
                        id="reset-id"
                        texts=t
                        label=t.user_id_label
                        error=inline_error(problems, FormField::Id, t)
                        value=id
                        autocomplete="username"
                        identifier=true
                    />
                    <SubmitButton
                        id="reset-submit"
                        label=t.reset_submit
                        pending_label=t.reset_pending
                        pending=pending.into()
                    />
                </form>
            }
        });
        view! {
            <h1 class="step__title" id="reset-title" tabindex="-1">
                {if sent { t.reset_sent_title } else { t.reset_title }}
            </h1>
            <div class="notice notice--success" id="reset-sent" role="status">
                {sent.then_some(t.reset_sent)}
            </div>
            <p class="message" id="reset-support">
                {contact}
            </p>
            {form}
            <div class="actions">
                <button type="button" class="link-button" id="back-to-log-in" on:click=move |_| on_back.run(())>
                    {t.back_to_log_in}
                </button>
            </div>
        }
    };

    view! {
        <div class="step">
            <ErrorSummary lang problems field_id />
            {content}
        </div>
    }
}
