//! A SMART or backend-services token set as the one secret a store keeps: made into that
//! secret, read back from it, and described for people (who, scopes, expiry, whether a
//! refresh token is held).
//!
//! It never prints or returns a token: only `token_secret` makes the blob the store keeps.

use chrono::Utc;
use serde::Serialize;

use super::smart::{TokenKind, TokenSet};
use crate::fhir::Secret;

/// How `auth status` and `login` name a backend identity.
pub const BACKEND_USER: &str = "backend services: not tied to one user (no per-user audit)";

/// The token set as the one secret the store keeps.
pub fn token_secret(tokens: &TokenSet) -> Result<Secret, String> {
    serde_json::to_string(tokens)
        .map(Secret::new)
        .map_err(|e| format!("the sign-in could not be kept: {e}"))
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

/// Scopes as a profile keeps them (space-separated) to a list.
pub fn split_scopes(scopes: &str) -> Vec<String> {
    scopes.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::auth::smart::Identity;

    pub(crate) fn tokens(kind: TokenKind) -> TokenSet {
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
        assert_eq!(split_scopes(" a  b\tc "), vec!["a", "b", "c"]);
    }
}
