//! Signing in again during a session: after the idle lock, or when the server stops
//! accepting the session (a 401 that no silent refresh could fix). A remote source built
//! from a profile carries a `SignIn` that knows how that profile authenticates; the TUI
//! hands it a `LoginPrompt` that shows instructions and takes a pasted redirect on screen.
//!
//! It owns the hook only: how each kind of profile signs in lives with the profiles
//! (`cli::profile_source`), and nothing here touches a terminal.

use async_trait::async_trait;

use crate::auth::smart::LoginPrompt;
use crate::fhir::Credentials;

/// How a source's user authenticates again.
#[async_trait]
pub trait SignIn: Send + Sync {
    /// Authenticate again and return the credentials to use from now on. Interactive
    /// logins reach the user through `prompt`. Errors are messages for the user.
    async fn sign_in_again(&self, prompt: &dyn LoginPrompt) -> Result<Credentials, String>;

    /// Whether signing in needs the user (a browser login or a password), as opposed to
    /// reading a stored secret again.
    fn interactive(&self) -> bool {
        false
    }
}

/// A `LoginPrompt` for callers that cannot show anything: no browser, no paste. A login
/// through it can only finish by the loopback redirect.
pub struct NoPrompt;

#[async_trait]
impl LoginPrompt for NoPrompt {
    async fn open_browser(&self, _url: &str) -> Result<(), String> {
        Err("no browser can be opened here".into())
    }

    fn show_manual(&self, _login: &crate::auth::smart::ManualLogin) {}

    async fn read_redirect(&self) -> Option<String> {
        None
    }
}
