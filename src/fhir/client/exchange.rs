//! One HTTP exchange on the wire: send, read the body under the size cap (showing it to
//! the early banner reader as it arrives), decompress, count the bytes, tell the observer;
//! and a failed connection in words a user can act on (`transport_error.rs`). Bodies are decompressed here
//! rather than by reqwest so the client can count the bytes that really crossed the
//! network.

use std::time::{Duration, Instant};

use reqwest::header;

use super::FhirClient;
use super::decode::{decompress, header_bytes, header_text, retry_after, too_large};
use super::early::EarlyPatient;
use super::http::{RawResponse, Validators};
use crate::fhir::error::FhirError;
use crate::fhir::stats::RequestEvent;

impl FhirClient {
    /// One exchange, counted and reported to the observer.
    pub(super) async fn attempt(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
        early: Option<&mut EarlyPatient>,
    ) -> Result<RawResponse, FhirError> {
        let started = Instant::now();
        let result = self.exchange(req, early).await;
        let (status, wire, decoded) = match &result {
            Ok((resp, wire)) => (resp.status, *wire, resp.body.len() as u64),
            Err(_) => (0, 0, 0),
        };
        // An estimate of the request line and headers we send: enough for byte budgets.
        let sent = 200 + body_len;
        self.inner.stats.record(sent, wire, decoded);
        if let Some(observer) = &self.inner.observer {
            observer(&RequestEvent {
                method,
                label,
                status,
                bytes_received: wire,
                bytes_decoded: decoded,
                elapsed: started.elapsed(),
            });
        }
        result.map(|(resp, _)| resp)
    }

    /// Send, read the body under the size cap (showing each piece to `early`, if given),
    /// decompress. Returns the response and the number of bytes received on the wire.
    async fn exchange(
        &self,
        req: reqwest::RequestBuilder,
        mut early: Option<&mut EarlyPatient>,
    ) -> Result<(RawResponse, u64), FhirError> {
        let timeout = self.inner.config.request_timeout;
        let limit = self.inner.config.max_body_bytes;
        let mut resp = match req.send().await {
            Ok(resp) => resp,
            Err(e) => return Err(self.transport_error(&e, timeout).await),
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut wire = header_bytes(&headers);
        let encoding = headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        // Only a successful answer may show the banner early.
        let mut early = early.take().filter(|_| status == 200);
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    wire += chunk.len() as u64;
                    if body.len() + chunk.len() > limit {
                        return Err(too_large(limit));
                    }
                    body.extend_from_slice(&chunk);
                    if let Some(e) = early.as_deref_mut() {
                        e.feed(&encoding, &chunk);
                    }
                }
                Ok(None) => break,
                Err(e) => return Err(self.transport_error(&e, timeout).await),
            }
        }
        let body = decompress(&encoding, body, limit)?;
        Ok((
            RawResponse {
                status,
                retry_after: retry_after(&headers),
                location: header_text(&headers, header::LOCATION),
                body,
                validators: Validators {
                    etag: header_text(&headers, header::ETAG),
                    last_modified: header_text(&headers, header::LAST_MODIFIED),
                },
            },
            wire,
        ))
    }

    async fn transport_error(&self, e: &reqwest::Error, timeout: Duration) -> FhirError {
        let base = &self.inner.base;
        let host = base.host_str().unwrap_or("the server");
        super::transport_error::transport_error(e, timeout, host, base.port_or_known_default())
            .await
    }
}
