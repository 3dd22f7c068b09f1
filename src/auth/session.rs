//! `SmartSession`: a signed-in session the FHIR client draws its `Authorization` header from
//! (`fhir::AuthProvider`). It refreshes ahead of expiry, once at a time however many
//! requests are waiting (single flight), uses a rotated refresh token at most once, and
//! calls the caller's persist callback after every change so the new refresh token is
//! saved before it is used. A backend session renews by asking for a new token instead.
//!
//! It owns the tokens in memory. It must not write them anywhere itself (the persist
//! callback does, through `auth/store.rs`) and never panics on a lost login: that is
//! `AuthError::SignInAgain`, which reaches the FHIR client as `FhirError::Unauthorized`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Utc;
use tokio::sync::Mutex;

use crate::auth::backend::BackendClient;
use crate::auth::smart::{self, AuthError, AuthHttp, RefreshPolicy, TokenKind, TokenSet};
use crate::fhir::{AuthProvider, Credentials, FhirError, Secret};

/// Called with the new tokens after every refresh, rotation or loss of the refresh token,
/// before the new access token is used, on a blocking thread (it may block on a keyring).
/// An `Err` is kept as a warning (`persist_warning`): the session goes on in memory.
pub type PersistFn = Arc<dyn Fn(&TokenSet) -> Result<(), String> + Send + Sync>;

/// A live session for one FHIR server.
pub struct SmartSession {
    http: AuthHttp,
    /// Held across a refresh: concurrent requests wait for the one refresh in flight.
    tokens: Mutex<TokenSet>,
    kind: TokenKind,
    persist: Option<PersistFn>,
    policy: RefreshPolicy,
    backend: Option<BackendClient>,
    persist_warning: std::sync::Mutex<Option<String>>,
    renewals: AtomicU64,
}

impl std::fmt::Debug for SmartSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmartSession")
            .field("kind", &self.kind)
            .field("renewals", &self.renewals.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl SmartSession {
    /// A session from a login's tokens (or tokens read back from the store).
    pub fn new(http: AuthHttp, tokens: TokenSet, persist: Option<PersistFn>) -> SmartSession {
        SmartSession {
            http,
            kind: tokens.kind,
            tokens: Mutex::new(tokens),
            persist,
            policy: RefreshPolicy::default(),
            backend: None,
            persist_warning: std::sync::Mutex::new(None),
            renewals: AtomicU64::new(0),
        }
    }

    /// A backend services session: renewed by a new client_credentials grant.
    pub fn backend(
        http: AuthHttp,
        client: BackendClient,
        tokens: TokenSet,
        persist: Option<PersistFn>,
    ) -> SmartSession {
        let mut s = SmartSession::new(http, tokens, persist);
        s.kind = TokenKind::Backend;
        s.backend = Some(client);
        s
    }

    /// Use `policy` to decide when to refresh.
    pub fn with_policy(mut self, policy: RefreshPolicy) -> SmartSession {
        self.policy = policy;
        self
    }

    /// This session as the FHIR client's credentials.
    pub fn credentials(self: &Arc<Self>) -> Credentials {
        Credentials::Provider(self.clone())
    }

    /// Whether a user or a backend identity is signed in.
    pub fn kind(&self) -> TokenKind {
        self.kind
    }

    /// A copy of the current tokens (for `auth status`; mind the secrets).
    pub async fn tokens(&self) -> TokenSet {
        self.tokens.lock().await.clone()
    }

    /// How many times the tokens were renewed in this session.
    pub fn renewals(&self) -> u64 {
        self.renewals.load(Ordering::Relaxed)
    }

    /// The last error of the persist callback, if saving failed (the login will not survive
    /// a restart).
    pub fn persist_warning(&self) -> Option<String> {
        self.persist_warning.lock().ok().and_then(|w| w.clone())
    }

    /// The access token for the next request, refreshed first when it is due. A due refresh
    /// that fails while the token is still valid is not an error: the token is used.
    pub async fn access_token(&self) -> Result<Secret, AuthError> {
        let mut tokens = self.tokens.lock().await;
        let now = Utc::now();
        if self.policy.is_due(&tokens, now) || tokens.is_expired(now) {
            match self.renew_locked(&mut tokens).await {
                Ok(()) => {}
                Err(e) if !tokens.is_expired(Utc::now()) && keep_using(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(tokens.access_token.clone())
    }

    /// Renew now, whatever the expiry says.
    pub async fn renew_now(&self) -> Result<(), AuthError> {
        let mut tokens = self.tokens.lock().await;
        self.renew_locked(&mut tokens).await
    }

    async fn renew_locked(&self, tokens: &mut TokenSet) -> Result<(), AuthError> {
        let next = match (&self.backend, tokens.refresh_token.is_some()) {
            (Some(client), _) => client.request_token(&self.http).await?,
            (None, true) => match smart::refresh(&self.http, tokens).await {
                Ok(next) => next,
                Err(AuthError::SignInAgain) => {
                    // Dead for good: never send it again, and let the store forget it.
                    tokens.refresh_token = None;
                    self.save(tokens).await;
                    return Err(AuthError::SignInAgain);
                }
                Err(e) => return Err(e),
            },
            (None, false) => return Err(AuthError::SignInAgain),
        };
        // The old refresh token is replaced before anything else can read it.
        *tokens = next;
        self.renewals.fetch_add(1, Ordering::Relaxed);
        self.save(tokens).await;
        Ok(())
    }

    /// Hand `tokens` to the persist callback and wait for it. It runs on a blocking thread
    /// (a keyring may block, or start its own runtime); the session lock is held meanwhile,
    /// so no request uses the new tokens before they are saved.
    async fn save(&self, tokens: &TokenSet) {
        let Some(persist) = self.persist.clone() else {
            return;
        };
        let copy = tokens.clone();
        let result = tokio::task::spawn_blocking(move || persist(&copy))
            .await
            .unwrap_or_else(|_| Err("saving the login failed unexpectedly".to_owned()));
        if let Ok(mut w) = self.persist_warning.lock() {
            *w = result.err();
        }
    }
}

/// Errors after which a still-valid access token is used anyway.
fn keep_using(e: &AuthError) -> bool {
    e.is_transient() || matches!(e, AuthError::SignInAgain)
}

#[async_trait::async_trait]
impl AuthProvider for SmartSession {
    async fn authorization(&self) -> Result<Secret, FhirError> {
        let token = self.access_token().await?;
        Ok(Secret::new(format!("Bearer {}", token.expose())))
    }

    async fn renew(&self, rejected: &Secret) -> Result<bool, FhirError> {
        let mut tokens = self.tokens.lock().await;
        if tokens.bearer() != *rejected {
            // Another request renewed it meanwhile: try again with the new one.
            return Ok(true);
        }
        match self.renew_locked(&mut tokens).await {
            Ok(()) => Ok(true),
            Err(AuthError::SignInAgain) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}
