//! The flow through the steps: which step shows, the session handle (in memory only) and the messages to
//! a partner page that frames the form.

use crate::api::{self, Answer, ApiCall};
use crate::embed::{Message, Parent};
use crate::i18n::Lang;
use crate::page;
use crate::redirect::{self, ReturnTo};
use crate::steps::{CreateAccount, Done, LogIn, NewPassword, ResetPassword, Step};
use leptos::leptos_dom::helpers::window_event_listener_untyped;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{
    CreateUserRequest, CreatedUser, FormSettings, Handoff, LoginRequest, PasswordResetExecution, PasswordResetRequest,
    TenantSettings, WebFormProgress,
};

#[component]
pub fn Onboarding(
    #[prop(into)] lang: Signal<Lang>,
    settings: FormSettings,
    /// The tenant's settings, once loaded.
    #[prop(into)]
    tenant: Signal<Option<TenantSettings>>,
    /// The code of a password reset link the page was opened with: start by choosing a new password.
    #[prop(default = None)]
    reset_code: Option<String>,
    /// Redirect mode: where the person goes back to with the handoff code, or on "Cancel".
    #[prop(default = None)]
    return_to: Option<ReturnTo>,
) -> impl IntoView {
    let return_to = StoredValue::new(return_to);
    let parent = StoredValue::new(Parent::find(&settings.parent_origins));
    let post = move |message: &Message| parent.with_value(|p| p.iter().for_each(|p| p.post(message)));
    let step = RwSignal::new(match reset_code {
        Some(code) => Step::NewPassword { code },
        None => Step::CreateAccount,
    });
    // The opaque session handle: in this signal only, never in storage, cookies or the address.
    let session = RwSignal::new(None::<String>);

    let show = move |next: Step| {
        post(&Message::Step { step: next.name() });
        step.set(next);
        // Once the new step is in the page, start reading (and tabbing) from its heading.
        request_animation_frame(|| page::focus_first("main h1"));
    };
    // The browser's back button moves between steps: every step change is an entry in the session
    // history, and `trail` holds the steps before the current one (with what they had filled in). There is
    // no way back past the handoff: the done step starts a new trail.
    let trail = StoredValue::new(Vec::<Step>::new());
    let go_to = move |next: Step| {
        if matches!(next, Step::Done(_)) {
            trail.set_value(Vec::new());
        } else {
            trail.update_value(|trail| trail.push(step.get_untracked()));
            page::push_history_entry(trail.with_value(Vec::len));
        }
        show(next);
    };
    let back = window_event_listener_untyped("popstate", move |event| {
        let depth = page::history_depth(&event);
        // Forward, or back past the start of the trail: nothing to show.
        let previous = trail
            .try_update_value(|trail| {
                (depth < trail.len()).then(|| {
                    trail.truncate(depth + 1);
                    trail.pop()
                })
            })
            .flatten()
            .flatten();
        if let Some(previous) = previous {
            show(previous);
        }
    });
    on_cleanup(move || back.remove());
    // The first step is in the page: the partner may show the frame, sized to the form.
    Effect::new(move |_| {
        post(&Message::Ready);
        parent.with_value(|p| p.iter().for_each(Parent::report_height_changes));
    });
    // Every failed call, by its code only: the partner may count or log them.
    api::report_failures_to(move |error| {
        post(&Message::Error {
            code: api::error_name(error),
            step: step.with_untracked(Step::name),
        })
    });

    let log_out = move || {
        if let Some(handle) = session.get_untracked() {
            session.set(None);
            spawn_local(async move {
                _ = api::log_out(&handle).await;
            });
        }
    };
    let cancel = move |_| {
        log_out();
        let status = step.with_untracked(Step::name);
        post(&Message::Exit { status });
        if let Some(back) = return_to.with_value(|r| r.as_ref().and_then(|r| r.cancelled(status))) {
            redirect::go(&back);
        }
    };
    let hand_over = move |handoff: Handoff| {
        post(&Message::Handoff { code: &handoff.code });
        if let Some(back) = return_to.with_value(|r| r.as_ref().and_then(|r| r.with_code(&handoff.code))) {
            redirect::go(&back);
        }
        go_to(Step::Done(handoff));
    };

    let create_user: ApiCall<CreateUserRequest, CreatedUser> =
        Callback::new(|request| -> Answer<_> { Box::pin(api::create_user(request)) });
    let log_in: ApiCall<LoginRequest, Handoff> = Callback::new(move |request| -> Answer<_> {
        let return_url = return_to.with_value(|r| r.as_ref().map(|r| r.url().to_owned()));
        Box::pin(log_in_and_hand_off(request, session, return_url))
    });
    let request_reset: ApiCall<PasswordResetRequest, ()> =
        Callback::new(|request| -> Answer<_> { Box::pin(api::request_password_reset(request)) });
    let execute_reset: ApiCall<PasswordResetExecution, ()> =
        Callback::new(|request| -> Answer<_> { Box::pin(api::execute_password_reset(request)) });
    let web_form_progress: ApiCall<String, WebFormProgress> =
        Callback::new(|id| -> Answer<_> { Box::pin(api::web_form_progress(id)) });
    let partner_host = parent.with_value(|p| p.as_ref().map(|p| p.host().to_owned()));
    let to_log_in = move |password_changed| {
        go_to(Step::LogIn {
            new_account: None,
            password_changed,
        })
    };

    let steps = move || match step.get() {
        Step::CreateAccount => view! {
            <CreateAccount
                lang
                settings=settings.clone()
                create_user
                on_created=move |user: CreatedUser| {
                    go_to(Step::LogIn {
                        new_account: Some(user.id),
                        password_changed: false,
                    })
                }
                on_log_in=move |_| to_log_in(false)
            />
        }
        .into_any(),
        Step::LogIn {
            new_account,
            password_changed,
        } => view! {
            <LogIn
                lang
                new_account
                password_changed
                log_in
                on_done=hand_over
                on_create_account=move |_| go_to(Step::CreateAccount)
                on_reset=move |id| go_to(Step::ResetPassword { id })
            />
        }
        .into_any(),
        Step::ResetPassword { id } => view! {
            <ResetPassword lang id tenant request_reset on_back=move |_| to_log_in(false) />
        }
        .into_any(),
        Step::NewPassword { code } => view! {
            <NewPassword
                lang
                code
                execute_reset
                on_changed=move |_| to_log_in(true)
                on_new_link=move |_| go_to(Step::ResetPassword { id: String::new() })
            />
        }
        .into_any(),
        Step::Done(handoff) => view! {
            <Done
                lang
                handoff
                partner_host=partner_host.clone()
                returning_to=return_to.get_value().and_then(|r| r.host())
                web_form_progress
                on_start_again=Callback::new(move |_| {
                    log_out();
                    to_log_in(false);
                })
            />
        }
        .into_any(),
    };

    // "Cancel" only where a partner page can hear it or in redirect mode, and not once it has the handoff.
    let can_cancel = move || {
        (parent.with_value(Option::is_some) || return_to.with_value(Option::is_some))
            && step.with(|step| !matches!(step, Step::Done(_)))
    };
    let cancel_label = move || {
        let t = lang.get().texts();
        match return_to.with_value(|r| r.as_ref().and_then(ReturnTo::host)) {
            Some(host) => t.cancel_and_return(&host),
            None => t.cancel.to_owned(),
        }
    };
    view! {
        {steps}
        {move || {
            can_cancel()
                .then(|| {
                    view! {
                        <div class="cancel">
                            <button type="button" class="button button--secondary" id="cancel" on:click=cancel>
                                {cancel_label}
                            </button>
                        </div>
                    }
                })
        }}
    }
}

/// Logs in, keeps the session handle, and gets the handoff for the partner.
async fn log_in_and_hand_off(
    request: LoginRequest,
    session: RwSignal<Option<String>>,
    return_url: Option<String>,
) -> Result<Handoff, api::CallError> {
    let signed_in = api::log_in(request).await?;
    session.set(Some(signed_in.session.clone()));
    let handoff = api::hand_off(&signed_in.session, return_url.as_deref()).await;
    if handoff.is_err() {
        // The next attempt logs in afresh.
        session.set(None);
        spawn_local(async move {
            _ = api::log_out(&signed_in.session).await;
        });
    }
    handoff
}
