//! Reading a response: header sizes and validators, decompression under the size cap,
//! the body as a FHIR resource of the expected type, and a failed status as a `FhirError`
//! (using the server's OperationOutcome when it sent one).

use std::io::Read;
use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use serde_json::Value;

use super::http::RawResponse;
use crate::fhir::error::FhirError;
use crate::fhir::model::OperationOutcome;

pub(crate) fn header_bytes(headers: &HeaderMap) -> u64 {
    // Status line plus "name: value\r\n" for each header: HTTP/1.1 sizes; HTTP/2 compresses
    // headers, so this is an upper bound there.
    17 + headers
        .iter()
        .map(|(k, v)| (k.as_str().len() + v.len() + 4) as u64)
        .sum::<u64>()
}

/// Whether `body` is well-formed JSON with a `resourceType` (parsed, not kept).
pub(crate) fn looks_like_resource(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "resourceType")]
        resource_type: String,
    }
    serde_json::from_slice::<Head>(body).is_ok_and(|h| !h.resource_type.is_empty())
}

pub(crate) fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() < 200)
        .map(str::to_owned)
}

/// The server's `Retry-After`, as it said it: seconds, or an HTTP date (counted from now).
/// It is not capped here: the message shows the server's value, and the client waits by
/// itself only for short ones (`ClientConfig::max_retry_after`).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = v.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

pub(crate) fn too_large(limit: usize) -> FhirError {
    FhirError::BadResponse {
        detail: format!(
            "the response is larger than the {} MB rounds accepts",
            limit / (1024 * 1024)
        ),
    }
}

pub(crate) fn decompress(
    encoding: &str,
    body: Vec<u8>,
    limit: usize,
) -> Result<Vec<u8>, FhirError> {
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

    /// Every encoding the client accepts stops at the limit: deflate made here, brotli from
    /// an 841-byte fixture that inflates to 1 GiB.
    #[test]
    fn deflate_and_brotli_bombs_stop_at_the_limit() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&vec![b' '; 1 << 20]).unwrap();
        let deflate = z.finish().unwrap();
        let brotli = include_bytes!("../../../fixtures/bombs/spaces-1gib.br").to_vec();
        for (encoding, body) in [("deflate", deflate), ("br", brotli)] {
            let err = decompress(encoding, body, 64 * 1024).unwrap_err();
            assert_eq!(err, too_large(64 * 1024), "{encoding}");
        }
    }

    #[test]
    fn retry_after_is_the_servers_value() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "86400".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(86400)));
        let later = chrono::Utc::now() + chrono::Duration::seconds(7200);
        h.insert(header::RETRY_AFTER, later.to_rfc2822().parse().unwrap());
        let got = retry_after(&h).unwrap().as_secs();
        assert!((7100..=7200).contains(&got), "{got}");
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
        let e = FhirError::Server {
            status: 429,
            retry_after: Some(Duration::from_secs(86400)),
        };
        assert!(e.to_string().contains("try again in 86400 seconds"), "{e}");
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
