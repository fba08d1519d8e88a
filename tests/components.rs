//! The steps in a real browser, mounted without the proxy: what a person sees, where focus goes, and
//! what would be sent.
//!
//! Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver
//! cargo test -p onboarding-form --target wasm32-unknown-unknown`

#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use onboarding_api::{
    ApiError, ApiErrorCode, CreateUserRequest, CreatedUser, FieldProblem, FormField, Handoff, LoginRequest,
};
use onboarding_form::api::CallError;
use onboarding_form::components::LanguageSwitch;
use onboarding_form::i18n::Lang;
use onboarding_form::steps::{CreateAccount, Done, LogIn};
use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

type SignUp = Stand<CreateUserRequest, CreatedUser>;
type SignIn = Stand<LoginRequest, Handoff>;

/// The create-account step, with what it reports.
struct CreateAccountPage {
    lang: RwSignal<Lang>,
    created: Rc<RefCell<Vec<String>>>,
    went_to_log_in: Rc<RefCell<u32>>,
    _mounted: Box<dyn std::any::Any>,
}

fn create_account(lang: Lang, auto_update_offered: bool, proxy: &SignUp) -> CreateAccountPage {
    let lang = RwSignal::new(lang);
    let created = Rc::new(RefCell::new(Vec::new()));
    let went_to_log_in = Rc::new(RefCell::new(0));
    let proxy = proxy.clone();
    let (on_created, on_log_in) = (created.clone(), went_to_log_in.clone());
    let mounted = mount(move || {
        let on_created = send_wrapper::SendWrapper::new(on_created);
        let on_log_in = send_wrapper::SendWrapper::new(on_log_in);
        view! {
            <LanguageSwitch lang />
            <CreateAccount
                lang
                settings=settings(auto_update_offered)
                create_user=proxy.call()
                on_created=move |user: CreatedUser| on_created.borrow_mut().push(user.id)
                on_log_in=move |_| *on_log_in.borrow_mut() += 1
            />
        }
    });
    CreateAccountPage {
        lang,
        created,
        went_to_log_in,
        _mounted: mounted,
    }
}

fn error_of(field_id: &str) -> String {
    text(&format!("{field_id}-error"))
}

#[wasm_bindgen_test]
async fn an_empty_sign_up_shows_the_summary_and_inline_errors() {
    let proxy = SignUp::never_answering();
    let _page = create_account(Lang::En, false, &proxy);
    settle().await;
    assert!(!exists("error-summary"), "no summary before a submit");
    assert!(!exists("signup-id-error"));
    assert_eq!(
        attribute("signup-id", "aria-describedby").as_deref(),
        Some("signup-id-hint")
    );
    assert_eq!(attribute("signup-id", "aria-invalid"), None);

    click("create-account-submit");
    settle().await;

    assert_eq!(attribute("error-summary", "role").as_deref(), Some("alert"));
    assert_eq!(text("error-summary-title"), "There is a problem");
    assert_eq!(
        summary_items(),
        [
            (Some("#signup-id".into()), "Enter a user id".into()),
            (Some("#signup-password".into()), "Enter a password".into()),
        ]
    );
    assert_eq!(focused_id(), "error-summary", "focus moves to the summary");
    assert!(error_of("signup-id").ends_with("Enter a user id"));
    assert!(error_of("signup-password").ends_with("Enter a password"));
    assert!(!exists("signup-email-error"), "an empty optional field is fine");
    assert_eq!(attribute("signup-id", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        attribute("signup-id", "aria-describedby").as_deref(),
        Some("signup-id-hint signup-id-error")
    );
    assert_eq!(
        attribute("signup-password", "aria-describedby").as_deref(),
        Some("signup-password-hint signup-password-error")
    );
    assert_eq!(document().title(), "Error: Create account – finAPI");
    assert!(proxy.calls().is_empty(), "nothing is sent while there are problems");

    // The summary's links lead to the field.
    click_first_summary_link();
    assert_eq!(focused_id(), "signup-id");
}

fn click_first_summary_link() {
    let link = find("#error-summary a").expect("a link in the summary");
    wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(link).click();
}

#[wasm_bindgen_test]
async fn fixed_values_clear_the_errors_and_send_a_valid_sign_up() {
    let proxy = SignUp::never_answering();
    let _page = create_account(Lang::En, false, &proxy);
    settle().await;
    type_into("signup-email", "jane");
    click("create-account-submit");
    settle().await;
    assert!(error_of("signup-email").ends_with("Enter an email address in the correct format, like name@example.com"));
    assert_eq!(value("signup-email"), "jane", "typed values are kept");

    type_into("signup-id", "jane.doe");
    type_into("signup-password", "correct horse");
    type_into("signup-email", "jane@example.com");
    click("create-account-submit");
    settle().await;

    assert!(!exists("error-summary"));
    assert!(!exists("signup-id-error"));
    assert!(!exists("signup-password-error"));
    assert!(!exists("signup-email-error"));
    assert_eq!(attribute("signup-id", "aria-invalid"), None);
    assert_eq!(document().title(), "Create account – finAPI");
    let calls = proxy.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].id, "jane.doe");
    assert_eq!(calls[0].password, "correct horse");
    assert_eq!(calls[0].email.as_deref(), Some("jane@example.com"));
    assert_eq!(calls[0].phone, None);
    assert!(!calls[0].auto_update);
    assert!(calls[0].validate().is_ok());

    // While the proxy has not answered, the button says so and cannot be pressed again.
    assert_eq!(text("create-account-submit"), "Creating account…");
    assert!(element("create-account-submit").has_attribute("disabled"));
    click("create-account-submit");
    settle().await;
    assert_eq!(proxy.calls().len(), 1);
}

#[wasm_bindgen_test]
async fn a_created_account_is_reported() {
    let proxy = SignUp::answering(Ok(CreatedUser { id: "jane.doe".into() }));
    let page = create_account(Lang::En, false, &proxy);
    settle().await;
    type_into("signup-id", "jane.doe");
    type_into("signup-password", "correct horse");
    click("create-account-submit");
    settle().await;
    assert_eq!(*page.created.borrow(), ["jane.doe"]);

    click("go-to-log-in");
    assert_eq!(*page.went_to_log_in.borrow(), 1);
}

#[wasm_bindgen_test]
async fn each_rule_gets_its_own_words() {
    let proxy = SignUp::never_answering();
    let page = create_account(Lang::En, false, &proxy);
    settle().await;
    type_into("signup-id", &"a".repeat(37));
    type_into("signup-password", "secret%secret");
    type_into("signup-phone", "call me");
    click("create-account-submit");
    settle().await;
    assert!(error_of("signup-id").ends_with("User id must be 36 characters or fewer"));
    assert!(error_of("signup-password").ends_with("Password can't contain “%”"));
    assert!(error_of("signup-phone").ends_with("Enter a phone number, like +49 30 1234567"));
    assert_eq!(summary_items().len(), 3);

    type_into("signup-id", "jane#1");
    type_into("signup-password", "short");
    click("create-account-submit");
    settle().await;
    assert!(error_of("signup-id").ends_with("User id can only contain letters, digits and - _ . + @ (not “#”)"));
    assert!(error_of("signup-password").ends_with("Password must be at least 8 characters"));

    page.lang.set(Lang::De);
    type_into("signup-id", "jane doe");
    type_into("signup-password", "geheim%geheim");
    click("create-account-submit");
    settle().await;
    assert!(error_of("signup-id")
        .ends_with("Die Benutzerkennung darf nur Buchstaben, Ziffern und - _ . + @ enthalten (keine Leerzeichen)"));
    assert!(error_of("signup-password").ends_with("Das Passwort darf „%“ nicht enthalten"));
    assert!(proxy.calls().is_empty());
}

#[wasm_bindgen_test]
async fn switching_the_language_changes_labels_and_errors_and_keeps_values() {
    let proxy = SignUp::never_answering();
    let page = create_account(Lang::En, false, &proxy);
    settle().await;
    assert_eq!(label_of("signup-id"), "User id");
    assert_eq!(label_of("signup-email"), "Email address (optional)");
    assert_eq!(chosen_language(), "en");
    type_into("signup-password", "short");
    click("create-account-submit");
    settle().await;
    assert!(error_of("signup-id").ends_with("Enter a user id"));

    focus("language-switch");
    choose_language("de");
    settle().await;
    assert_eq!(page.lang.get_untracked(), Lang::De);
    assert_eq!(
        focused_id(),
        "language-switch",
        "the summary does not take the focus again"
    );
    assert_eq!(chosen_language(), "de");
    assert_eq!(
        label_of("language-switch"),
        "Sprache",
        "the menu is labelled in the language shown"
    );
    let names: Vec<String> = (0..11)
        .map(|i| {
            find(&format!("#language-switch option:nth-child({})", i + 1))
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(
        names,
        [
            "Deutsch",
            "English",
            "Čeština",
            "Español",
            "Français",
            "Italiano",
            "Nederlands",
            "Polski",
            "Română",
            "Slovenčina",
            "Türkçe"
        ],
        "each language by its own name"
    );
    assert_eq!(
        find("#language-switch option[value=fr]")
            .unwrap()
            .get_attribute("lang")
            .as_deref(),
        Some("fr")
    );
    assert_eq!(label_of("signup-id"), "Benutzerkennung");
    assert_eq!(label_of("signup-password"), "Passwort");
    assert_eq!(label_of("signup-phone"), "Telefonnummer (optional)");
    assert_eq!(text("error-summary-title"), "Es gibt ein Problem");
    assert!(error_of("signup-id").ends_with("Geben Sie eine Benutzerkennung ein"));
    assert!(error_of("signup-password").ends_with("Das Passwort muss mindestens 8 Zeichen lang sein"));
    assert_eq!(text("create-account-submit"), "Konto erstellen");
    assert_eq!(document().title(), "Fehler: Konto erstellen – finAPI");
    assert_eq!(value("signup-password"), "short", "typed values survive the switch");

    choose_language("en");
    settle().await;
    assert_eq!(label_of("signup-id"), "User id");
    assert!(error_of("signup-password").ends_with("Password must be at least 8 characters"));
}

#[wasm_bindgen_test]
async fn the_auto_update_choice_appears_only_when_offered() {
    let proxy = SignUp::never_answering();
    let page = create_account(Lang::En, false, &proxy);
    settle().await;
    assert!(!exists("signup-auto-update"));
    drop(page);

    let _page = create_account(Lang::En, true, &proxy);
    settle().await;
    assert_eq!(label_of("signup-auto-update"), "Update my accounts automatically");
    assert_eq!(attribute("signup-auto-update", "type").as_deref(), Some("checkbox"));
    click("signup-auto-update");
    type_into("signup-id", "jane.doe");
    type_into("signup-password", "correct horse");
    click("create-account-submit");
    settle().await;
    assert!(proxy.calls()[0].auto_update);
}

#[wasm_bindgen_test]
async fn the_password_can_be_shown_and_hidden() {
    let proxy = SignUp::never_answering();
    let _page = create_account(Lang::En, false, &proxy);
    settle().await;
    assert_eq!(attribute("signup-password", "type").as_deref(), Some("password"));
    assert_eq!(
        attribute("signup-password", "autocomplete").as_deref(),
        Some("new-password")
    );
    assert_eq!(attribute("signup-password", "maxlength"), None);
    assert_eq!(text("signup-password-toggle"), "Show");
    click("signup-password-toggle");
    settle().await;
    assert_eq!(attribute("signup-password", "type").as_deref(), Some("text"));
    assert_eq!(text("signup-password-toggle"), "Hide");
    assert_eq!(
        attribute("signup-password-toggle", "aria-label").as_deref(),
        Some("Hide password")
    );
    click("signup-password-toggle");
    settle().await;
    assert_eq!(attribute("signup-password", "type").as_deref(), Some("password"));
}

#[wasm_bindgen_test]
async fn proxy_errors_are_worded_to_act_on() {
    let proxy = SignUp::answering(Err(CallError::code(ApiErrorCode::UserIdTaken)));
    let _page = create_account(Lang::En, false, &proxy);
    settle().await;
    type_into("signup-id", "jane.doe");
    type_into("signup-password", "correct horse");
    click("create-account-submit");
    settle().await;
    let taken = "This user id is already taken. Choose another one or log in.";
    assert!(error_of("signup-id").ends_with(taken));
    assert_eq!(summary_items(), [(Some("#signup-id".into()), taken.into())]);
    assert_eq!(focused_id(), "error-summary");
    assert_eq!(value("signup-password"), "correct horse");

    proxy.answer_next(Err(CallError::Network));
    click("create-account-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(
            None,
            "The service can't be reached right now. Your entries are kept — please try again in a few minutes.".into()
        )]
    );
    assert!(!exists("signup-id-error"));

    proxy.answer_next(Err(CallError::Api(ApiError {
        error: ApiErrorCode::Unexpected,
        fields: Vec::new(),
        request_id: Some("req-42".into()),
    })));
    click("create-account-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(
            None,
            "Something went wrong on our side. Please try again. Support reference: req-42".into()
        )]
    );

    proxy.answer_next(Err(CallError::Api(ApiError {
        error: ApiErrorCode::InvalidInput,
        fields: vec![FieldProblem {
            field: FormField::Email,
            problem: finapi::FieldError::NotAnEmailAddress,
        }],
        request_id: None,
    })));
    click("create-account-submit");
    settle().await;
    assert!(error_of("signup-email").ends_with("Enter an email address in the correct format, like name@example.com"));
    assert_eq!(proxy.calls().len(), 4);
}

/// The log-in step, with what it reports.
struct LogInPage {
    done: Rc<RefCell<Vec<Handoff>>>,
    /// The ids "reset your password" was asked for with.
    resets: Rc<RefCell<Vec<String>>>,
    _mounted: Box<dyn std::any::Any>,
}

fn log_in(new_account: Option<&str>, proxy: &SignIn) -> LogInPage {
    let done = Rc::new(RefCell::new(Vec::new()));
    let resets = Rc::new(RefCell::new(Vec::new()));
    let proxy = proxy.clone();
    let (on_done, on_reset) = (done.clone(), resets.clone());
    let new_account = new_account.map(str::to_owned);
    let mounted = mount(move || {
        let on_done = send_wrapper::SendWrapper::new(on_done);
        let on_reset = send_wrapper::SendWrapper::new(on_reset);
        view! {
            <LogIn
                lang=Lang::En
                new_account
                log_in=proxy.call()
                on_done=move |handoff: Handoff| on_done.borrow_mut().push(handoff)
                on_create_account=|_| {}
                on_reset=move |id: String| on_reset.borrow_mut().push(id)
            />
        }
    });
    LogInPage {
        done,
        resets,
        _mounted: mounted,
    }
}

fn handoff() -> Handoff {
    Handoff {
        code: "code-1".into(),
        user_id: "jane.doe".into(),
        expires_in: 120,
        web_form_url: Some("https://webform.example/abc".into()),
    }
}

#[wasm_bindgen_test]
async fn an_empty_log_in_asks_for_id_and_password() {
    let proxy = SignIn::never_answering();
    let _page = log_in(None, &proxy);
    settle().await;
    assert!(!exists("account-created"));
    assert_eq!(value("log-in-id"), "", "nothing is filled in");
    assert_eq!(
        attribute("log-in-password", "autocomplete").as_deref(),
        Some("current-password")
    );
    click("log-in-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [
            (Some("#log-in-id".into()), "Enter your user id".into()),
            (Some("#log-in-password".into()), "Enter your password".into()),
        ]
    );
    assert!(error_of("log-in-password").ends_with("Enter your password"));
    assert_eq!(focused_id(), "error-summary");
    assert_eq!(document().title(), "Error: Log in – finAPI");

    type_into("log-in-id", "jane.doe");
    click("log-in-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(Some("#log-in-password".into()), "Enter your password".into())]
    );
    assert!(!exists("log-in-id-error"));
    assert!(proxy.calls().is_empty());
}

#[wasm_bindgen_test]
async fn wrong_credentials_clear_the_password() {
    let proxy = SignIn::answering(Err(CallError::code(ApiErrorCode::WrongCredentials)));
    let page = log_in(Some("jane.doe"), &proxy);
    settle().await;
    assert_eq!(
        text("account-created"),
        "Your account jane.doe has been created. Log in to continue."
    );
    assert_eq!(value("log-in-id"), "jane.doe", "the new id is filled in");
    type_into("log-in-password", "wrong password");
    click("log-in-submit");
    settle().await;
    assert_eq!(proxy.calls()[0].id, "jane.doe");
    assert_eq!(proxy.calls()[0].password, "wrong password");
    assert_eq!(
        summary_items(),
        [(
            Some("#log-in-password".into()),
            "The user id or password is not correct.".into()
        )]
    );
    assert_eq!(value("log-in-password"), "", "the password is cleared");
    assert_eq!(value("log-in-id"), "jane.doe");
    assert!(page.done.borrow().is_empty());

    proxy.answer_next(Err(CallError::code(ApiErrorCode::AccountLocked)));
    type_into("log-in-password", "another try");
    click("log-in-submit");
    settle().await;
    assert_eq!(
        summary_items(),
        [(
            None,
            "Your account is locked after too many failed attempts. Reset your password to unlock it.".into()
        )]
    );
    assert_eq!(value("log-in-password"), "", "the password is cleared");
    assert_eq!(text("reset-locked"), "Reset your password", "a way out is offered");
    click("reset-locked");
    assert_eq!(*page.resets.borrow(), ["jane.doe"], "with the id typed");

    proxy.answer_next(Ok(handoff()));
    type_into("log-in-password", "correct horse");
    click("log-in-submit");
    settle().await;
    assert_eq!(*page.done.borrow(), [handoff()]);
}

#[wasm_bindgen_test]
async fn done_offers_the_bank_connection_at_top_level() {
    let _mounted = mount(|| view! { <Done lang=Lang::En handoff=handoff() /> });
    settle().await;
    assert_eq!(element("done").tag_name(), "SECTION");
    assert_eq!(text("done-title"), "You're all set");
    assert!(text("done").contains("You're logged in as jane.doe."));
    assert_eq!(text("continue-to-bank"), "Connect your bank account");
    assert_eq!(
        attribute("continue-to-bank", "href").as_deref(),
        Some("https://webform.example/abc")
    );
    assert_eq!(attribute("continue-to-bank", "target"), None, "same window");
}

#[wasm_bindgen_test]
async fn done_names_the_partner_when_framed() {
    let _mounted = mount(|| {
        view! {
            <Done lang=Lang::De handoff=handoff() partner_host=Some("partner.example".to_owned()) />
        }
    });
    settle().await;
    assert_eq!(text("done-title"), "Geschafft");
    assert!(text("done").contains("Wir haben Ihre Anmeldung sicher an die Website von partner.example übergeben."));
    assert!(!exists("continue-to-bank"));
}

#[wasm_bindgen_test]
async fn done_refuses_a_script_address() {
    let mut handoff = handoff();
    handoff.web_form_url = Some("javascript:alert(1)".into());
    let _mounted = mount(move || view! { <Done lang=Lang::En handoff /> });
    settle().await;
    assert!(!exists("continue-to-bank"));
}
