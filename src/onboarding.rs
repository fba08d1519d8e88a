//! The flow through the steps: which step shows, the session handle (in memory only) and the messages to
//! a partner page that frames the form.

use crate::api::{self, Answer, ApiCall};
use crate::embed::{Message, Parent};
use crate::i18n::Lang;
use crate::page;
use crate::steps::{CreateAccount, Done, LogIn, Step};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{CreateUserRequest, CreatedUser, FormSettings, Handoff, LoginRequest};

#[component]
pub fn Onboarding(#[prop(into)] lang: Signal<Lang>, settings: FormSettings) -> impl IntoView {
    let parent = StoredValue::new(Parent::find(&settings.parent_origins));
    let post = move |message: &Message| parent.with_value(|p| p.iter().for_each(|p| p.post(message)));
    let step = RwSignal::new(Step::CreateAccount);
    // The opaque session handle: in this signal only, never in storage, cookies or the address.
    let session = RwSignal::new(None::<String>);

    let go_to = move |next: Step| {
        post(&Message::Step { step: next.name() });
        step.set(next);
        // Once the new step is in the page, start reading (and tabbing) from its heading.
        request_animation_frame(|| page::focus_first("main h1"));
    };
    // The first step is in the page: the partner may show the frame.
    Effect::new(move |_| post(&Message::Ready));

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
        post(&Message::Exit {
            step: step.with_untracked(Step::name),
        });
    };
    let hand_over = move |handoff: Handoff| {
        post(&Message::Handoff {
            code: &handoff.code,
            user_id: &handoff.user_id,
        });
        go_to(Step::Done(handoff));
    };

    let create_user: ApiCall<CreateUserRequest, CreatedUser> =
        Callback::new(|request| -> Answer<_> { Box::pin(api::create_user(request)) });
    let log_in: ApiCall<LoginRequest, Handoff> =
        Callback::new(move |request| -> Answer<_> { Box::pin(log_in_and_hand_off(request, session)) });
    let partner_host = parent.with_value(|p| p.as_ref().map(|p| p.host().to_owned()));

    let steps = move || match step.get() {
        Step::CreateAccount => view! {
            <CreateAccount
                lang
                settings=settings.clone()
                create_user
                on_created=move |user: CreatedUser| go_to(Step::LogIn { new_account: Some(user.id) })
                on_log_in=move |_| go_to(Step::LogIn { new_account: None })
            />
        }
        .into_any(),
        Step::LogIn { new_account } => view! {
            <LogIn lang new_account log_in on_done=hand_over on_create_account=move |_| go_to(Step::CreateAccount) />
        }
        .into_any(),
        Step::Done(handoff) => view! { <Done lang handoff partner_host=partner_host.clone() /> }.into_any(),
    };

    // "Cancel" only where a partner page can hear it, and not once it has the handoff.
    let can_cancel = move || parent.with_value(Option::is_some) && step.with(|step| !matches!(step, Step::Done(_)));
    view! {
        {steps}
        {move || {
            can_cancel()
                .then(|| {
                    view! {
                        <div class="cancel">
                            <button type="button" class="button button--secondary" id="cancel" on:click=cancel>
                                {move || lang.get().texts().cancel}
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
) -> Result<Handoff, api::CallError> {
    let signed_in = api::log_in(request).await?;
    session.set(Some(signed_in.session.clone()));
    let handoff = api::hand_off(&signed_in.session).await;
    if handoff.is_err() {
        // The next attempt logs in afresh.
        session.set(None);
        spawn_local(async move {
            _ = api::log_out(&signed_in.session).await;
        });
    }
    handoff
}
