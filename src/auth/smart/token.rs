//! `TokenSet`: what a login or a backend grant leaves behind (access token, refresh token,
//! expiry, granted scopes, who signed in, launch context, and where to refresh). It is one
//! serde value so the secret store can keep it as a single blob; its `Debug` shows no secret.
//! It decides when a token is due for refresh; it does no I/O.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fhir::Secret;

/// Whose session this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A clinician signed in (SMART standalone launch): requests are theirs.
    User,
    /// A backend service identity (client_credentials): not tied to one user, so not
    /// per-user auditable; for scripts and exports only.
    Backend,
}

/// Who signed in, from the id_token (OpenID Connect).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The user's id at the authorization server.
    pub sub: Option<String>,
    /// The FHIR resource for the user, e.g. `https://ehr.example/fhir/Practitioner/123`.
    pub fhir_user: Option<String>,
    /// The user's display name, if the server gave one.
    pub name: Option<String>,
    /// The id_token's issuer.
    pub issuer: Option<String>,
    /// Whether the id_token's signature was checked against the server's published keys.
    pub verified: bool,
}

/// Access and refresh tokens with what is known about them.
#[derive(Clone, Serialize, Deserialize)]
pub struct TokenSet {
    pub kind: TokenKind,
    #[serde(with = "secret_serde")]
    pub access_token: Secret,
    #[serde(with = "opt_secret_serde", default)]
    pub refresh_token: Option<Secret>,
    /// When the access token was issued (by the local clock).
    pub issued_at: DateTime<Utc>,
    /// When the access token expires; `None` if the server did not say.
    pub expires_at: Option<DateTime<Utc>>,
    /// The scopes granted (the token response's `scope`, or the ones requested when the
    /// server did not say).
    pub scopes: Vec<String>,
    /// Who signed in; `None` for backend services or without `openid`.
    pub identity: Option<Identity>,
    /// SMART launch context: the patient in context, if the server chose one.
    pub patient: Option<String>,
    /// SMART launch context: the encounter in context.
    pub encounter: Option<String>,
    /// The FHIR base these tokens are for (`aud`).
    pub fhir_base: String,
    pub token_endpoint: String,
    pub client_id: String,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSet")
            .field("kind", &self.kind)
            .field("access_token", &self.access_token)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "Secret(…)"),
            )
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("identity", &self.identity)
            .field("patient", &self.patient.as_ref().map(|_| "…"))
            .field("fhir_base", &self.fhir_base)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// When a token counts as due for refresh.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RefreshPolicy {
    /// Refresh when less than this share of the token's lifetime remains (0.2 = at 80%).
    pub fraction: f64,
    /// ... or when less than this remains, whichever margin is larger, but never earlier
    /// than half-way through the lifetime (so a very short-lived token is not refreshed on
    /// every request).
    pub margin: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> RefreshPolicy {
        RefreshPolicy {
            fraction: 0.2,
            margin: Duration::from_secs(60),
        }
    }
}

impl RefreshPolicy {
    /// Whether `tokens` should be refreshed at `now`.
    pub fn is_due(&self, tokens: &TokenSet, now: DateTime<Utc>) -> bool {
        let Some(expires_at) = tokens.expires_at else {
            return false;
        };
        let lifetime = (expires_at - tokens.issued_at).num_milliseconds().max(0) as f64;
        let by_fraction = lifetime * self.fraction.clamp(0.0, 1.0);
        let margin_ms = (self.margin.as_millis() as f64)
            .max(by_fraction)
            .min(lifetime / 2.0);
        let remaining = (expires_at - now).num_milliseconds() as f64;
        remaining < margin_ms
    }
}

impl TokenSet {
    /// Whether the access token has expired at `now` (with no margin).
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// Whether the session can renew itself without the user.
    pub fn can_refresh(&self) -> bool {
        self.refresh_token.is_some()
    }

    /// The `Authorization` header value for the access token.
    pub fn bearer(&self) -> Secret {
        Secret::new(format!("Bearer {}", self.access_token.expose()))
    }
}

/// Tokens are written only by the secret store, as one blob; `Secret` itself stays
/// unserializable so no other value can carry one to a file by accident.
mod secret_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::fhir::Secret;

    pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(secret.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

mod opt_secret_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::fhir::Secret;

    pub fn serialize<S: Serializer>(secret: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match secret {
            Some(v) => s.serialize_some(v.expose()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Option::<String>::deserialize(d).map(|o| o.map(Secret::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(lifetime_secs: i64) -> TokenSet {
        let issued_at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        TokenSet {
            kind: TokenKind::User,
            access_token: Secret::new("at-secret-value"),
            refresh_token: Some(Secret::new("rt-secret-value")),
            issued_at,
            expires_at: Some(issued_at + chrono::Duration::seconds(lifetime_secs)),
            scopes: vec!["user/*.rs".into()],
            identity: None,
            patient: Some("p-1".into()),
            encounter: None,
            fhir_base: "https://ehr.example/fhir".into(),
            token_endpoint: "https://ehr.example/token".into(),
            client_id: "rounds".into(),
        }
    }

    #[test]
    fn debug_hides_secrets_and_round_trips_through_json() {
        let t = tokens(3600);
        let shown = format!("{t:?}");
        assert!(!shown.contains("secret-value"), "{shown}");
        let json = serde_json::to_string(&t).unwrap();
        let back: TokenSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back.access_token.expose(), "at-secret-value");
        assert_eq!(
            back.refresh_token.as_ref().map(Secret::expose),
            Some("rt-secret-value")
        );
        assert_eq!(back.expires_at, t.expires_at);
    }

    #[test]
    fn refresh_is_due_near_the_end_of_the_lifetime() {
        let p = RefreshPolicy::default();
        let t = tokens(3600);
        let at = |s: i64| t.issued_at + chrono::Duration::seconds(s);
        // One hour: 20% (12 min) beats the 60 s margin.
        assert!(!p.is_due(&t, at(2000)));
        assert!(p.is_due(&t, at(2900)));
        // Five minutes: the 60 s margin.
        let t5 = tokens(300);
        assert!(!p.is_due(&t5, t5.issued_at + chrono::Duration::seconds(200)));
        assert!(p.is_due(&t5, t5.issued_at + chrono::Duration::seconds(250)));
        // Four seconds: half-way, not at once.
        let t4 = tokens(4);
        assert!(!p.is_due(&t4, t4.issued_at + chrono::Duration::seconds(1)));
        assert!(p.is_due(&t4, t4.issued_at + chrono::Duration::seconds(3)));
        // No expiry known: never due.
        let mut open = tokens(10);
        open.expires_at = None;
        assert!(!p.is_due(&open, at(100_000)));
    }
}
