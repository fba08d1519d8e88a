//! The proxy's HTTP client for finAPI Access and Web Form 2.0: one typed method per endpoint it uses.
//!
//! Only the configured finAPI base URLs are ever called (the BFF's outbound allow-list), every call has a
//! timeout, and every call carries the request id of the form's request as `X-Request-Id`.

use crate::metrics::Metrics;
use crate::request_id::RequestId;
use finapi::{
    AccessToken, BankConnectionImportDetails, ClientConfiguration, ErrorMessage, ExecutePasswordChangeParams,
    PasswordChangingResource, RequestPasswordChangeParams, User, UserCreateParams, WebForm,
};
use reqwest::{Method, RequestBuilder, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum FinapiError {
    #[error("finAPI could not be reached: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// A 401: bad client credentials, or a missing, invalid or expired token.
    #[error("finAPI refused the credentials or token ({error})")]
    Unauthorized { error: String },
    /// Any other 4xx, with finAPI's error code and message when it sent one.
    #[error("finAPI refused the request: {status} {code:?} {message:?}")]
    Refused {
        status: StatusCode,
        code: Option<String>,
        message: Option<String>,
    },
    #[error("finAPI failed: {status}")]
    ServerError { status: StatusCode },
    #[error("finAPI's answer could not be read: {0}")]
    UnreadableAnswer(String),
}

impl FinapiError {
    pub fn is(&self, wanted_status: StatusCode, wanted_code: &str) -> bool {
        matches!(self, FinapiError::Refused { status, code: Some(code), .. } if *status == wanted_status && code == wanted_code)
    }

    /// finAPI may or may not have done what was asked: no answer (connection failed or lost, timeout), a
    /// server error (which a gateway may send after finAPI did the work), or an answer cut short.
    pub fn is_uncertain(&self) -> bool {
        matches!(
            self,
            FinapiError::Unreachable(_) | FinapiError::ServerError { .. } | FinapiError::UnreadableAnswer(_)
        )
    }

    pub fn status(&self) -> Option<StatusCode> {
        match self {
            FinapiError::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            FinapiError::Refused { status, .. } | FinapiError::ServerError { status } => Some(*status),
            FinapiError::Unreachable(_) | FinapiError::UnreadableAnswer(_) => None,
        }
    }
}

/// The app client's credentials. The secret never leaves this process but towards finAPI's token endpoint
/// (and prints as `[REDACTED]`).
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: SecretString,
}

#[derive(Clone)]
pub struct FinapiClient {
    http: reqwest::Client,
    access_url: Url,
    web_form_url: Url,
    credentials: ClientCredentials,
    metrics: Arc<Metrics>,
}

impl FinapiClient {
    pub fn new(access_url: Url, web_form_url: Url, credentials: ClientCredentials) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            // finAPI never redirects an API call; following one could send a token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client's static configuration is valid");
        FinapiClient {
            http,
            access_url,
            web_form_url,
            credentials,
            metrics: Arc::new(Metrics::default()),
        }
    }

    /// Counts every call in `metrics` (by endpoint and status).
    pub fn with_metrics(mut self, metrics: Arc<Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// finAPI's live system (not the sandbox, not an emulator): `*.finapi.io` without "sandbox".
    pub fn is_finapi_live(&self) -> bool {
        self.access_url
            .host_str()
            .is_some_and(|host| host.ends_with("finapi.io") && !host.contains("sandbox"))
    }

    pub fn client_id(&self) -> &str {
        &self.credentials.client_id
    }

    /// HMAC-SHA256 of a sign-up's id (any case) and password, keyed with the client secret, in hex. Lets
    /// the proxy recognise the retry of a sign-up whose answer was lost without keeping the password:
    /// without the secret the value cannot be checked against guesses.
    pub fn sign_up_fingerprint(&self, user_id: &str, password: &str) -> String {
        let message = format!("sign-up\0{}\0{password}", user_id.to_ascii_lowercase());
        let digest = hmac_sha256(
            self.credentials.client_secret.expose_secret().as_bytes(),
            message.as_bytes(),
        );
        digest.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// `POST /api/v2/oauth/token`, grant `client_credentials`.
    pub async fn client_token(&self, request_id: &RequestId) -> Result<AccessToken, FinapiError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", &self.credentials.client_id),
            ("client_secret", self.credentials.client_secret.expose_secret()),
        ];
        let request = self.access(Method::POST, "/api/v2/oauth/token", request_id).form(&form);
        self.json("token:client_credentials", request).await
    }

    /// `POST /api/v2/oauth/token`, grant `password`: logs a user in.
    pub async fn user_token(
        &self,
        user_id: &str,
        password: &str,
        request_id: &RequestId,
    ) -> Result<AccessToken, FinapiError> {
        let form = [
            ("grant_type", "password"),
            ("client_id", &self.credentials.client_id),
            ("client_secret", self.credentials.client_secret.expose_secret()),
            ("username", user_id),
            ("password", password),
        ];
        let request = self.access(Method::POST, "/api/v2/oauth/token", request_id).form(&form);
        self.json("token:password", request).await
    }

    /// `POST /api/v2/oauth/token`, grant `refresh_token`: a new access token for a user's session.
    pub async fn refresh_user_token(
        &self,
        refresh_token: &str,
        request_id: &RequestId,
    ) -> Result<AccessToken, FinapiError> {
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", &self.credentials.client_id),
            ("client_secret", self.credentials.client_secret.expose_secret()),
            ("refresh_token", refresh_token),
        ];
        let request = self.access(Method::POST, "/api/v2/oauth/token", request_id).form(&form);
        self.json("token:refresh_token", request).await
    }

    /// `POST /api/v2/oauth/revoke` (client token). Without a hint finAPI revokes the whole grant: the
    /// refresh token and every access token issued with it.
    pub async fn revoke(
        &self,
        client_token: &str,
        token: &str,
        hint: Option<&str>,
        request_id: &RequestId,
    ) -> Result<(), FinapiError> {
        let mut form = vec![("token", token)];
        if let Some(hint) = hint {
            form.push(("token_type_hint", hint));
        }
        let request = self
            .access(Method::POST, "/api/v2/oauth/revoke", request_id)
            .bearer_auth(client_token)
            .form(&form);
        self.empty("revoke", request).await
    }

    /// `POST /api/v2/users/requestPasswordChange` (client token): the encrypted reset token.
    pub async fn request_password_change(
        &self,
        client_token: &str,
        user_id: &str,
        request_id: &RequestId,
    ) -> Result<PasswordChangingResource, FinapiError> {
        let params = RequestPasswordChangeParams {
            user_id: user_id.to_owned(),
        };
        let request = self
            .access(Method::POST, "/api/v2/users/requestPasswordChange", request_id)
            .bearer_auth(client_token)
            .json(&params);
        self.json("users:requestPasswordChange", request).await
    }

    /// `POST /api/v2/users/executePasswordChange` (client token), with the decrypted token.
    pub async fn execute_password_change(
        &self,
        client_token: &str,
        params: &ExecutePasswordChangeParams,
        request_id: &RequestId,
    ) -> Result<(), FinapiError> {
        let request = self
            .access(Method::POST, "/api/v2/users/executePasswordChange", request_id)
            .bearer_auth(client_token)
            .json(params);
        self.empty("users:executePasswordChange", request).await
    }

    /// `PATCH /api/v2/clientConfiguration` (client token).
    pub async fn change_client_configuration(
        &self,
        client_token: &str,
        params: &finapi::ClientConfigurationParams,
        request_id: &RequestId,
    ) -> Result<ClientConfiguration, FinapiError> {
        let request = self
            .access(Method::PATCH, "/api/v2/clientConfiguration", request_id)
            .bearer_auth(client_token)
            .json(params);
        self.json("clientConfiguration:patch", request).await
    }

    /// `GET /api/v2/mandatorAdmin/getUserList` (mandator admin token): one page of the mandator's users.
    pub async fn user_list(
        &self,
        admin_token: &str,
        page: u32,
        request_id: &RequestId,
    ) -> Result<finapi::PageableUserInfoList, FinapiError> {
        let request = self
            .access(Method::GET, "/api/v2/mandatorAdmin/getUserList", request_id)
            .bearer_auth(admin_token)
            .query(&[
                ("page", page.to_string()),
                ("perPage", "500".to_owned()),
                ("isDeleted", "false".to_owned()),
            ]);
        self.json("mandatorAdmin:getUserList", request).await
    }

    /// `POST /api/v2/mandatorAdmin/deleteUsers` (mandator admin token).
    pub async fn delete_users(
        &self,
        admin_token: &str,
        user_ids: &[String],
        request_id: &RequestId,
    ) -> Result<finapi::UserIdentifiersList, FinapiError> {
        let params = finapi::UserIdentifiersParams {
            user_ids: user_ids.to_vec(),
        };
        let request = self
            .access(Method::POST, "/api/v2/mandatorAdmin/deleteUsers", request_id)
            .bearer_auth(admin_token)
            .json(&params);
        self.json("mandatorAdmin:deleteUsers", request).await
    }

    /// `GET /api/v2/clientConfiguration` (client token).
    pub async fn client_configuration(
        &self,
        client_token: &str,
        request_id: &RequestId,
    ) -> Result<ClientConfiguration, FinapiError> {
        let request = self
            .access(Method::GET, "/api/v2/clientConfiguration", request_id)
            .bearer_auth(client_token);
        self.json("clientConfiguration", request).await
    }

    /// `POST /api/v2/users` (client token) → 201 `User`.
    pub async fn create_user(
        &self,
        client_token: &str,
        params: &UserCreateParams,
        request_id: &RequestId,
    ) -> Result<User, FinapiError> {
        let request = self
            .access(Method::POST, "/api/v2/users", request_id)
            .bearer_auth(client_token)
            .json(params);
        self.json("users:create", request).await
    }

    /// `POST /api/v2/users/verify/{userId}` (client token).
    pub async fn verify_user(
        &self,
        client_token: &str,
        user_id: &str,
        request_id: &RequestId,
    ) -> Result<(), FinapiError> {
        let path = format!("/api/v2/users/verify/{}", url_path_segment(user_id));
        let request = self.access(Method::POST, &path, request_id).bearer_auth(client_token);
        self.empty("users:verify", request).await
    }

    /// `POST /api/webForms/bankConnectionImport` (user token) → 201 `WebForm`.
    pub async fn create_bank_connection_import(
        &self,
        user_token: &str,
        details: &BankConnectionImportDetails,
        request_id: &RequestId,
    ) -> Result<WebForm, FinapiError> {
        let request = self
            .web_form(Method::POST, "/api/webForms/bankConnectionImport", request_id)
            .bearer_auth(user_token)
            .json(details);
        self.json("webForms:bankConnectionImport", request).await
    }

    fn access(&self, method: Method, path: &str, request_id: &RequestId) -> RequestBuilder {
        self.request(&self.access_url, method, path, request_id)
    }

    fn web_form(&self, method: Method, path: &str, request_id: &RequestId) -> RequestBuilder {
        self.request(&self.web_form_url, method, path, request_id)
    }

    fn request(&self, base: &Url, method: Method, path: &str, request_id: &RequestId) -> RequestBuilder {
        let url = format!("{}{}", base.as_str().trim_end_matches('/'), path);
        self.http
            .request(method, url)
            .header("X-Request-Id", request_id.as_str())
    }

    async fn json<T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        request: RequestBuilder,
    ) -> Result<T, FinapiError> {
        let response = self.checked(endpoint, request).await?;
        // A body cut off (connection lost, timeout) is finAPI unreachable; a whole one that is not the
        // expected JSON is an unreadable answer.
        let body = response.bytes().await.map_err(FinapiError::Unreachable)?;
        serde_json::from_slice(&body).map_err(|e| FinapiError::UnreadableAnswer(e.to_string()))
    }

    async fn empty(&self, endpoint: &'static str, request: RequestBuilder) -> Result<(), FinapiError> {
        self.checked(endpoint, request).await.map(|_| ())
    }

    /// Sends the request, counts it, and turns every non-2xx answer into a [`FinapiError`].
    async fn checked(&self, endpoint: &'static str, request: RequestBuilder) -> Result<reqwest::Response, FinapiError> {
        let sent = request.send().await;
        let status = sent
            .as_ref()
            .map_or("0".to_owned(), |r| r.status().as_u16().to_string());
        self.metrics.count(
            "onboarding_finapi_calls_total",
            &[("endpoint", endpoint), ("status", &status)],
        );
        answer(sent.map_err(FinapiError::Unreachable)?).await
    }
}

/// HMAC (RFC 2104) with SHA-256.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// User ids are restricted to `A-Z a-z 0-9 - _ . + @`; `+` and `@` still need escaping in a path.
fn url_path_segment(value: &str) -> String {
    value.replace('+', "%2B").replace('@', "%40")
}

/// Every non-2xx answer becomes a [`FinapiError`].
async fn answer(response: reqwest::Response) -> Result<reqwest::Response, FinapiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    if status.is_server_error() {
        return Err(FinapiError::ServerError { status });
    }
    let body = response.text().await.unwrap_or_default();
    if status == StatusCode::UNAUTHORIZED {
        let error = serde_json::from_str::<finapi::BadCredentialsError>(&body)
            .map(|e| e.error)
            .unwrap_or_else(|_| "unauthorized".to_owned());
        return Err(FinapiError::Unauthorized { error });
    }
    let (code, message) = read_error_body(&body);
    Err(FinapiError::Refused { status, code, message })
}

/// finAPI Access answers `ErrorMessage`; Web Form 2.0 answers `{code, description}`.
fn read_error_body(body: &str) -> (Option<String>, Option<String>) {
    if let Ok(error) = serde_json::from_str::<ErrorMessage>(body) {
        if let Some(first) = error.errors.first() {
            let code = serde_json::to_value(first.code)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            return (code, first.message.clone());
        }
    }
    if let Ok(error) = serde_json::from_str::<finapi::WebFormError>(body) {
        return (Some(error.code), Some(error.description));
    }
    (None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_error_formats() {
        let access = r#"{"errors":[{"message":"exists","code":"ENTITY_EXISTS","type":"BUSINESS"}],"date":"d","requestId":"r","endpoint":"e","authContext":"1/1"}"#;
        assert_eq!(
            read_error_body(access),
            (Some("ENTITY_EXISTS".into()), Some("exists".into()))
        );
        let web_form = r#"{"code":"FORBIDDEN","description":"no","timestamp":"t","endpoint":"e"}"#;
        assert_eq!(read_error_body(web_form), (Some("FORBIDDEN".into()), Some("no".into())));
        assert_eq!(read_error_body("<html>"), (None, None));
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let digest = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Test case 6: a key longer than a block.
        let digest = hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First");
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    #[test]
    fn plus_and_at_are_escaped_in_paths() {
        assert_eq!(url_path_segment("jane+test@example.com"), "jane%2Btest%40example.com");
    }
}
