//! What the proxy checks before it serves: the configured client must be finAPI's **app** client.
//! A mandator admin client can create no users and get no user tokens, so the flow could never work;
//! saying so at start-up saves an operator from debugging 403s.

use crate::client_auth::ClientAuth;
use crate::request_id::RequestId;
use finapi::Product;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
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
