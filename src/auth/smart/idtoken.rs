//! Who signed in, from the OpenID Connect id_token: `sub`, `fhirUser`, `name`. The token is
//! checked against the server's published keys (`jwks_uri`) when discovery gave them, with
//! issuer, audience (our client id) and expiry; without keys its claims are read unverified
//! (it came straight from the token endpoint over TLS) and marked so. The raw id_token is
//! never kept.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use serde::Deserialize;
use url::Url;

use super::error::AuthError;
use super::oauth::AuthHttp;
use super::token::Identity;

#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    #[serde(rename = "fhirUser")]
    fhir_user: Option<String>,
    name: Option<String>,
    iss: Option<String>,
}

/// Where to check an id_token.
pub(crate) struct Expect<'a> {
    pub jwks_uri: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub client_id: &'a str,
}

/// The identity in `id_token`, verified when keys are published.
pub(crate) async fn identity(
    http: &AuthHttp,
    id_token: &str,
    expect: &Expect<'_>,
) -> Result<Identity, AuthError> {
    let header = jsonwebtoken::decode_header(id_token)
        .map_err(|_| AuthError::IdToken("it is not a signed JWT".into()))?;
    let keys = match expect.jwks_uri.and_then(|u| Url::parse(u).ok()) {
        Some(url) => http
            .get_json(&url, "application/json")
            .await
            .ok()
            .flatten()
            .and_then(|doc| serde_json::from_value::<JwkSet>(doc).ok()),
        None => None,
    };
    let Some(keys) = keys else {
        let data = jsonwebtoken::dangerous::insecure_decode::<Claims>(id_token)
            .map_err(|_| AuthError::IdToken("its claims cannot be read".into()))?;
        return Ok(to_identity(data.claims, false));
    };
    let jwk = match &header.kid {
        Some(kid) => keys.find(kid),
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
    .ok_or_else(|| {
        AuthError::IdToken("it is signed with a key the server does not publish".into())
    })?;
    let key = DecodingKey::from_jwk(jwk)
        .map_err(|_| AuthError::IdToken("the server's published key cannot be used".into()))?;
    let mut validation = Validation::new(header.alg);
    validation.leeway = 120;
    validation.set_audience(&[expect.client_id]);
    if let Some(issuer) = expect.issuer {
        validation.set_issuer(&[issuer]);
    }
    let data = jsonwebtoken::decode::<Claims>(id_token, &key, &validation).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind;
        AuthError::IdToken(
            match e.kind() {
                ErrorKind::InvalidSignature => "its signature is not valid",
                ErrorKind::InvalidAudience => "it was issued for another client",
                ErrorKind::InvalidIssuer => "it was issued by another server",
                ErrorKind::ExpiredSignature => "it has expired (is the clock right?)",
                _ => "it could not be verified",
            }
            .into(),
        )
    })?;
    Ok(to_identity(data.claims, true))
}

fn to_identity(c: Claims, verified: bool) -> Identity {
    Identity {
        sub: c.sub,
        fhir_user: c.fhir_user,
        name: c.name,
        issuer: c.iss,
        verified,
    }
}
