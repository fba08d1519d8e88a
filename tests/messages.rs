//! The words and the messages to the partner page, without a page to show them in.

#![cfg(target_arch = "wasm32")]

use finapi::FieldError;
use onboarding_api::{ApiError, ApiErrorCode, FormField};
use onboarding_form::api::CallError;
use onboarding_form::embed::{choose_parent_origin, envelope, Message, StepName};
use onboarding_form::i18n::{Lang, DE, EN};
use onboarding_form::problem::Problem;
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
        posted(&Message::Handoff {
            code: "c-1",
            user_id: "jane"
        }),
        r#"{"source":"finapi-onboarding","version":1,"type":"HANDOFF","payload":{"code":"c-1","userId":"jane"}}"#
    );
    assert_eq!(
        posted(&Message::Exit {
            step: StepName::CreateAccount
        }),
        r#"{"source":"finapi-onboarding","version":1,"type":"EXIT","payload":{"step":"create_account"}}"#
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
fn the_language_comes_from_its_code() {
    assert_eq!(Lang::from_code(None), Lang::De);
    assert_eq!(Lang::from_code(Some("en")), Lang::En);
    assert_eq!(Lang::from_code(Some("EN")), Lang::En);
    assert_eq!(Lang::from_code(Some("de")), Lang::De);
    assert_eq!(Lang::from_code(Some("fr")), Lang::De);
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
            let en = (EN.field_error)(field, error);
            let de = (DE.field_error)(field, error);
            assert!(!en.is_empty() && !de.is_empty());
            assert_ne!(en, de, "{field:?} {error:?}");
        }
    }
    assert_eq!(
        (EN.field_error)(
            FormField::Password,
            FieldError::ForbiddenCharacter { character: '\u{00A0}' }
        ),
        "Password can't contain the invisible character U+00A0"
    );
    assert_eq!(
        (DE.field_error)(FormField::Id, FieldError::TooLong { max: 36 }),
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
        [Problem::Unexpected {
            request_id: Some("r-9".into())
        }]
    );
    assert_eq!(
        Problem::from_call(&CallError::code(ApiErrorCode::InvalidInput)),
        [Problem::Unexpected { request_id: None }],
        "invalid input without fields cannot be shown at a field"
    );
    assert_eq!(
        Problem::Unexpected { request_id: None }.message(&DE),
        "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal."
    );
}
