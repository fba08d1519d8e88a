//! The form's words, in German (the default) and English.
//!
//! Every language is one `const` [`Texts`]: a text missing in one language is a compile error. Texts
//! with a value in them are functions, so a translation cannot drop or misspell a placeholder.

use finapi::FieldError;
use onboarding_api::FormField;

/// A language the form speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    /// The language for a `?lang=` value: `en` is English, anything else German.
    pub fn from_code(code: Option<&str>) -> Lang {
        match code.map(str::trim) {
            Some(code) if code.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::De,
        }
    }

    /// The language asked for in the page address (`?lang=en`), German otherwise.
    pub fn from_page_address() -> Lang {
        Lang::from_code(crate::page::query_parameter("lang").as_deref())
    }

    /// The BCP 47 code, for `<html lang>` and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The language the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::De => &DE,
            Lang::En => &EN,
        }
    }
}

/// Everything the form says, in one language.
pub struct Texts {
    /// The name of this language in itself: the language switch shows it.
    pub language_name: &'static str,
    pub site_name: &'static str,
    pub loading: &'static str,
    pub settings_unavailable: &'static str,
    pub try_again: &'static str,
    pub cancel: &'static str,
    pub error_title_prefix: &'static str,
    pub error_summary_title: &'static str,
    pub optional: &'static str,
    pub show: &'static str,
    pub hide: &'static str,
    pub show_password: &'static str,
    pub hide_password: &'static str,

    // Step 1: create an account.
    pub create_account_title: &'static str,
    pub create_account_intro: &'static str,
    pub user_id_label: &'static str,
    pub user_id_hint: &'static str,
    pub password_label: &'static str,
    pub new_password_hint: fn(usize) -> String,
    pub email_label: &'static str,
    pub phone_label: &'static str,
    pub phone_hint: &'static str,
    pub auto_update_label: &'static str,
    pub auto_update_hint: &'static str,
    pub create_account_submit: &'static str,
    pub create_account_pending: &'static str,
    pub go_to_log_in: &'static str,

    // Step 2: log in.
    pub log_in_title: &'static str,
    pub log_in_intro: &'static str,
    pub account_created: fn(&str) -> String,
    pub log_in_submit: &'static str,
    pub log_in_pending: &'static str,
    pub go_to_create_account: &'static str,

    // Step 3: done.
    pub done_title: &'static str,
    pub signed_in_as: fn(&str) -> String,
    pub passed_to_partner: fn(&str) -> String,
    pub continue_to_bank: &'static str,
    pub continue_to_bank_hint: &'static str,

    // Problems.
    pub enter_your_user_id: &'static str,
    pub enter_your_password: &'static str,
    pub user_id_taken: &'static str,
    pub wrong_credentials: &'static str,
    pub account_locked: &'static str,
    pub session_expired: &'static str,
    pub unreachable: &'static str,
    pub unexpected: fn(Option<&str>) -> String,
    /// What to fix in a field of the sign-up form.
    pub field_error: fn(FormField, FieldError) -> String,
}

pub const EN: Texts = Texts {
    language_name: "English",
    site_name: "finAPI",
    loading: "Loading…",
    settings_unavailable: "The service can't be reached right now. Please try again in a few minutes.",
    try_again: "Try again",
    cancel: "Cancel",
    error_title_prefix: "Error: ",
    error_summary_title: "There is a problem",
    optional: "(optional)",
    show: "Show",
    hide: "Hide",
    show_password: "Show password",
    hide_password: "Hide password",

    create_account_title: "Create account",
    create_account_intro: "Create a finAPI account to connect your bank accounts securely.",
    user_id_label: "User id",
    user_id_hint: "1 to 36 characters: letters, digits and - _ . + @",
    password_label: "Password",
    new_password_hint: |min| {
        format!("At least {min} characters. A few words together are easy to remember and hard to guess.")
    },
    email_label: "Email address",
    phone_label: "Phone number",
    phone_hint: "For example +49 30 1234567",
    auto_update_label: "Update my accounts automatically",
    auto_update_hint: "finAPI fetches new transactions from your bank regularly, without you having to log in.",
    create_account_submit: "Create account",
    create_account_pending: "Creating account…",
    go_to_log_in: "I already have an account",

    log_in_title: "Log in",
    log_in_intro: "Log in with your finAPI user id and password.",
    account_created: |id| format!("Your account {id} has been created. Log in to continue."),
    log_in_submit: "Log in",
    log_in_pending: "Logging in…",
    go_to_create_account: "Create a new account",

    done_title: "You're all set",
    signed_in_as: |id| format!("You're logged in as {id}."),
    passed_to_partner: |host| format!("We've passed your sign-in securely to {host}'s site."),
    continue_to_bank: "Connect your bank account",
    continue_to_bank_hint: "You'll continue on finAPI's secure page. The link is valid for 20 minutes.",

    enter_your_user_id: "Enter your user id",
    enter_your_password: "Enter your password",
    user_id_taken: "This user id is already taken. Choose another one or log in.",
    wrong_credentials: "The user id or password is not correct.",
    account_locked: "Your account is locked after too many failed attempts. Contact support to unlock it.",
    session_expired: "Your session has expired. Please log in again.",
    unreachable: "The service can't be reached right now. Your entries are kept — please try again in a few minutes.",
    unexpected: |request_id| match request_id {
        Some(id) => {
            format!("Something went wrong on our side. Please try again. Support reference: {id}")
        }
        None => "Something went wrong on our side. Please try again.".to_owned(),
    },
    field_error: field_error_en,
};

pub const DE: Texts = Texts {
    language_name: "Deutsch",
    site_name: "finAPI",
    loading: "Wird geladen …",
    settings_unavailable:
        "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten noch einmal.",
    try_again: "Erneut versuchen",
    cancel: "Abbrechen",
    error_title_prefix: "Fehler: ",
    error_summary_title: "Es gibt ein Problem",
    optional: "(optional)",
    show: "Anzeigen",
    hide: "Verbergen",
    show_password: "Passwort anzeigen",
    hide_password: "Passwort verbergen",

    create_account_title: "Konto erstellen",
    create_account_intro: "Erstellen Sie ein finAPI-Konto, um Ihre Bankkonten sicher zu verbinden.",
    user_id_label: "Benutzerkennung",
    user_id_hint: "1 bis 36 Zeichen: Buchstaben, Ziffern und - _ . + @",
    password_label: "Passwort",
    new_password_hint: |min| {
        format!("Mindestens {min} Zeichen. Mehrere Wörter hintereinander sind leicht zu merken und schwer zu erraten.")
    },
    email_label: "E-Mail-Adresse",
    phone_label: "Telefonnummer",
    phone_hint: "Zum Beispiel +49 30 1234567",
    auto_update_label: "Meine Konten automatisch aktualisieren",
    auto_update_hint: "finAPI ruft regelmäßig neue Umsätze bei Ihrer Bank ab, ohne dass Sie sich anmelden müssen.",
    create_account_submit: "Konto erstellen",
    create_account_pending: "Konto wird erstellt …",
    go_to_log_in: "Ich habe bereits ein Konto",

    log_in_title: "Anmelden",
    log_in_intro: "Melden Sie sich mit Ihrer finAPI-Benutzerkennung und Ihrem Passwort an.",
    account_created: |id| {
        format!("Ihr Konto {id} wurde erstellt. Melden Sie sich an, um fortzufahren.")
    },
    log_in_submit: "Anmelden",
    log_in_pending: "Anmeldung läuft …",
    go_to_create_account: "Neues Konto erstellen",

    done_title: "Geschafft",
    signed_in_as: |id| format!("Sie sind als {id} angemeldet."),
    passed_to_partner: |host| {
        format!("Wir haben Ihre Anmeldung sicher an die Website von {host} übergeben.")
    },
    continue_to_bank: "Bankkonto verbinden",
    continue_to_bank_hint: "Es geht auf der sicheren Seite von finAPI weiter. Der Link ist 20 Minuten gültig.",

    enter_your_user_id: "Geben Sie Ihre Benutzerkennung ein",
    enter_your_password: "Geben Sie Ihr Passwort ein",
    user_id_taken: "Diese Benutzerkennung ist bereits vergeben. Wählen Sie eine andere oder melden Sie sich an.",
    wrong_credentials: "Die Benutzerkennung oder das Passwort ist nicht korrekt.",
    account_locked: "Ihr Konto ist nach zu vielen Fehlversuchen gesperrt. Wenden Sie sich an den Support, um es entsperren zu lassen.",
    session_expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    unreachable: "Der Dienst ist gerade nicht erreichbar. Ihre Eingaben bleiben erhalten – bitte versuchen Sie es in ein paar Minuten noch einmal.",
    unexpected: |request_id| match request_id {
        Some(id) => format!(
            "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal. Support-Referenz: {id}"
        ),
        None => "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal.".to_owned(),
    },
    field_error: field_error_de,
};

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

fn field_error_en(field: FormField, error: FieldError) -> String {
    use FieldError::*;
    use FormField::*;
    let name = match field {
        Id => "User id",
        Password => "Password",
        Email => "Email address",
        Phone => "Phone number",
    };
    match (field, error) {
        (_, TooShort { min }) => format!("{name} must be at least {min} characters"),
        (_, TooLong { max }) => format!("{name} must be {max} characters or fewer"),
        (Id, ForbiddenCharacter { character }) => {
            let not = match Shown::of(character) {
                Shown::Visible(c) => format!("not “{c}”"),
                Shown::Space => "no spaces".to_owned(),
                Shown::Tab => "no tabs".to_owned(),
                Shown::LineBreak => "no line breaks".to_owned(),
                Shown::Invisible(c) => format!("not the invisible character {}", code_point(c)),
            };
            format!("User id can only contain letters, digits and - _ . + @ ({not})")
        }
        (_, ForbiddenCharacter { character }) => match Shown::of(character) {
            Shown::Visible(c) => format!("{name} can't contain “{c}”"),
            Shown::Space => format!("{name} can't contain spaces"),
            Shown::Tab => format!("{name} can't contain tabs"),
            Shown::LineBreak => format!("{name} can't contain line breaks"),
            Shown::Invisible(c) => {
                format!("{name} can't contain the invisible character {}", code_point(c))
            }
        },
        // Missing, or not shaped like what the field asks for: say what to enter.
        (Id, _) => "Enter a user id".to_owned(),
        (Password, _) => "Enter a password".to_owned(),
        (Email, _) => "Enter an email address in the correct format, like name@example.com".to_owned(),
        (Phone, _) => "Enter a phone number, like +49 30 1234567".to_owned(),
    }
}

fn field_error_de(field: FormField, error: FieldError) -> String {
    use FieldError::*;
    use FormField::*;
    let name = match field {
        Id => "Die Benutzerkennung",
        Password => "Das Passwort",
        Email => "Die E-Mail-Adresse",
        Phone => "Die Telefonnummer",
    };
    match (field, error) {
        (_, TooShort { min }) => format!("{name} muss mindestens {min} Zeichen lang sein"),
        (_, TooLong { max }) => format!("{name} darf höchstens {max} Zeichen lang sein"),
        (Id, ForbiddenCharacter { character }) => {
            let not = match Shown::of(character) {
                Shown::Visible(c) => format!("nicht „{c}“"),
                Shown::Space => "keine Leerzeichen".to_owned(),
                Shown::Tab => "keine Tabulatoren".to_owned(),
                Shown::LineBreak => "keine Zeilenumbrüche".to_owned(),
                Shown::Invisible(c) => {
                    format!("nicht das unsichtbare Zeichen {}", code_point(c))
                }
            };
            format!("Die Benutzerkennung darf nur Buchstaben, Ziffern und - _ . + @ enthalten ({not})")
        }
        (_, ForbiddenCharacter { character }) => match Shown::of(character) {
            Shown::Visible(c) => format!("{name} darf „{c}“ nicht enthalten"),
            Shown::Space => format!("{name} darf keine Leerzeichen enthalten"),
            Shown::Tab => format!("{name} darf keine Tabulatoren enthalten"),
            Shown::LineBreak => format!("{name} darf keine Zeilenumbrüche enthalten"),
            Shown::Invisible(c) => format!("{name} darf das unsichtbare Zeichen {} nicht enthalten", code_point(c)),
        },
        (Id, _) => "Geben Sie eine Benutzerkennung ein".to_owned(),
        (Password, _) => "Geben Sie ein Passwort ein".to_owned(),
        (Email, _) => "Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@example.com".to_owned(),
        (Phone, _) => "Geben Sie eine Telefonnummer ein, zum Beispiel +49 30 1234567".to_owned(),
    }
}
