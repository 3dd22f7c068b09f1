//! The OAuth 2 plumbing shared by the login, the refresh and backend services: `AuthHttp`
//! (our reqwest client, adapted to the `oauth2` crate's `AsyncHttpClient`, so that crate
//! brings no HTTP stack of its own), the oauth2 client type with SMART's extra token fields,
//! and the mapping of token endpoint answers to `TokenSet` and `AuthError`.
//! It never follows a redirect from a token endpoint and never puts a body or URL in an error.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::Utc;
use oauth2::basic::{
    BasicErrorResponse, BasicErrorResponseType, BasicRevocationErrorResponse,
    BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    EndpointNotSet, EndpointSet, ExtraTokenFields, HttpRequest, HttpResponse, RequestTokenError,
    StandardRevocableToken, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::error::AuthError;
use super::token::{TokenKind, TokenSet};
use crate::fhir::{ClientConfig, Secret};

/// Largest answer accepted from a discovery or token endpoint.
const MAX_BODY: usize = 1024 * 1024;

/// HTTP for the authorization server, with the same TLS settings as the FHIR client.
#[derive(Debug, Clone)]
pub struct AuthHttp {
    /// Token endpoint requests: never redirected (a redirect could carry the code or the
    /// assertion to another host).
    token: reqwest::Client,
    /// Discovery GETs: a few redirects allowed, none from https to http; no credentials.
    discovery: reqwest::Client,
}

impl AuthHttp {
    /// A client with the CA bundle, TLS and timeout settings of `config`.
    pub fn new(config: &ClientConfig) -> Result<AuthHttp, AuthError> {
        crate::fhir::client::ensure_crypto_provider();
        let build = |redirects: reqwest::redirect::Policy| {
            let mut b = reqwest::Client::builder()
                .user_agent(config.user_agent.clone())
                .connect_timeout(config.connect_timeout)
                .timeout(config.request_timeout.min(Duration::from_secs(60)))
                .redirect(redirects);
            if let Some(path) = &config.ca_bundle {
                let certs = crate::fhir::client::read_ca_bundle(path)
                    .map_err(|e| AuthError::Config(e.to_string()))?;
                for cert in certs {
                    b = b.add_root_certificate(cert);
                }
            }
            if config.insecure_skip_tls_verify {
                b = b.danger_accept_invalid_certs(true);
            }
            b.build().map_err(|e| {
                AuthError::Config(format!("could not set up HTTP: {}", e.without_url()))
            })
        };
        Ok(AuthHttp {
            token: build(reqwest::redirect::Policy::none())?,
            // As the FHIR client's GETs: never from https to http.
            discovery: build(crate::fhir::client::redirects_for_gets())?,
        })
    }

    /// GET a JSON document; `Ok(None)` when the server has no such document (404, 403,
    /// 405, 410, or a body that is not JSON).
    pub(crate) async fn get_json(
        &self,
        url: &Url,
        accept: &str,
    ) -> Result<Option<serde_json::Value>, AuthError> {
        self.get_json_up_to(url, accept, MAX_BODY).await
    }

    /// `get_json` for a document that may be larger than the sign-in server's own answers
    /// (a FHIR server's whole CapabilityStatement runs to megabytes), up to `limit` bytes.
    pub(crate) async fn get_json_up_to(
        &self,
        url: &Url,
        accept: &str,
        limit: usize,
    ) -> Result<Option<serde_json::Value>, AuthError> {
        let resp = self
            .discovery
            .get(url.clone())
            .header(reqwest::header::ACCEPT, accept)
            .send()
            .await
            .map_err(|e| AuthError::Network(describe(&e)))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return match status {
                401 | 403 | 404 | 405 | 406 | 410 => Ok(None),
                _ => Err(AuthError::Network(format!(
                    "the server answered HTTP {status} to '{}'",
                    url.path()
                ))),
            };
        }
        let body = read_capped(resp, limit).await?;
        Ok(serde_json::from_slice(&body).ok())
    }

    /// POST a form to an endpoint of the authorization server (never redirected) and
    /// return the HTTP status; the answer's body is not read.
    pub(crate) async fn post_form(
        &self,
        url: &str,
        pairs: &[(&str, &str)],
    ) -> Result<u16, AuthError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        let resp = self
            .token
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body)
            .send()
            .await
            .map_err(|e| AuthError::Network(describe(&e)))?;
        Ok(resp.status().as_u16())
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request)
            .map_err(|_| TransportError("the token request could not be built".into()))?;
        let resp = self
            .token
            .execute(request)
            .await
            .map_err(|e| TransportError(describe(&e)))?;
        let mut builder = oauth2::http::Response::builder().status(resp.status());
        for (name, value) in resp.headers() {
            builder = builder.header(name, value);
        }
        let body = read_capped(resp, MAX_BODY)
            .await
            .map_err(|e| TransportError(e.to_string()))?;
        builder
            .body(body)
            .map_err(|_| TransportError("the token answer could not be read".into()))
    }
}

impl<'c> oauth2::AsyncHttpClient<'c> for AuthHttp {
    type Error = TransportError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// A network failure talking to the token endpoint, without the URL.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(String);

async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, AuthError> {
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| AuthError::Network(describe(&e)))?
    {
        if body.len() + chunk.len() > limit {
            return Err(AuthError::Network(
                "the sign-in server's answer is too large".into(),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A reqwest error as words, without the URL (it may hold a code or a state).
fn describe(e: &reqwest::Error) -> String {
    let mut text = if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        "the connection failed".to_owned()
    } else {
        "the request failed".to_owned()
    };
    // Decided by type, never by the text: a reqwest error in the chain prints its URL.
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        if s.downcast_ref::<reqwest::Error>().is_none() {
            text = format!("{text}: {s}");
        }
        src = s.source();
    }
    text
}

/// The SMART fields of a token response beyond OAuth's.
#[derive(Clone, Default, Serialize, Deserialize)]
pub(crate) struct SmartFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encounter: Option<String>,
}

impl std::fmt::Debug for SmartFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmartFields")
            .field("id_token", &self.id_token.as_ref().map(|_| "…"))
            .finish_non_exhaustive()
    }
}

impl ExtraTokenFields for SmartFields {}

pub(crate) type SmartTokenResponse = StandardTokenResponse<SmartFields, BasicTokenType>;

/// The oauth2 client for SMART, with or without an authorization endpoint.
pub(crate) type OAuthClient<HasAuthUrl> = oauth2::Client<
    BasicErrorResponse,
    SmartTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// A client with only a token endpoint (refresh, backend services).
pub(crate) fn token_client(
    client_id: &str,
    token_endpoint: &str,
) -> Result<OAuthClient<EndpointNotSet>, AuthError> {
    let token_url = oauth2::TokenUrl::new(token_endpoint.to_owned()).map_err(|_| {
        AuthError::Config(format!(
            "'{token_endpoint}' is not a valid token endpoint URL"
        ))
    })?;
    Ok(
        oauth2::Client::new(oauth2::ClientId::new(client_id.to_owned()))
            .set_auth_type(oauth2::AuthType::RequestBody)
            .set_token_uri(token_url),
    )
}

pub(crate) type TokenError = RequestTokenError<TransportError, BasicErrorResponse>;

/// A token endpoint failure as an `AuthError`.
pub(crate) fn token_error(e: TokenError) -> AuthError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let description = r.error_description().cloned();
            match r.error() {
                BasicErrorResponseType::InvalidGrant => AuthError::SignInAgain,
                BasicErrorResponseType::InvalidClient
                | BasicErrorResponseType::UnauthorizedClient => AuthError::ClientRejected {
                    detail: description.unwrap_or_else(|| r.error().as_ref().to_owned()),
                },
                other => AuthError::TokenRefused {
                    error: other.as_ref().to_owned(),
                    description,
                },
            }
        }
        RequestTokenError::Request(t) => AuthError::Network(t.0),
        // The body is not quoted: it may hold a token.
        RequestTokenError::Parse(e, _) => {
            AuthError::BadTokenResponse(format!("unexpected structure at '{}'", e.path()))
        }
        RequestTokenError::Other(detail) => AuthError::BadTokenResponse(detail),
    }
}

/// What a `TokenSet` needs besides the token response.
pub(crate) struct Issued<'a> {
    pub kind: TokenKind,
    pub fhir_base: &'a str,
    pub token_endpoint: &'a str,
    pub client_id: &'a str,
    /// The scopes asked for, used when the server does not say which it granted.
    pub requested: &'a [String],
}

/// A token response as a `TokenSet` (identity left for the caller to fill in).
pub(crate) fn token_set(resp: &SmartTokenResponse, issued: &Issued<'_>) -> TokenSet {
    let now = Utc::now();
    let scopes = match resp.scopes() {
        Some(granted) => granted.iter().map(|s| s.to_string()).collect(),
        None => issued.requested.to_vec(),
    };
    let expires_at = resp
        .expires_in()
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .map(|d| now + d);
    let extra = resp.extra_fields();
    TokenSet {
        kind: issued.kind,
        access_token: Secret::new(resp.access_token().secret().clone()),
        refresh_token: resp
            .refresh_token()
            .map(|r| Secret::new(r.secret().clone())),
        issued_at: now,
        expires_at,
        scopes,
        identity: None,
        patient: extra.patient.clone(),
        encounter: extra.encounter.clone(),
        fhir_base: issued.fhir_base.to_owned(),
        token_endpoint: issued.token_endpoint.to_owned(),
        client_id: issued.client_id.to_owned(),
    }
}
