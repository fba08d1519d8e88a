//! The proxy's logs: `tracing`, as text or one JSON object per line (`PROXY_LOG_FORMAT=json`, for log
//! collectors). Every line of a request carries its `request_id` (the span opened in [`crate::request_id`]).
//! No secret reaches a log: bodies are never logged and secret types print `<redacted>`; `tests/logs*.rs`
//! prove it for both formats.

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "text" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        }
    }
}

/// Installs the process-wide subscriber writing to `writer`, filtered by `RUST_LOG` (default `filter`).
pub fn init<W>(format: LogFormat, filter: &str, writer: W)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    match format {
        LogFormat::Text => builder.with_ansi(false).init(),
        // Span fields (the request id) are flattened into each line, so a collector can filter on them.
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).init(),
    }
}
