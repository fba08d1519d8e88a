//! `POST /api/v2/oauth/token` (the `client_credentials`, `password` and `refresh_token` grants) and
//! `POST /api/v2/oauth/revoke`.

use crate::call::Call;
use crate::errors::ApiError;
use crate::state::tokens::{InvalidRefreshToken, LoginError, TokenTypeHint};
use crate::state::{ClientIndex, ClientRole, Issued, Store};
use crate::EmulatorState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use finapi::{ErrorCode, GrantType, RevokeTokenRequest, TokenRequest};

pub async fn token(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    require_form_urlencoded(&call, &headers)?;
    let request: TokenRequest =
        serde_urlencoded::from_bytes(&body).map_err(|_| call.bad_request("The request body is not valid form data"))?;
    let grant = grant_type(request.grant_type.as_deref()).map_err(|m| call.bad_request(m))?;
    app.stats().record_token_request(grant);

    let mut store = app.store();
    let client = store
        .authenticate_client(
            request.client_id.as_deref().unwrap_or_default(),
            request.client_secret.as_deref().unwrap_or_default(),
        )
        .ok_or_else(ApiError::invalid_client)?;
    // The user is left out of authContext on purpose: an error must not tell whether a user exists.
    let call = call.with_auth_context(store.auth_context(Some(client), None));
    let issued = match grant {
        GrantType::ClientCredentials => store.client_token(client, call.now),
        GrantType::Password => password_grant(&mut store, &call, client, &request)?,
        GrantType::RefreshToken => refresh_grant(&mut store, &call, client, &request)?,
    };
    drop(store);
    Ok(token_response(issued))
}

fn password_grant(
    store: &mut Store,
    call: &Call,
    client: ClientIndex,
    request: &TokenRequest,
) -> Result<Issued, ApiError> {
    require_app_client(store, call, client)?;
    let username = request.username.as_deref().unwrap_or_default();
    let password = request.password.as_deref().unwrap_or_default();
    store
        .user_token(client, username, password, call.now)
        .map_err(|error| match error {
            LoginError::BadCredentials => call.access_error(
                StatusCode::BAD_REQUEST,
                ErrorCode::UnauthorizedAccess,
                "Bad credentials",
            ),
            LoginError::NotVerified => call.access_error(
                StatusCode::FORBIDDEN,
                ErrorCode::UserNotVerified,
                "User is not verified",
            ),
            LoginError::Locked => call.access_error(
                StatusCode::LOCKED,
                ErrorCode::Locked,
                "The requested resource is locked",
            ),
        })
}

fn refresh_grant(
    store: &mut Store,
    call: &Call,
    client: ClientIndex,
    request: &TokenRequest,
) -> Result<Issued, ApiError> {
    require_app_client(store, call, client)?;
    let refresh_token = request.refresh_token.as_deref().unwrap_or_default();
    store
        .refresh_user_token(client, refresh_token, call.now)
        .map_err(|InvalidRefreshToken| call.bad_request("Invalid refresh token"))
}

/// `POST /api/v2/oauth/revoke` with a client's token → 200, empty, whether or not the token was found
/// (finAPI's rule). A client revokes only tokens issued to it.
pub async fn revoke(
    call: Call,
    State(app): State<EmulatorState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let (call, caller) = app.access_caller(call, &headers)?;
    let client = caller.require_client(&call)?;
    require_form_urlencoded(&call, &headers)?;
    let request: RevokeTokenRequest =
        serde_urlencoded::from_bytes(&body).map_err(|_| call.bad_request("The request body is not valid form data"))?;
    let token = request
        .token
        .filter(|token| !token.is_empty())
        .ok_or_else(|| call.bad_request("Required parameter 'token' is missing"))?;
    let hint = match request.token_type_hint.as_deref() {
        None | Some("") => None,
        Some("access_token") => Some(TokenTypeHint::AccessToken),
        Some("refresh_token") => Some(TokenTypeHint::RefreshToken),
        Some(_) => return Err(call.bad_request("Unsupported token type hint")),
    };
    app.store().revoke(client, &token, hint);
    Ok(StatusCode::OK)
}

/// 415 unless the body is `application/x-www-form-urlencoded`.
fn require_form_urlencoded(call: &Call, headers: &HeaderMap) -> Result<(), ApiError> {
    if is_form_urlencoded(headers) {
        Ok(())
    } else {
        Err(call.access_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "The Content-Type must be 'application/x-www-form-urlencoded'",
        ))
    }
}

/// User grants are for app clients; an admin client "cannot be used for any user-related services".
fn require_app_client(store: &Store, call: &Call, client: ClientIndex) -> Result<(), ApiError> {
    match store.client(client).role {
        ClientRole::App => Ok(()),
        ClientRole::Admin => Err(call.access_denied()),
    }
}

fn grant_type(value: Option<&str>) -> Result<GrantType, &'static str> {
    match value {
        Some("client_credentials") => Ok(GrantType::ClientCredentials),
        Some("password") => Ok(GrantType::Password),
        Some("refresh_token") => Ok(GrantType::RefreshToken),
        None | Some("") => Err("Missing grant type"),
        Some(_) => Err("Unsupported grant type"),
    }
}

/// `application/x-www-form-urlencoded`, with or without parameters such as `charset`.
fn is_form_urlencoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
}

/// 200 `AccessToken`, not to be cached (RFC 6749 §5.1).
fn token_response(issued: Issued) -> Response {
    let mut response = Json(issued.into_wire()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_may_carry_a_charset() {
        let mut headers = HeaderMap::new();
        assert!(!is_form_urlencoded(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded; charset=UTF-8"),
        );
        assert!(is_form_urlencoded(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        assert!(!is_form_urlencoded(&headers));
    }

    #[test]
    fn grant_types_are_finapis_three() {
        assert_eq!(grant_type(Some("password")), Ok(GrantType::Password));
        assert!(grant_type(Some("authorization_code")).is_err());
        assert!(grant_type(None).is_err());
    }
}
