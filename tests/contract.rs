//! The form reads and writes the proxy's JSON without serde (src/json.rs). These tests hold it to
//! `onboarding_api`'s serde definitions: what serde writes, the form reads; what the form writes, serde
//! reads (the request types refuse unknown fields).

#![cfg(target_arch = "wasm32")]

use finapi::FieldError;
use finapi::WebFormStatus;
use onboarding_api::{
    ApiError, ApiErrorCode, CreateUserRequest, CreatedUser, FieldProblem, FormField, FormSettings, Handoff,
    LoginRequest, PasswordResetExecution, PasswordResetRequest, PasswordRules, Session, TenantSettings, Theme,
    WebFormProgress,
};
use onboarding_form::json::{parse, stringify, FromJson};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// serde writes `value`; the form must read the same value back.
fn reads<T: Serialize + FromJson + PartialEq + Debug>(value: T) {
    let text = serde_json::to_string(&value).unwrap();
    assert_eq!(parse::<T>(&text).as_ref(), Some(&value), "{text}");
}

/// The form writes `value`; serde must read the same value back.
fn writes<T: DeserializeOwned + onboarding_form::json::ToJson + PartialEq + Debug>(value: T) {
    let text = stringify(&value);
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(back, value, "{text}");
}

#[wasm_bindgen_test]
fn answers_are_read_as_serde_writes_them() {
    reads(FormSettings {
        auto_update_offered: true,
        password: PasswordRules {
            min_length: 8,
            max_length: 128,
        },
        languages: vec!["de".into(), "en".into()],
        parent_origins: vec!["https://partner.example".into()],
    });
    reads(CreatedUser { id: "jane.doe".into() });
    reads(Session {
        session: "s-1".into(),
        user_id: "jane.doe".into(),
        expires_in: 900,
    });
    for web_form_url in [None, Some("https://webform.example/x".to_owned())] {
        reads(Handoff {
            code: "c-1".into(),
            user_id: "jane.doe".into(),
            expires_in: 120,
            web_form_url,
        });
    }
}

#[wasm_bindgen_test]
fn tenant_settings_and_web_form_progress_are_read_as_serde_writes_them() {
    reads(TenantSettings {
        id: "acme".into(),
        theme: Theme {
            display_name: Some("ACME Shop".into()),
            primary_color: Some("#aa3300".into()),
            base: Some("dark".into()),
            text_color: Some("#f0f0f0".into()),
            background_color: Some("#101010".into()),
            border_radius: Some("6px".into()),
            font_family: Some("serif".into()),
            spacing: Some("compact".into()),
        },
        support_contact: Some("help@acme.example".into()),
        password_reset_offered: true,
    });
    reads(TenantSettings {
        id: "default".into(),
        theme: Theme::default(),
        support_contact: None,
        password_reset_offered: false,
    });
    reads(WebFormProgress { status: None });
    for status in [
        WebFormStatus::NotYetOpened,
        WebFormStatus::InProgress,
        WebFormStatus::Completed,
        WebFormStatus::CompletedWithError,
        WebFormStatus::Expired,
        WebFormStatus::Aborted,
        WebFormStatus::Cancelled,
    ] {
        reads(WebFormProgress { status: Some(status) });
    }
}

#[wasm_bindgen_test]
fn every_error_code_and_field_problem_is_read() {
    let codes = [
        ApiErrorCode::InvalidInput,
        ApiErrorCode::MalformedRequest,
        ApiErrorCode::UserIdTaken,
        ApiErrorCode::WrongCredentials,
        ApiErrorCode::AccountLocked,
        ApiErrorCode::SessionExpired,
        ApiErrorCode::HandoffCodeInvalid,
        ApiErrorCode::PartnerKeyInvalid,
        ApiErrorCode::FormHeaderMissing,
        ApiErrorCode::FinapiUnavailable,
        ApiErrorCode::FinapiRefused,
        ApiErrorCode::NotFound,
        ApiErrorCode::RateLimited,
        ApiErrorCode::ResetLinkInvalid,
        ApiErrorCode::UnknownTenant,
        ApiErrorCode::ReturnUrlNotAllowed,
        ApiErrorCode::Unexpected,
    ];
    for code in codes {
        reads(ApiError::new(code));
        // The name the partner's ERROR message carries is the wire name serde gives the code.
        let wire = serde_json::to_value(code).unwrap();
        assert_eq!(Some(onboarding_form::json::error_code_name(code)), wire.as_str());
    }
    let problems = [
        FieldError::Missing,
        FieldError::TooShort { min: 8 },
        FieldError::TooLong { max: 36 },
        FieldError::ForbiddenCharacter { character: '%' },
        FieldError::ForbiddenCharacter { character: 'ä' },
        FieldError::NotAnEmailAddress,
        FieldError::NotAPhoneNumber,
    ];
    let fields = [FormField::Id, FormField::Password, FormField::Email, FormField::Phone];
    reads(ApiError {
        error: ApiErrorCode::InvalidInput,
        fields: fields
            .iter()
            .flat_map(|field| {
                problems.iter().map(|problem| FieldProblem {
                    field: *field,
                    problem: *problem,
                })
            })
            .collect(),
        request_id: Some("r-1".into()),
    });
}

#[wasm_bindgen_test]
fn an_unknown_error_code_reads_as_unexpected() {
    let error: ApiError = parse(r#"{"error":"SOMETHING_NEW","requestId":"r-2"}"#).unwrap();
    assert_eq!(error.error, ApiErrorCode::Unexpected);
    assert_eq!(error.request_id.as_deref(), Some("r-2"));
    assert_eq!(parse::<ApiError>("<html>Bad gateway</html>"), None);
    assert_eq!(parse::<ApiError>("\"text\""), None);
}

#[wasm_bindgen_test]
fn requests_are_written_as_serde_reads_them() {
    writes(CreateUserRequest {
        id: "jane.doe".into(),
        password: "correct \"horse\" €".into(),
        email: Some("jane@example.com".into()),
        phone: Some("+49 30 1234567".into()),
        auto_update: true,
    });
    writes(CreateUserRequest {
        id: "jane".into(),
        password: "12345678".into(),
        ..Default::default()
    });
    writes(LoginRequest {
        id: "jane".into(),
        password: "secret".into(),
    });
    writes(PasswordResetRequest {
        id: "jane".into(),
        language: Some("en".into()),
    });
    writes(PasswordResetRequest {
        id: "jane".into(),
        language: None,
    });
    writes(PasswordResetExecution {
        code: "c-1".into(),
        password: "a brand \"new\" passphrase".into(),
    });
}
