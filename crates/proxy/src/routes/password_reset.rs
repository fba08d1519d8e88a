//! Locked users get back in (finAPI locks a user after too many failed logins; only a password change
//! unlocks). `POST /api/password-resets` answers `202` at once, the same for every id, and does the work in
//! the background, so neither the answer nor its timing tells whether the id exists or has an email
//! (ASVS 6.3.8): finAPI's `requestPasswordChange`, the token and email decrypted with the tenant's data
//! decryption key, a one-time link (30 minutes) emailed. `POST /api/password-resets/execute` sets the new
//! password with finAPI's `executePasswordChange`; finAPI then unlocks the user and revokes all their
//! tokens, and the proxy ends their sessions. Both are rate limited.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::client_ip::ClientIp;
use crate::error::ApiFailure;
use crate::finapi_client::FinapiError;
use crate::mail::Language;
use crate::rate_limit::Action;
use crate::request_id::RequestId;
use crate::secure_random;
use crate::tenants::{CurrentTenant, Tenant};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use finapi::{ExecutePasswordChangeParams, Password, PasswordPolicy, UserId};
use finapi_emulator::data_encryption::decrypt;
use onboarding_api::{ApiErrorCode, FieldProblem, FormField, PasswordResetExecution, PasswordResetRequest};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::Duration;

/// How long a reset link works.
pub const RESET_LINK_LIFETIME: Duration = Duration::minutes(30);

/// What a reset link's code stands for, in the store.
#[derive(Serialize, Deserialize)]
struct PendingReset {
    tenant: String,
    user_id: String,
    /// finAPI's password change token, decrypted: it unlocks the account, so it stays in the store.
    finapi_token: String,
}

pub async fn request_reset(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    client_ip: ClientIp,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> Result<StatusCode, ApiFailure> {
    state
        .rate_limiter
        .check(Action::PasswordReset, &client_ip, Some(&request.id))
        .await?;
    if let Ok(user_id) = UserId::parse(&request.id) {
        let language = Language::from_code(request.language.as_deref());
        tokio::spawn(send_reset_link(
            state,
            tenant,
            user_id.as_str().to_owned(),
            language,
            request_id,
        ));
    }
    Ok(StatusCode::ACCEPTED)
}

pub async fn execute_reset(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    client_ip: ClientIp,
    ApiJson(request): ApiJson<PasswordResetExecution>,
) -> Result<StatusCode, ApiFailure> {
    state
        .rate_limiter
        .check(Action::PasswordReset, &client_ip, None)
        .await?;
    let password = Password::parse(&request.password, PasswordPolicy::ONBOARDING).map_err(|problem| {
        ApiFailure::invalid_input(vec![FieldProblem {
            field: FormField::Password,
            problem,
        }])
    })?;
    let reset_key = key(&request.code);
    let pending = state
        .store
        .get(&reset_key)
        .await?
        .and_then(|json| serde_json::from_str::<PendingReset>(&json).ok())
        .filter(|pending| pending.tenant == tenant.id)
        .ok_or(ApiFailure::new(ApiErrorCode::ResetLinkInvalid))?;
    let params = ExecutePasswordChangeParams {
        user_id: pending.user_id.clone(),
        password: password.expose().to_owned(),
        password_change_token: pending.finapi_token.clone(),
    };
    let finapi = tenant.client_auth.finapi();
    let (params, request_id) = (&params, &request_id);
    tenant
        .client_auth
        .with_client_token(request_id, |token| async move {
            finapi
                .execute_password_change(token.expose_secret(), params, request_id)
                .await
        })
        .await
        .map_err(execution_failure)?;
    state.store.take(&reset_key).await?;
    // finAPI revoked every token of the user: sessions holding them are of no use any more.
    state.sessions.end_all_of(&tenant.id, &pending.user_id).await?;
    tracing::info!(user_id = %pending.user_id, "password reset: new password set, account unlocked");
    Ok(StatusCode::NO_CONTENT)
}

/// A token finAPI no longer takes (a newer request replaced it) or an unknown user: the link is dead.
fn execution_failure(error: FinapiError) -> ApiFailure {
    match error.status() {
        Some(StatusCode::BAD_REQUEST) | Some(StatusCode::NOT_FOUND) => {
            tracing::info!(%error, "password reset refused by finAPI");
            ApiFailure::new(ApiErrorCode::ResetLinkInvalid)
        }
        _ => error.into(),
    }
}

/// The background part of a reset request. Every way it can end is logged (without the email address,
/// the tokens or the link), never answered.
async fn send_reset_link(
    state: AppState,
    tenant: Arc<Tenant>,
    user_id: String,
    language: Language,
    request_id: RequestId,
) {
    let (Some(mailer), Some(decryption_key)) = (state.mailer.clone(), tenant.data_decryption_key.as_ref()) else {
        tracing::error!("a password reset was asked for, but email or the data decryption key is not set up");
        return;
    };
    let finapi = tenant.client_auth.finapi();
    let (user, request_id) = (user_id.as_str(), &request_id);
    let resource = tenant
        .client_auth
        .with_client_token(request_id, |token| async move {
            finapi
                .request_password_change(token.expose_secret(), user, request_id)
                .await
        })
        .await;
    let resource = match resource {
        Ok(resource) => resource,
        Err(error)
            if matches!(
                error.status(),
                Some(StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY)
            ) =>
        {
            tracing::info!("password reset for an unknown or unverified id: nothing sent");
            return;
        }
        Err(error) => {
            tracing::warn!(%error, "password reset: finAPI failed");
            return;
        }
    };
    let Ok(finapi_token) = decrypt(decryption_key, &resource.password_change_token).map(SecretString::from) else {
        tracing::error!("password reset: the token does not decrypt: check the tenant's data decryption key");
        return;
    };
    let Some(email) = resource
        .user_email
        .as_deref()
        .and_then(|e| decrypt(decryption_key, e).ok())
    else {
        tracing::info!(user_id = %resource.user_id, "password reset: no email address on file; the form shows the support contact");
        return;
    };
    let code = secure_random::token();
    let pending = PendingReset {
        tenant: tenant.id.clone(),
        user_id: resource.user_id.clone(),
        finapi_token: finapi_token.expose_secret().to_owned(),
    };
    let stored = match serde_json::to_string(&pending) {
        Ok(json) => state.store.put(&key(&code), &json, RESET_LINK_LIFETIME).await,
        Err(error) => Err(crate::store::StoreError(error.to_string())),
    };
    if let Err(error) = stored {
        tracing::error!(%error, "password reset: could not keep the link");
        return;
    }
    let link = mailer.reset_link(&tenant.path_prefix(), &code);
    match mailer.send_reset_link(&email, &link, language).await {
        Ok(()) => tracing::info!(user_id = %resource.user_id, "password reset link sent"),
        Err(error) => tracing::error!(%error, "password reset: the email was not sent"),
    }
}

fn key(code: &str) -> String {
    format!("reset:{code}")
}
