//! `Failure`: what went wrong with a piece of work, typed, as it crosses from the worker to
//! `update` (and from a data source to the command line). The kind says what to do about it
//! (sign in again, retry, show a conflict, give up); the message says it in words for the
//! user; the server's OperationOutcome text comes with it when the server sent one.
//!
//! Code decides by `kind` and `retryable`, never by reading `message`.

use std::fmt;

/// What kind of failure this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The server could not be reached, or the connection dropped.
    Network,
    /// The server did not answer in time.
    Timeout,
    /// The server no longer accepts the sign-in (HTTP 401, or a renewal was refused): the
    /// user must sign in again.
    AuthExpired,
    /// The sign-in is valid but not allowed to do this (HTTP 403).
    Forbidden,
    /// What was asked for does not exist (HTTP 404 / 410, or not in the local files).
    NotFound,
    /// Someone else changed the resource first, or the write's precondition failed
    /// (HTTP 409, 412, 422): never resolved by overwriting.
    Conflict,
    /// The server refused the request or failed while answering (other 4xx, 5xx).
    ServerRefused,
    /// The server answered with something rounds cannot use.
    BadResponse,
    /// The request or input itself is not usable (a bad address, a file that is not FHIR,
    /// a search that makes no sense).
    Invalid,
}

/// A failure, typed, with the words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    /// What went wrong and what to do, for the user.
    pub message: String,
    /// The server's OperationOutcome, summarised, when it sent one.
    pub outcome: Option<String>,
    /// Whether the same request may work if tried again later (network, timeout, 429, 5xx).
    pub retryable: bool,
}

impl Failure {
    /// A failure of `kind` with `message`; retryable when the kind usually is.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Failure {
        Failure {
            kind,
            message: message.into(),
            outcome: None,
            retryable: matches!(kind, FailureKind::Network | FailureKind::Timeout),
        }
    }

    /// Whether only signing in again can help.
    pub fn needs_sign_in(&self) -> bool {
        self.kind == FailureKind::AuthExpired
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}
