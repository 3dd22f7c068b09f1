//! Exit codes and error messages for the scripting CLI.

use std::process::ExitCode;

use crate::auth::smart::AuthError;
use crate::auth::store::StoreError;
use crate::common::FailureKind;
use crate::config::ProfilesError;
use crate::fhir::FhirError;
use crate::source::SourceError;
use crate::source::profile::OpenError;
use crate::source::profile::secret_input::InputError;

/// Success.
pub const OK: u8 = 0;
/// `rounds doctor` found a failure (its own usage errors keep the codes below).
pub const CHECK_FAILED: u8 = 1;
/// Bad usage or bad input (arguments, dates, files that are not FHIR).
pub const USAGE: u8 = 2;
/// The patient (or resource) does not exist.
pub const NOT_FOUND: u8 = 3;
/// The server wants a login, or refuses this user.
pub const AUTH: u8 = 4;
/// The network or the server failed (or refused a write).
pub const NETWORK: u8 = 5;
/// A write met a conflict: someone changed the record first; nothing was overwritten.
pub const CONFLICT: u8 = 6;
/// A write is kept in the outbox but not sent yet (the network): its item id is printed.
pub const QUEUED: u8 = 7;
/// A registration found possible duplicates (listed); nothing was created.
pub const CANDIDATES: u8 = 8;

/// An error that ends a command, with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub message: String,
    /// What kind of failure it was, when it came from a data source or a server.
    pub failure: Option<FailureKind>,
    /// The output's reader went away (`rounds … | head`): nothing to report, and no
    /// failure either.
    pub output_closed: bool,
}

impl CliError {
    pub fn new(code: u8, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
            failure: None,
            output_closed: false,
        }
    }

    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(USAGE, message)
    }

    /// Writing the output failed. A closed pipe is told apart by the I/O error's kind,
    /// never by its text.
    pub fn output(e: &std::io::Error) -> CliError {
        let mut err = CliError::new(NETWORK, format!("could not write the output: {e}"));
        err.output_closed = e.kind() == std::io::ErrorKind::BrokenPipe;
        err
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code)
    }
}

impl From<SourceError> for CliError {
    fn from(e: SourceError) -> CliError {
        let failure = e.failure();
        let code = match failure.kind {
            FailureKind::NotFound => NOT_FOUND,
            FailureKind::AuthExpired | FailureKind::Forbidden => AUTH,
            FailureKind::Invalid => USAGE,
            FailureKind::Network
            | FailureKind::Timeout
            | FailureKind::Conflict
            | FailureKind::ServerRefused
            | FailureKind::BadResponse => NETWORK,
        };
        let mut err = CliError::new(code, failure.message);
        err.failure = Some(failure.kind);
        err
    }
}

impl From<OpenError> for CliError {
    fn from(e: OpenError) -> CliError {
        let code = match &e {
            OpenError::Usage(_) => USAGE,
            OpenError::NotFound(_) => NOT_FOUND,
            OpenError::Auth(_) => AUTH,
            OpenError::Network(_) => NETWORK,
            OpenError::Source(s) => return CliError::from(s.clone()),
        };
        CliError::new(code, e.to_string())
    }
}

/// A profiles-file error with its exit code (an unknown profile is "not found").
pub fn profiles_error(e: ProfilesError) -> CliError {
    OpenError::from(e).into()
}

/// A store error: an authentication failure (exit 4).
pub fn store_error(e: StoreError) -> CliError {
    OpenError::from(e).into()
}

/// An `AuthError` with its exit code: configuration and keys are usage (2), the network is
/// 5, and everything else is an authentication failure (4).
pub fn auth_error(e: AuthError) -> CliError {
    OpenError::from(e).into()
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> CliError {
        OpenError::from(e).into()
    }
}

impl From<FhirError> for CliError {
    fn from(e: FhirError) -> CliError {
        CliError::from(SourceError::Fhir(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_map_to_documented_codes() {
        let code = |e: FhirError| CliError::from(e).code;
        assert_eq!(code(FhirError::NotFound { what: "x".into() }), 3);
        assert_eq!(code(FhirError::Unauthorized), 4);
        assert_eq!(code(FhirError::Forbidden { detail: None }), 4);
        assert_eq!(
            code(FhirError::Timeout {
                after: std::time::Duration::from_secs(1)
            }),
            5
        );
        assert_eq!(code(FhirError::BadResponse { detail: "x".into() }), 5);
        assert_eq!(code(FhirError::InvalidRequest { detail: "x".into() }), 2);
        let local = SourceError::Local {
            path: "a".into(),
            problem: "b".into(),
        };
        assert_eq!(CliError::from(local).code, 2);
    }

    #[test]
    fn auth_errors_map_to_exit_codes() {
        assert_eq!(auth_error(AuthError::Network("x".into())).code, NETWORK);
        assert_eq!(auth_error(AuthError::Key("x".into())).code, USAGE);
        assert_eq!(auth_error(AuthError::SignInAgain).code, AUTH);
    }
}
