//! One HTTP exchange on the wire: send, read the body under the size cap (showing it to
//! the early banner reader as it arrives), decompress, count the bytes, tell the observer;
//! and a failed connection in words a user can act on. Bodies are decompressed here
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
        let mut resp = req
            .send()
            .await
            .map_err(|e| self.transport_error(&e, timeout))?;
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
                Err(e) => return Err(self.transport_error(&e, timeout)),
            }
        }
        let body = decompress(&encoding, body, limit)?;
        Ok((
            RawResponse {
                status,
                retry_after: retry_after(&headers),
                body,
                validators: Validators {
                    etag: header_text(&headers, header::ETAG),
                    last_modified: header_text(&headers, header::LAST_MODIFIED),
                },
            },
            wire,
        ))
    }

    fn transport_error(&self, e: &reqwest::Error, timeout: Duration) -> FhirError {
        if e.is_timeout() {
            return FhirError::Timeout { after: timeout };
        }
        let host = self.inner.base.host_str().unwrap_or("the server");
        let port = self
            .inner
            .base
            .port_or_known_default()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let chain = error_chain(e);
        let detail = if chain.contains("refused") {
            format!(
                "the connection to {host}{port} was refused: is the server running and the URL right?"
            )
        } else if chain.contains("dns") || chain.contains("resolve") || chain.contains("lookup") {
            format!("the name '{host}' could not be resolved: check the server URL and the network")
        } else if chain.contains("certificate")
            || chain.contains("tls")
            || chain.contains("handshake")
        {
            format!(
                "a secure (TLS) connection to {host} could not be made: {}",
                last_line(&chain)
            )
        } else if e.is_body()
            || e.is_decode()
            || chain.contains("reset")
            || chain.contains("closed")
        {
            format!("the connection to {host}{port} dropped before the answer was complete")
        } else if e.is_connect() {
            format!("could not connect to {host}{port}: {}", last_line(&chain))
        } else {
            format!("the request to {host}{port} failed: {}", last_line(&chain))
        };
        FhirError::Connection { detail }
    }
}

/// The Display of an error and its sources, lower-cased, URL removed.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(e);
    parts.push(e.to_string());
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    // reqwest puts the URL (which may hold search terms) in its own message: drop it.
    parts
        .into_iter()
        .map(|p| match p.find(" for url (") {
            Some(i) => p[..i].to_owned(),
            None => p,
        })
        .collect::<Vec<_>>()
        .join(": ")
        .to_lowercase()
}

fn last_line(chain: &str) -> &str {
    chain.rsplit(": ").next().unwrap_or(chain)
}
