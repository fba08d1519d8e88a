//! Email through SMTP (`lettre`): the password reset link. TLS (implicit or STARTTLS, rustls with the
//! webpki roots) for any real relay; plaintext only for a relay on loopback or a trusted network.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;
use url::Url;

const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plaintext, upgraded with STARTTLS, which is required (port 587).
    StartTls,
    /// No encryption at all: a relay on loopback only.
    Plaintext,
}

impl SmtpSecurity {
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "tls" => Some(SmtpSecurity::Tls),
            "starttls" => Some(SmtpSecurity::StartTls),
            "none" => Some(SmtpSecurity::Plaintext),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// The sender, e.g. `Onboarding <no-reply@onboarding.example>`.
    pub from: String,
    /// The form's public URL: reset links point there (`{link_base}{/t/tenant}/#reset=…`).
    pub link_base: Url,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the mail settings are wrong: {0}")]
    Settings(String),
    #[error("the email could not be built: {0}")]
    Message(String),
    #[error("the SMTP relay did not take the email: {0}")]
    Relay(String),
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    link_base: Url,
}

impl Mailer {
    pub fn new(settings: &MailSettings) -> Result<Self, MailError> {
        let builder = match settings.security {
            SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
                .map_err(|e| MailError::Settings(e.to_string()))?,
            SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                .map_err(|e| MailError::Settings(e.to_string()))?,
            SmtpSecurity::Plaintext => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
        };
        let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
        if let (Some(username), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.expose_secret().to_owned()));
        }
        let from = settings
            .from
            .parse()
            .map_err(|_| MailError::Settings(format!("{:?} is not a sender address", settings.from)))?;
        Ok(Mailer {
            transport: builder.build(),
            from,
            link_base: settings.link_base.clone(),
        })
    }

    /// The link the email carries: the form, for the tenant at `tenant_prefix`, on its reset step.
    pub fn reset_link(&self, tenant_prefix: &str, code: &str) -> String {
        let base = self.link_base.as_str().trim_end_matches('/');
        format!(
            "{base}{tenant_prefix}/#{}={code}",
            onboarding_api::password_reset::RESET_FRAGMENT_KEY
        )
    }

    pub async fn send_reset_link(&self, to: &str, link: &str, language: Language) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|_| MailError::Message("the address finAPI has is not an email address".into()))?;
        let (subject, body) = reset_text(language, link);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Message(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Relay(e.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    German,
    English,
}

impl Language {
    /// German for `de` or none (the form's default language); English for every other language the form
    /// speaks, which a person who chose French or Polish is likelier to read than German. (The email
    /// exists in these two only; the form the link opens speaks the person's language again.)
    pub fn from_code(code: Option<&str>) -> Self {
        match code.map(str::trim) {
            None | Some("") => Language::German,
            Some(code) if code.eq_ignore_ascii_case("de") || code.to_ascii_lowercase().starts_with("de-") => {
                Language::German
            }
            Some(_) => Language::English,
        }
    }
}

#[cfg(test)]
mod language_tests {
    use super::Language;

    #[test]
    fn the_email_is_german_for_german_and_english_for_the_other_languages() {
        assert_eq!(Language::from_code(None), Language::German);
        assert_eq!(Language::from_code(Some("de")), Language::German);
        assert_eq!(Language::from_code(Some("de-AT")), Language::German);
        for code in ["en", "fr", "pl", "tr", "xx"] {
            assert_eq!(Language::from_code(Some(code)), Language::English, "{code}");
        }
    }
}

fn reset_text(language: Language, link: &str) -> (&'static str, String) {
    match language {
        Language::German => (
            "Neues Passwort festlegen",
            format!(
                "Guten Tag,\n\nSie haben ein neues Passwort angefordert. Öffnen Sie diesen Link, um es festzulegen \
                 (er gilt 30 Minuten und nur einmal):\n\n{link}\n\nWenn Sie das nicht waren, ignorieren Sie diese \
                 E-Mail; Ihr Passwort bleibt unverändert.\n"
            ),
        ),
        Language::English => (
            "Choose a new password",
            format!(
                "Hello,\n\nYou asked for a new password. Open this link to choose it (it works once, for 30 \
                 minutes):\n\n{link}\n\nIf this was not you, ignore this email; your password stays as it is.\n"
            ),
        ),
    }
}
