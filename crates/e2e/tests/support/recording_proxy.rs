//! A forward HTTP proxy for the browser that records every response body (and request URL) it passes on.
//! Chromium is pointed at it for every host, loopback included.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub url: String,
    pub status: u16,
    pub body: Vec<u8>,
}

#[derive(Clone, Default)]
pub struct Recording {
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl Recording {
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges.lock().unwrap().clone()
    }
}

pub struct RecordingProxy {
    pub addr: SocketAddr,
    pub recording: Recording,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Forwarder {
    http: reqwest::Client,
    recording: Recording,
}

impl RecordingProxy {
    pub async fn start() -> RecordingProxy {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let recording = Recording::default();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let app = Router::new().fallback(forward).with_state(Arc::new(Forwarder {
            http,
            recording: recording.clone(),
        }));
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        RecordingProxy { addr, recording, task }
    }
}

const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "proxy-connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "upgrade",
    "proxy-authorization",
    "host",
];

fn end_to_end_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = headers.clone();
    for name in HOP_BY_HOP {
        kept.remove(name);
    }
    kept
}

async fn forward(State(forwarder): State<Arc<Forwarder>>, request: Request) -> Response {
    let method = request.method().clone();
    let url = request.uri().to_string();
    let headers = end_to_end_headers(request.headers());
    let body = to_bytes(request.into_body(), 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let upstream = forwarder
        .http
        .request(method.clone(), &url)
        .headers(headers)
        .body(body)
        .send()
        .await;
    let upstream = match upstream {
        Ok(response) => response,
        Err(error) => {
            return Response::builder()
                .status(StatusCode::BAD_GATEWAY)
                .body(Body::from(error.to_string()))
                .unwrap();
        }
    };
    let status = upstream.status();
    let headers = end_to_end_headers(upstream.headers());
    let body = upstream.bytes().await.unwrap_or_default().to_vec();
    forwarder.recording.exchanges.lock().unwrap().push(Exchange {
        method: method.to_string(),
        url,
        status: status.as_u16(),
        body: body.clone(),
    });
    let mut response = Response::builder().status(status).body(Body::from(body)).unwrap();
    *response.headers_mut() = headers;
    response
}
