//! The way back into a locked account (ask for a reset link, choose a new password), too many attempts,
//! and the finAPI Web Form's outcome on the done step: mounted in a real browser without the proxy.

#![cfg(target_arch = "wasm32")]

mod support;

use finapi::{FieldError, WebFormStatus};
use leptos::prelude::*;
use onboarding_api::{
    ApiError, ApiErrorCode, FieldProblem, FormField, Handoff, LoginRequest, PasswordResetExecution,
    PasswordResetRequest, TenantSettings, Theme, WebFormProgress,
};
use onboarding_form::api::CallError;
use onboarding_form::i18n::Lang;
use onboarding_form::onboarding::Onboarding;
use onboarding_form::steps::{Done, LogIn, NewPassword, ResetPassword};
use send_wrapper::SendWrapper;
use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

type Reset = Stand<PasswordResetRequest, ()>;
type Execute = Stand<PasswordResetExecution, ()>;
type Progress = Stand<String, WebFormProgress>;

fn tenant(password_reset_offered: bool, support_contact: Option<&str>) -> TenantSettings {
    TenantSettings {
        id: "acme".into(),
        theme: Theme::default(),
        support_contact: support_contact.map(str::to_owned),
        password_reset_offered,
    }
}

/// Counts the calls of a callback.
#[derive(Clone, Default)]
struct Counter(Rc<RefCell<u32>>);

impl Counter {
    fn callback<T: 'static>(&self) -> Callback<T> {
        let count = SendWrapper::new(self.0.clone());
        Callback::new(move |_| *count.borrow_mut() += 1)
    }

    fn get(&self) -> u32 {
        *self.0.borrow()
    }
}

fn reset_step(
    lang: Lang,
    id: &str,
    tenant: Option<TenantSettings>,
    proxy: &Reset,
    back: &Counter,
) -> Box<dyn std::any::Any> {
    let (id, proxy, back) = (id.to_owned(), proxy.clone(), back.clone());
    mount(move || {
        view! {
            <ResetPassword
                lang
                id
                tenant=Signal::stored(tenant)
                request_reset=proxy.call()
                on_back=back.callback()
            />
        }
    })
}

#[wasm_bindgen_test]
async fn forgot_password_leads_from_log_in_to_the_reset_step() {
    let _mounted = mount(|| {
        view! {
            <Onboarding
                lang=Lang::En
                settings=settings(false)
                tenant=Signal::stored(Some(tenant(true, Some("help@acme.example"))))
            />
        }
    });
    settle().await;
    click("go-to-log-in");
    settle().await;
    type_into("log-in-id", " jane.doe ");
    assert_eq!(text("forgot-password"), "Forgot your password?");
    click("forgot-password");
    settle().await;
    assert_eq!(text("reset-title"), "Reset your password");
    assert_eq!(value("reset-id"), "jane.doe", "the id typed is filled in");
    assert_eq!(document().title(), "Reset your password – finAPI");

    click("back-to-log-in");
    settle().await;
    assert!(exists("log-in-id"));
    assert!(!exists("reset-id"));
}

#[wasm_bindgen_test]
async fn the_reset_confirmation_shows_the_support_contact() {
    let proxy = Reset::answering(Ok(()));
    let back = Counter::default();
    let _mounted = reset_step(
        Lang::En,
        "",
        Some(tenant(true, Some("help@acme.example"))),
        &proxy,
        &back,
    );
    settle().await;
    assert_eq!(label_of("reset-id"), "User id");
    assert_eq!(text("reset-sent"), "", "the status region waits, empty");
    assert_eq!(text("reset-support"), "", "the contact comes with the confirmation");
    click("reset-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(Some("#reset-id".into()), "Enter your user id".into())]
    );
    assert_eq!(document().title(), "Error: Reset your password – finAPI");
    assert!(proxy.calls().is_empty());

    type_into("reset-id", "jane.doe");
    click("reset-submit");
    settle().await;
    assert_eq!(
        proxy.calls(),
        [PasswordResetRequest {
            id: "jane.doe".into(),
            language: Some("en".into())
        }]
    );
    assert!(!exists("error-summary"));
    assert_eq!(text("reset-title"), "Check your email");
    assert_eq!(focused_id(), "reset-title");
    assert_eq!(attribute("reset-sent", "role").as_deref(), Some("status"));
    assert_eq!(
        text("reset-sent"),
        "If this account has an email address, we have sent a link to it. The link works for 30 minutes. If \
         nothing arrives, check your spam folder."
    );
    assert_eq!(
        text("reset-support"),
        "No email address on the account? Contact help@acme.example."
    );
    assert!(!exists("reset-id"), "no second request from here");
    click("back-to-log-in");
    assert_eq!(back.get(), 1);
}

#[wasm_bindgen_test]
async fn the_reset_request_is_sent_in_german_and_without_a_support_contact_none_is_named() {
    let proxy = Reset::answering(Ok(()));
    let _mounted = reset_step(
        Lang::De,
        "jane.doe",
        Some(tenant(true, None)),
        &proxy,
        &Counter::default(),
    );
    settle().await;
    assert_eq!(text("reset-title"), "Passwort zurücksetzen");
    click("reset-submit");
    settle().await;
    assert_eq!(proxy.calls()[0].language.as_deref(), Some("de"));
    assert_eq!(text("reset-title"), "Prüfen Sie Ihre E-Mails");
    assert!(text("reset-sent").starts_with("Wenn zu diesem Konto eine E-Mail-Adresse hinterlegt ist"));
    assert_eq!(text("reset-support"), "", "no contact to name");
}

#[wasm_bindgen_test]
async fn without_reset_links_only_whom_to_contact_is_shown() {
    let proxy = Reset::answering(Ok(()));
    let mounted = reset_step(
        Lang::En,
        "jane.doe",
        Some(tenant(false, Some("+49 30 1234567"))),
        &proxy,
        &Counter::default(),
    );
    settle().await;
    assert!(!exists("reset-id"), "no request is offered");
    assert_eq!(
        text("reset-support"),
        "Your password can't be reset here. To unlock your account, contact +49 30 1234567."
    );
    assert!(exists("back-to-log-in"));
    drop(mounted);

    let _mounted = reset_step(
        Lang::En,
        "jane.doe",
        Some(tenant(false, None)),
        &proxy,
        &Counter::default(),
    );
    settle().await;
    assert_eq!(
        text("reset-support"),
        "Your password can't be reset here. To unlock your account, please contact the service you came from."
    );
    assert!(proxy.calls().is_empty());
}

#[wasm_bindgen_test]
async fn too_many_reset_requests_say_how_long_to_wait() {
    let proxy = Reset::answering(Err(CallError::RateLimited { retry_after: Some(45) }));
    let _mounted = reset_step(Lang::En, "jane.doe", None, &proxy, &Counter::default());
    settle().await;
    click("reset-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(None, "Too many attempts. Please wait 45 seconds and try again.".into())]
    );
    assert_eq!(focused_id(), "error-summary");
    assert!(exists("reset-id"), "the form stays");
}

#[wasm_bindgen_test]
async fn too_many_log_ins_say_how_long_to_wait_in_both_languages() {
    let proxy = Stand::<LoginRequest, Handoff>::answering(Err(CallError::RateLimited { retry_after: Some(600) }));
    let lang = RwSignal::new(Lang::En);
    let call = proxy.call();
    let _mounted = mount(move || {
        view! { <LogIn lang log_in=call on_done=|_| {} on_create_account=|_| {} on_reset=|_| {} /> }
    });
    settle().await;
    type_into("log-in-id", "jane.doe");
    type_into("log-in-password", "correct horse");
    click("log-in-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(None, "Too many attempts. Please wait 10 minutes and try again.".into())]
    );
    assert_eq!(value("log-in-password"), "correct horse", "not a wrong password: kept");
    lang.set(Lang::De);
    settle().await;
    assert_eq!(
        summary_items(),
        [(
            None,
            "Zu viele Versuche. Bitte warten Sie 10 Minuten und versuchen Sie es dann noch einmal.".into()
        )]
    );
}

struct NewPasswordPage {
    changed: Counter,
    new_link: Counter,
    _mounted: Box<dyn std::any::Any>,
}

fn new_password(proxy: &Execute) -> NewPasswordPage {
    let (changed, new_link) = (Counter::default(), Counter::default());
    let (proxy, on_changed, on_new_link) = (proxy.clone(), changed.clone(), new_link.clone());
    let mounted = mount(move || {
        view! {
            <NewPassword
                lang=Lang::En
                code="code-1".to_owned()
                execute_reset=proxy.call()
                on_changed=on_changed.callback()
                on_new_link=on_new_link.callback()
            />
        }
    });
    NewPasswordPage {
        changed,
        new_link,
        _mounted: mounted,
    }
}

#[wasm_bindgen_test]
async fn the_new_password_follows_the_sign_up_rules() {
    let proxy = Execute::never_answering();
    let _page = new_password(&proxy);
    settle().await;
    assert_eq!(document().title(), "Choose a new password – finAPI");
    assert_eq!(label_of("new-password"), "New password");
    assert_eq!(
        attribute("new-password", "autocomplete").as_deref(),
        Some("new-password")
    );
    assert_eq!(
        text("new-password-hint"),
        "At least 8 characters. A few words together are easy to remember and hard to guess."
    );
    click("new-password-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(Some("#new-password".into()), "Enter a password".into())]
    );
    assert!(text("new-password-error").ends_with("Enter a password"));

    type_into("new-password", "short");
    click("new-password-submit");
    settle().await;
    assert!(text("new-password-error").ends_with("Password must be at least 8 characters"));
    type_into("new-password", "secret%secret");
    click("new-password-submit");
    settle().await;
    assert!(text("new-password-error").ends_with("Password can't contain “%”"));
    assert!(proxy.calls().is_empty());

    // The same show/hide as signing up.
    click("new-password-toggle");
    settle().await;
    assert_eq!(attribute("new-password", "type").as_deref(), Some("text"));

    type_into("new-password", "a brand new passphrase");
    click("new-password-submit");
    settle().await;
    assert!(!exists("error-summary"));
    let calls = proxy.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].code, "code-1");
    assert_eq!(calls[0].password, "a brand new passphrase");
    assert_eq!(text("new-password-submit"), "Saving…");
}

#[wasm_bindgen_test]
async fn a_dead_reset_link_offers_a_new_one() {
    let proxy = Execute::answering(Err(CallError::code(ApiErrorCode::ResetLinkInvalid)));
    let page = new_password(&proxy);
    settle().await;
    assert!(!exists("request-new-link"));
    type_into("new-password", "a brand new passphrase");
    click("new-password-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(
            None,
            "This link no longer works: it has been used, has expired, or a newer one was sent. Ask for a new link."
                .into()
        )]
    );
    assert_eq!(focused_id(), "error-summary");
    assert_eq!(text("request-new-link"), "Ask for a new link");
    click("request-new-link");
    assert_eq!(page.new_link.get(), 1);

    // The proxy's own check of the password shows at the field.
    proxy.answer_next(Err(CallError::Api(ApiError {
        error: ApiErrorCode::InvalidInput,
        fields: vec![FieldProblem {
            field: FormField::Password,
            problem: FieldError::TooLong { max: 128 },
        }],
        request_id: None,
    })));
    click("new-password-submit");
    settle().await;
    assert!(text("new-password-error").ends_with("Password must be 128 characters or fewer"));
    assert!(!exists("request-new-link"));

    proxy.answer_next(Ok(()));
    click("new-password-submit");
    settle().await;
    assert_eq!(page.changed.get(), 1);
}

#[wasm_bindgen_test]
async fn after_a_new_password_the_log_in_step_says_so() {
    let proxy = Stand::<LoginRequest, Handoff>::never_answering();
    let call = proxy.call();
    let _mounted = mount(move || {
        view! {
            <LogIn lang=Lang::En password_changed=true log_in=call on_done=|_| {} on_create_account=|_| {} on_reset=|_| {} />
        }
    });
    settle().await;
    assert_eq!(
        text("password-changed"),
        "Your password has been changed. Log in with your new password."
    );
    assert!(!exists("reset-locked"));
}

fn handoff() -> Handoff {
    Handoff {
        code: "code-1".into(),
        user_id: "jane.doe".into(),
        expires_in: 120,
        web_form_url: Some("https://webform.example/wf/abc".into()),
    }
}

fn done(proxy: &Progress, again: &Counter) -> Box<dyn std::any::Any> {
    let (proxy, again) = (proxy.clone(), again.clone());
    mount(move || {
        view! {
            <Done lang=Lang::En handoff=handoff() web_form_progress=proxy.call() on_start_again=again.callback() />
        }
    })
}

/// The person comes back to the form's window.
fn come_back() {
    window().dispatch_event(&web_sys::Event::new("focus").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn the_done_step_tells_how_the_web_form_ended() {
    let cases = [
        (WebFormStatus::Completed, "Your bank account is connected.", false),
        (
            WebFormStatus::CompletedWithError,
            "Your bank account is connected, but some accounts could not be imported. You can add them later.",
            false,
        ),
        (
            WebFormStatus::Aborted,
            "You cancelled connecting your bank account. You can try again.",
            true,
        ),
        (
            WebFormStatus::Expired,
            "The link to connect your bank account has expired. Please start again.",
            true,
        ),
    ];
    for (status, words, again) in cases {
        let proxy = Progress::answering(Ok(WebFormProgress { status: Some(status) }));
        let start_again = Counter::default();
        let mounted = done(&proxy, &start_again);
        settle().await;
        assert_eq!(attribute("web-form-status", "aria-live").as_deref(), Some("polite"));
        assert_eq!(text("web-form-status"), "");
        assert!(exists("continue-to-bank"));
        assert!(
            proxy.calls().is_empty(),
            "nothing is asked before the person comes back"
        );

        come_back();
        settle().await;
        assert_eq!(proxy.calls(), ["abc"], "the Web Form id ends its address");
        assert!(
            text("web-form-status").starts_with(words),
            "{status:?}: {}",
            text("web-form-status")
        );
        assert!(!exists("continue-to-bank"), "{status:?}: the used link is gone");
        assert_eq!(exists("start-again"), again, "{status:?}");
        if again {
            assert_eq!(text("start-again"), "Start again");
            click("start-again");
            assert_eq!(start_again.get(), 1);
        }
        drop(mounted);
    }
}

#[wasm_bindgen_test]
async fn an_unfinished_web_form_shows_nothing_and_is_asked_again_later() {
    let proxy = Progress::answering(Ok(WebFormProgress { status: None }));
    let mounted = done(&proxy, &Counter::default());
    settle().await;
    come_back();
    settle().await;
    assert_eq!(proxy.calls().len(), 1);
    assert_eq!(text("web-form-status"), "");
    assert!(exists("continue-to-bank"));
    come_back();
    settle().await;
    assert_eq!(proxy.calls().len(), 1, "at most one check every 2 s");

    drop(mounted);
    sleep(2100).await;
    come_back();
    settle().await;
    assert_eq!(proxy.calls().len(), 1, "an unmounted step asks nothing");
}

#[wasm_bindgen_test]
async fn while_the_web_form_is_open_its_status_is_polled_until_it_ends() {
    let proxy = Progress::answering(Ok(WebFormProgress {
        status: Some(WebFormStatus::InProgress),
    }));
    let _mounted = done(&proxy, &Counter::default());
    settle().await;
    // Open the Web Form without leaving the test page.
    let stay =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| event.prevent_default());
    let link = element("continue-to-bank");
    link.add_event_listener_with_callback("click", stay.as_ref().unchecked_ref())
        .unwrap();
    click("continue-to-bank");
    sleep(2300).await;
    settle().await;
    assert_eq!(proxy.calls().len(), 1, "one check after 2 s");
    assert_eq!(text("web-form-status"), "");

    proxy.answer_next(Ok(WebFormProgress {
        status: Some(WebFormStatus::Completed),
    }));
    wait_until("the final status", || {
        text("web-form-status") == "Your bank account is connected."
    })
    .await;
    let calls = proxy.calls().len();
    sleep(4500).await;
    come_back();
    settle().await;
    assert_eq!(proxy.calls().len(), calls, "no more checks after the final status");
    drop(stay);
}
