//! A stored SMART or backend-services token set at work on the command line: read back
//! from the profile's store into a `SmartSession` whose renewed tokens are saved to the same
//! store entry, described for `login` and `auth status` (who, scopes, expiry, whether a
//! refresh token is held), and revoked on `logout`.
//!
//! It never prints or returns a token: only `token_secret` makes the blob the store keeps.

use std::sync::Arc;

use chrono::Utc;
use serde::Serialize;

use super::CliError;
use super::args::NetArgs;
use super::exit::{AUTH, USAGE};
use super::profile_source::client_config;
use super::smart_login::{auth_error, split_scopes};
use crate::auth::backend::{BackendClient, BackendConfig, DEFAULT_BACKEND_SCOPES};
use crate::auth::session::{PersistFn, SmartSession};
use crate::auth::smart::{self, AuthHttp, TokenKind, TokenSet};
use crate::auth::store::{SecretKind, SecretStore};
use crate::config::{AuthKind, Profile};
use crate::fhir::{Credentials, Secret};

/// How `auth status` and `login` name a backend identity.
pub const BACKEND_USER: &str = "backend services: not tied to one user (no per-user audit)";

/// The token set as the one secret the store keeps.
pub fn token_secret(tokens: &TokenSet) -> Result<Secret, CliError> {
    serde_json::to_string(tokens)
        .map(Secret::new)
        .map_err(|e| CliError {
            code: AUTH,
            message: format!("the sign-in could not be kept: {e}"),
        })
}

/// The token set back from its stored form; `None` if it is not one.
pub fn parse_tokens(secret: &Secret) -> Option<TokenSet> {
    serde_json::from_str(secret.expose()).ok()
}

/// Who the tokens act for, in words: the user's name and FHIR identity, or the backend.
pub fn describe_user(tokens: &TokenSet) -> String {
    if tokens.kind == TokenKind::Backend {
        return BACKEND_USER.to_owned();
    }
    let Some(who) = &tokens.identity else {
        return "not said by the server (ask for the scopes 'openid fhirUser')".to_owned();
    };
    let id = who.fhir_user.as_ref().or(who.sub.as_ref());
    match (&who.name, id) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (Some(name), None) => name.clone(),
        (None, Some(id)) => id.clone(),
        (None, None) => "not said by the server".to_owned(),
    }
}

/// What `auth status` shows of a stored token set.
#[derive(Debug, Clone, Serialize)]
pub struct TokenDetails {
    pub user: String,
    pub scopes_granted: String,
    /// RFC 3339, UTC.
    pub expires_at: Option<String>,
    pub expired: bool,
    /// Whether a refresh token is held (never its value).
    pub refresh_token: bool,
}

/// The details of a stored token set; `None` if the secret is not one.
pub fn details(secret: &Secret) -> Option<TokenDetails> {
    let tokens = parse_tokens(secret)?;
    Some(TokenDetails {
        user: describe_user(&tokens),
        scopes_granted: tokens.scopes.join(" "),
        expires_at: tokens
            .expires_at
            .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        expired: tokens.is_expired(Utc::now()),
        refresh_token: tokens.refresh_token.is_some(),
    })
}

/// The error that asks for a new login.
pub fn sign_in_again(name: &str, why: &str) -> CliError {
    CliError {
        code: AUTH,
        message: format!("{why}: sign in again: rounds login --profile {name}"),
    }
}

/// Credentials for a SMART or backend profile: a session over the stored tokens that
/// renews them when due and saves each renewal back to the same store entry.
pub fn credentials(
    name: &str,
    profile: &Profile,
    net: &NetArgs,
    secret: &Secret,
) -> Result<Credentials, CliError> {
    let tokens = parse_tokens(secret).ok_or_else(|| {
        sign_in_again(
            name,
            "the stored sign-in cannot be read (it may be from another version)",
        )
    })?;
    if tokens.fhir_base.trim_end_matches('/') != profile.server.trim_end_matches('/') {
        return Err(sign_in_again(
            name,
            &format!(
                "the stored sign-in is for '{}', not this profile's server",
                tokens.fhir_base
            ),
        ));
    }
    let ca_bundle = net.ca_bundle.clone().or_else(|| profile.ca_bundle.clone());
    let http =
        AuthHttp::new(&client_config(&profile.server, ca_bundle, net)).map_err(auth_error)?;
    let persist = persist_to(name, profile);
    let session = if profile.auth == AuthKind::Backend {
        let key = profile.key.clone().ok_or_else(|| CliError {
            code: USAGE,
            message: format!(
                "profile '{name}' names no private key: rounds login --profile {name} --auth \
                 backend --key PEM"
            ),
        })?;
        let scopes = profile.scopes.as_deref().unwrap_or(DEFAULT_BACKEND_SCOPES);
        let config = BackendConfig {
            client_id: tokens.client_id.clone(),
            fhir_base: tokens.fhir_base.clone(),
            token_endpoint: tokens.token_endpoint.clone(),
            key_path: key,
            alg: None,
            kid: None,
            scopes: split_scopes(scopes),
        };
        let client = BackendClient::load(config).map_err(auth_error)?;
        SmartSession::backend(http, client, tokens, Some(persist))
    } else {
        if tokens.refresh_token.is_none() && tokens.is_expired(Utc::now()) {
            return Err(sign_in_again(
                name,
                "the sign-in has expired and cannot be renewed (no refresh token)",
            ));
        }
        SmartSession::new(http, tokens, Some(persist))
    };
    Ok(Arc::new(session).credentials())
}

/// Save renewed tokens to the profile's store entry (on the session's blocking thread).
fn persist_to(name: &str, profile: &Profile) -> PersistFn {
    let name = name.to_owned();
    let kind = profile.store;
    Arc::new(move |tokens: &TokenSet| {
        let secret = serde_json::to_string(tokens)
            .map(Secret::new)
            .map_err(|e| format!("the renewed sign-in could not be encoded: {e}"))?;
        SecretStore::open(kind)
            .and_then(|store| store.set(&name, SecretKind::SmartTokens, &secret))
            .map_err(|e| e.to_string())
    })
}

/// Best effort: revoke the stored refresh (or access) token at the server's revocation
/// endpoint, if it has one. The words for the user, or `None` when nothing was tried.
pub async fn revoke(profile: &Profile, net: &NetArgs, secret: &Secret) -> Option<String> {
    let tokens = parse_tokens(secret)?;
    let ca_bundle = net.ca_bundle.clone().or_else(|| profile.ca_bundle.clone());
    let http = AuthHttp::new(&client_config(&profile.server, ca_bundle, net)).ok()?;
    let attempt = async {
        let server = smart::discover(&http, &tokens.fhir_base).await?;
        let Some(endpoint) = server.revocation_endpoint else {
            return Ok(false);
        };
        smart::revoke(&http, &endpoint, &tokens)
            .await
            .map(|()| true)
    };
    match tokio::time::timeout(std::time::Duration::from_secs(10), attempt).await {
        Ok(Ok(true)) => Some("The server revoked the sign-in.".to_owned()),
        Ok(Ok(false)) => None,
        Ok(Err(e)) => Some(format!("The server could not revoke the sign-in ({e}).")),
        Err(_) => Some("The server did not answer the revocation in time.".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::smart::Identity;

    fn tokens(kind: TokenKind) -> TokenSet {
        let now = Utc::now();
        TokenSet {
            kind,
            access_token: Secret::new("at-secret-value"),
            refresh_token: Some(Secret::new("rt-secret-value")),
            issued_at: now,
            expires_at: Some(now - chrono::Duration::seconds(5)),
            scopes: vec!["user/*.rs".into(), "launch/patient".into()],
            identity: Some(Identity {
                fhir_user: Some("https://ehr.example/fhir/Practitioner/7".into()),
                name: Some("Dr Synthetic".into()),
                ..Identity::default()
            }),
            patient: None,
            encounter: None,
            fhir_base: "https://ehr.example/fhir".into(),
            token_endpoint: "https://ehr.example/token".into(),
            client_id: "rounds".into(),
        }
    }

    #[test]
    fn details_name_the_user_scopes_and_expiry_but_no_token() {
        let t = tokens(TokenKind::User);
        let d = details(&token_secret(&t).unwrap()).unwrap();
        assert_eq!(
            d.user,
            "Dr Synthetic (https://ehr.example/fhir/Practitioner/7)"
        );
        assert_eq!(d.scopes_granted, "user/*.rs launch/patient");
        assert!(d.expired && d.refresh_token);
        let shown = serde_json::to_string(&d).unwrap();
        assert!(!shown.contains("secret-value"), "{shown}");
        assert_eq!(describe_user(&tokens(TokenKind::Backend)), BACKEND_USER);
        assert!(details(&Secret::new("not json")).is_none());
    }

    #[test]
    fn an_expired_sign_in_without_refresh_asks_to_sign_in_again() {
        let mut t = tokens(TokenKind::User);
        t.refresh_token = None;
        let mut profile = Profile::new("https://ehr.example/fhir");
        profile.auth = AuthKind::Smart;
        let net = crate::cli::parse(["rounds", "auth", "status"]).unwrap().net;
        let err = credentials("p", &profile, &net, &token_secret(&t).unwrap()).unwrap_err();
        assert_eq!(err.code, AUTH);
        assert!(
            err.message
                .ends_with("sign in again: rounds login --profile p"),
            "{}",
            err.message
        );
        // Tokens for another server are not sent to this one.
        let other = Profile {
            server: "https://other.example/fhir".into(),
            ..profile
        };
        let t = tokens(TokenKind::User);
        let err = credentials("p", &other, &net, &token_secret(&t).unwrap()).unwrap_err();
        assert!(
            err.message.contains("not this profile's server"),
            "{}",
            err.message
        );
    }
}
