//! Step 1, client auth: the app client's token (OAuth `client_credentials`) and its configuration.
//!
//! Both are cached and fetched by one request at a time: while one caller fetches, the others wait for
//! its result instead of asking finAPI too, so 50 concurrent sign-ups cause one token request. The token
//! is reused until shortly before it expires; a 401 with a cached token drops it and tries once more.

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
/// Renew a token this long before finAPI says it expires, so no request goes out with a dying token.
const TOKEN_RENEWAL_MARGIN_SECONDS: i64 = 60;

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
        let previous = slot.take().map(|fresh| fresh.value);
        let issued = self.finapi.client_token(request_id).await?;
        // finAPI answers a renewal made while the old token lives with that same token and what is left of
        // its lifetime. Renewing again a margin before that end would ask finAPI over and over as the end
        // nears; an unchanged token is kept to its real end instead (a request that then meets a 401 gets
        // a new token once, see `with_client_token`).
        let unchanged = previous.is_some_and(|previous| previous.expose_secret() == issued.access_token);
        let until = match issued.expires_in {
            0 => None,
            seconds => {
                let margin = if unchanged {
                    0
                } else {
                    TOKEN_RENEWAL_MARGIN_SECONDS.min(seconds / 4)
                };
                Some(self.clock.now() + Duration::seconds(seconds - margin))
            }
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
