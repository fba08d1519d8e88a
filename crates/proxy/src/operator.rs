//! Operator commands on the proxy's binary, run once against the configured finAPI and printed:
//!
//! ```text
//! onboarding-proxy                                          serve (the default)
//! onboarding-proxy client-configuration [--tenant ID]       show the app client's configuration
//! onboarding-proxy client-configuration set KEY=VALUE… [--tenant ID]
//!                                                           change its patchable fields
//! onboarding-proxy users list                               the mandator's users (mandator admin client)
//! onboarding-proxy users delete ID…                         delete users (mandator admin client)
//! ```
//!
//! Changes are checked with finAPI's rules before they are sent (and finAPI checks them again); the
//! user commands need `FINAPI_ADMIN_CLIENT_ID` and `FINAPI_ADMIN_CLIENT_SECRET`.

use crate::client_auth::ClientAuth;
use crate::finapi_client::{ClientCredentials, FinapiClient, FinapiError};
use crate::request_id::RequestId;
use crate::settings::{FinapiTarget, Settings};
use finapi::FinapiEnvironment;
use finapi::{ClientConfigurationParams, ClientSetting, InvalidSetting, SettingKind, SettingProblem, SettingValue};
use finapi_emulator::clock::SystemClock;
use secrecy::ExposeSecret;
use std::sync::Arc;
use url::Url;

pub const USAGE: &str = "usage:
  onboarding-proxy                                        serve the form and its API (the default)
  onboarding-proxy client-configuration [--tenant ID]     show the finAPI app client's configuration
  onboarding-proxy client-configuration set KEY=VALUE... [--tenant ID]
      KEY: userNotificationCallbackUrl, userSynchronizationCallbackUrl (\"\" clears; https on finAPI live),
           refreshTokensValidityPeriod, userAccessTokensValidityPeriod, clientAccessTokensValidityPeriod
           (seconds, >= 60, or 0 = never expires), finTSProductRegistrationNumber, betaBanksEnabled
  onboarding-proxy users list                             list the mandator's users (mandator admin client)
  onboarding-proxy users delete ID...                     delete users (mandator admin client)";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Serve,
    Help,
    ShowConfiguration {
        tenant: Option<String>,
    },
    ChangeConfiguration {
        tenant: Option<String>,
        changes: Vec<(String, String)>,
    },
    ListUsers,
    DeleteUsers {
        user_ids: Vec<String>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("{0}\n\n{USAGE}")]
    Usage(String),
    #[error("{0}")]
    Settings(String),
    #[error("{key}: {problem}")]
    InvalidChange { key: String, problem: String },
    #[error(transparent)]
    Finapi(#[from] FinapiError),
}

/// The command in `args` (without the program name).
pub fn parse(args: &[String]) -> Result<Command, OperatorError> {
    let (tenant, args) = take_tenant(args)?;
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] if tenant.is_none() => Ok(Command::Serve),
        ["help"] | ["--help"] | ["-h"] => Ok(Command::Help),
        ["client-configuration"] => Ok(Command::ShowConfiguration { tenant }),
        ["client-configuration", "set", changes @ ..] if !changes.is_empty() => {
            let changes = changes
                .iter()
                .map(|change| {
                    change
                        .split_once('=')
                        .map(|(key, value)| (key.to_owned(), value.to_owned()))
                        .ok_or_else(|| OperatorError::Usage(format!("{change:?} is not KEY=VALUE")))
                })
                .collect::<Result<_, _>>()?;
            Ok(Command::ChangeConfiguration { tenant, changes })
        }
        ["users", "list"] => Ok(Command::ListUsers),
        ["users", "delete", ids @ ..] if !ids.is_empty() => Ok(Command::DeleteUsers {
            user_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
        }),
        _ => Err(OperatorError::Usage(format!("unknown command: {}", args.join(" ")))),
    }
}

fn take_tenant(args: &[String]) -> Result<(Option<String>, Vec<String>), OperatorError> {
    let mut rest = Vec::new();
    let mut tenant = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--tenant" {
            let id = args
                .next()
                .ok_or_else(|| OperatorError::Usage("--tenant needs an id".into()))?;
            tenant = Some(id.clone());
        } else {
            rest.push(arg.clone());
        }
    }
    Ok((tenant, rest))
}

/// Runs a one-shot command and returns what to print.
pub async fn run(command: Command, settings: &Settings) -> Result<String, OperatorError> {
    match command {
        Command::Serve => Ok(String::new()),
        Command::Help => Ok(USAGE.to_owned()),
        Command::ShowConfiguration { tenant } => {
            let client = app_client(settings, tenant.as_deref())?;
            let configuration = client.configuration(&RequestId::generate()).await?;
            Ok(serde_json::to_string_pretty(&configuration).unwrap_or_default())
        }
        Command::ChangeConfiguration { tenant, changes } => {
            let client = app_client(settings, tenant.as_deref())?;
            let params = checked_changes(&changes, crate::startup_check::finapi_environment(&client))?;
            let request_id = RequestId::generate();
            let finapi = client.finapi();
            let (params, request_id) = (&params, &request_id);
            let changed = client
                .with_client_token(request_id, |token| async move {
                    finapi
                        .change_client_configuration(token.expose_secret(), params, request_id)
                        .await
                })
                .await?;
            Ok(serde_json::to_string_pretty(&changed).unwrap_or_default())
        }
        Command::ListUsers => list_users(&admin_client(settings)?).await,
        Command::DeleteUsers { user_ids } => {
            let admin = admin_client(settings)?;
            let request_id = RequestId::generate();
            let token = admin.client_token(&request_id).await?;
            let result = admin
                .finapi()
                .delete_users(token.expose_secret(), &user_ids, &request_id)
                .await?;
            Ok(format!(
                "deleted: {}\nnot deleted: {}",
                result.deleted_users.join(" "),
                result.non_deleted_users.join(" ")
            ))
        }
    }
}

async fn list_users(admin: &ClientAuth) -> Result<String, OperatorError> {
    let request_id = RequestId::generate();
    let token = admin.client_token(&request_id).await?;
    let mut lines = vec!["userId\tregistrationDate\tlastActiveDate\tlocked".to_owned()];
    for page in 1.. {
        let list = admin
            .finapi()
            .user_list(token.expose_secret(), page, &request_id)
            .await?;
        for user in &list.users {
            lines.push(format!(
                "{}\t{}\t{}\t{}",
                user.user_id,
                user.registration_date,
                user.last_active_date.as_deref().unwrap_or("-"),
                user.is_locked
            ));
        }
        if i64::from(page) >= i64::from(list.paging.page_count) {
            break;
        }
    }
    Ok(lines.join("\n"))
}

/// finAPI's PATCH rules (the shared [`finapi::client_configuration`]), checked before anything is sent,
/// naming the key that breaks one; callback URLs must be https against finAPI live.
pub fn checked_changes(
    changes: &[(String, String)],
    environment: FinapiEnvironment,
) -> Result<ClientConfigurationParams, OperatorError> {
    let mut params = ClientConfigurationParams::default();
    for (key, text) in changes {
        let setting = ClientSetting::parse(key)?;
        let value = match setting.kind() {
            SettingKind::ValidityPeriod => text.parse().ok().map(SettingValue::Seconds),
            SettingKind::CallbackUrl | SettingKind::FinTsNumber => Some(SettingValue::Text(text.clone())),
            SettingKind::Flag => text.parse().ok().map(SettingValue::Flag),
        }
        .ok_or_else(|| InvalidSetting::new(key.as_str(), SettingProblem::WrongType(setting.kind())))?;
        params.set(setting, value)?;
    }
    params.validate(environment)?;
    Ok(params)
}

impl From<InvalidSetting> for OperatorError {
    fn from(invalid: InvalidSetting) -> Self {
        let hint = match invalid.problem {
            SettingProblem::AdministeredByFinapi | SettingProblem::NotAField => {
                " (see the settings a client may change in the usage)"
            }
            _ => "",
        };
        OperatorError::InvalidChange {
            key: invalid.field,
            problem: format!("{}{hint}", invalid.problem),
        }
    }
}

fn finapi_urls(settings: &Settings) -> Result<(Url, Url), OperatorError> {
    match &settings.finapi {
        FinapiTarget::Remote {
            access_url,
            web_form_url,
            ..
        } => Ok((access_url.clone(), web_form_url.clone())),
        FinapiTarget::EmbeddedEmulator { .. } => Err(OperatorError::Settings(
            "operator commands act on a running finAPI: set FINAPI_ACCESS_URL (and the client settings)".into(),
        )),
    }
}

fn client_auth(settings: &Settings, credentials: ClientCredentials) -> Result<ClientAuth, OperatorError> {
    let (access_url, web_form_url) = finapi_urls(settings)?;
    Ok(ClientAuth::new(
        FinapiClient::new(access_url, web_form_url, credentials),
        Arc::new(SystemClock),
    ))
}

/// The app client of the default tenant, or of `--tenant`.
fn app_client(settings: &Settings, tenant: Option<&str>) -> Result<ClientAuth, OperatorError> {
    let credentials = match (tenant, &settings.finapi) {
        (Some(id), _) => {
            let tenant = settings
                .tenants
                .iter()
                .find(|t| t.id == id)
                .ok_or_else(|| OperatorError::Settings(format!("no tenant {id:?} in PROXY_TENANTS_FILE")))?;
            ClientCredentials {
                client_id: tenant.client_id.clone(),
                client_secret: tenant.client_secret.clone(),
            }
        }
        (
            None,
            FinapiTarget::Remote {
                client_id,
                client_secret,
                ..
            },
        ) => ClientCredentials {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
        },
        (None, FinapiTarget::EmbeddedEmulator { .. }) => return Err(finapi_urls(settings).unwrap_err()),
    };
    client_auth(settings, credentials)
}

fn admin_client(settings: &Settings) -> Result<ClientAuth, OperatorError> {
    let credentials = settings.mandator_admin.clone().ok_or_else(|| {
        OperatorError::Settings(
            "the user commands need the mandator admin client: set FINAPI_ADMIN_CLIENT_ID and FINAPI_ADMIN_CLIENT_SECRET"
                .into(),
        )
    })?;
    client_auth(settings, credentials)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn commands_are_read_and_bad_ones_explained() {
        assert_eq!(parse(&[]).unwrap(), Command::Serve);
        assert_eq!(
            parse(&args("client-configuration --tenant acme")).unwrap(),
            Command::ShowConfiguration {
                tenant: Some("acme".into())
            }
        );
        assert_eq!(
            parse(&args("users delete a b")).unwrap(),
            Command::DeleteUsers {
                user_ids: vec!["a".into(), "b".into()]
            }
        );
        assert!(parse(&args("users remove a"))
            .unwrap_err()
            .to_string()
            .contains("usage"));
        assert!(parse(&args("client-configuration set nonsense")).is_err());
    }

    #[test]
    fn changes_follow_finapis_rules() {
        let ok = checked_changes(
            &[
                ("userAccessTokensValidityPeriod".into(), "0".into()),
                ("userSynchronizationCallbackUrl".into(), "".into()),
                ("betaBanksEnabled".into(), "true".into()),
            ],
            FinapiEnvironment::Live,
        )
        .unwrap();
        assert_eq!(ok.user_access_tokens_validity_period, Some(0));
        assert_eq!(ok.user_synchronization_callback_url.as_deref(), Some(""));
        for (key, value) in [
            ("userAccessTokensValidityPeriod", "59"),
            ("userAccessTokensValidityPeriod", "sixty"),
            ("userNotificationCallbackUrl", "ftp://x"),
            ("finTSProductRegistrationNumber", "abc"),
            ("betaBanksEnabled", "yes"),
            ("maxUserLoginAttempts", "5"),
            ("applicationName", "x"),
        ] {
            let error = checked_changes(&[(key.into(), value.into())], FinapiEnvironment::Sandbox).unwrap_err();
            assert!(error.to_string().starts_with(&format!("{key}: ")), "{error}");
        }
    }

    #[test]
    fn http_callback_urls_are_refused_against_finapi_live_only() {
        let change = [(
            "userNotificationCallbackUrl".to_owned(),
            "http://partner.example/n".to_owned(),
        )];
        assert!(checked_changes(&change, FinapiEnvironment::Sandbox).is_ok());
        let error = checked_changes(&change, FinapiEnvironment::Live).unwrap_err();
        assert!(error.to_string().contains("https"), "{error}");
    }
}
