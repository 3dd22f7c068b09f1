//! What `rounds doctor` asks of a server's `metadata` beyond the capabilities themselves:
//! the HTTP status, the `Date` header (to compare clocks), the `Content-Encoding` the answer
//! really came in, the time taken and the bytes.
//!
//! One GET (two when the server refuses `_elements`), without credentials as capability
//! discovery is, not cached, not retried, not counted in the wire statistics: a diagnosis
//! reports what happened the first time and changes nothing.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::header;

use super::FhirClient;
use super::decode::{decompress, header_text, retry_after, too_large};
use super::discovery::{METADATA_TRIMMED, read_capabilities, refuses_elements};
use super::http::{FHIR_JSON, RawResponse, Validators};
use crate::fhir::capability::Capabilities;
use crate::fhir::error::FhirError;

/// The answer to `GET [base]/metadata`, as a diagnosis needs it.
#[derive(Debug)]
pub struct MetadataAnswer {
    /// The HTTP status.
    pub status: u16,
    /// From sending the request to the last byte of the answer.
    pub elapsed: Duration,
    /// The server's clock, from its `Date` header, when it sent one.
    pub server_date: Option<DateTime<Utc>>,
    /// This computer's clock when the answer's headers arrived.
    pub received_at: DateTime<Utc>,
    /// The `Content-Encoding` of the answer (`gzip`, `br`), lowercase; `None` when it came
    /// uncompressed.
    pub content_encoding: Option<String>,
    /// The body's size as it crossed the network, and decompressed.
    pub bytes_received: u64,
    pub bytes_decoded: u64,
    /// What the statement declares, or why it cannot be read (including a failure status).
    pub capabilities: Result<Capabilities, FhirError>,
}

impl FhirClient {
    /// Ask for the CapabilityStatement once and describe the answer.
    pub async fn probe_metadata(&self) -> Result<MetadataAnswer, FhirError> {
        let answer = self.metadata_answer(METADATA_TRIMMED).await?;
        if refuses_elements(answer.status) {
            return self.metadata_answer("metadata").await;
        }
        Ok(answer)
    }

    async fn metadata_answer(&self, relative: &str) -> Result<MetadataAnswer, FhirError> {
        let limit = self.inner.config.max_body_bytes;
        let started = Instant::now();
        let request = self
            .inner
            .http
            .get(self.url(relative)?)
            .header(header::ACCEPT, FHIR_JSON)
            .header(header::ACCEPT_ENCODING, "gzip, br");
        let mut resp = match request.send().await {
            Ok(resp) => resp,
            Err(e) => return Err(self.probe_failed(&e).await),
        };
        let received_at = Utc::now();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) if body.len() + chunk.len() > limit => {
                    return Err(too_large(limit));
                }
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return Err(self.probe_failed(&e).await),
            }
        }
        let content_encoding = header_text(&headers, header::CONTENT_ENCODING)
            .map(|e| e.trim().to_ascii_lowercase())
            .filter(|e| !e.is_empty() && e != "identity");
        let bytes_received = body.len() as u64;
        let body = decompress(content_encoding.as_deref().unwrap_or(""), body, limit)?;
        let bytes_decoded = body.len() as u64;
        let raw = RawResponse {
            status,
            retry_after: retry_after(&headers),
            body,
            validators: Validators::default(),
            location: None,
        };
        Ok(MetadataAnswer {
            status,
            elapsed: started.elapsed(),
            server_date: header_text(&headers, header::DATE)
                .and_then(|d| DateTime::parse_from_rfc2822(d.trim()).ok())
                .map(|d| d.with_timezone(&Utc)),
            received_at,
            content_encoding,
            bytes_received,
            bytes_decoded,
            capabilities: read_capabilities(raw),
        })
    }

    async fn probe_failed(&self, e: &reqwest::Error) -> FhirError {
        let base = &self.inner.base;
        let host = base.host_str().unwrap_or("the server");
        let timeout = self.inner.config.request_timeout;
        super::transport_error::transport_error(e, timeout, host, base.port_or_known_default())
            .await
    }
}
