//! `AuthError`: what can go wrong signing in, refreshing or asking for a backend token, as
//! variants a caller can act on (sign in again, fix the configuration, retry), each with a
//! message a clinician can read. Messages never hold a token, a code, a verifier or a key.

use crate::fhir::FhirError;

/// An error from SMART discovery, login, refresh or backend services.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The server does not say how to sign in (no SMART configuration, no OAuth URIs).
    #[error("'{server}' does not say how to sign in: {detail}")]
    Discovery { server: String, detail: String },

    /// The server's SMART configuration rules out a safe login.
    #[error("'{server}' cannot be used safely: {detail}")]
    Unsupported { server: String, detail: String },

    /// A URL or setting given by the user or the configuration is not usable.
    #[error("{0}")]
    Config(String),

    /// The authorization server answered the sign-in with an error (`error=` in the redirect).
    #[error("the sign-in was refused: {error}{}", describe(.description))]
    Denied {
        error: String,
        description: Option<String>,
    },

    /// The redirect did not carry the `state` this login sent: it belongs to another
    /// login, or someone tried to slip their own authorization code in.
    #[error(
        "the sign-in answer does not belong to this login (its 'state' does not match): start the login again"
    )]
    StateMismatch,

    /// The pasted text is not the redirect URL the browser ended on.
    #[error("{0}")]
    BadRedirect(String),

    /// Nothing came back from the browser in time.
    #[error(
        "no answer from the browser within {secs} seconds: start the login again",
        secs = .0.as_secs()
    )]
    TimedOut(std::time::Duration),

    /// The user stopped the login.
    #[error("the login was cancelled")]
    Cancelled,

    /// The refresh token is expired, revoked or already used, or the authorization code
    /// was refused (`invalid_grant`): only a new login helps.
    #[error("the login has expired or was revoked: sign in again")]
    SignInAgain,

    /// The token endpoint refused the client itself (`invalid_client`, a bad assertion).
    #[error(
        "the server did not accept this client's identity ({detail}): check the client id and key"
    )]
    ClientRejected { detail: String },

    /// The token endpoint answered with another OAuth error.
    #[error("the server refused to issue a token: {error}{}", describe(.description))]
    TokenRefused {
        error: String,
        description: Option<String>,
    },

    /// The token endpoint answered with something that is not a usable token response.
    #[error("the server's token answer cannot be used: {0}")]
    BadTokenResponse(String),

    /// The id_token failed its checks (signature, issuer, audience, expiry).
    #[error("the server's identity token failed its check: {0}")]
    IdToken(String),

    /// The private key for backend services cannot be read or used.
    #[error("{0}")]
    Key(String),

    /// The network failed on the way to the authorization server.
    #[error("could not reach the sign-in server: {0}")]
    Network(String),

    /// The loopback listener for the browser's redirect could not be opened.
    #[error("{0}")]
    Listener(String),
}

impl AuthError {
    /// Whether a new interactive login is what the user must do next.
    pub fn needs_login(&self) -> bool {
        matches!(
            self,
            AuthError::SignInAgain | AuthError::StateMismatch | AuthError::TimedOut(_)
        )
    }

    /// Whether trying again later might succeed without the user doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, AuthError::Network(_))
    }
}

/// How an `AuthError` reaches the FHIR client: a lost login becomes `Unauthorized` (the TUI
/// asks for a new login); network trouble stays a connection error.
impl From<AuthError> for FhirError {
    fn from(e: AuthError) -> FhirError {
        match e {
            AuthError::SignInAgain | AuthError::ClientRejected { .. } => FhirError::Unauthorized,
            AuthError::Network(detail) => FhirError::Connection {
                detail: format!("the sign-in server could not be reached: {detail}"),
            },
            other => FhirError::InvalidRequest {
                detail: other.to_string(),
            },
        }
    }
}

fn describe(description: &Option<String>) -> String {
    match description {
        Some(d) if !d.trim().is_empty() => format!(" ({})", d.trim()),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            AuthError::SignInAgain.to_string(),
            "the login has expired or was revoked: sign in again"
        );
        assert!(
            AuthError::StateMismatch
                .to_string()
                .contains("start the login again")
        );
        assert_eq!(
            AuthError::Denied {
                error: "access_denied".into(),
                description: Some("The user denied access".into())
            }
            .to_string(),
            "the sign-in was refused: access_denied (The user denied access)"
        );
        assert_eq!(
            FhirError::from(AuthError::SignInAgain),
            FhirError::Unauthorized
        );
    }
}
