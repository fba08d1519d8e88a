//! Step 2, user creation: `POST /api/users` → finAPI `POST /api/v2/users` with the client token.
//! The request is checked again with the same rules the form ran; when the client does not verify new
//! users automatically, the proxy verifies the new user right away, so the person can log in. Sign-ups
//! are rate limited per IP and per id.
//!
//! **A lost answer.** finAPI may create the user and the answer never arrive (a timeout, a connection
//! reset, a gateway's 5xx after the work was done). finAPI has no idempotency key, so the proxy makes the
//! sign-up idempotent itself:
//!
//! 1. before it asks finAPI, it notes a *pending sign-up* in the store under the tenant and a fingerprint
//!    of id (any case) and password (HMAC keyed with the client secret — never the password itself), kept
//!    for a day;
//! 2. an uncertain failure (no answer, 5xx, an answer cut short) that came quickly is retried once at
//!    once; otherwise the person sees `FINAPI_UNAVAILABLE` and retries;
//! 3. when a create answers `ENTITY_EXISTS` and a sign-up with this id and password was noted before (by an
//!    earlier request, or by this one before an uncertain failure), the user may be the one an earlier
//!    attempt created: the proxy asks finAPI's
//!    `password` grant with that password. If finAPI takes it (or answers "not verified", which it only does
//!    for the right password), the person owns the user: it is verified if need be and the sign-up
//!    succeeds. Otherwise — another person's id, or the password changed since — `USER_ID_TAKEN`, and the
//!    note goes (an `ENTITY_EXISTS` without a note also removes this request's note). A sign-up that
//!    succeeds removes its note too: submitted again, the id is taken.
//!
//! So a person who retries ends with exactly one user that takes their password; an id taken by someone
//! else still answers `USER_ID_TAKEN` (the password grant is only tried after an uncertain attempt with the
//! same id and password, so a stranger cannot use sign-up to guess passwords or to count failed logins
//! against another's user). The
//! whole sign-up has a deadline ([`SIGN_UP_DEADLINE`]): past it the person gets `FINAPI_UNAVAILABLE`
//! instead of a hang; the pending note makes the retry safe.

use crate::api_json::ApiJson;
use crate::app::AppState;
use crate::client_ip::ClientIp;
use crate::error::ApiFailure;
use crate::finapi_client::FinapiError;
use crate::rate_limit::Action;
use crate::request_id::RequestId;
use crate::tenants::{CurrentTenant, Tenant};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use finapi::User;
use onboarding_api::{ApiErrorCode, CreateUserRequest, CreatedUser, ValidSignUp};
use secrecy::ExposeSecret;
use std::time::{Duration, Instant};

/// The longest a sign-up takes before the person is told finAPI is unavailable (one finAPI call's timeout
/// is 20 s; a sign-up makes up to five).
pub const SIGN_UP_DEADLINE: Duration = Duration::from_secs(25);
/// An uncertain failure of the create is retried at once only if it came within this time.
const RETRY_IF_FAILED_WITHIN: Duration = Duration::from_secs(5);
/// How long a pending sign-up is remembered: a person retrying the next day still gets their user.
const PENDING_SIGN_UP_LIFETIME: time::Duration = time::Duration::hours(24);

pub async fn create_user(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Extension(request_id): Extension<RequestId>,
    client_ip: ClientIp,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<CreatedUser>), ApiFailure> {
    state
        .rate_limiter
        .check(Action::SignUp, &client_ip, Some(&request.id))
        .await?;
    let sign_up = request.validate().map_err(ApiFailure::invalid_input)?;
    match tokio::time::timeout(
        SIGN_UP_DEADLINE,
        sign_up_at_finapi(&state, &tenant, &sign_up, &request_id),
    )
    .await
    {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(user_id = %sign_up.id, "sign-up past its deadline: finAPI too slow");
            Err(ApiFailure::new(ApiErrorCode::FinapiUnavailable))
        }
    }
}

async fn sign_up_at_finapi(
    state: &AppState,
    tenant: &Tenant,
    sign_up: &ValidSignUp,
    request_id: &RequestId,
) -> Result<(StatusCode, Json<CreatedUser>), ApiFailure> {
    let configuration = tenant.client_auth.configuration(request_id).await?;
    if sign_up.auto_update && !configuration.is_automatic_batch_update_enabled {
        // The form only offers the choice when the client allows it.
        return Err(ApiFailure::new(ApiErrorCode::MalformedRequest));
    }
    let finapi = tenant.client_auth.finapi();
    let (id, password) = (sign_up.id.as_str(), sign_up.password.expose());
    // Noted per id and password: a stranger's attempt neither replaces nor matches the person's note.
    let pending = pending_key(&tenant.id, &finapi.sign_up_fingerprint(id, password));
    // Whether an earlier sign-up with this id and password may have created the user.
    let mut maybe_created = state.store.get(&pending).await?.is_some();
    state
        .store
        .put(&pending, &id.to_ascii_lowercase(), PENDING_SIGN_UP_LIFETIME)
        .await?;
    let params = &sign_up.to_finapi();
    let mut retried = false;
    let user_id = loop {
        let started = Instant::now();
        match create(tenant, params, request_id).await {
            Ok(user) => break user.id,
            Err(error) if error.is(StatusCode::UNPROCESSABLE_ENTITY, "ENTITY_EXISTS") => {
                let claimed = match maybe_created {
                    true => claim(tenant, id, password, request_id).await,
                    false => Err(ApiFailure::new(ApiErrorCode::UserIdTaken)),
                };
                // Settled (taken over, or certainly not this person's): a repeat must not try the password
                // again. Only an answer lost again keeps the note.
                let unsettled = claimed.as_ref().is_err_and(|failure| {
                    matches!(
                        failure.error.error,
                        ApiErrorCode::FinapiUnavailable | ApiErrorCode::Unexpected
                    )
                });
                if !unsettled {
                    state.store.take(&pending).await?;
                }
                claimed?;
                tracing::info!(user_id = %id, "sign-up retried: the user an earlier attempt created is taken over");
                return Ok((StatusCode::CREATED, Json(CreatedUser { id: id.to_owned() })));
            }
            Err(error) if error.is_uncertain() && !retried && started.elapsed() < RETRY_IF_FAILED_WITHIN => {
                tracing::warn!(%error, "user creation failed uncertainly: trying once more");
                maybe_created = true;
                retried = true;
            }
            Err(error) => return Err(error.into()),
        }
    };
    if !configuration.is_user_auto_verification_enabled {
        verify(tenant, &user_id, request_id).await?;
    }
    // Done: from now on the id is taken, for this person too (they log in).
    state.store.take(&pending).await?;
    tracing::info!(user_id = %user_id, "user created");
    Ok((StatusCode::CREATED, Json(CreatedUser { id: user_id })))
}

async fn create(
    tenant: &Tenant,
    params: &finapi::UserCreateParams,
    request_id: &RequestId,
) -> Result<User, FinapiError> {
    let finapi = tenant.client_auth.finapi();
    tenant
        .client_auth
        .with_client_token(request_id, |token| async move {
            finapi.create_user(token.expose_secret(), params, request_id).await
        })
        .await
}

/// The id exists and an earlier sign-up with this id and password may have created it: the person owns
/// it if finAPI takes the password. Verifies it if the earlier attempt did not get that far.
async fn claim(tenant: &Tenant, user_id: &str, password: &str, request_id: &RequestId) -> Result<(), ApiFailure> {
    let logged_in = tenant
        .client_auth
        .finapi()
        .user_token(user_id, password, request_id)
        .await;
    match logged_in {
        // The token is left to expire: the person logs in next and gets it (or a new one) anyway.
        Ok(_) => Ok(()),
        Err(error) if error.is(StatusCode::FORBIDDEN, "USER_NOT_VERIFIED") => verify(tenant, user_id, request_id).await,
        Err(error) => match error.status() {
            // Bad credentials: the id is someone else's (or the password was changed since).
            Some(StatusCode::BAD_REQUEST) => Err(ApiFailure::new(ApiErrorCode::UserIdTaken)),
            Some(StatusCode::LOCKED) => Err(ApiFailure::new(ApiErrorCode::AccountLocked)),
            _ => Err(error.into()),
        },
    }
}

/// The store key of a pending sign-up: per tenant, per fingerprint of id (any case) and password.
fn pending_key(tenant: &str, fingerprint: &str) -> String {
    format!("pending-sign-up:{tenant}:{fingerprint}")
}

/// `POST /api/v2/users/verify/{userId}`; an already verified user is fine.
pub async fn verify(tenant: &Tenant, user_id: &str, request_id: &RequestId) -> Result<(), ApiFailure> {
    let finapi = tenant.client_auth.finapi();
    let verified = tenant
        .client_auth
        .with_client_token(request_id, |token| async move {
            finapi.verify_user(token.expose_secret(), user_id, request_id).await
        })
        .await;
    match verified {
        Err(error) if !error.is(StatusCode::UNPROCESSABLE_ENTITY, "USER_ALREADY_VERIFIED") => Err(error.into()),
        _ => Ok(()),
    }
}
