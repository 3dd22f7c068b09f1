//! One HTTP exchange: headers, compression, a size cap, statistics, and mapping the status
//! and body to a `FhirError`. Bodies are decompressed here rather than by reqwest so the
//! client can count the bytes that really crossed the network.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::header::{self, HeaderMap, HeaderValue};
use serde_json::Value;
use url::Url;

use super::{Credentials, FhirClient};
use crate::fhir::error::FhirError;
use crate::fhir::model::OperationOutcome;
use crate::fhir::stats::RequestEvent;

/// The FHIR JSON MIME type.
pub(crate) const FHIR_JSON: &str = "application/fhir+json";

/// A response whose body has been read and decompressed.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
    /// `ETag` and `Last-Modified`, for revalidating later.
    pub validators: Validators,
}

/// What a later request can send to ask "has this changed?".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

impl FhirClient {
    /// GET, revalidated against the session cache: when the URL was fetched before with an
    /// `ETag` or `Last-Modified`, a 304 answer reuses the earlier body.
    pub(crate) async fn get(&self, url: Url, label: String) -> Result<RawResponse, FhirError> {
        let key = url.as_str().to_owned();
        let cached = self.inner.revalidation.lookup(&key);
        let validators = cached.as_ref().map(|(v, _)| v.clone()).unwrap_or_default();
        let resp = self.get_if_changed(url, label, &validators).await?;
        if resp.status == 304 {
            if let Some((_, body)) = cached {
                return Ok(RawResponse {
                    status: 200,
                    body: body.to_vec(),
                    ..resp
                });
            }
        }
        // Only a body that parses as a resource is kept: a response cut short or mangled on
        // the way must not come back from the cache on every 304 after.
        if resp.status == 200 && !resp.validators.is_empty() && looks_like_resource(&resp.body) {
            self.inner
                .revalidation
                .store(key, resp.validators.clone(), &resp.body);
        }
        Ok(resp)
    }

    /// GET with `If-None-Match` / `If-Modified-Since` from `validators`; a 304 is returned
    /// as is (status 304, empty body).
    pub(crate) async fn get_if_changed(
        &self,
        url: Url,
        label: String,
        validators: &Validators,
    ) -> Result<RawResponse, FhirError> {
        let mut req = self.inner.http.get(url);
        if let Some(etag) = &validators.etag {
            req = req.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            req = req.header(header::IF_MODIFIED_SINCE, lm);
        }
        self.execute(req, "GET", label, 0).await
    }

    pub(crate) async fn post(
        &self,
        url: Url,
        content_type: &'static str,
        body: Vec<u8>,
        label: String,
    ) -> Result<RawResponse, FhirError> {
        let len = body.len() as u64;
        let req = self
            .inner
            .http
            .post(url)
            .header(header::CONTENT_TYPE, content_type)
            .body(body);
        self.execute(req, "POST", label, len).await
    }

    /// Send a request, retrying what may succeed on a second try: a dropped or refused
    /// connection, a timeout (once), 502/503/504, and 429 or 503 with a `Retry-After` the
    /// client is willing to wait. Every request rounds sends may be repeated safely (reads,
    /// searches, and batches of reads). Each attempt is one round trip in the statistics.
    async fn execute(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
    ) -> Result<RawResponse, FhirError> {
        let mut req = req
            .header(header::ACCEPT, FHIR_JSON)
            .header(header::ACCEPT_ENCODING, "gzip, br");
        if let Some(value) = self.auth_header() {
            req = req.header(header::AUTHORIZATION, value);
        }
        let retries = self.inner.config.retries;
        let mut attempt: u32 = 0;
        loop {
            let label = if attempt == 0 {
                label.clone()
            } else {
                format!("{label} (retry {attempt})")
            };
            // A request whose body cannot be copied is sent once.
            let Some(this) = req.try_clone() else {
                return self.attempt(req, method, label, body_len).await;
            };
            let result = self.attempt(this, method, label, body_len).await;
            let wait = match &result {
                _ if attempt >= retries => None,
                Err(FhirError::Connection { .. }) => Some(self.backoff(attempt)),
                Err(FhirError::Timeout { .. }) if attempt == 0 => Some(self.backoff(attempt)),
                Ok(r) => self.retry_wait(r, attempt),
                Err(_) => None,
            };
            match wait {
                Some(d) => {
                    tokio::time::sleep(d).await;
                    attempt += 1;
                }
                None => return result,
            }
        }
    }

    /// How long to wait before retrying `resp`, or `None` to give it to the caller.
    fn retry_wait(&self, resp: &RawResponse, attempt: u32) -> Option<Duration> {
        let cap = self.inner.config.max_retry_after;
        match (resp.status, resp.retry_after) {
            (429 | 503, Some(after)) if after <= cap => Some(after.max(Duration::from_millis(50))),
            (429 | 503, Some(_)) => None,
            (502..=504, None) => Some(self.backoff(attempt)),
            _ => None,
        }
    }

    /// Exponential backoff from `retry_base`, with a little jitter so that many clients
    /// do not come back at the same instant.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.inner.config.retry_base;
        let exp = base.saturating_mul(1u32 << attempt.min(6));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        exp + Duration::from_millis(u64::from(nanos % 100))
    }

    /// One exchange, counted and reported to the observer.
    async fn attempt(
        &self,
        req: reqwest::RequestBuilder,
        method: &'static str,
        label: String,
        body_len: u64,
    ) -> Result<RawResponse, FhirError> {
        let started = Instant::now();
        let result = self.exchange(req).await;
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

    fn auth_header(&self) -> Option<HeaderValue> {
        let creds = self.inner.credentials.read().ok()?;
        let value = match &*creds {
            Credentials::None => return None,
            Credentials::Bearer(token) => format!("Bearer {}", token.expose()),
            Credentials::Basic { user, password } => {
                use base64::Engine as _;
                let raw = format!("{user}:{}", password.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(raw)
                )
            }
        };
        let mut value = HeaderValue::from_str(&value).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Send, read the body under the size cap, decompress. Returns the response and the
    /// number of bytes received on the wire.
    async fn exchange(
        &self,
        req: reqwest::RequestBuilder,
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
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    wire += chunk.len() as u64;
                    if body.len() + chunk.len() > limit {
                        return Err(too_large(limit));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.transport_error(&e, timeout)),
            }
        }
        let encoding = headers
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
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

fn header_bytes(headers: &HeaderMap) -> u64 {
    // Status line plus "name: value\r\n" for each header: HTTP/1.1 sizes; HTTP/2 compresses
    // headers, so this is an upper bound there.
    17 + headers
        .iter()
        .map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64)
        .sum::<u64>()
}

/// Whether `body` is well-formed JSON with a `resourceType` (parsed, not kept).
fn looks_like_resource(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "resourceType")]
        resource_type: String,
    }
    serde_json::from_slice::<Head>(body).is_ok_and(|h| !h.resource_type.is_empty())
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() < 200)
        .map(str::to_owned)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    v.parse::<u64>()
        .ok()
        .map(|s| Duration::from_secs(s.min(3600)))
}

fn too_large(limit: usize) -> FhirError {
    FhirError::BadResponse {
        detail: format!(
            "the response is larger than the {} MB rounds accepts",
            limit / (1024 * 1024)
        ),
    }
}

fn decompress(encoding: &str, body: Vec<u8>, limit: usize) -> Result<Vec<u8>, FhirError> {
    let read_all = |mut r: Box<dyn Read + '_>, what: &str| -> Result<Vec<u8>, FhirError> {
        let mut out = Vec::new();
        (&mut r)
            .take(limit as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|_| FhirError::BadResponse {
                detail: format!("the {what}-compressed body is corrupt"),
            })?;
        if out.len() > limit {
            return Err(too_large(limit));
        }
        Ok(out)
    };
    match encoding {
        "" | "identity" => Ok(body),
        "gzip" | "x-gzip" => read_all(
            Box::new(flate2::read::MultiGzDecoder::new(&body[..])),
            "gzip",
        ),
        "deflate" => read_all(
            Box::new(flate2::read::ZlibDecoder::new(&body[..])),
            "deflate",
        ),
        "br" => read_all(
            Box::new(brotli_decompressor::Decompressor::new(&body[..], 8192)),
            "brotli",
        ),
        other => Err(FhirError::BadResponse {
            detail: format!("the body uses an unknown encoding '{other}'"),
        }),
    }
}

impl RawResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// This response if it succeeded; otherwise the error its status and body describe.
    /// `what` names the thing asked for, for a not-found message ("Patient 'x'").
    pub fn ok_or_error(self, what: &str) -> Result<RawResponse, FhirError> {
        if self.is_success() {
            return Ok(self);
        }
        Err(status_error(
            self.status,
            &self.body,
            self.retry_after,
            what,
        ))
    }

    /// The body as one JSON resource whose `resourceType` is one of `expected`.
    /// An OperationOutcome in place of the expected resource becomes `FhirError::Outcome`.
    pub fn json_resource(&self, expected: &[&str]) -> Result<Value, FhirError> {
        parse_resource(&self.body, expected, self.status)
    }
}

/// Parse `body` as a resource of one of the `expected` types.
pub(crate) fn parse_resource(
    body: &[u8],
    expected: &[&str],
    status: u16,
) -> Result<Value, FhirError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| FhirError::BadResponse {
        detail: if body.is_empty() {
            "the body is empty".to_owned()
        } else {
            format!(
                "the body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            )
        },
    })?;
    check_resource(value, expected, status)
}

/// Check that `value` is a resource of one of the `expected` types; an OperationOutcome in
/// its place becomes `FhirError::Outcome`.
pub(crate) fn check_resource(
    value: Value,
    expected: &[&str],
    status: u16,
) -> Result<Value, FhirError> {
    let ty = value
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    if expected.contains(&ty) {
        return Ok(value);
    }
    if ty == "OperationOutcome" {
        let outcome: OperationOutcome = serde_json::from_value(value).unwrap_or_default();
        return Err(FhirError::Outcome {
            status,
            diagnostics: non_empty_or(outcome.summary(), "no details given"),
        });
    }
    Err(FhirError::BadResponse {
        detail: if ty.is_empty() {
            format!(
                "expected a {} but the JSON has no resourceType",
                expected.join(" or ")
            )
        } else {
            format!(
                "expected a {} but got a resource of type '{ty}'",
                expected.join(" or ")
            )
        },
    })
}

fn non_empty_or(s: String, fallback: &str) -> String {
    if s.trim().is_empty() {
        fallback.to_owned()
    } else {
        s
    }
}

/// The error an unsuccessful status stands for, using an OperationOutcome body if present.
pub(crate) fn status_error(
    status: u16,
    body: &[u8],
    retry_after: Option<Duration>,
    what: &str,
) -> FhirError {
    let outcome = serde_json::from_slice::<Value>(body)
        .ok()
        .filter(|v| v.get("resourceType").and_then(Value::as_str) == Some("OperationOutcome"))
        .and_then(|v| serde_json::from_value::<OperationOutcome>(v).ok())
        .map(|o| o.summary())
        .filter(|s| !s.trim().is_empty());
    match status {
        401 => FhirError::Unauthorized,
        403 => FhirError::Forbidden { detail: outcome },
        404 | 410 => FhirError::NotFound {
            what: what.to_owned(),
        },
        429 | 500..=599 if outcome.is_none() => FhirError::Server {
            status,
            retry_after,
        },
        _ => match outcome {
            Some(diagnostics) => FhirError::Outcome {
                status,
                diagnostics,
            },
            None => FhirError::Server {
                status,
                retry_after,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_and_brotli_bodies_decode() {
        let text = br#"{"resourceType":"Bundle"}"#.to_vec();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&text).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(decompress("gzip", gz, 1024).unwrap(), text);
        assert!(decompress("gzip", b"not gzip".to_vec(), 1024).is_err());
        assert!(decompress("zstd", text.clone(), 1024).is_err());
        assert_eq!(decompress("", text.clone(), 1024).unwrap(), text);
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        let zeros = vec![b' '; 10_000];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&zeros).unwrap();
        let err = decompress("gzip", gz.finish().unwrap(), 1000).unwrap_err();
        assert!(matches!(err, FhirError::BadResponse { .. }));
    }

    #[test]
    fn statuses_map_to_errors() {
        let oo = br#"{"resourceType":"OperationOutcome","issue":[{"severity":"error","diagnostics":"bad param"}]}"#;
        assert_eq!(status_error(401, b"", None, "x"), FhirError::Unauthorized);
        assert_eq!(
            status_error(400, oo, None, "x"),
            FhirError::Outcome {
                status: 400,
                diagnostics: "bad param".into()
            }
        );
        assert_eq!(
            status_error(404, oo, None, "Patient 'p'"),
            FhirError::NotFound {
                what: "Patient 'p'".into()
            }
        );
        assert_eq!(
            status_error(502, b"<html>", None, "x"),
            FhirError::Server {
                status: 502,
                retry_after: None
            }
        );
        assert!(matches!(
            parse_resource(b"{\"resourceType\":\"Patient\"}", &["Bundle"], 200),
            Err(FhirError::BadResponse { .. })
        ));
        assert!(matches!(
            parse_resource(b"{not json", &["Bundle"], 200),
            Err(FhirError::BadResponse { .. })
        ));
    }
}
