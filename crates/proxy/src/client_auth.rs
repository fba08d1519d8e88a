//! Step 1, client auth: the app client's token (OAuth `client_credentials`) and its configuration.
//!
//! Both are cached and fetched by one request at a time: while one caller fetches, the others wait for
//! its result instead of asking finAPI too, so 50 concurrent sign-ups cause one token request. The token
//! is reused until it expires (finAPI would only hand out the same one before); a 401 with a cached token
//! drops it and tries once more.

use crate::finapi_client::{FinapiClient, FinapiError};
use crate::request_id::RequestId;
use finapi::ClientConfiguration;
use finapi_emulator::clock::Clock;
use secrecy::{ExposeSecret, SecretString};
use std::future::Future;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;

/// The client configuration changes rarely (an operator's PATCH); re-read it every few minutes.
const CONFIGURATION_FRESH_FOR: Duration = Duration::minutes(5);

pub struct ClientAuth {
    finapi: FinapiClient,
    clock: Arc<dyn Clock>,
    token: Mutex<Option<Fresh<SecretString>>>,
    configuration: Mutex<Option<Fresh<ClientConfiguration>>>,
}

struct Fresh<T> {
    value: T,
    /// `None`: fresh forever (finAPI's `expires_in: 0`).
    until: Option<OffsetDateTime>,
}

impl<T: Clone> Fresh<T> {
    fn at(&self, now: OffsetDateTime) -> Option<T> {
        match self.until {
            Some(until) if until <= now => None,
            _ => Some(self.value.clone()),
        }
    }
}

impl ClientAuth {
    pub fn new(finapi: FinapiClient, clock: Arc<dyn Clock>) -> Self {
        ClientAuth {
            finapi,
            clock,
            token: Mutex::new(None),
            configuration: Mutex::new(None),
        }
    }

    pub fn finapi(&self) -> &FinapiClient {
        &self.finapi
    }

    /// A valid client token: the cached one, or a new one fetched by exactly one caller.
    pub async fn client_token(&self, request_id: &RequestId) -> Result<SecretString, FinapiError> {
        // Holding the lock across the fetch is the point: concurrent callers queue here.
        let mut slot = self.token.lock().await;
        let cache = "onboarding_client_token_cache_total";
        if let Some(token) = slot.as_ref().and_then(|fresh| fresh.at(self.clock.now())) {
            self.finapi.metrics().count(cache, &[("result", "hit")]);
            return Ok(token);
        }
        self.finapi.metrics().count(cache, &[("result", "miss")]);
        let issued = self.finapi.client_token(request_id).await?;
        // finAPI hands out the same client token until it expires: asking earlier only returns it again with
        // less time left (and costs a token request). So the token is used to its end; a call that meets the
        // expiry gets a 401 and is retried once with a new token (`with_client_token`).
        let until = match issued.expires_in {
            0 => None,
            seconds => Some(self.clock.now() + Duration::seconds(seconds)),
        };
        let token = SecretString::from(issued.access_token);
        *slot = Some(Fresh {
            value: token.clone(),
            until,
        });
        Ok(token)
    }

    /// Runs `call` with the client token; if finAPI says the token is no longer valid (revoked, or the
    /// credentials changed), fetches a new one and runs `call` once more.
    pub async fn with_client_token<T, F, Fut>(&self, request_id: &RequestId, call: F) -> Result<T, FinapiError>
    where
        F: Fn(SecretString) -> Fut,
        Fut: Future<Output = Result<T, FinapiError>>,
    {
        let token = self.client_token(request_id).await?;
        match call(token).await {
            Err(FinapiError::Unauthorized { .. }) => {
                self.token.lock().await.take();
                call(self.client_token(request_id).await?).await
            }
            other => other,
        }
    }

    /// The app client's configuration, re-read every few minutes.
    pub async fn configuration(&self, request_id: &RequestId) -> Result<ClientConfiguration, FinapiError> {
        let mut slot = self.configuration.lock().await;
        if let Some(configuration) = slot.as_ref().and_then(|fresh| fresh.at(self.clock.now())) {
            return Ok(configuration);
        }
        let configuration = self
            .with_client_token(request_id, |token| async move {
                self.finapi
                    .client_configuration(token.expose_secret(), request_id)
                    .await
            })
            .await?;
        *slot = Some(Fresh {
            value: configuration.clone(),
            until: Some(self.clock.now() + CONFIGURATION_FRESH_FOR),
        });
        Ok(configuration)
    }
}
