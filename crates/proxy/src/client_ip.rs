//! The address a request came from, for per-IP rate limits: the TCP peer. Behind a reverse proxy every
//! request would share the proxy's address, so `PROXY_TRUSTED_PROXY_HOPS` (n > 0) takes the n-th address from
//! the right of `X-Forwarded-For` instead: the one the trusted reverse proxy saw (entries further left can
//! be forged by the client).

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// The key of the per-IP counters; all requests of unknown origin share one.
    pub fn key(&self) -> String {
        self.0.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
    }

    pub fn of(parts: &Parts, trusted_proxy_hops: usize) -> Self {
        if trusted_proxy_hops > 0 {
            let forwarded: Vec<IpAddr> = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .filter_map(|entry| entry.trim().parse().ok())
                .collect();
            if let Some(ip) = forwarded.iter().rev().nth(trusted_proxy_hops - 1) {
                return ClientIp(Some(*ip));
            }
        }
        ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| peer.ip()),
        )
    }
}

impl FromRequestParts<crate::app::AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::app::AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(parts, state.rate_limiter.trusted_proxy_hops()))
    }
}
