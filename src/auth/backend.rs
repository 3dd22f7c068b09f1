//! SMART Backend Services: a client_credentials grant authenticated with a signed JWT
//! (`private_key_jwt`, RS384 or ES384) from a PEM private key file. The result is a
//! `TokenSet` of kind `Backend`: not tied to one user, so not per-user auditable, for scripts
//! and exports only (DOMAIN.md finding 7).
//!
//! It owns the assertion and the grant. It must not log the key or the assertion, and it
//! keeps the key in memory only as long as the `BackendClient` lives.

use std::path::PathBuf;

use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use oauth2::{CsrfToken, Scope};
use serde::{Deserialize, Serialize};

use crate::auth::smart::{
    AuthError, AuthHttp, Issued, SmartConfiguration, TokenKind, TokenSet, token_client,
    token_error, token_set,
};
use crate::fhir::Secret;

/// The scopes asked for when the caller names none.
pub const DEFAULT_BACKEND_SCOPES: &str = "system/*.rs";

/// The assertion's lifetime: SMART allows at most five minutes.
const ASSERTION_LIFETIME_SECS: i64 = 240;

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The signature algorithms SMART Backend Services requires servers to support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SigningAlg {
    RS384,
    ES384,
}

/// A backend client's registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendConfig {
    pub client_id: String,
    pub fhir_base: String,
    pub token_endpoint: String,
    /// PEM private key (PKCS#8, or PKCS#1 for RSA).
    pub key_path: PathBuf,
    /// `None`: RS384 for an RSA key, ES384 for an EC key.
    pub alg: Option<SigningAlg>,
    /// The key id registered in the client's JWKS, sent as the JWT's `kid`.
    pub kid: Option<String>,
    pub scopes: Vec<String>,
}

impl BackendConfig {
    /// A configuration for `server` with the default scopes.
    pub fn new(
        server: &SmartConfiguration,
        client_id: impl Into<String>,
        key_path: impl Into<PathBuf>,
    ) -> BackendConfig {
        BackendConfig {
            client_id: client_id.into(),
            fhir_base: server.fhir_base.clone(),
            token_endpoint: server.token_endpoint.clone(),
            key_path: key_path.into(),
            alg: None,
            kid: None,
            scopes: DEFAULT_BACKEND_SCOPES
                .split(' ')
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// A backend client with its key loaded.
pub struct BackendClient {
    config: BackendConfig,
    key: EncodingKey,
    alg: SigningAlg,
}

impl std::fmt::Debug for BackendClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendClient")
            .field("client_id", &self.config.client_id)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: i64,
    iat: i64,
    jti: String,
}

impl BackendClient {
    /// Read the key of `config`.
    pub fn load(config: BackendConfig) -> Result<BackendClient, AuthError> {
        let shown = config.key_path.display().to_string();
        let pem = std::fs::read(&config.key_path).map_err(|e| {
            AuthError::Key(format!("the private key '{shown}' cannot be read ({e})"))
        })?;
        let as_rsa = || EncodingKey::from_rsa_pem(&pem).ok();
        let as_ec = || EncodingKey::from_ec_pem(&pem).ok();
        let (key, alg) = match config.alg {
            Some(SigningAlg::RS384) => (as_rsa(), SigningAlg::RS384),
            Some(SigningAlg::ES384) => (as_ec(), SigningAlg::ES384),
            None => match as_rsa() {
                Some(k) => (Some(k), SigningAlg::RS384),
                None => (as_ec(), SigningAlg::ES384),
            },
        };
        let key = key.ok_or_else(|| {
            AuthError::Key(format!(
                "'{shown}' is not a PEM {} private key",
                match config.alg {
                    Some(SigningAlg::RS384) => "RSA",
                    Some(SigningAlg::ES384) => "EC (P-384)",
                    None => "RSA or EC",
                }
            ))
        })?;
        let client = BackendClient { config, key, alg };
        // Sign once now, so a key that cannot sign (an EC key on the wrong curve) is
        // reported at load, not at the first request.
        client.assertion()?;
        Ok(client)
    }

    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// A fresh client assertion: `iss` = `sub` = client id, `aud` = the token endpoint,
    /// a unique `jti`, expiring in four minutes.
    pub fn assertion(&self) -> Result<Secret, AuthError> {
        let mut header = Header::new(match self.alg {
            SigningAlg::RS384 => Algorithm::RS384,
            SigningAlg::ES384 => Algorithm::ES384,
        });
        header.typ = Some("JWT".into());
        header.kid = self.config.kid.clone();
        let now = Utc::now().timestamp();
        let claims = AssertionClaims {
            iss: &self.config.client_id,
            sub: &self.config.client_id,
            aud: &self.config.token_endpoint,
            exp: now + ASSERTION_LIFETIME_SECS,
            iat: now,
            jti: CsrfToken::new_random_len(24).secret().clone(),
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map(Secret::new)
            .map_err(|_| {
                AuthError::Key(format!(
                    "the private key '{}' cannot sign {:?} assertions",
                    self.config.key_path.display(),
                    self.alg
                ))
            })
    }

    /// Ask the token endpoint for an access token.
    pub async fn request_token(&self, http: &AuthHttp) -> Result<TokenSet, AuthError> {
        let assertion = self.assertion()?;
        let resp = token_client(&self.config.client_id, &self.config.token_endpoint)?
            .exchange_client_credentials()
            .add_scopes(self.config.scopes.iter().cloned().map(Scope::new))
            .add_extra_param("client_assertion_type", ASSERTION_TYPE)
            .add_extra_param("client_assertion", assertion.expose().to_owned())
            .request_async(http)
            .await
            .map_err(token_error)?;
        let mut tokens = token_set(
            &resp,
            &Issued {
                kind: TokenKind::Backend,
                fhir_base: &self.config.fhir_base,
                token_endpoint: &self.config.token_endpoint,
                client_id: &self.config.client_id,
                requested: &self.config.scopes,
            },
        );
        // A backend session renews with a new assertion, never with a refresh token.
        tokens.refresh_token = None;
        Ok(tokens)
    }
}
