//! SMART App Launch 2.x standalone launch for a public native client: discovery, the
//! authorization code flow with PKCE S256, an exact `state` check and `aud` = the FHIR base,
//! the loopback redirect (or a pasted one, over SSH), the code exchange and the refresh.
//!
//! It owns the protocol only. It must not touch a terminal (the caller's `LoginPrompt`
//! does), store a token (the caller's persist callback and `auth/store.rs` do), or put a
//! token, code or verifier in an error, a log or anything it prints.

mod discovery;
mod error;
mod idtoken;
mod loopback;
mod oauth;
mod prompt;
mod token;

use std::time::Duration;

use oauth2::{AuthUrl, AuthorizationCode, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope};

pub(crate) use discovery::is_safe_endpoint;
pub use discovery::{DiscoverySource, SmartConfiguration, discover, discover_with_capabilities};
pub use error::AuthError;
pub use loopback::CALLBACK_PATH;
pub use oauth::AuthHttp;
pub use prompt::{
    BrowserMode, Environment, LoginPrompt, ManualLogin, SshSession, open_system_browser, ssh_hint,
};
pub use token::{Identity, RefreshPolicy, TokenKind, TokenSet};

pub(crate) use oauth::{Issued, token_client, token_error, token_set};

use loopback::{Expected, Loopback, parse_pasted};

/// The scopes asked for when the caller names none: who the user is, a refresh token, and
/// read/search of every resource type the user may see.
pub const DEFAULT_SCOPES: &str = "openid fhirUser offline_access user/*.rs";

/// How long a login waits for the browser by default.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// One interactive login.
#[derive(Debug, Clone)]
pub struct LoginRequest {
    /// The client id registered with the EHR for rounds (a public client).
    pub client_id: String,
    pub scopes: Vec<String>,
    /// The loopback port for the redirect; 0 picks a free one. A fixed port suits a
    /// standing `ssh -L` forward.
    pub port: u16,
    pub browser: BrowserMode,
    /// How long to wait for the browser or the paste.
    pub timeout: Duration,
    pub environment: Environment,
}

impl LoginRequest {
    /// A login with the default scopes, any port, the detected environment and 5 minutes.
    pub fn new(client_id: impl Into<String>) -> LoginRequest {
        LoginRequest {
            client_id: client_id.into(),
            scopes: DEFAULT_SCOPES.split(' ').map(str::to_owned).collect(),
            port: 0,
            browser: BrowserMode::Auto,
            timeout: DEFAULT_LOGIN_TIMEOUT,
            environment: Environment::detect(),
        }
    }
}

/// Sign in interactively to the server described by `server`.
pub async fn login(
    http: &AuthHttp,
    server: &SmartConfiguration,
    request: &LoginRequest,
    prompt: &dyn LoginPrompt,
) -> Result<TokenSet, AuthError> {
    let auth_endpoint = server.login_endpoint()?;
    if request.client_id.trim().is_empty() {
        return Err(AuthError::Config(
            "no client id is set for this server: register rounds with the EHR and give its client id".into(),
        ));
    }
    let auth_url = AuthUrl::new(auth_endpoint.to_owned()).map_err(|_| AuthError::Discovery {
        server: server.fhir_base.clone(),
        detail: format!("its authorization endpoint '{auth_endpoint}' is not a valid URL"),
    })?;
    let loopback = Loopback::bind(request.port).await?;
    let redirect = RedirectUrl::new(loopback.redirect_uri())
        .map_err(|_| AuthError::Listener("the loopback redirect address is not valid".into()))?;
    let client = token_client(&request.client_id, &server.token_endpoint)?
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(request.scopes.iter().cloned().map(Scope::new))
        .add_extra_param("aud", server.fhir_base.clone())
        .set_pkce_challenge(challenge)
        .url();
    let expected = Expected {
        state: state.secret(),
        issuer: server.issuer.as_deref(),
    };

    let manual = ManualLogin {
        authorization_url: url.to_string(),
        port: loopback.port(),
        ssh_hint: request
            .environment
            .ssh
            .as_ref()
            .map(|s| ssh_hint(loopback.port(), s)),
    };
    let open = match request.browser {
        BrowserMode::Manual => false,
        BrowserMode::Open => true,
        BrowserMode::Auto => request.environment.can_open_browser(),
    };
    let opened = if open {
        match prompt.open_browser(manual.authorization_url.as_str()).await {
            Ok(()) => true,
            Err(reason) => {
                prompt.status(&format!("{reason}; open the address yourself"));
                false
            }
        }
    } else {
        false
    };
    if !opened {
        prompt.show_manual(&manual);
    }
    let wait = async {
        if opened {
            return loopback.wait(&expected).await;
        }
        let pasted = async {
            loop {
                let Some(text) = prompt.read_redirect().await else {
                    return std::future::pending().await;
                };
                match parse_pasted(&text, &expected) {
                    Err(AuthError::BadRedirect(why)) => prompt.status(&why),
                    other => return other,
                }
            }
        };
        tokio::select! {
            r = loopback.wait(&expected) => r,
            r = pasted => r,
        }
    };
    let code = tokio::time::timeout(request.timeout, wait)
        .await
        .map_err(|_| AuthError::TimedOut(request.timeout))??;
    drop(loopback);

    let resp = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await
        .map_err(token_error)?;
    let mut tokens = token_set(
        &resp,
        &Issued {
            kind: TokenKind::User,
            fhir_base: &server.fhir_base,
            token_endpoint: &server.token_endpoint,
            client_id: &request.client_id,
            requested: &request.scopes,
        },
    );
    if let Some(id_token) = &resp.extra_fields().id_token {
        let expect = idtoken::Expect {
            jwks_uri: server.jwks_uri.as_deref(),
            issuer: server.issuer.as_deref(),
            client_id: &request.client_id,
        };
        tokens.identity = Some(idtoken::identity(http, id_token, &expect).await?);
    }
    Ok(tokens)
}

/// Exchange the refresh token of `tokens` for new tokens. When the server rotates the
/// refresh token, the result holds only the new one; otherwise the old one is kept.
/// `invalid_grant` (expired, revoked or already used) is `AuthError::SignInAgain`.
pub async fn refresh(http: &AuthHttp, tokens: &TokenSet) -> Result<TokenSet, AuthError> {
    let Some(refresh_token) = &tokens.refresh_token else {
        return Err(AuthError::SignInAgain);
    };
    let rt = oauth2::RefreshToken::new(refresh_token.expose().to_owned());
    let resp = token_client(&tokens.client_id, &tokens.token_endpoint)?
        .exchange_refresh_token(&rt)
        .request_async(http)
        .await
        .map_err(token_error)?;
    let mut next = token_set(
        &resp,
        &Issued {
            kind: tokens.kind,
            fhir_base: &tokens.fhir_base,
            token_endpoint: &tokens.token_endpoint,
            client_id: &tokens.client_id,
            requested: &tokens.scopes,
        },
    );
    if next.refresh_token.is_none() {
        next.refresh_token = tokens.refresh_token.clone();
    }
    next.identity = tokens.identity.clone();
    next.patient = next.patient.or_else(|| tokens.patient.clone());
    next.encounter = next.encounter.or_else(|| tokens.encounter.clone());
    Ok(next)
}

/// Revoke the refresh token of `tokens` (or its access token, without one) at
/// `revocation_endpoint` (RFC 7009), as the public client. For logout: best effort.
pub async fn revoke(
    http: &AuthHttp,
    revocation_endpoint: &str,
    tokens: &TokenSet,
) -> Result<(), AuthError> {
    let (token, hint) = match &tokens.refresh_token {
        Some(rt) => (rt.expose(), "refresh_token"),
        None => (tokens.access_token.expose(), "access_token"),
    };
    let form = [
        ("token", token),
        ("token_type_hint", hint),
        ("client_id", tokens.client_id.as_str()),
    ];
    match http.post_form(revocation_endpoint, &form).await? {
        200..=299 => Ok(()),
        status => Err(AuthError::Network(format!(
            "the revocation endpoint answered HTTP {status}"
        ))),
    }
}
