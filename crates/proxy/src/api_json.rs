//! `ApiJson<T>`: axum's `Json` extractor, with its rejections answered in the API's own error format.

use crate::error::ApiFailure;
use axum::extract::{FromRequest, Request};
use axum::Json;
use onboarding_api::ApiErrorCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiFailure;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "malformed request body");
                Err(ApiFailure::new(ApiErrorCode::MalformedRequest))
            }
        }
    }
}
