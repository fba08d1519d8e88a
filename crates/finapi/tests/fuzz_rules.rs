//! Issue #6, item 6: the shared validation with generated input — arbitrary Unicode, bytes read as UTF-8,
//! and strings built from the characters the rules care about (allowed, forbidden, spaces, the edges of
//! finAPI's character set), of every length around the limits. No rule may panic, and what the form's rules
//! accept must be accepted by finAPI's (the rules the emulator runs on `POST /api/v2/users`).
//!
//! `PROPTEST_CASES` sets the cases per property (proptest's default, 256, in `cargo test`;
//! `scripts/bench-fuzz` runs 20,000).

use finapi::{charset, Email, FieldError, Password, PasswordPolicy, Phone, UserId};
use onboarding_api::{CreateUserRequest, FormField};
use proptest::prelude::*;

/// Characters the rules treat differently: id characters, finAPI's allowed punctuation, forbidden ones,
/// whitespace and controls, the edges of U+00A1–U+02AF, and anything at all.
fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        2 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec!['-', '_', '.', '+', '@']),
        1 => prop::sample::select("&(){}[]:,;?!$#~`^€".chars().collect::<Vec<_>>()),
        1 => prop::sample::select("\"'%*/\\<>=|".chars().collect::<Vec<_>>()),
        1 => prop::sample::select(vec![' ', '\t', '\n', '\r', '\u{0}', '\u{7f}', '\u{a0}', '\u{2028}', '\u{feff}']),
        1 => prop::sample::select(vec!['\u{a1}', '\u{a0}', '\u{2af}', '\u{2b0}', 'ä', 'ß', 'Ж', '😀', '\u{301}']),
        1 => any::<char>(),
    ]
}

/// A string of up to `max` interesting characters.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(interesting_char(), 0..=max).prop_map(|chars| chars.into_iter().collect())
}

/// Interesting strings of lengths around every limit (36, 50, 128, 320), arbitrary Unicode, and bytes
/// read as UTF-8 (lossy, as a server reading a badly encoded body would).
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text(60),
        2 => text(400),
        2 => any::<String>(),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        1 => "[a-zA-Z0-9@._+-]{0,40}",
        1 => "[a-z]{1,20}@[a-z]{1,20}\\.[a-z]{2,5}",
        1 => "[+]?[0-9 ()-]{0,55}",
    ]
}

fn length(value: &str) -> usize {
    value.chars().count()
}

proptest! {
    #[test]
    fn user_ids(input in any_text()) {
        match UserId::parse(&input) {
            Ok(id) => {
                let value = id.as_str();
                prop_assert_eq!(value, input.trim());
                prop_assert!((1..=finapi::user_id::USER_ID_MAX_LENGTH).contains(&length(value)));
                prop_assert!(value.chars().all(finapi::user_id::is_user_id_char));
                // Round trip, and finAPI's case-insensitive equality.
                prop_assert_eq!(UserId::parse(value).unwrap(), id.clone());
                prop_assert_eq!(UserId::parse(&value.to_ascii_uppercase()).unwrap(), id.clone());
                prop_assert_eq!(id.canonical(), value.to_ascii_lowercase());
            }
            Err(error) => prop_assert!(matches!(
                error,
                FieldError::Missing | FieldError::TooLong { max: 36 } | FieldError::ForbiddenCharacter { .. }
            ), "{:?}", error),
        }
    }

    #[test]
    fn emails(input in any_text()) {
        let finapi_rule = Email::parse(&input);
        let onboarding_rule = Email::parse_address(&input);
        if let Ok(email) = &onboarding_rule {
            // What the form accepts, finAPI accepts.
            prop_assert_eq!(finapi_rule.as_ref().ok(), Some(email));
        }
        if let Ok(email) = &finapi_rule {
            prop_assert!(length(email.as_str()) <= finapi::email::EMAIL_MAX_LENGTH);
            prop_assert!(charset::check(email.as_str()).is_ok());
            prop_assert_eq!(Email::parse(email.as_str()).ok(), Some(email.clone()));
        }
        if let Err(FieldError::ForbiddenCharacter { character }) = finapi_rule {
            prop_assert!(!charset::is_allowed(character));
            prop_assert!(input.contains(character));
        }
    }

    #[test]
    fn phones(input in any_text()) {
        let finapi_rule = Phone::parse(&input);
        let onboarding_rule = Phone::parse_number(&input);
        if let Ok(phone) = &onboarding_rule {
            prop_assert_eq!(finapi_rule.as_ref().ok(), Some(phone));
            prop_assert!(phone.as_str().chars().filter(char::is_ascii_digit).count() >= 3);
        }
        if let Ok(phone) = &finapi_rule {
            prop_assert!(length(phone.as_str()) <= finapi::phone::PHONE_MAX_LENGTH);
            prop_assert_eq!(Phone::parse(phone.as_str()).ok(), Some(phone.clone()));
        }
    }

    #[test]
    fn passwords(input in any_text()) {
        let onboarding = PasswordPolicy::ONBOARDING.check(&input);
        let finapi = PasswordPolicy::FINAPI.check(&input);
        if onboarding.is_ok() {
            prop_assert!(finapi.is_ok(), "the form's policy is stricter than finAPI's");
            // Taken exactly as typed: no trimming, no case change.
            let parsed = Password::parse(&input, PasswordPolicy::ONBOARDING).unwrap();
            prop_assert_eq!(parsed.expose(), input.as_str());
        }
        let chars = length(&input);
        if finapi.is_ok() {
            prop_assert!((6..=128).contains(&chars));
        }
        if (8..=128).contains(&chars) && input.chars().all(charset::is_allowed) {
            prop_assert!(onboarding.is_ok());
        }
    }

    #[test]
    fn sign_ups(
        id in any_text(),
        password in any_text(),
        email in proptest::option::of(any_text()),
        phone in proptest::option::of(any_text()),
        auto_update in any::<bool>(),
    ) {
        let request = CreateUserRequest { id, password, email, phone, auto_update };
        match request.validate() {
            Ok(valid) => {
                // finAPI's own rules (those the emulator applies to POST /api/v2/users) take it.
                let params = valid.to_finapi();
                prop_assert!(UserId::parse(params.id.as_deref().unwrap()).is_ok());
                prop_assert!(PasswordPolicy::FINAPI.check(params.password.as_deref().unwrap()).is_ok());
                if let Some(email) = &params.email {
                    prop_assert!(Email::parse(email).is_ok());
                }
                if let Some(phone) = &params.phone {
                    prop_assert!(Phone::parse(phone).is_ok());
                }
                prop_assert_eq!(params.is_auto_update_enabled, Some(request.auto_update));
                // The JSON finAPI gets reads back the same.
                let json = serde_json::to_string(&params).unwrap();
                prop_assert_eq!(serde_json::from_str::<finapi::UserCreateParams>(&json).unwrap(), params);
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                // One problem per field at most, in the order the form shows the fields.
                let order = |field: FormField| [FormField::Id, FormField::Password, FormField::Email, FormField::Phone]
                    .iter()
                    .position(|f| *f == field)
                    .unwrap();
                prop_assert!(problems.windows(2).all(|pair| order(pair[0].field) < order(pair[1].field)));
                for problem in &problems {
                    // Every problem survives the trip to the form and back.
                    let json = serde_json::to_string(problem).unwrap();
                    prop_assert_eq!(&serde_json::from_str::<onboarding_api::FieldProblem>(&json).unwrap(), problem);
                }
            }
        }
    }

    /// The proxy's first step with a body: any bytes at all, read as a sign-up.
    #[test]
    fn sign_up_bodies(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        any_text().prop_map(String::into_bytes),
        (any_text(), any_text()).prop_map(|(id, password)|
            serde_json::json!({"id": id, "password": password}).to_string().into_bytes()),
    ]) {
        if let Ok(request) = serde_json::from_slice::<CreateUserRequest>(&bytes) {
            let _ = request.validate();
        }
    }
}
