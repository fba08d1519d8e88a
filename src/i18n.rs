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
    pub forgot_password: &'static str,
    /// The action offered with "your account is locked".
    pub reset_locked_account: &'static str,
    pub password_changed: &'static str,

    // Asking for a password reset link.
    pub reset_title: &'static str,
    pub reset_intro: &'static str,
    pub reset_submit: &'static str,
    pub reset_pending: &'static str,
    pub reset_sent_title: &'static str,
    /// The same for every id: whether it exists or has an email address is not told.
    pub reset_sent: &'static str,
    /// With the tenant's support contact.
    pub no_email_contact: fn(&str) -> String,
    /// Resets are not offered; with the tenant's support contact.
    pub reset_by_support: fn(&str) -> String,
    /// Resets are not offered and there is no support contact.
    pub reset_by_service: &'static str,
    pub back_to_log_in: &'static str,

    // Choosing a new password with the link's code.
    pub new_password_title: &'static str,
    pub new_password_intro: &'static str,
    pub new_password_label: &'static str,
    pub new_password_submit: &'static str,
    pub new_password_pending: &'static str,
    pub request_new_link: &'static str,

    // Step 3: done.
    pub done_title: &'static str,
    pub signed_in_as: fn(&str) -> String,
    pub passed_to_partner: fn(&str) -> String,
    pub continue_to_bank: &'static str,
    pub continue_to_bank_hint: &'static str,
    pub web_form_completed: &'static str,
    pub web_form_completed_with_error: &'static str,
    pub web_form_aborted: &'static str,
    pub web_form_expired: &'static str,
    pub start_again: &'static str,

    // Problems.
    pub enter_your_user_id: &'static str,
    pub enter_your_password: &'static str,
    pub user_id_taken: &'static str,
    pub wrong_credentials: &'static str,
    pub account_locked: &'static str,
    pub session_expired: &'static str,
    pub unreachable: &'static str,
    /// `429`: with the seconds of `Retry-After`, if given.
    pub rate_limited: fn(Option<u32>) -> String,
    pub reset_link_invalid: &'static str,
    /// The tenant in the address is not known: settings could not be loaded for it.
    pub unknown_tenant: &'static str,
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
    forgot_password: "Forgot your password?",
    reset_locked_account: "Reset your password",
    password_changed: "Your password has been changed. Log in with your new password.",

    reset_title: "Reset your password",
    reset_intro: "Enter your user id. We'll send a link to choose a new password to the email address of the account.",
    reset_submit: "Send link",
    reset_pending: "Sending…",
    reset_sent_title: "Check your email",
    reset_sent: "If this account has an email address, we have sent a link to it. The link works for 30 minutes. If \
                 nothing arrives, check your spam folder.",
    no_email_contact: |support| format!("No email address on the account? Contact {support}."),
    reset_by_support: |support| {
        format!("Your password can't be reset here. To unlock your account, contact {support}.")
    },
    reset_by_service: "Your password can't be reset here. To unlock your account, please contact the service you \
                       came from.",
    back_to_log_in: "Back to log in",

    new_password_title: "Choose a new password",
    new_password_intro: "Choose a new password for your account. It also unlocks a locked account.",
    new_password_label: "New password",
    new_password_submit: "Save password",
    new_password_pending: "Saving…",
    request_new_link: "Ask for a new link",

    done_title: "You're all set",
    signed_in_as: |id| format!("You're logged in as {id}."),
    passed_to_partner: |host| format!("We've passed your sign-in securely to {host}'s site."),
    continue_to_bank: "Connect your bank account",
    continue_to_bank_hint: "You'll continue on finAPI's secure page. The link is valid for 20 minutes.",
    web_form_completed: "Your bank account is connected.",
    web_form_completed_with_error: "Your bank account is connected, but some accounts could not be imported. \
                                    You can add them later.",
    web_form_aborted: "You cancelled connecting your bank account. You can try again.",
    web_form_expired: "The link to connect your bank account has expired. Please start again.",
    start_again: "Start again",

    enter_your_user_id: "Enter your user id",
    enter_your_password: "Enter your password",
    user_id_taken: "This user id is already taken. Choose another one or log in.",
    wrong_credentials: "The user id or password is not correct.",
    account_locked: "Your account is locked after too many failed attempts. Reset your password to unlock it.",
    session_expired: "Your session has expired. Please log in again.",
    unreachable: "The service can't be reached right now. Your entries are kept — please try again in a few minutes.",
    rate_limited: |seconds| {
        let wait = wait_time(seconds, ["a few minutes", "minute", "minutes", "second", "seconds"]);
        format!("Too many attempts. Please wait {wait} and try again.")
    },
    reset_link_invalid: "This link no longer works: it has been used, has expired, or a newer one was sent. Ask \
                         for a new link.",
    unknown_tenant: "This sign-up link is not valid. Please go back to the site you came from.",
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
    forgot_password: "Passwort vergessen?",
    reset_locked_account: "Passwort zurücksetzen",
    password_changed: "Ihr Passwort wurde geändert. Melden Sie sich mit Ihrem neuen Passwort an.",

    reset_title: "Passwort zurücksetzen",
    reset_intro: "Geben Sie Ihre Benutzerkennung ein. Wir senden einen Link, mit dem Sie ein neues Passwort \
                  festlegen, an die E-Mail-Adresse des Kontos.",
    reset_submit: "Link senden",
    reset_pending: "Wird gesendet …",
    reset_sent_title: "Prüfen Sie Ihre E-Mails",
    reset_sent: "Wenn zu diesem Konto eine E-Mail-Adresse hinterlegt ist, haben wir einen Link dorthin gesendet. \
                 Der Link gilt 30 Minuten. Wenn nichts ankommt, sehen Sie auch im Spam-Ordner nach.",
    no_email_contact: |support| format!("Keine E-Mail-Adresse hinterlegt? Wenden Sie sich an {support}."),
    reset_by_support: |support| {
        format!(
            "Ihr Passwort kann hier nicht zurückgesetzt werden. Um Ihr Konto entsperren zu lassen, wenden Sie sich \
             an {support}."
        )
    },
    reset_by_service: "Ihr Passwort kann hier nicht zurückgesetzt werden. Um Ihr Konto entsperren zu lassen, \
                       wenden Sie sich bitte an den Dienst, von dem Sie gekommen sind.",
    back_to_log_in: "Zurück zur Anmeldung",

    new_password_title: "Neues Passwort festlegen",
    new_password_intro: "Legen Sie ein neues Passwort für Ihr Konto fest. Ein gesperrtes Konto wird damit auch \
                         entsperrt.",
    new_password_label: "Neues Passwort",
    new_password_submit: "Passwort speichern",
    new_password_pending: "Wird gespeichert …",
    request_new_link: "Neuen Link anfordern",

    done_title: "Geschafft",
    signed_in_as: |id| format!("Sie sind als {id} angemeldet."),
    passed_to_partner: |host| {
        format!("Wir haben Ihre Anmeldung sicher an die Website von {host} übergeben.")
    },
    continue_to_bank: "Bankkonto verbinden",
    continue_to_bank_hint: "Es geht auf der sicheren Seite von finAPI weiter. Der Link ist 20 Minuten gültig.",
    web_form_completed: "Ihr Bankkonto ist verbunden.",
    web_form_completed_with_error: "Ihr Bankkonto ist verbunden, aber einige Konten konnten nicht übernommen \
                                    werden. Sie können sie später hinzufügen.",
    web_form_aborted: "Sie haben das Verbinden Ihres Bankkontos abgebrochen. Sie können es noch einmal versuchen.",
    web_form_expired: "Der Link zum Verbinden Ihres Bankkontos ist abgelaufen. Bitte beginnen Sie von vorn.",
    start_again: "Von vorn beginnen",

    enter_your_user_id: "Geben Sie Ihre Benutzerkennung ein",
    enter_your_password: "Geben Sie Ihr Passwort ein",
    user_id_taken: "Diese Benutzerkennung ist bereits vergeben. Wählen Sie eine andere oder melden Sie sich an.",
    wrong_credentials: "Die Benutzerkennung oder das Passwort ist nicht korrekt.",
    account_locked: "Ihr Konto ist nach zu vielen Fehlversuchen gesperrt. Setzen Sie Ihr Passwort zurück, um es zu \
                     entsperren.",
    session_expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    unreachable: "Der Dienst ist gerade nicht erreichbar. Ihre Eingaben bleiben erhalten – bitte versuchen Sie es in ein paar Minuten noch einmal.",
    rate_limited: |seconds| {
        let wait = wait_time(seconds, ["ein paar Minuten", "Minute", "Minuten", "Sekunde", "Sekunden"]);
        format!("Zu viele Versuche. Bitte warten Sie {wait} und versuchen Sie es dann noch einmal.")
    },
    reset_link_invalid: "Dieser Link gilt nicht mehr: Er wurde schon benutzt, ist abgelaufen, oder ein neuerer wurde \
                         gesendet. Fordern Sie einen neuen Link an.",
    unknown_tenant: "Dieser Anmeldelink ist nicht gültig. Bitte gehen Sie zurück zu der Website, von der Sie \
                     gekommen sind.",
    unexpected: |request_id| match request_id {
        Some(id) => format!(
            "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal. Support-Referenz: {id}"
        ),
        None => "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es noch einmal.".to_owned(),
    },
    field_error: field_error_de,
};

/// How long to wait: whole minutes (rounded up) from a minute on, else seconds. `words`: for no time
/// given, then minute, minutes, second, seconds.
fn wait_time(seconds: Option<u32>, words: [&str; 5]) -> String {
    let Some(seconds) = seconds.filter(|s| *s > 0) else {
        return words[0].to_owned();
    };
    let (n, one, many) = if seconds >= 60 {
        (seconds.div_ceil(60), words[1], words[2])
    } else {
        (seconds, words[3], words[4])
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

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
