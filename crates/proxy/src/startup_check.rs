//! What the proxy checks before it serves: the configured client must be finAPI's **app** client.
//! A mandator admin client can create no users and get no user tokens, so the flow could never work;
//! saying so at start-up saves an operator from debugging 403s.

use crate::app::CallbackSettings;
use crate::client_auth::ClientAuth;
use crate::finapi_client::FinapiError;
use crate::request_id::RequestId;
use crate::tenants::Tenant;
use finapi::{ClientConfigurationParams, Product};
use secrecy::ExposeSecret;
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

/// Refuses a mandator admin client; warns when the Web Form product is missing. An unreachable finAPI
/// is only a warning: `/readyz` reports it until finAPI answers.
pub async fn check_client(client_auth: &ClientAuth) -> Result<(), StartupError> {
    let configuration = match client_auth.configuration(&RequestId::generate()).await {
        Ok(configuration) => configuration,
        Err(error) => {
            tracing::warn!(%error, "could not read the client configuration at start-up; /readyz reports when finAPI answers");
            return Ok(());
        }
    };
    if configuration.is_mandator_admin {
        return Err(StartupError::MandatorAdminClient);
    }
    if !configuration.products.contains(&Product::WebForm) {
        tracing::warn!("the client lacks the WEB_FORM product: the done step cannot offer the bank connection");
    }
    Ok(())
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

/// The start-up checks of one tenant: [`check_client`], a warning for http callback URLs against finAPI
/// live, and the registration of the proxy's callbacks when they are configured.
pub async fn check_tenant(tenant: &Tenant, callbacks: &Option<CallbackSettings>) -> Result<(), StartupError> {
    let span = tracing::info_span!("start-up check", tenant = %tenant.id);
    check_tenant_in_span(tenant, callbacks).instrument(span).await
}

async fn check_tenant_in_span(tenant: &Tenant, callbacks: &Option<CallbackSettings>) -> Result<(), StartupError> {
    check_client(&tenant.client_auth)
        .await
        .map_err(|error| StartupError::Tenant {
            tenant: tenant.id.clone(),
            error: Box::new(error),
        })?;
    warn_about_http_callbacks(&tenant.client_auth).await;
    if let Some(callbacks) = callbacks {
        if let Err(error) = register_tenant_callbacks(&tenant.client_auth, callbacks, &tenant.path_prefix()).await {
            tracing::warn!(%error, "could not register the user synchronization callback with finAPI");
        }
    }
    Ok(())
}

/// finAPI live only calls https callback URLs; an http one configured there is a mistake to see early.
async fn warn_about_http_callbacks(client_auth: &ClientAuth) {
    let finapi = client_auth.finapi();
    if !finapi.is_finapi_live() {
        return;
    }
    let Ok(configuration) = client_auth.configuration(&RequestId::generate()).await else {
        return;
    };
    let urls = [
        configuration.user_notification_callback_url,
        configuration.user_synchronization_callback_url,
    ];
    if urls.iter().flatten().any(|url| url.starts_with("http://")) {
        tracing::warn!("the client has an http:// callback URL against finAPI live, which calls https only");
    }
}
