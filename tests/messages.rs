//! The words and the messages to the partner page, without a page to show them in.

#![cfg(target_arch = "wasm32")]

use finapi::FieldError;
use onboarding_api::{ApiError, ApiErrorCode, FormField};
use onboarding_form::api::{tenant_prefix_of, url, CallError};
use onboarding_form::embed::{choose_parent_origin, envelope, Message, StepName};
use onboarding_form::i18n::Lang;
use onboarding_form::problem::Problem;
use onboarding_form::steps::done::web_form_id;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn posted(message: &Message) -> String {
    js_sys::JSON::stringify(&envelope(message)).unwrap().into()
}

#[wasm_bindgen_test]
fn messages_have_the_documented_envelope() {
    assert_eq!(
        posted(&Message::Ready),
        r#"{"source":"finapi-onboarding","version":1,"type":"READY","payload":{}}"#
    );
    assert_eq!(
        posted(&Message::Step { step: StepName::LogIn }),
        r#"{"source":"finapi-onboarding","version":1,"type":"STEP","payload":{"step":"log_in"}}"#
    );
    assert_eq!(
        posted(&Message::Handoff { code: "c-1" }),
        r#"{"source":"finapi-onboarding","version":1,"type":"HANDOFF","payload":{"code":"c-1"}}"#,
        "no user id: nothing the person typed goes to the partner page"
    );
    assert_eq!(
        posted(&Message::Exit {
            status: StepName::CreateAccount
        }),
        r#"{"source":"finapi-onboarding","version":1,"type":"EXIT","payload":{"status":"create_account"}}"#
    );
    assert_eq!(
        posted(&Message::Resize { height: 712 }),
        r#"{"source":"finapi-onboarding","version":1,"type":"RESIZE","payload":{"height":712}}"#
    );
    assert_eq!(
        posted(&Message::Error {
            code: "WRONG_CREDENTIALS",
            step: StepName::LogIn
        }),
        r#"{"source":"finapi-onboarding","version":1,"type":"ERROR","payload":{"code":"WRONG_CREDENTIALS","step":"log_in"}}"#
    );
    assert_eq!(StepName::Done.as_str(), "done");
}

#[wasm_bindgen_test]
fn the_parent_origin_is_only_ever_an_allowed_one() {
    let one = vec!["https://a.example".to_owned()];
    let two = vec!["https://a.example".to_owned(), "https://b.example".to_owned()];
    assert_eq!(
        choose_parent_origin(Some("https://b.example"), &two).as_deref(),
        Some("https://b.example")
    );
    assert_eq!(choose_parent_origin(None, &two), None);
    assert_eq!(choose_parent_origin(Some("https://evil.example"), &two), None);
    assert_eq!(choose_parent_origin(Some("*"), &two), None);
    assert_eq!(choose_parent_origin(None, &one).as_deref(), Some("https://a.example"));
    assert_eq!(
        choose_parent_origin(Some("https://evil.example"), &one).as_deref(),
        Some("https://a.example")
    );
    assert_eq!(choose_parent_origin(Some("https://a.example"), &[]), None);
}

#[wasm_bindgen_test]
fn the_language_comes_from_the_address_then_the_browser_then_german() {
    let browser = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(Lang::choose(None, &[]), Lang::De);
    assert_eq!(
        Lang::choose(Some("en"), &browser(&["fr"])),
        Lang::En,
        "the address first"
    );
    assert_eq!(Lang::choose(Some("EN"), &[]), Lang::En);
    assert_eq!(Lang::choose(Some("fr-CH"), &[]), Lang::Fr, "by the primary subtag");
    assert_eq!(
        Lang::choose(Some("xx"), &browser(&["ja", "pl-PL", "en"])),
        Lang::Pl,
        "then the first the browser lists that we speak"
    );
    assert_eq!(Lang::choose(None, &browser(&["ja", "ko"])), Lang::De, "else German");
    for lang in Lang::ALL {
        assert_eq!(Lang::from_tag(lang.code()), Some(lang));
    }
}

#[wasm_bindgen_test]
fn plural_forms_follow_each_language() {
    use onboarding_form::i18n::PluralCategory::*;
    let categories = |lang: Lang| [0, 1, 2, 4, 5, 12, 22, 25, 101, 112].map(|n| lang.plural_category(n));
    assert_eq!(
        categories(Lang::En),
        [Other, One, Other, Other, Other, Other, Other, Other, Other, Other]
    );
    assert_eq!(
        categories(Lang::Fr),
        [One, One, Other, Other, Other, Other, Other, Other, Other, Other]
    );
    assert_eq!(
        categories(Lang::Cs),
        [Other, One, Few, Few, Other, Other, Other, Other, Other, Other]
    );
    assert_eq!(
        categories(Lang::Pl),
        [Many, One, Few, Few, Many, Many, Few, Many, Many, Many]
    );
    assert_eq!(
        categories(Lang::Ro),
        [Few, One, Few, Few, Few, Few, Other, Other, Other, Few]
    );
    for lang in Lang::ALL {
        for n in 0..200 {
            assert!(
                lang.plural_categories().contains(&lang.plural_category(n)),
                "{lang:?} {n}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn every_field_error_is_worded_in_both_languages() {
    let errors = [
        FieldError::Missing,
        FieldError::TooShort { min: 8 },
        FieldError::TooLong { max: 36 },
        FieldError::ForbiddenCharacter { character: '%' },
        FieldError::ForbiddenCharacter { character: ' ' },
        FieldError::ForbiddenCharacter { character: '\t' },
        FieldError::ForbiddenCharacter { character: '\u{00A0}' },
        FieldError::NotAnEmailAddress,
        FieldError::NotAPhoneNumber,
    ];
    for field in [FormField::Id, FormField::Password, FormField::Email, FormField::Phone] {
        for error in errors {
            let en = Lang::En.texts().field_error(field, error);
            let de = Lang::De.texts().field_error(field, error);
            assert!(!en.is_empty() && !de.is_empty());
            assert_ne!(en, de, "{field:?} {error:?}");
        }
    }
    assert_eq!(
        Lang::En.texts().field_error(
            FormField::Password,
            FieldError::ForbiddenCharacter { character: '\u{00A0}' }
        ),
        "Password can't contain the invisible character U+00A0"
    );
    assert_eq!(
        Lang::De
            .texts()
            .field_error(FormField::Id, FieldError::TooLong { max: 36 }),
        "Die Benutzerkennung darf höchstens 36 Zeichen lang sein"
    );
}

#[wasm_bindgen_test]
fn call_errors_become_problems() {
    assert_eq!(Problem::from_call(&CallError::Network), [Problem::Unreachable]);
    assert_eq!(
        Problem::from_call(&CallError::code(ApiErrorCode::FinapiUnavailable)),
        [Problem::Unreachable]
    );
    let mut refused = ApiError::new(ApiErrorCode::FinapiRefused);
    refused.request_id = Some("r-9".into());
    assert_eq!(
        Problem::from_call(&CallError::Api(refused)),
        [Problem::FinapiRefused {
            request_id: Some("r-9".into())
        }]
    );
    let mut unexpected = ApiError::new(ApiErrorCode::Unexpected);
    unexpected.request_id = Some("r-10".into());
    assert_eq!(
        Problem::from_call(&CallError::Api(unexpected)),
        [Problem::Unexpected {
            request_id: Some("r-10".into())
        }]
    );
    assert_eq!(
        Problem::from_call(&CallError::code(ApiErrorCode::InvalidInput)),
        [Problem::Unexpected { request_id: None }],
        "invalid input without fields cannot be shown at a field"
    );
    assert_eq!(
        Problem::Unexpected { request_id: None }.message(Lang::De.texts()),
        "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal."
    );
}

#[wasm_bindgen_test]
fn new_steps_have_message_names() {
    assert_eq!(StepName::ResetPassword.as_str(), "reset_password");
    assert_eq!(StepName::NewPassword.as_str(), "new_password");
}

#[wasm_bindgen_test]
fn the_tenant_prefix_comes_from_the_page_path() {
    assert_eq!(tenant_prefix_of("/t/acme/").as_deref(), Some("/t/acme"));
    assert_eq!(tenant_prefix_of("/t/acme").as_deref(), Some("/t/acme"));
    assert_eq!(tenant_prefix_of("/t/acme-2/index.html").as_deref(), Some("/t/acme-2"));
    for path in [
        "/",
        "",
        "/index.html",
        "/t/",
        "/t//",
        "/x/acme/",
        "/t/ACME/",
        "/t/a%2Fb/",
        "/tt/acme/",
    ] {
        assert_eq!(tenant_prefix_of(path), None, "{path}");
    }
    assert_eq!(tenant_prefix_of(&format!("/t/{}/", "a".repeat(33))), None);
    // The test page is not under /t/: plain /api.
    assert_eq!(url("/api/settings"), "/api/settings");
}

#[wasm_bindgen_test]
fn the_web_form_id_ends_its_address() {
    assert_eq!(web_form_id("https://webform.example/wf/abc"), Some("abc"));
    assert_eq!(web_form_id("https://webform.example/wf/abc/?x=1#y"), Some("abc"));
    assert_eq!(web_form_id("http://127.0.0.1:8082/wf/0f3e-a1"), Some("0f3e-a1"));
    assert_eq!(web_form_id("https://webform.example/abc"), Some("abc"));
    assert_eq!(web_form_id("https://webform.example/"), None);
    assert_eq!(web_form_id("https://webform.example//"), None);
    assert_eq!(web_form_id("https://webform.example"), None);
    assert_eq!(web_form_id("https://webform.example?x=/a"), None);
    assert_eq!(web_form_id("webform"), None);
}

#[wasm_bindgen_test]
fn rate_limits_say_how_long_to_wait() {
    let cases = [
        (None, "a few minutes", "ein paar Minuten"),
        (Some(0), "a few minutes", "ein paar Minuten"),
        (Some(1), "1 second", "1 Sekunde"),
        (Some(59), "59 seconds", "59 Sekunden"),
        (Some(60), "1 minute", "1 Minute"),
        (Some(61), "2 minutes", "2 Minuten"),
        (Some(600), "10 minutes", "10 Minuten"),
    ];
    for (seconds, en, de) in cases {
        assert_eq!(
            Lang::En.texts().rate_limited(seconds),
            format!("Too many attempts. Please wait {en} and try again.")
        );
        assert_eq!(
            Lang::De.texts().rate_limited(seconds),
            format!("Zu viele Versuche. Bitte warten Sie {de} und versuchen Sie es dann noch einmal.")
        );
    }
    assert_eq!(
        Problem::from_call(&CallError::RateLimited { retry_after: Some(5) }),
        [Problem::RateLimited { retry_after: Some(5) }]
    );
    assert_eq!(
        Problem::from_call(&CallError::code(ApiErrorCode::RateLimited)),
        [Problem::RateLimited { retry_after: None }]
    );
    assert_eq!(
        Problem::from_call(&CallError::code(ApiErrorCode::ResetLinkInvalid)),
        [Problem::ResetLinkInvalid]
    );
    assert_eq!(
        Problem::UnknownTenant.message(Lang::En.texts()),
        "This sign-up link is not valid. Please go back to the site you came from."
    );
}

/// Every text is in both `Texts` (a missing one does not compile); here: none is left empty or
/// untranslated.
#[wasm_bindgen_test]
fn the_new_texts_are_translated() {
    let pairs = |t: &onboarding_form::i18n::Texts| {
        [
            t.forgot_password,
            t.reset_locked_account,
            t.password_changed,
            t.reset_title,
            t.reset_intro,
            t.reset_submit,
            t.reset_pending,
            t.reset_sent_title,
            t.reset_sent,
            t.reset_by_service,
            t.back_to_log_in,
            t.new_password_title,
            t.new_password_intro,
            t.new_password_label,
            t.new_password_submit,
            t.new_password_pending,
            t.request_new_link,
            t.web_form_completed,
            t.web_form_completed_with_error,
            t.web_form_aborted,
            t.web_form_expired,
            t.start_again,
            t.reset_link_invalid,
            t.unknown_tenant,
            t.account_locked,
        ]
    };
    for (en, de) in pairs(Lang::En.texts()).into_iter().zip(pairs(Lang::De.texts())) {
        assert!(!en.is_empty() && !de.is_empty());
        assert_ne!(en, de);
    }
    assert_eq!(
        Lang::En.texts().no_email_contact("x@y"),
        "No email address on the account? Contact x@y."
    );
    assert_eq!(
        Lang::De.texts().no_email_contact("x@y"),
        "Keine E-Mail-Adresse hinterlegt? Wenden Sie sich an x@y."
    );
    assert!(Lang::En.texts().reset_by_support("x@y").ends_with("contact x@y."));
    assert!(Lang::De.texts().reset_by_support("x@y").ends_with("an x@y."));
}

#[wasm_bindgen_test]
fn a_reset_code_is_taken_out_of_the_address() {
    let window = leptos::prelude::window();
    let history = window.history().unwrap();
    let path = window.location().pathname().unwrap();
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}?lang=en#reset=c-1_x")),
        )
        .unwrap();
    assert_eq!(
        onboarding_form::page::take_fragment_value("reset").as_deref(),
        Some("c-1_x")
    );
    assert_eq!(window.location().hash().unwrap(), "");
    assert_eq!(
        window.location().search().unwrap(),
        "?lang=en",
        "the rest of the address stays"
    );
    assert_eq!(onboarding_form::page::take_fragment_value("reset"), None);
    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
}

#[wasm_bindgen_test]
fn the_embed_options_set_the_look_and_values_off_the_safe_list_are_left_out() {
    use wasm_bindgen::JsCast;
    let window = leptos::prelude::window();
    let history = window.history().unwrap();
    let path = window.location().pathname().unwrap();
    let root: web_sys::HtmlElement = leptos::prelude::document().document_element().unwrap().unchecked_into();
    let property = |name: &str| root.style().get_property_value(name).unwrap();
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!(
                "{path}?theme=dark&brand=%23ffe066&radius=99px&font=url(x)&spacing=roomy"
            )),
        )
        .unwrap();

    onboarding_form::page::apply_appearance(&onboarding_form::page::embed_appearance());

    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(property("--brand"), "#ffe066");
    assert_eq!(
        property("--on-brand"),
        "#000000",
        "black text on a pale brand colour (WCAG AA)"
    );
    assert_eq!(property("--space"), "1.25");
    assert_eq!(property("--radius"), "", "99px is off the safe list");
    assert_eq!(property("--font"), "", "no free text reaches the CSS");

    history
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path))
        .unwrap();
    root.remove_attribute("data-theme").unwrap();
    for name in [
        "--brand",
        "--brand-dark",
        "--on-brand",
        "--link",
        "--text",
        "--card-bg",
        "--space",
    ] {
        root.style().remove_property(name).unwrap();
    }
}
