//! `OpenError`: why a data source could not be opened from the choice the user made (a
//! profile that does not exist, a stored sign-in that is missing or expired, a file that
//! cannot be read). Each variant says what kind of failure it is, so the command line can
//! give it its exit code and the interactive screen its words, without reading the text.

use super::secret_input::InputError;
use crate::auth::smart::AuthError;
use crate::auth::store::StoreError;
use crate::config::ProfilesError;
use crate::fhir::FhirError;
use crate::source::SourceError;

/// A data source that could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// The choice itself is not usable: conflicting flags, no source at all, a broken
    /// profiles file, a missing key path.
    #[error("{0}")]
    Usage(String),
    /// The profile named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The sign-in is missing, unreadable, expired or refused: a new login is needed.
    #[error("{0}")]
    Auth(String),
    /// The sign-in's server could not be reached.
    #[error("{0}")]
    Network(String),
    /// The source itself failed to open (a file, the server's address).
    #[error(transparent)]
    Source(#[from] SourceError),
}

impl OpenError {
    /// The error that asks for a new login of profile `name`.
    pub fn sign_in_again(name: &str, why: &str) -> OpenError {
        OpenError::Auth(format!(
            "{why}: sign in again: rounds login --profile {name}"
        ))
    }
}

impl From<ProfilesError> for OpenError {
    fn from(e: ProfilesError) -> OpenError {
        match e {
            ProfilesError::Unknown { .. } => OpenError::NotFound(e.to_string()),
            _ => OpenError::Usage(e.to_string()),
        }
    }
}

impl From<StoreError> for OpenError {
    fn from(e: StoreError) -> OpenError {
        OpenError::Auth(e.to_string())
    }
}

impl From<AuthError> for OpenError {
    /// Configuration and keys are the user's to fix, the network is the network, and
    /// everything else is a failed sign-in.
    fn from(e: AuthError) -> OpenError {
        match &e {
            AuthError::Network(_) => OpenError::Network(e.to_string()),
            AuthError::Config(_) | AuthError::Key(_) => OpenError::Usage(e.to_string()),
            _ => OpenError::Auth(e.to_string()),
        }
    }
}

impl From<InputError> for OpenError {
    fn from(e: InputError) -> OpenError {
        match e {
            InputError::Unreadable(m) => OpenError::Usage(m),
            InputError::NoTerminal(m) => OpenError::Auth(m),
        }
    }
}

impl From<FhirError> for OpenError {
    fn from(e: FhirError) -> OpenError {
        OpenError::Source(SourceError::Fhir(e))
    }
}
