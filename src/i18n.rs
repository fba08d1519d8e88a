//! The form's words, in the eleven languages of finAPI's Web Form.
//!
//! Each language is one flat JSON catalog in `locales/<code>.json`: key → text, values with `{name}`
//! placeholders. German and English are compiled in (the first load speaks them at once); the other nine
//! are fetched from `/locales/<code>.json` when someone chooses one, so they do not add to the first load.
//!
//! [`Texts`] names every key once. A catalog that misses a key, adds one, or changes a placeholder fails
//! `tests/translations.rs`; at run time a language that fails to load leaves the form in the language it
//! was in, and a key missing from a fetched catalog falls back to English.
//!
//! No i18n crate: the measured cost of one is in the README ("Languages"); what this needs — flat keys,
//! `{name}` placeholders and integer plurals for eleven known languages — is this module.

use finapi::FieldError;
use onboarding_api::FormField;
use std::cell::RefCell;

/// A language the form speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    De,
    En,
    Cs,
    Es,
    Fr,
    It,
    Nl,
    Pl,
    Ro,
    Sk,
    Tr,
}

impl Lang {
    /// In the order the language menu lists them: German and English first, then by code.
    pub const ALL: [Lang; 11] = [
        Lang::De,
        Lang::En,
        Lang::Cs,
        Lang::Es,
        Lang::Fr,
        Lang::It,
        Lang::Nl,
        Lang::Pl,
        Lang::Ro,
        Lang::Sk,
        Lang::Tr,
    ];

    /// The ISO 639-1 code: `<html lang>`, `?lang=`, the catalog's file name.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Cs => "cs",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::It => "it",
            Lang::Nl => "nl",
            Lang::Pl => "pl",
            Lang::Ro => "ro",
            Lang::Sk => "sk",
            Lang::Tr => "tr",
        }
    }

    /// The language's name in itself: the menu shows it before the language's catalog is loaded.
    pub fn name(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
            Lang::Cs => "Čeština",
            Lang::Es => "Español",
            Lang::Fr => "Français",
            Lang::It => "Italiano",
            Lang::Nl => "Nederlands",
            Lang::Pl => "Polski",
            Lang::Ro => "Română",
            Lang::Sk => "Slovenčina",
            Lang::Tr => "Türkçe",
        }
    }

    /// The language of a tag such as `fr`, `FR` or `fr-CH` (its primary subtag); none for one we do not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The language to start in: the one asked for in the address (`?lang=`, which is also where the
    /// loader's `language` option goes), else the first of the browser's languages we speak, else German.
    pub fn choose(asked: Option<&str>, browser_languages: &[String]) -> Lang {
        asked
            .and_then(Lang::from_tag)
            .or_else(|| browser_languages.iter().find_map(|tag| Lang::from_tag(tag)))
            .unwrap_or_default()
    }

    /// [`Lang::choose`] for this page.
    pub fn for_this_page() -> Lang {
        let browser_languages: Vec<String> = leptos::prelude::window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect();
        Lang::choose(crate::page::query_parameter("lang").as_deref(), &browser_languages)
    }

    /// German and English are compiled in; the others are fetched when chosen.
    pub fn is_built_in(self) -> bool {
        matches!(self, Lang::De | Lang::En)
    }

    /// This language's texts once loaded; English while they are not (see [`load`]).
    pub fn texts(self) -> &'static Texts {
        loaded(self).unwrap_or_else(|| loaded(Lang::En).expect("English is compiled in"))
    }

    /// The CLDR plural category of a whole number in this language.
    pub fn plural_category(self, n: u32) -> PluralCategory {
        use PluralCategory::*;
        let (last, last_two) = (n % 10, n % 100);
        match self {
            Lang::Cs | Lang::Sk => match n {
                1 => One,
                2..=4 => Few,
                _ => Other,
            },
            Lang::Pl if n == 1 => One,
            Lang::Pl if (2..=4).contains(&last) && !(12..=14).contains(&last_two) => Few,
            Lang::Pl => Many,
            Lang::Ro if n == 1 => One,
            Lang::Ro if n == 0 || (2..=19).contains(&last_two) => Few,
            Lang::Fr if n <= 1 => One,
            _ if n == 1 => One,
            _ => Other,
        }
    }

    /// The plural categories [`Lang::plural_category`] gives for whole numbers: the forms a catalog must have.
    pub fn plural_categories(self) -> &'static [PluralCategory] {
        use PluralCategory::*;
        match self {
            Lang::Cs | Lang::Sk | Lang::Ro => &[One, Few, Other],
            Lang::Pl => &[One, Few, Many],
            _ => &[One, Other],
        }
    }
}

/// A CLDR plural category (the ones whole numbers use in our languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluralCategory {
    One,
    Few,
    Many,
    Other,
}

impl PluralCategory {
    pub fn suffix(self) -> &'static str {
        match self {
            PluralCategory::One => "one",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

/// A text with one form per plural category, `{n}` in each (`wait_minutes.one`, `wait_minutes.other`, …).
pub struct Plural {
    lang: Lang,
    /// Indexed like [`Lang::plural_categories`].
    forms: Vec<&'static str>,
}

impl Plural {
    pub fn of(&self, n: u32) -> String {
        let category = self.lang.plural_category(n);
        let index = self
            .lang
            .plural_categories()
            .iter()
            .position(|c| *c == category)
            .unwrap_or(0);
        fill(self.forms[index], &[("n", &n.to_string())])
    }
}

/// A catalog: the key → text pairs of one `locales/<code>.json`.
pub type Catalog = Vec<(String, String)>;

/// What is wrong with a catalog, by key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CatalogProblems {
    pub missing: Vec<String>,
    pub unknown: Vec<String>,
}

impl CatalogProblems {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.unknown.is_empty()
    }
}

/// Parses a catalog's JSON; none when it is not a JSON object of strings.
pub fn parse_catalog(json: &str) -> Option<Catalog> {
    use wasm_bindgen::JsCast;
    let value = js_sys::JSON::parse(json).ok()?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return None;
    }
    let object: js_sys::Object = value.unchecked_into();
    js_sys::Object::entries(&object)
        .iter()
        .map(|entry| {
            let pair = js_sys::Array::from(&entry);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Declares [`Texts`] with one field per catalog key, and the list of keys. Fields with placeholders are
/// private: the method of the same name fills them in.
macro_rules! texts {
    ($($(#[doc = $doc:literal])* $vis:vis $field:ident = $key:literal,)*) => {
        /// Everything the form says, in one language.
        pub struct Texts {
            pub lang: Lang,
            $($(#[doc = $doc])* $vis $field: &'static str,)*
            wait_minutes: Plural,
            wait_seconds: Plural,
        }

        /// The keys every catalog has, besides the plural ones ([`PLURAL_KEYS`]).
        pub const KEYS: &[&str] = &[$($key),*];

        impl Texts {
            /// `lookup` gives each key's text.
            fn from_lookup(lang: Lang, lookup: impl Fn(&str) -> &'static str) -> Texts {
                let take = |key: &str| lookup(key);
                let plural = |key: &str| Plural {
                    lang,
                    forms: lang.plural_categories().iter().map(|c| take(&format!("{key}.{}", c.suffix()))).collect(),
                };
                let wait_minutes = plural("wait_minutes");
                let wait_seconds = plural("wait_seconds");
                Texts {
                    lang,
                    $($field: take($key),)*
                    wait_minutes,
                    wait_seconds,
                }
            }
        }
    };
}

/// The keys with one form per plural category.
pub const PLURAL_KEYS: &[&str] = &["wait_minutes", "wait_seconds"];

texts! {
    pub language_label = "language_label",
    pub site_name = "site_name",
    pub loading = "loading",
    pub settings_unavailable = "settings_unavailable",
    pub try_again = "try_again",
    pub cancel = "cancel",
    pub error_title_prefix = "error_title_prefix",
    pub error_summary_title = "error_summary_title",
    pub optional = "optional",
    pub show = "show",
    pub hide = "hide",
    pub show_password = "show_password",
    pub hide_password = "hide_password",

    // Step 1: create an account.
    pub create_account_title = "create_account_title",
    pub create_account_intro = "create_account_intro",
    pub user_id_label = "user_id_label",
    pub user_id_hint = "user_id_hint",
    pub password_label = "password_label",
    new_password_hint = "new_password_hint",
    pub email_label = "email_label",
    pub phone_label = "phone_label",
    pub phone_hint = "phone_hint",
    pub auto_update_label = "auto_update_label",
    pub auto_update_hint = "auto_update_hint",
    pub create_account_submit = "create_account_submit",
    pub create_account_pending = "create_account_pending",
    pub go_to_log_in = "go_to_log_in",

    // Step 2: log in.
    pub log_in_title = "log_in_title",
    pub log_in_intro = "log_in_intro",
    account_created = "account_created",
    pub log_in_submit = "log_in_submit",
    pub log_in_pending = "log_in_pending",
    pub go_to_create_account = "go_to_create_account",
    pub forgot_password = "forgot_password",
    /// The action offered with "your account is locked".
    pub reset_locked_account = "reset_locked_account",
    pub password_changed = "password_changed",

    // Asking for a password reset link.
    pub reset_title = "reset_title",
    pub reset_intro = "reset_intro",
    pub reset_submit = "reset_submit",
    pub reset_pending = "reset_pending",
    pub reset_sent_title = "reset_sent_title",
    /// The same for every id: whether it exists or has an email address is not told.
    pub reset_sent = "reset_sent",
    no_email_contact = "no_email_contact",
    reset_by_support = "reset_by_support",
    /// Resets are not offered and there is no support contact.
    pub reset_by_service = "reset_by_service",
    pub back_to_log_in = "back_to_log_in",

    // Choosing a new password with the link's code.
    pub new_password_title = "new_password_title",
    pub new_password_intro = "new_password_intro",
    pub new_password_label = "new_password_label",
    pub new_password_submit = "new_password_submit",
    pub new_password_pending = "new_password_pending",
    pub request_new_link = "request_new_link",

    // Step 3: done.
    pub done_title = "done_title",
    signed_in_as = "signed_in_as",
    passed_to_partner = "passed_to_partner",
    pub continue_to_bank = "continue_to_bank",
    pub continue_to_bank_hint = "continue_to_bank_hint",
    pub open_bank_in_new_window = "open_bank_in_new_window",
    /// Read after a link that opens a new window.
    pub new_window_hint = "new_window_hint",
    pub web_form_completed = "web_form_completed",
    pub web_form_completed_with_error = "web_form_completed_with_error",
    pub web_form_aborted = "web_form_aborted",
    pub web_form_expired = "web_form_expired",
    pub start_again = "start_again",
    // Redirect mode.
    returning_to_partner = "returning_to_partner",
    cancel_and_return = "cancel_and_return",

    // Problems.
    pub enter_your_user_id = "enter_your_user_id",
    pub enter_your_password = "enter_your_password",
    pub user_id_taken = "user_id_taken",
    pub wrong_credentials = "wrong_credentials",
    pub account_locked = "account_locked",
    pub session_expired = "session_expired",
    pub unreachable = "unreachable",
    rate_limited = "rate_limited",
    wait_a_few_minutes = "wait_a_few_minutes",
    pub reset_link_invalid = "reset_link_invalid",
    /// The tenant in the address is not known: settings could not be loaded for it.
    pub unknown_tenant = "unknown_tenant",
    /// Redirect mode: the `return_url` is not on the tenant's list.
    pub return_url_not_allowed = "return_url_not_allowed",
    finapi_refused = "finapi_refused",
    unexpected = "unexpected",
    support_reference = "support_reference",

    // What to fix in a field of the sign-up form.
    field_subject_id = "field_subject.id",
    field_subject_password = "field_subject.password",
    field_subject_email = "field_subject.email",
    field_subject_phone = "field_subject.phone",
    too_short = "too_short",
    too_long = "too_long",
    cannot_contain_character = "cannot_contain_character",
    cannot_contain_spaces = "cannot_contain_spaces",
    cannot_contain_tabs = "cannot_contain_tabs",
    cannot_contain_line_breaks = "cannot_contain_line_breaks",
    cannot_contain_invisible = "cannot_contain_invisible",
    user_id_characters = "user_id_characters",
    not_character = "not_character",
    no_spaces = "no_spaces",
    no_tabs = "no_tabs",
    no_line_breaks = "no_line_breaks",
    not_invisible = "not_invisible",
    enter_a_user_id = "enter_a_user_id",
    enter_a_password = "enter_a_password",
    enter_an_email_address = "enter_an_email_address",
    enter_a_phone_number = "enter_a_phone_number",
}

impl Texts {
    /// The texts of `catalog`, with what is wrong with it. A text it misses is taken from `fallback` (a
    /// plural form the fallback does not have from its `other` form), or left empty without one.
    pub fn from_catalog(lang: Lang, catalog: &Catalog, fallback: Option<&Catalog>) -> (Texts, CatalogProblems) {
        fn find<'a>(catalog: &'a Catalog, key: &str) -> Option<&'a str> {
            catalog.iter().find(|(k, _)| k == key).map(|(_, text)| text.as_str())
        }
        let problems = CatalogProblems {
            missing: all_keys(lang).filter(|key| find(catalog, key).is_none()).collect(),
            unknown: catalog
                .iter()
                .map(|(key, _)| key)
                .filter(|key| !all_keys(lang).any(|k| k == **key))
                .cloned()
                .collect(),
        };
        let from_fallback = |key: &str| {
            let fallback = fallback?;
            find(fallback, key).or_else(|| {
                let (plural, _) = key.rsplit_once('.').filter(|(p, _)| PLURAL_KEYS.contains(p))?;
                find(fallback, &format!("{plural}.other"))
            })
        };
        // Leaked once per language and page: the components hold `&'static Texts`.
        let texts = Texts::from_lookup(lang, |key| {
            let text = find(catalog, key).or_else(|| from_fallback(key)).unwrap_or_default();
            &*Box::leak(text.to_owned().into_boxed_str())
        });
        (texts, problems)
    }

    pub fn new_password_hint(&self, min: usize) -> String {
        fill(self.new_password_hint, &[("min", &min.to_string())])
    }

    pub fn account_created(&self, id: &str) -> String {
        fill(self.account_created, &[("id", id)])
    }

    /// No email address on the account: with the tenant's support contact.
    pub fn no_email_contact(&self, support: &str) -> String {
        fill(self.no_email_contact, &[("support", support)])
    }

    /// Resets are not offered: with the tenant's support contact.
    pub fn reset_by_support(&self, support: &str) -> String {
        fill(self.reset_by_support, &[("support", support)])
    }

    pub fn signed_in_as(&self, id: &str) -> String {
        fill(self.signed_in_as, &[("id", id)])
    }

    pub fn passed_to_partner(&self, host: &str) -> String {
        fill(self.passed_to_partner, &[("host", host)])
    }

    pub fn returning_to_partner(&self, host: &str) -> String {
        fill(self.returning_to_partner, &[("host", host)])
    }

    pub fn cancel_and_return(&self, host: &str) -> String {
        fill(self.cancel_and_return, &[("host", host)])
    }

    /// `429`: with the seconds of `Retry-After`, if given, as whole minutes (rounded up) from a minute on.
    pub fn rate_limited(&self, seconds: Option<u32>) -> String {
        let wait = match seconds.filter(|s| *s > 0) {
            None => self.wait_a_few_minutes.to_owned(),
            Some(seconds) if seconds >= 60 => self.wait_minutes.of(seconds.div_ceil(60)),
            Some(seconds) => self.wait_seconds.of(seconds),
        };
        fill(self.rate_limited, &[("wait", &wait)])
    }

    /// Something on our side failed: try again, with the support reference when there is one.
    pub fn unexpected(&self, request_id: Option<&str>) -> String {
        self.with_reference(self.unexpected, request_id)
    }

    /// finAPI refused a call in a way the person cannot fix (the client's set-up).
    pub fn finapi_refused(&self, request_id: Option<&str>) -> String {
        self.with_reference(self.finapi_refused, request_id)
    }

    fn with_reference(&self, message: &str, request_id: Option<&str>) -> String {
        match request_id {
            Some(id) => format!("{message} {}", fill(self.support_reference, &[("reference", id)])),
            None => message.to_owned(),
        }
    }

    /// What to fix in a field of the sign-up form.
    pub fn field_error(&self, field: FormField, error: FieldError) -> String {
        use FieldError::*;
        use FormField::*;
        let subject = match field {
            Id => self.field_subject_id,
            Password => self.field_subject_password,
            Email => self.field_subject_email,
            Phone => self.field_subject_phone,
        };
        match (field, error) {
            (_, TooShort { min }) => fill(self.too_short, &[("field", subject), ("min", &min.to_string())]),
            (_, TooLong { max }) => fill(self.too_long, &[("field", subject), ("max", &max.to_string())]),
            (Id, ForbiddenCharacter { character }) => {
                let not = match Shown::of(character) {
                    Shown::Visible(c) => fill(self.not_character, &[("character", c.encode_utf8(&mut [0; 4]))]),
                    Shown::Space => self.no_spaces.to_owned(),
                    Shown::Tab => self.no_tabs.to_owned(),
                    Shown::LineBreak => self.no_line_breaks.to_owned(),
                    Shown::Invisible(c) => fill(self.not_invisible, &[("code", &code_point(c))]),
                };
                fill(self.user_id_characters, &[("not", &not)])
            }
            (_, ForbiddenCharacter { character }) => match Shown::of(character) {
                Shown::Visible(c) => fill(
                    self.cannot_contain_character,
                    &[("field", subject), ("character", c.encode_utf8(&mut [0; 4]))],
                ),
                Shown::Space => fill(self.cannot_contain_spaces, &[("field", subject)]),
                Shown::Tab => fill(self.cannot_contain_tabs, &[("field", subject)]),
                Shown::LineBreak => fill(self.cannot_contain_line_breaks, &[("field", subject)]),
                Shown::Invisible(c) => fill(
                    self.cannot_contain_invisible,
                    &[("field", subject), ("code", &code_point(c))],
                ),
            },
            // Missing, or not shaped like what the field asks for: say what to enter.
            (Id, _) => self.enter_a_user_id.to_owned(),
            (Password, _) => self.enter_a_password.to_owned(),
            (Email, _) => self.enter_an_email_address.to_owned(),
            (Phone, _) => self.enter_a_phone_number.to_owned(),
        }
    }
}

/// Every key a catalog of `lang` has: [`KEYS`] and its plural forms.
pub fn all_keys(lang: Lang) -> impl Iterator<Item = String> {
    KEYS.iter()
        .map(|key| (*key).to_owned())
        .chain(PLURAL_KEYS.iter().flat_map(move |key| {
            lang.plural_categories()
                .iter()
                .map(move |category| format!("{key}.{}", category.suffix()))
        }))
}

/// The `{name}` placeholders of a text, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        found.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    found
}

/// `template` with each `{name}` replaced by its value; an unknown `{name}` is kept as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open..];
        let value = after.find('}').and_then(|close| {
            values
                .iter()
                .find(|(name, _)| *name == &after[1..close])
                .map(|(_, v)| (close, *v))
        });
        match value {
            Some((close, value)) => {
                filled.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = &after[1..];
            }
        }
    }
    filled.push_str(rest);
    filled
}

// ---- Loading ----

/// The catalogs compiled in.
const GERMAN: &str = include_str!("../locales/de.json");
const ENGLISH: &str = include_str!("../locales/en.json");
const BUILT_IN: [(Lang, &str); 2] = [(Lang::De, GERMAN), (Lang::En, ENGLISH)];

thread_local! {
    /// The texts of each language loaded so far on this page.
    static LOADED: RefCell<Vec<(Lang, &'static Texts)>> = const { RefCell::new(Vec::new()) };
}

/// This language's texts, if loaded; a built-in language is loaded on first use.
fn loaded(lang: Lang) -> Option<&'static Texts> {
    if let Some(texts) = LOADED.with(|loaded| loaded.borrow().iter().find(|(l, _)| *l == lang).map(|(_, t)| *t)) {
        return Some(texts);
    }
    let (_, json) = BUILT_IN.iter().find(|(l, _)| *l == lang)?;
    let catalog = parse_catalog(json)?;
    let fallback = (lang != Lang::En).then(english_catalog).flatten();
    Some(remember(lang, Texts::from_catalog(lang, &catalog, fallback.as_ref()).0))
}

/// English: what a catalog with a missing text falls back to.
fn english_catalog() -> Option<Catalog> {
    parse_catalog(ENGLISH)
}

fn remember(lang: Lang, texts: Texts) -> &'static Texts {
    let texts: &'static Texts = Box::leak(Box::new(texts));
    LOADED.with(|loaded| loaded.borrow_mut().push((lang, texts)));
    texts
}

/// Why a language could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The catalog could not be fetched (network, or not 200).
    Unavailable,
    /// The catalog is not a JSON object of strings.
    Malformed,
}

/// Makes `lang`'s texts available to [`Lang::texts`]: at once for a built-in or already loaded one, else
/// fetched from `locales/<code>.json` (under the page's tenant prefix, which the proxy strips).
pub async fn load(lang: Lang) -> Result<&'static Texts, LoadError> {
    if let Some(texts) = loaded(lang) {
        return Ok(texts);
    }
    let url = crate::api::url(&format!("/locales/{}.json", lang.code()));
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|_| LoadError::Unavailable)?;
    if !response.ok() {
        return Err(LoadError::Unavailable);
    }
    let json = response.text().await.map_err(|_| LoadError::Unavailable)?;
    let catalog = parse_catalog(&json).ok_or(LoadError::Malformed)?;
    // Loaded meanwhile by another call: keep the first.
    if let Some(texts) = loaded(lang) {
        return Ok(texts);
    }
    let (texts, problems) = Texts::from_catalog(lang, &catalog, english_catalog().as_ref());
    if !problems.is_empty() {
        web_sys::console::warn_1(&format!("locales/{}.json: {problems:?}", lang.code()).into());
    }
    Ok(remember(lang, texts))
}

// ---- Showing characters in messages ----

/// A character as a person can recognise it in a message.
enum Shown {
    /// Printable: shown in quotes.
    Visible(char),
    Space,
    Tab,
    LineBreak,
    /// Invisible or hard to tell apart (e.g. a no-break space): named by its code point.
    Invisible(char),
}

impl Shown {
    fn of(c: char) -> Shown {
        match c {
            ' ' => Shown::Space,
            '\t' => Shown::Tab,
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => Shown::LineBreak,
            c if c.is_control() || c.is_whitespace() || is_format_character(c) => Shown::Invisible(c),
            c => Shown::Visible(c),
        }
    }
}

/// Zero-width and direction marks: not whitespace, yet invisible.
fn is_format_character(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}
