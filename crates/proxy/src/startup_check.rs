//! What the proxy checks before it serves: the configured client must be finAPI's **app** client.
//! A mandator admin client can create no users and get no user tokens, so the flow could never work;
//! saying so at start-up saves an operator from debugging 403s. What would only hamper the flow (no Web
//! Form product, callback URLs finAPI live will not call) is a [`StartupWarning`]: logged, and returned to
//! whoever asks ([`check_tenant_in`]).

use crate::app::CallbackSettings;
use crate::client_auth::ClientAuth;
use crate::finapi_client::FinapiError;
use crate::request_id::RequestId;
use crate::tenants::Tenant;
use finapi::{ClientConfiguration, ClientConfigurationParams, FinapiEnvironment, InvalidSetting, Product};
use secrecy::ExposeSecret;
use std::fmt;
use tracing::Instrument;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("tenant {tenant:?}: {error}")]
    Tenant {
        tenant: String,
        #[source]
        error: Box<StartupError>,
    },
    #[error(
        "FINAPI_CLIENT_ID names a mandator admin client. The onboarding flow needs the app client: only it can \
         create users and get user tokens. The mandator admin client is for Mandator Administration (listing and \
         deleting users, client credentials); use the app client's id and secret instead."
    )]
    MandatorAdminClient,
}

/// Something an operator should see at start-up; the proxy serves anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartupWarning {
    /// finAPI did not answer (or not as expected); `/readyz` reports it until it does.
    ConfigurationUnreadable(String),
    /// The client lacks the `WEB_FORM` product: the done step cannot offer the bank connection.
    NoWebFormProduct,
    /// A callback URL finAPI will not call in this environment (an `http://` one against finAPI live).
    CallbackUrl(InvalidSetting),
    /// One of the tenant's return URLs the Web Form will refuse in this environment (an `http://` one
    /// against finAPI live, whose `redirectUrl` must be https).
    ReturnUrl(String),
    /// The proxy's user synchronization callback could not be registered.
    CallbackNotRegistered(String),
}

impl fmt::Display for StartupWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartupWarning::ConfigurationUnreadable(error) => write!(
                f,
                "could not read the client configuration at start-up ({error}); /readyz reports when finAPI answers"
            ),
            StartupWarning::NoWebFormProduct => {
                f.write_str("the client lacks the WEB_FORM product: the done step cannot offer the bank connection")
            }
            // The field and finAPI's rule; never the URL itself (a callback URL may hold a secret).
            StartupWarning::CallbackUrl(invalid) => write!(
                f,
                "the client's {} is a callback URL finAPI will not call: it {}",
                invalid.field, invalid.problem
            ),
            StartupWarning::ReturnUrl(url) => write!(
                f,
                "the return URL {url} is not https: finAPI live's Web Form refuses it, so no Web Form can be \
                 created with it"
            ),
            StartupWarning::CallbackNotRegistered(error) => {
                write!(
                    f,
                    "could not register the user synchronization callback with finAPI: {error}"
                )
            }
        }
    }
}

/// The environment the client's finAPI is: live for finAPI's production hosts, else the sandbox (the
/// emulator included).
pub fn finapi_environment(client_auth: &ClientAuth) -> FinapiEnvironment {
    if client_auth.finapi().is_finapi_live() {
        FinapiEnvironment::Live
    } else {
        FinapiEnvironment::Sandbox
    }
}

/// The start-up rules for one client configuration in `environment`: an error for a mandator admin
/// client; a warning for a missing Web Form product and for each callback URL the environment will not
/// call (finAPI's own callback URL rule, [`ClientConfigurationParams::validate`]).
pub fn review_configuration(
    configuration: &ClientConfiguration,
    environment: FinapiEnvironment,
) -> Result<Vec<StartupWarning>, StartupError> {
    if configuration.is_mandator_admin {
        return Err(StartupError::MandatorAdminClient);
    }
    let mut warnings = Vec::new();
    if !configuration.products.contains(&Product::WebForm) {
        warnings.push(StartupWarning::NoWebFormProduct);
    }
    let callback_urls = ClientConfigurationParams {
        user_notification_callback_url: configuration.user_notification_callback_url.clone(),
        user_synchronization_callback_url: configuration.user_synchronization_callback_url.clone(),
        ..Default::default()
    };
    warnings.extend(
        callback_urls
            .problems(environment)
            .into_iter()
            .map(StartupWarning::CallbackUrl),
    );
    Ok(warnings)
}

/// Refuses a mandator admin client; warns when the Web Form product is missing. An unreachable finAPI
/// is only a warning: `/readyz` reports it until finAPI answers.
pub async fn check_client(client_auth: &ClientAuth) -> Result<(), StartupError> {
    for warning in client_warnings(client_auth, finapi_environment(client_auth)).await? {
        tracing::warn!("{warning}");
    }
    Ok(())
}

async fn client_warnings(
    client_auth: &ClientAuth,
    environment: FinapiEnvironment,
) -> Result<Vec<StartupWarning>, StartupError> {
    match client_auth.configuration(&RequestId::generate()).await {
        Ok(configuration) => review_configuration(&configuration, environment),
        Err(error) => Ok(vec![StartupWarning::ConfigurationUnreadable(error.to_string())]),
    }
}

/// Points the client's `userSynchronizationCallbackUrl` at this proxy, unless it does already. The URL
/// holds the callback secret: it is never logged.
pub async fn register_callbacks(client_auth: &ClientAuth, callbacks: &CallbackSettings) -> Result<(), FinapiError> {
    register_tenant_callbacks(client_auth, callbacks, "").await
}

/// [`register_callbacks`] for the tenant whose URLs start with `tenant_prefix`.
pub async fn register_tenant_callbacks(
    client_auth: &ClientAuth,
    callbacks: &CallbackSettings,
    tenant_prefix: &str,
) -> Result<(), FinapiError> {
    let request_id = RequestId::generate();
    let wanted = callbacks.user_synchronization_url(tenant_prefix);
    let configuration = client_auth.configuration(&request_id).await?;
    if configuration.user_synchronization_callback_url.as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    let params = ClientConfigurationParams {
        user_synchronization_callback_url: Some(wanted),
        ..Default::default()
    };
    let finapi = client_auth.finapi();
    client_auth
        .with_client_token(&request_id, |token| {
            let params = params.clone();
            let request_id = request_id.clone();
            async move {
                finapi
                    .change_client_configuration(token.expose_secret(), &params, &request_id)
                    .await
            }
        })
        .await?;
    tracing::info!("registered the proxy's user synchronization callback with finAPI");
    Ok(())
}

/// The start-up checks of one tenant against its finAPI ([`check_tenant_in`]), warnings logged.
pub async fn check_tenant(tenant: &Tenant, callbacks: &Option<CallbackSettings>) -> Result<(), StartupError> {
    check_tenant_in(tenant, callbacks, finapi_environment(&tenant.client_auth))
        .await
        .map(|_| ())
}

/// The start-up checks of one tenant as if its finAPI were `environment`: [`review_configuration`], the
/// tenant's return URLs against the Web Form's scheme rule, then the registration of the proxy's callbacks
/// when they are configured. Each warning is logged (in a span
/// naming the tenant) and returned.
pub async fn check_tenant_in(
    tenant: &Tenant,
    callbacks: &Option<CallbackSettings>,
    environment: FinapiEnvironment,
) -> Result<Vec<StartupWarning>, StartupError> {
    let span = tracing::info_span!("start-up check", tenant = %tenant.id);
    check_tenant_in_span(tenant, callbacks, environment)
        .instrument(span)
        .await
}

async fn check_tenant_in_span(
    tenant: &Tenant,
    callbacks: &Option<CallbackSettings>,
    environment: FinapiEnvironment,
) -> Result<Vec<StartupWarning>, StartupError> {
    let mut warnings = client_warnings(&tenant.client_auth, environment)
        .await
        .map_err(|error| StartupError::Tenant {
            tenant: tenant.id.clone(),
            error: Box::new(error),
        })?;
    warnings.extend(
        tenant
            .allowed_return_urls
            .iter()
            .filter(|url| !environment.allows_scheme(url.scheme()))
            .map(|url| StartupWarning::ReturnUrl(url.to_string())),
    );
    if let Some(callbacks) = callbacks {
        if let Err(error) = register_tenant_callbacks(&tenant.client_auth, callbacks, &tenant.path_prefix()).await {
            warnings.push(StartupWarning::CallbackNotRegistered(error.to_string()));
        }
    }
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    Ok(warnings)
}
