//! The proxy's JSON bodies, read and written with the browser's own `JSON` object.
//!
//! The shapes are `onboarding_api`'s serde definitions; `tests/contract.rs` checks that what serde writes
//! is read here, and that what is written here serde reads (its request types refuse unknown fields). Not
//! using serde_json in the browser keeps about 50 KB (18 KB brotli) out of the wasm.

use finapi::FieldError;
use finapi::WebFormStatus;
use js_sys::{Array, Object, Reflect, JSON};
use onboarding_api::{
    ApiError, ApiErrorCode, CreateUserRequest, CreatedUser, FieldProblem, FormField, FormSettings, Handoff,
    LoginRequest, PasswordResetExecution, PasswordResetRequest, PasswordRules, Session, TenantSettings, Theme,
    WebFormProgress,
};
use wasm_bindgen::JsValue;

/// A type the proxy answers with.
pub trait FromJson: Sized {
    /// `None` if `value` is not shaped like `Self`.
    fn from_json(value: &JsValue) -> Option<Self>;
}

/// A type the form sends.
pub trait ToJson {
    fn to_json(&self) -> JsValue;
}

/// Reads a JSON text; `None` unless it is an object.
pub fn parse<T: FromJson>(text: &str) -> Option<T> {
    JSON::parse(text)
        .ok()
        .filter(JsValue::is_object)
        .and_then(|value| T::from_json(&value))
}

/// The JSON text of a value.
pub fn stringify(value: &impl ToJson) -> String {
    JSON::stringify(&value.to_json()).map(String::from).unwrap_or_default()
}

impl FromJson for FormSettings {
    fn from_json(value: &JsValue) -> Option<Self> {
        let password = get(value, "password");
        Some(FormSettings {
            auto_update_offered: get(value, "autoUpdateOffered").as_bool()?,
            password: PasswordRules {
                min_length: count(&password, "minLength")?,
                max_length: count(&password, "maxLength")?,
            },
            languages: strings(value, "languages"),
            parent_origins: strings(value, "parentOrigins"),
        })
    }
}

impl FromJson for CreatedUser {
    fn from_json(value: &JsValue) -> Option<Self> {
        Some(CreatedUser {
            id: string(value, "id")?,
        })
    }
}

impl FromJson for Session {
    fn from_json(value: &JsValue) -> Option<Self> {
        Some(Session {
            session: string(value, "session")?,
            user_id: string(value, "userId")?,
            expires_in: count(value, "expiresIn")? as u64,
        })
    }
}

impl FromJson for Handoff {
    fn from_json(value: &JsValue) -> Option<Self> {
        Some(Handoff {
            code: string(value, "code")?,
            user_id: string(value, "userId")?,
            expires_in: count(value, "expiresIn")? as u64,
            web_form_url: string(value, "webFormUrl"),
        })
    }
}

impl FromJson for TenantSettings {
    fn from_json(value: &JsValue) -> Option<Self> {
        let theme = get(value, "theme");
        Some(TenantSettings {
            id: string(value, "id")?,
            theme: Theme {
                display_name: string(&theme, "displayName"),
                primary_color: string(&theme, "primaryColor"),
                base: string(&theme, "base"),
                text_color: string(&theme, "textColor"),
                background_color: string(&theme, "backgroundColor"),
                border_radius: string(&theme, "borderRadius"),
                font_family: string(&theme, "fontFamily"),
                spacing: string(&theme, "spacing"),
            },
            support_contact: string(value, "supportContact"),
            password_reset_offered: get(value, "passwordResetOffered").as_bool()?,
        })
    }
}

impl FromJson for WebFormProgress {
    /// A status this form does not know reads as none yet.
    fn from_json(value: &JsValue) -> Option<Self> {
        use WebFormStatus::*;
        let status = match string(value, "status").as_deref() {
            Some("NOT_YET_OPENED") => Some(NotYetOpened),
            Some("IN_PROGRESS") => Some(InProgress),
            Some("COMPLETED") => Some(Completed),
            Some("COMPLETED_WITH_ERROR") => Some(CompletedWithError),
            Some("EXPIRED") => Some(Expired),
            Some("ABORTED") => Some(Aborted),
            Some("CANCELLED") => Some(Cancelled),
            _ => None,
        };
        Some(WebFormProgress { status })
    }
}

impl FromJson for ApiError {
    fn from_json(value: &JsValue) -> Option<Self> {
        let fields = get(value, "fields");
        let fields = if Array::is_array(&fields) {
            Array::from(&fields).iter().filter_map(|p| field_problem(&p)).collect()
        } else {
            Vec::new()
        };
        Some(ApiError {
            error: error_code(&string(value, "error")?),
            fields,
            request_id: string(value, "requestId"),
        })
    }
}

impl ToJson for CreateUserRequest {
    fn to_json(&self) -> JsValue {
        let object = Object::new();
        set(&object, "id", self.id.as_str().into());
        set(&object, "password", self.password.as_str().into());
        if let Some(email) = &self.email {
            set(&object, "email", email.as_str().into());
        }
        if let Some(phone) = &self.phone {
            set(&object, "phone", phone.as_str().into());
        }
        set(&object, "autoUpdate", self.auto_update.into());
        object.into()
    }
}

impl ToJson for LoginRequest {
    fn to_json(&self) -> JsValue {
        let object = Object::new();
        set(&object, "id", self.id.as_str().into());
        set(&object, "password", self.password.as_str().into());
        object.into()
    }
}

impl ToJson for PasswordResetRequest {
    fn to_json(&self) -> JsValue {
        let object = Object::new();
        set(&object, "id", self.id.as_str().into());
        if let Some(language) = &self.language {
            set(&object, "language", language.as_str().into());
        }
        object.into()
    }
}

impl ToJson for PasswordResetExecution {
    fn to_json(&self) -> JsValue {
        let object = Object::new();
        set(&object, "code", self.code.as_str().into());
        set(&object, "password", self.password.as_str().into());
        object.into()
    }
}

/// The proxy's error codes as they are spelled on the wire (`onboarding_api::ApiErrorCode`'s serde names;
/// tests/contract.rs holds the two together). One table, read both ways.
const ERROR_CODES: [(&str, ApiErrorCode); 17] = {
    use ApiErrorCode::*;
    [
        ("INVALID_INPUT", InvalidInput),
        ("MALFORMED_REQUEST", MalformedRequest),
        ("USER_ID_TAKEN", UserIdTaken),
        ("WRONG_CREDENTIALS", WrongCredentials),
        ("ACCOUNT_LOCKED", AccountLocked),
        ("SESSION_EXPIRED", SessionExpired),
        ("HANDOFF_CODE_INVALID", HandoffCodeInvalid),
        ("PARTNER_KEY_INVALID", PartnerKeyInvalid),
        ("FORM_HEADER_MISSING", FormHeaderMissing),
        ("FINAPI_UNAVAILABLE", FinapiUnavailable),
        ("FINAPI_REFUSED", FinapiRefused),
        ("NOT_FOUND", NotFound),
        ("RATE_LIMITED", RateLimited),
        ("RESET_LINK_INVALID", ResetLinkInvalid),
        ("UNKNOWN_TENANT", UnknownTenant),
        ("RETURN_URL_NOT_ALLOWED", ReturnUrlNotAllowed),
        ("UNEXPECTED", Unexpected),
    ]
};

/// A code this form does not know yet reads as [`ApiErrorCode::Unexpected`]: "try again".
fn error_code(code: &str) -> ApiErrorCode {
    ERROR_CODES
        .iter()
        .find(|(name, _)| *name == code)
        .map_or(ApiErrorCode::Unexpected, |(_, code)| *code)
}

/// The wire name of a code, e.g. for the `ERROR` message to the partner page.
pub fn error_code_name(code: ApiErrorCode) -> &'static str {
    ERROR_CODES
        .iter()
        .find(|(_, known)| *known == code)
        .map_or("UNEXPECTED", |(name, _)| name)
}

fn field_problem(value: &JsValue) -> Option<FieldProblem> {
    let field = match string(value, "field")?.as_str() {
        "id" => FormField::Id,
        "password" => FormField::Password,
        "email" => FormField::Email,
        "phone" => FormField::Phone,
        _ => return None,
    };
    let problem = get(value, "problem");
    let problem = match string(&problem, "rule")?.as_str() {
        "missing" => FieldError::Missing,
        "tooShort" => FieldError::TooShort {
            min: count(&problem, "min")?,
        },
        "tooLong" => FieldError::TooLong {
            max: count(&problem, "max")?,
        },
        "forbiddenCharacter" => {
            let character = string(&problem, "character")?;
            let mut chars = character.chars();
            match (chars.next(), chars.next()) {
                (Some(character), None) => FieldError::ForbiddenCharacter { character },
                _ => return None,
            }
        }
        "notAnEmailAddress" => FieldError::NotAnEmailAddress,
        "notAPhoneNumber" => FieldError::NotAPhoneNumber,
        _ => return None,
    };
    Some(FieldProblem { field, problem })
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, key: &str, value: JsValue) {
    _ = Reflect::set(object, &JsValue::from_str(key), &value);
}

fn string(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

/// A whole, non-negative number.
fn count(value: &JsValue, key: &str) -> Option<usize> {
    get(value, key)
        .as_f64()
        .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= u32::MAX as f64)
        .map(|n| n as usize)
}

/// A list of strings; missing or malformed entries are left out.
fn strings(value: &JsValue, key: &str) -> Vec<String> {
    let list = get(value, key);
    if !Array::is_array(&list) {
        return Vec::new();
    }
    Array::from(&list).iter().filter_map(|item| item.as_string()).collect()
}
