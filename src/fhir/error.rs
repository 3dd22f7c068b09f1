//! `FhirError`: everything that can go wrong talking to a FHIR server, as variants a caller
//! can act on (re-authenticate, retry, tell the user), each with a message a clinician can
//! understand. Messages never contain resource bodies or patient identifiers.

use std::time::Duration;

use crate::common::{Failure, FailureKind};

/// An error from the FHIR client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FhirError {
    /// The resource does not exist (HTTP 404 or 410).
    #[error("{what} was not found on the server")]
    NotFound { what: String },

    /// The server wants credentials, or the ones sent are no longer valid (HTTP 401).
    #[error("the server did not accept the login (HTTP 401): log in again")]
    Unauthorized,

    /// The credentials are valid but do not allow this (HTTP 403).
    #[error("access denied (HTTP 403){}", detail_suffix(.detail))]
    Forbidden { detail: Option<String> },

    /// The server answered with an OperationOutcome describing an error.
    #[error("the server refused the request (HTTP {status}): {diagnostics}")]
    Outcome { status: u16, diagnostics: String },

    /// The server failed, or is overloaded, without an OperationOutcome (HTTP 5xx, 429).
    #[error("{}", server_message(*.status, .retry_after))]
    Server {
        status: u16,
        retry_after: Option<Duration>,
    },

    /// No answer in time.
    #[error("the server did not answer within {}: try again, or check the network", seconds(*.after))]
    Timeout { after: Duration },

    /// The connection could not be made or was dropped.
    #[error("could not reach the server: {detail}")]
    Connection { detail: String },

    /// The server answered, but not with usable FHIR: invalid JSON, an unexpected
    /// resourceType, a body too large, an unknown encoding.
    #[error("the server sent a response rounds cannot use: {detail}")]
    BadResponse { detail: String },

    /// The request could not even be built (a bad base URL, say).
    #[error("invalid request: {detail}")]
    InvalidRequest { detail: String },
}

impl FhirError {
    /// Whether trying the same request again later might succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            FhirError::Timeout { .. } | FhirError::Connection { .. } => true,
            FhirError::Server { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// Whether the server refused the request as sent (400 or 422): the same request in
    /// another form (without `_elements`, with a bare id) may be taken.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            FhirError::Outcome {
                status: 400 | 422,
                ..
            } | FhirError::Server {
                status: 400 | 422,
                ..
            }
        )
    }

    /// Whether logging in again could help.
    pub fn needs_login(&self) -> bool {
        matches!(self, FhirError::Unauthorized)
    }

    /// The HTTP status the server answered with, if this came from one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FhirError::Unauthorized => Some(401),
            FhirError::Forbidden { .. } => Some(403),
            FhirError::Outcome { status, .. } | FhirError::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// What kind of failure this is, for deciding what to do.
    pub fn kind(&self) -> FailureKind {
        match self {
            FhirError::NotFound { .. } => FailureKind::NotFound,
            FhirError::Unauthorized => FailureKind::AuthExpired,
            FhirError::Forbidden { .. } => FailureKind::Forbidden,
            FhirError::Outcome { status, .. } | FhirError::Server { status, .. } => match status {
                409 | 412 | 422 => FailureKind::Conflict,
                _ => FailureKind::ServerRefused,
            },
            FhirError::Timeout { .. } => FailureKind::Timeout,
            FhirError::Connection { .. } => FailureKind::Network,
            FhirError::BadResponse { .. } => FailureKind::BadResponse,
            FhirError::InvalidRequest { .. } => FailureKind::Invalid,
        }
    }

    /// This error as a typed `Failure` (kind, words, the server's OperationOutcome).
    pub fn failure(&self) -> Failure {
        let outcome = match self {
            FhirError::Outcome { diagnostics, .. } => Some(diagnostics.clone()),
            FhirError::Forbidden { detail } => detail.clone(),
            _ => None,
        };
        Failure {
            kind: self.kind(),
            message: self.to_string(),
            outcome,
            retryable: self.is_transient(),
        }
    }
}

fn seconds(d: Duration) -> String {
    if d.as_secs() >= 1 && d.subsec_millis() == 0 {
        let n = d.as_secs();
        format!("{n} second{}", if n == 1 { "" } else { "s" })
    } else {
        format!("{:.1} seconds", d.as_secs_f64())
    }
}

fn detail_suffix(detail: &Option<String>) -> String {
    match detail {
        Some(d) if !d.trim().is_empty() => format!(": {d}"),
        _ => String::new(),
    }
}

fn server_message(status: u16, retry_after: &Option<Duration>) -> String {
    let base = match status {
        429 => "the server is busy and asked rounds to slow down (HTTP 429)".to_owned(),
        502..=504 => {
            format!("the server or a gateway in front of it is unavailable (HTTP {status})")
        }
        500..=599 => format!("the server failed while answering (HTTP {status})"),
        _ => format!("the server answered with an unexpected status (HTTP {status})"),
    };
    match retry_after {
        Some(d) => format!("{base}: try again in {} seconds", d.as_secs().max(1)),
        None => format!("{base}: try again later"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            FhirError::NotFound {
                what: "Patient 'x'".into()
            }
            .to_string(),
            "Patient 'x' was not found on the server"
        );
        assert_eq!(
            FhirError::Server {
                status: 503,
                retry_after: Some(Duration::from_secs(30))
            }
            .to_string(),
            "the server or a gateway in front of it is unavailable (HTTP 503): try again in 30 seconds"
        );
        assert_eq!(
            FhirError::Forbidden { detail: None }.to_string(),
            "access denied (HTTP 403)"
        );
        assert!(
            FhirError::Timeout {
                after: Duration::from_secs(5)
            }
            .is_transient()
        );
        assert!(!FhirError::Unauthorized.is_transient());
    }
}
