//! A profile's credentials for the FHIR client: none, a password or token read from the
//! profile's store (or asked for again when the profile keeps it for the session only), or
//! a SMART / backend-services session over the stored token set, which renews the tokens
//! when due and saves each renewal back to the same store entry.

use std::sync::Arc;

use chrono::Utc;

use super::secret_input::{Wanted, ask_again};
use super::{NetOptions, OpenError, profile_client_config};
use crate::auth::backend::{BackendClient, BackendConfig, DEFAULT_BACKEND_SCOPES};
use crate::auth::session::{PersistFn, SmartSession};
use crate::auth::smart::{AuthHttp, TokenSet};
use crate::auth::store::{SecretKind, SecretStore, StoreKind};
use crate::auth::stored_tokens::{parse_tokens, split_scopes};
use crate::config::{AuthKind, Profile};
use crate::fhir::{Credentials, Secret};

/// The secret kind a profile's sign-in keeps, if any.
pub fn secret_kind(auth: AuthKind) -> Option<SecretKind> {
    match auth {
        AuthKind::None => None,
        AuthKind::Basic => Some(SecretKind::Password),
        AuthKind::Token => Some(SecretKind::Token),
        AuthKind::Smart | AuthKind::Backend => Some(SecretKind::SmartTokens),
    }
}

/// What to ask for a secret kind, and from which environment variable.
pub fn wanted(kind: SecretKind, prompt: &str) -> Wanted<'_> {
    match kind {
        SecretKind::Password => Wanted {
            what: "password",
            env_var: "ROUNDS_PASSWORD",
            prompt,
            // Sent base64-encoded (HTTP Basic): any character can go.
            header_value: false,
        },
        _ => Wanted {
            what: "token",
            env_var: "ROUNDS_TOKEN",
            prompt,
            header_value: true,
        },
    }
}

/// A profile's credentials: from its store, or asked for again (session-only profiles).
pub fn credentials(
    name: &str,
    profile: &Profile,
    net: &NetOptions,
) -> Result<Credentials, OpenError> {
    let Some(kind) = secret_kind(profile.auth) else {
        return Ok(Credentials::None);
    };
    let secret = match profile.store {
        StoreKind::Memory if matches!(kind, SecretKind::Password | SecretKind::Token) => {
            let prompt = format!(
                "{} for profile '{name}' ({}): ",
                wanted(kind, "").what,
                profile.server
            );
            ask_again(wanted(kind, &prompt))?
        }
        store => stored_secret(name, store, kind)?,
    };
    match profile.auth {
        AuthKind::Basic => Ok(Credentials::Basic {
            user: profile.user.clone().unwrap_or_default(),
            password: secret,
        }),
        AuthKind::Token => Ok(Credentials::Bearer(secret)),
        _ => session_credentials(name, profile, net, &secret),
    }
}

fn stored_secret(name: &str, store: StoreKind, kind: SecretKind) -> Result<Secret, OpenError> {
    let opened = SecretStore::open(store)?;
    opened.get(name, kind)?.ok_or_else(|| {
        OpenError::Auth(format!(
            "profile '{name}' has no {} in {}: sign in with rounds login --profile {name}",
            kind.name(),
            opened.describe()
        ))
    })
}

/// Who the profile writes as: the signed-in user's FHIR identity (`fhirUser`, from the
/// stored SMART sign-in), else the profile's `author`. An absolute `fhirUser` on the
/// profile's own server is made relative (`Practitioner/ID`).
pub fn writing_user(name: &str, profile: &Profile) -> Option<String> {
    let signed_in = (profile.auth == AuthKind::Smart && profile.store != StoreKind::Memory)
        .then(|| {
            SecretStore::open(profile.store)
                .ok()?
                .get(name, SecretKind::SmartTokens)
                .ok()?
        })
        .flatten()
        .and_then(|secret| parse_tokens(&secret))
        .and_then(|tokens| tokens.identity?.fhir_user);
    signed_in
        .map(|user| {
            let base = format!("{}/", profile.server.trim_end_matches('/'));
            user.strip_prefix(&base).map(str::to_owned).unwrap_or(user)
        })
        .or_else(|| profile.author.clone())
}

/// Credentials for a SMART or backend profile: a session over the stored tokens that
/// renews them when due and saves each renewal back to the same store entry.
pub(super) fn session_credentials(
    name: &str,
    profile: &Profile,
    net: &NetOptions,
    secret: &Secret,
) -> Result<Credentials, OpenError> {
    let tokens = parse_tokens(secret).ok_or_else(|| {
        OpenError::sign_in_again(
            name,
            "the stored sign-in cannot be read (it may be from another version)",
        )
    })?;
    if tokens.fhir_base.trim_end_matches('/') != profile.server.trim_end_matches('/') {
        return Err(OpenError::sign_in_again(
            name,
            &format!(
                "the stored sign-in is for '{}', not this profile's server",
                tokens.fhir_base
            ),
        ));
    }
    let http = AuthHttp::new(&profile_client_config(profile, net))?;
    let persist = persist_to(name, profile);
    let session = if profile.auth == AuthKind::Backend {
        let key = profile.key.clone().ok_or_else(|| {
            OpenError::Usage(format!(
                "profile '{name}' names no private key: rounds login --profile {name} --auth \
                 backend --key PEM"
            ))
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
        let client = BackendClient::load(config)?;
        SmartSession::backend(http, client, tokens, Some(persist))
    } else {
        if tokens.refresh_token.is_none() && tokens.is_expired(Utc::now()) {
            return Err(OpenError::sign_in_again(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::smart::TokenKind;
    use crate::auth::stored_tokens::{tests::tokens, token_secret};

    #[test]
    fn secret_kinds_follow_the_sign_in() {
        assert_eq!(secret_kind(AuthKind::None), None);
        assert_eq!(secret_kind(AuthKind::Basic), Some(SecretKind::Password));
        assert_eq!(secret_kind(AuthKind::Token), Some(SecretKind::Token));
        assert_eq!(secret_kind(AuthKind::Smart), Some(SecretKind::SmartTokens));
        assert_eq!(wanted(SecretKind::Password, "").env_var, "ROUNDS_PASSWORD");
        assert_eq!(wanted(SecretKind::Token, "").env_var, "ROUNDS_TOKEN");
    }

    #[test]
    fn an_expired_sign_in_without_refresh_asks_to_sign_in_again() {
        let mut t = tokens(TokenKind::User);
        t.refresh_token = None;
        let mut profile = Profile::new("https://ehr.example/fhir");
        profile.auth = AuthKind::Smart;
        let net = NetOptions::default();
        let err = session_credentials("p", &profile, &net, &token_secret(&t).unwrap()).unwrap_err();
        assert!(matches!(err, OpenError::Auth(_)), "{err:?}");
        assert!(
            err.to_string()
                .ends_with("sign in again: rounds login --profile p"),
            "{err}"
        );
        // Tokens for another server are not sent to this one.
        let other = Profile {
            server: "https://other.example/fhir".into(),
            ..profile
        };
        let t = tokens(TokenKind::User);
        let err = session_credentials("p", &other, &net, &token_secret(&t).unwrap()).unwrap_err();
        assert!(
            err.to_string().contains("not this profile's server"),
            "{err}"
        );
    }
}
