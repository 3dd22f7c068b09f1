//! Signing in again from the TUI for a profile (after the idle lock, or when the server
//! ended the session): a SMART profile logs in anew through the TUI's prompt (the browser,
//! or the address and the `ssh -L` hint on screen and a pasted redirect); a basic, token or
//! backend profile reads its secret from its store again (a locked keyring asks to be
//! unlocked) and starts a new session over it.
//!
//! It owns that choice only; the login protocol is `auth::smart`, the storage
//! `auth::store`, and nothing here draws or reads the terminal.

use async_trait::async_trait;

use super::credentials::{credentials, session_credentials};
use super::{NetOptions, profile_client_config};
use crate::auth::smart::{self, AuthHttp, BrowserMode, LoginPrompt, LoginRequest};
use crate::auth::store::{SecretKind, SecretStore, StoreKind};
use crate::auth::stored_tokens::{split_scopes, token_secret};
use crate::config::{AuthKind, Profile};
use crate::fhir::Credentials;
use crate::source::SignIn;

/// How one profile signs in again.
pub struct ProfileSignIn {
    pub name: String,
    pub profile: Profile,
    pub net: NetOptions,
}

impl ProfileSignIn {
    /// The SMART login, through `prompt`; the new tokens are stored before they are used.
    async fn smart(&self, prompt: &dyn LoginPrompt) -> Result<Credentials, String> {
        let client_id =
            self.profile.client_id.clone().ok_or(
                "this profile has no client id: rounds login --profile NAME --client-id ID",
            )?;
        let config = profile_client_config(&self.profile, &self.net);
        let http = AuthHttp::new(&config).map_err(|e| e.to_string())?;
        let server = smart::discover(&http, &self.profile.server)
            .await
            .map_err(|e| e.to_string())?;
        let mut request = LoginRequest::new(client_id);
        if let Some(scopes) = &self.profile.scopes {
            request.scopes = split_scopes(scopes);
        }
        request.browser = BrowserMode::Auto;
        let tokens = smart::login(&http, &server, &request, prompt)
            .await
            .map_err(|e| e.to_string())?;
        let secret = token_secret(&tokens)?;
        if self.profile.store != StoreKind::Memory {
            let (name, store) = (self.name.clone(), self.profile.store);
            let saved = secret.clone();
            tokio::task::spawn_blocking(move || {
                SecretStore::open(store)
                    .and_then(|s| s.set(&name, SecretKind::SmartTokens, &saved))
                    .map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())??;
        }
        session_credentials(&self.name, &self.profile, &self.net, &secret)
            .map_err(|e| e.to_string())
    }
}

#[async_trait]
impl SignIn for ProfileSignIn {
    async fn sign_in_again(&self, prompt: &dyn LoginPrompt) -> Result<Credentials, String> {
        match self.profile.auth {
            AuthKind::None => Ok(Credentials::None),
            AuthKind::Smart => self.smart(prompt).await,
            AuthKind::Basic | AuthKind::Token if self.profile.store == StoreKind::Memory => Err(
                "this profile keeps its secret for this session only: quit and start rounds again to sign in"
                    .into(),
            ),
            AuthKind::Basic | AuthKind::Token | AuthKind::Backend => {
                let (name, profile, net) =
                    (self.name.clone(), self.profile.clone(), self.net.clone());
                // The store may block (a keyring asking to be unlocked): not on the runtime.
                tokio::task::spawn_blocking(move || credentials(&name, &profile, &net))
                    .await
                    .map_err(|e| e.to_string())?
                    .map_err(|e| e.to_string())
            }
        }
    }

    fn interactive(&self) -> bool {
        self.profile.auth == AuthKind::Smart
    }
}
