//! The proxy's settings, read from the environment (and an optional `KEY=VALUE` file named by
//! `PROXY_SETTINGS_FILE`; the environment wins). A missing or malformed setting stops start-up with a
//! message that names it.

use crate::app::CallbackSettings;
use crate::finapi_client::ClientCredentials;
use crate::logging::LogFormat;
use crate::mail::{MailSettings, SmtpSecurity};
use crate::rate_limit::{Limit, RateLimits};
use crate::tenants::{TenantConfig, TenantExtras};
use onboarding_api::Theme;
use secrecy::SecretString;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

/// Every setting, with its default, as the README documents them.
pub mod names {
    pub const LISTEN: &str = "PROXY_LISTEN";
    pub const FORM_DIR: &str = "PROXY_FORM_DIR";
    pub const ALLOWED_PARENT_ORIGINS: &str = "PROXY_ALLOWED_PARENT_ORIGINS";
    pub const PARTNER_KEY: &str = "PROXY_PARTNER_KEY";
    pub const FINAPI_ACCESS_URL: &str = "FINAPI_ACCESS_URL";
    pub const FINAPI_WEB_FORM_URL: &str = "FINAPI_WEB_FORM_URL";
    pub const FINAPI_CLIENT_ID: &str = "FINAPI_CLIENT_ID";
    pub const FINAPI_CLIENT_SECRET: &str = "FINAPI_CLIENT_SECRET";
    pub const EMULATOR_LISTEN: &str = "EMULATOR_LISTEN";
    pub const SETTINGS_FILE: &str = "PROXY_SETTINGS_FILE";
    pub const LOG_FORMAT: &str = "PROXY_LOG_FORMAT";
    pub const REDIS_URL: &str = "PROXY_REDIS_URL";
    pub const REDIS_PREFIX: &str = "PROXY_REDIS_PREFIX";
    pub const RATE_LIMIT_PER_IP: &str = "PROXY_RATE_LIMIT_PER_IP";
    pub const RATE_LIMIT_PER_USER_ID: &str = "PROXY_RATE_LIMIT_PER_USER_ID";
    pub const RATE_LIMIT_WINDOW_SECONDS: &str = "PROXY_RATE_LIMIT_WINDOW_SECONDS";
    pub const TRUSTED_PROXY_HOPS: &str = "PROXY_TRUSTED_PROXY_HOPS";
    pub const PUBLIC_URL: &str = "PROXY_PUBLIC_URL";
    pub const CALLBACK_SECRET: &str = "PROXY_CALLBACK_SECRET";
    pub const TENANTS_FILE: &str = "PROXY_TENANTS_FILE";
    pub const DATA_DECRYPTION_KEY: &str = "FINAPI_DATA_DECRYPTION_KEY";
    pub const SUPPORT_CONTACT: &str = "PROXY_SUPPORT_CONTACT";
    pub const ALLOWED_RETURN_URLS: &str = "PROXY_ALLOWED_RETURN_URLS";
    pub const THEME_NAME: &str = "PROXY_THEME_NAME";
    pub const THEME_PRIMARY_COLOR: &str = "PROXY_THEME_PRIMARY_COLOR";
    pub const THEME_BASE: &str = "PROXY_THEME_BASE";
    pub const SMTP_HOST: &str = "PROXY_SMTP_HOST";
    pub const SMTP_PORT: &str = "PROXY_SMTP_PORT";
    pub const SMTP_SECURITY: &str = "PROXY_SMTP_SECURITY";
    pub const SMTP_USERNAME: &str = "PROXY_SMTP_USERNAME";
    pub const SMTP_PASSWORD: &str = "PROXY_SMTP_PASSWORD";
    pub const MAIL_FROM: &str = "PROXY_MAIL_FROM";
    pub const ADMIN_CLIENT_ID: &str = "FINAPI_ADMIN_CLIENT_ID";
    pub const ADMIN_CLIENT_SECRET: &str = "FINAPI_ADMIN_CLIENT_SECRET";
}

pub const DEFAULT_REDIS_PREFIX: &str = "onboarding:";

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_EMULATOR_LISTEN: &str = "127.0.0.1:8082";
pub const DEFAULT_FORM_DIR: &str = "dist";
/// The partner key used with the embedded emulator when none is set: development only.
pub const DEVELOPMENT_PARTNER_KEY: &str = "dev-partner-key-change-me-0000000000000000";
/// A partner key shorter than this is refused: it must resist guessing.
pub const MIN_PARTNER_KEY_LENGTH: usize = 32;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("setting {name}: {problem}")]
pub struct SettingsError {
    pub name: &'static str,
    pub problem: String,
}

fn problem(name: &'static str, problem: impl Into<String>) -> SettingsError {
    SettingsError {
        name,
        problem: problem.into(),
    }
}

/// Where finAPI is.
#[derive(Debug, Clone)]
pub enum FinapiTarget {
    /// No `FINAPI_ACCESS_URL`: run the emulator in-process on this address, with its development clients.
    EmbeddedEmulator { listen: SocketAddr },
    /// A real finAPI (sandbox or live), or an emulator started elsewhere.
    Remote {
        access_url: Url,
        web_form_url: Url,
        client_id: String,
        client_secret: SecretString,
    },
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub form_dir: PathBuf,
    pub allowed_parent_origins: Vec<String>,
    /// `None` with the embedded emulator means [`DEVELOPMENT_PARTNER_KEY`].
    pub partner_key: Option<SecretString>,
    pub finapi: FinapiTarget,
    pub log_format: LogFormat,
    /// `None`: sessions, handoff codes and rate-limit counters in this process's memory.
    pub redis_url: Option<SecretString>,
    pub redis_prefix: String,
    pub rate_limits: RateLimits,
    /// Both set: finAPI's callbacks are received (and the user synchronization one registered).
    pub callbacks: Option<CallbackSettings>,
    /// The default tenant's data decryption key; `None` with a remote finAPI means no password resets.
    pub data_decryption_key: Option<SecretString>,
    pub default_tenant: TenantExtras,
    /// From `PROXY_TENANTS_FILE`.
    pub tenants: Vec<TenantConfig>,
    /// `PROXY_SMTP_HOST` set: password reset links by email.
    pub mail: Option<MailSettings>,
    /// The mandator admin client, for the operator's user commands only (never used while serving).
    pub mandator_admin: Option<ClientCredentials>,
}

impl Settings {
    /// Reads the process environment (and the optional settings file).
    pub fn from_env() -> Result<Self, SettingsError> {
        let mut values: HashMap<String, String> = HashMap::new();
        if let Ok(path) = std::env::var(names::SETTINGS_FILE) {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| problem(names::SETTINGS_FILE, format!("cannot read {path}: {e}")))?;
            values
                .extend(parse_settings_file(&text).map_err(|line| {
                    problem(names::SETTINGS_FILE, format!("line {line} of {path} is not KEY=VALUE"))
                })?);
        }
        values.extend(std::env::vars());
        Settings::from_lookup(|name| values.get(name).cloned())
    }

    /// Reads settings through `lookup`, so tests can pass their own.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let listen = parse_addr(names::LISTEN, get(names::LISTEN).as_deref().unwrap_or(DEFAULT_LISTEN))?;
        let form_dir = PathBuf::from(get(names::FORM_DIR).unwrap_or_else(|| DEFAULT_FORM_DIR.into()));
        let allowed_parent_origins = match get(names::ALLOWED_PARENT_ORIGINS) {
            Some(list) => parse_origins(&list)?,
            None => Vec::new(),
        };
        let finapi = match get(names::FINAPI_ACCESS_URL) {
            None => {
                let listen = get(names::EMULATOR_LISTEN).unwrap_or_else(|| DEFAULT_EMULATOR_LISTEN.into());
                FinapiTarget::EmbeddedEmulator {
                    listen: parse_addr(names::EMULATOR_LISTEN, &listen)?,
                }
            }
            Some(access_url) => {
                let required = |name: &'static str| {
                    get(name).ok_or_else(|| {
                        problem(
                            name,
                            format!("missing (required when {} is set)", names::FINAPI_ACCESS_URL),
                        )
                    })
                };
                FinapiTarget::Remote {
                    access_url: parse_base_url(names::FINAPI_ACCESS_URL, &access_url)?,
                    web_form_url: parse_base_url(names::FINAPI_WEB_FORM_URL, &required(names::FINAPI_WEB_FORM_URL)?)?,
                    client_id: required(names::FINAPI_CLIENT_ID)?,
                    client_secret: SecretString::from(required(names::FINAPI_CLIENT_SECRET)?),
                }
            }
        };
        let partner_key = match (get(names::PARTNER_KEY), &finapi) {
            (Some(key), _) if key.chars().count() < MIN_PARTNER_KEY_LENGTH => {
                return Err(problem(
                    names::PARTNER_KEY,
                    format!("too short: use at least {MIN_PARTNER_KEY_LENGTH} random characters"),
                ));
            }
            (Some(key), _) => Some(SecretString::from(key)),
            (None, FinapiTarget::EmbeddedEmulator { .. }) => None,
            (None, FinapiTarget::Remote { .. }) => {
                return Err(problem(
                    names::PARTNER_KEY,
                    format!("missing (required when {} is set)", names::FINAPI_ACCESS_URL),
                ));
            }
        };
        let log_format = match get(names::LOG_FORMAT) {
            None => LogFormat::default(),
            Some(value) => LogFormat::parse(&value)
                .ok_or_else(|| problem(names::LOG_FORMAT, format!("{value:?} is neither text nor json")))?,
        };
        let redis_url = get(names::REDIS_URL)
            .map(
                |url| match url.starts_with("redis://") || url.starts_with("rediss://") {
                    true => Ok(SecretString::from(url)),
                    // The URL may hold a password: never repeat it.
                    false => Err(problem(names::REDIS_URL, "must start with redis:// or rediss://")),
                },
            )
            .transpose()?;
        let defaults = RateLimits::default();
        let window_seconds = number(
            &get,
            names::RATE_LIMIT_WINDOW_SECONDS,
            defaults.per_ip.window.whole_seconds() as u64,
        )?;
        if window_seconds == 0 {
            return Err(problem(names::RATE_LIMIT_WINDOW_SECONDS, "must be at least 1"));
        }
        let window = time::Duration::seconds(window_seconds as i64);
        let rate_limits = RateLimits {
            per_ip: Limit {
                max: number(&get, names::RATE_LIMIT_PER_IP, defaults.per_ip.max)?,
                window,
            },
            per_user_id: Limit {
                max: number(&get, names::RATE_LIMIT_PER_USER_ID, defaults.per_user_id.max)?,
                window,
            },
            trusted_proxy_hops: number(&get, names::TRUSTED_PROXY_HOPS, 0)? as usize,
        };
        let public_url = get(names::PUBLIC_URL)
            .map(|url| parse_base_url(names::PUBLIC_URL, &url))
            .transpose()?;
        let needs_public_url = |name: &'static str| {
            public_url
                .clone()
                .ok_or_else(|| problem(names::PUBLIC_URL, format!("missing (required with {name})")))
        };
        let callbacks = match get(names::CALLBACK_SECRET) {
            None => None,
            Some(secret) if secret.chars().count() < MIN_PARTNER_KEY_LENGTH => {
                return Err(problem(
                    names::CALLBACK_SECRET,
                    format!("too short: use at least {MIN_PARTNER_KEY_LENGTH} random characters"),
                ))
            }
            Some(secret) => Some(CallbackSettings {
                public_url: needs_public_url(names::CALLBACK_SECRET)?,
                secret: SecretString::from(secret),
            }),
        };
        let mail = match get(names::SMTP_HOST) {
            None => None,
            Some(host) => {
                let security = match get(names::SMTP_SECURITY) {
                    None => SmtpSecurity::StartTls,
                    Some(value) => SmtpSecurity::parse(&value).ok_or_else(|| {
                        problem(names::SMTP_SECURITY, format!("{value:?} is not tls, starttls or none"))
                    })?,
                };
                let default_port = match security {
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::StartTls => 587,
                    SmtpSecurity::Plaintext => 25,
                };
                Some(MailSettings {
                    host,
                    port: number(&get, names::SMTP_PORT, default_port)?
                        .try_into()
                        .map_err(|_| problem(names::SMTP_PORT, "not a port number"))?,
                    security,
                    username: get(names::SMTP_USERNAME),
                    password: get(names::SMTP_PASSWORD).map(SecretString::from),
                    from: get(names::MAIL_FROM)
                        .ok_or_else(|| problem(names::MAIL_FROM, "missing (required with PROXY_SMTP_HOST)"))?,
                    link_base: needs_public_url(names::SMTP_HOST)?,
                })
            }
        };
        let tenants = match get(names::TENANTS_FILE) {
            None => Vec::new(),
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| problem(names::TENANTS_FILE, format!("cannot read {path}: {e}")))?;
                crate::tenants::parse_file(&text).map_err(|e| problem(names::TENANTS_FILE, format!("{path}: {e}")))?
            }
        };
        let default_tenant = TenantExtras {
            allowed_return_urls: get(names::ALLOWED_RETURN_URLS)
                .map(|list| {
                    list.split(',')
                        .map(|u| u.trim().to_owned())
                        .filter(|u| !u.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            web_form: Default::default(),
            theme: Theme {
                display_name: get(names::THEME_NAME),
                primary_color: get(names::THEME_PRIMARY_COLOR),
                base: get(names::THEME_BASE),
                ..Theme::default()
            },
            support_contact: get(names::SUPPORT_CONTACT),
        };
        let mandator_admin = match (get(names::ADMIN_CLIENT_ID), get(names::ADMIN_CLIENT_SECRET)) {
            (Some(client_id), Some(secret)) => Some(ClientCredentials {
                client_id,
                client_secret: SecretString::from(secret),
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(problem(
                    names::ADMIN_CLIENT_SECRET,
                    "missing (required with FINAPI_ADMIN_CLIENT_ID)",
                ))
            }
            (None, Some(_)) => {
                return Err(problem(
                    names::ADMIN_CLIENT_ID,
                    "missing (required with FINAPI_ADMIN_CLIENT_SECRET)",
                ))
            }
        };
        Ok(Settings {
            mandator_admin,
            mail,
            data_decryption_key: get(names::DATA_DECRYPTION_KEY).map(SecretString::from),
            default_tenant,
            tenants,
            callbacks,
            listen,
            form_dir,
            allowed_parent_origins,
            partner_key,
            finapi,
            log_format,
            redis_url,
            redis_prefix: get(names::REDIS_PREFIX).unwrap_or_else(|| DEFAULT_REDIS_PREFIX.into()),
            rate_limits,
        })
    }
}

fn number(get: &impl Fn(&str) -> Option<String>, name: &'static str, default: u64) -> Result<u64, SettingsError> {
    match get(name) {
        None => Ok(default),
        Some(value) => value
            .parse()
            .map_err(|_| problem(name, format!("{value:?} is not a whole number"))),
    }
}

fn parse_addr(name: &'static str, value: &str) -> Result<SocketAddr, SettingsError> {
    value
        .parse()
        .map_err(|_| problem(name, format!("{value:?} is not an address like 127.0.0.1:8080")))
}

fn parse_base_url(name: &'static str, value: &str) -> Result<Url, SettingsError> {
    let url = Url::parse(value).map_err(|e| problem(name, format!("{value:?} is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(problem(
            name,
            format!("{value:?} must be an http(s) URL such as https://sandbox.finapi.io"),
        ));
    }
    Ok(url)
}

/// Parses a comma-separated list of origins (`scheme://host[:port]`, nothing else).
pub fn parse_origins(list: &str) -> Result<Vec<String>, SettingsError> {
    let name = names::ALLOWED_PARENT_ORIGINS;
    list.split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            let url = Url::parse(entry)
                .map_err(|_| problem(name, format!("{entry:?} is not an origin like https://partner.example")))?;
            let is_bare_origin = matches!(url.scheme(), "http" | "https")
                && url.host().is_some()
                && url.path() == "/"
                && url.query().is_none()
                && url.fragment().is_none()
                && !entry.trim_end_matches('/').contains(['?', '#'])
                && entry.trim_end_matches('/').matches('/').count() == 2;
            if is_bare_origin {
                Ok(url.origin().ascii_serialization())
            } else {
                Err(problem(
                    name,
                    format!("{entry:?} must be an origin only (scheme, host, port), like https://partner.example"),
                ))
            }
        })
        .collect()
}

/// `KEY=VALUE` lines; blank lines and `#` comments are skipped. Returns the number of a bad line.
fn parse_settings_file(text: &str) -> Result<Vec<(String, String)>, usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(index, line)| {
            let (key, value) = line.split_once('=').ok_or(index + 1)?;
            Ok((key.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_the_embedded_emulator_with_development_defaults() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.listen.to_string(), DEFAULT_LISTEN);
        assert!(matches!(s.finapi, FinapiTarget::EmbeddedEmulator { .. }));
        assert!(s.partner_key.is_none());
        assert!(s.allowed_parent_origins.is_empty());
    }

    #[test]
    fn a_remote_finapi_needs_credentials_and_a_partner_key() {
        let err = settings(&[(names::FINAPI_ACCESS_URL, "https://sandbox.finapi.io")]).unwrap_err();
        assert_eq!(err.name, names::FINAPI_WEB_FORM_URL);
        let err = settings(&[
            (names::FINAPI_ACCESS_URL, "https://sandbox.finapi.io"),
            (names::FINAPI_WEB_FORM_URL, "https://webform-sandbox.finapi.io"),
            (names::FINAPI_CLIENT_ID, "id"),
        ])
        .unwrap_err();
        assert_eq!(err.name, names::FINAPI_CLIENT_SECRET);
        assert!(err.to_string().contains("FINAPI_CLIENT_SECRET"));
        let ok = settings(&[
            (names::FINAPI_ACCESS_URL, "https://sandbox.finapi.io"),
            (names::FINAPI_WEB_FORM_URL, "https://webform-sandbox.finapi.io"),
            (names::FINAPI_CLIENT_ID, "id"),
            (names::FINAPI_CLIENT_SECRET, "secret"),
            (names::PARTNER_KEY, &"k".repeat(32)),
        ])
        .unwrap();
        assert_eq!(ok.partner_key.unwrap().expose_secret(), "k".repeat(32));
    }

    #[test]
    fn malformed_values_are_named() {
        assert_eq!(
            settings(&[(names::LISTEN, "localhost")]).unwrap_err().name,
            names::LISTEN
        );
        assert_eq!(
            settings(&[(names::FINAPI_ACCESS_URL, "sandbox.finapi.io")])
                .unwrap_err()
                .name,
            names::FINAPI_ACCESS_URL
        );
        assert_eq!(
            settings(&[(names::PARTNER_KEY, "short")]).unwrap_err().name,
            names::PARTNER_KEY
        );
        for bad in [
            "partner.example",
            "https://partner.example/path",
            "ftp://partner.example",
            "https://a.example?x=1",
        ] {
            assert_eq!(
                settings(&[(names::ALLOWED_PARENT_ORIGINS, bad)]).unwrap_err().name,
                names::ALLOWED_PARENT_ORIGINS,
                "{bad}"
            );
        }
    }

    #[test]
    fn operations_settings_are_read_and_checked() {
        let s = settings(&[
            (names::LOG_FORMAT, "JSON"),
            (names::REDIS_URL, "redis://127.0.0.1:6379/0"),
            (names::RATE_LIMIT_PER_IP, "5"),
            (names::RATE_LIMIT_WINDOW_SECONDS, "60"),
        ])
        .unwrap();
        assert_eq!(s.log_format, LogFormat::Json);
        assert!(s.redis_url.is_some());
        assert_eq!(s.redis_prefix, DEFAULT_REDIS_PREFIX);
        assert_eq!(s.rate_limits.per_ip.max, 5);
        assert_eq!(s.rate_limits.per_user_id.window, time::Duration::seconds(60));
        for (name, bad) in [
            (names::LOG_FORMAT, "xml"),
            (names::REDIS_URL, "http://secret@redis"),
            (names::RATE_LIMIT_PER_USER_ID, "ten"),
            (names::RATE_LIMIT_WINDOW_SECONDS, "0"),
        ] {
            let error = settings(&[(name, bad)]).unwrap_err();
            assert_eq!(error.name, name);
            assert!(!error.to_string().contains("secret"));
        }
    }

    #[test]
    fn origins_are_normalised() {
        let s = settings(&[(
            names::ALLOWED_PARENT_ORIGINS,
            "https://A.example/, http://localhost:8081",
        )])
        .unwrap();
        assert_eq!(s.allowed_parent_origins, ["https://a.example", "http://localhost:8081"]);
    }

    #[test]
    fn settings_file_lines() {
        assert_eq!(
            parse_settings_file("# c\n\nA=1\n B = two \n").unwrap(),
            [("A".into(), "1".into()), ("B".into(), "two".into())]
        );
        assert_eq!(parse_settings_file("A=1\nnope\n"), Err(2));
    }
}
