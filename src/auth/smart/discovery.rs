//! SMART discovery: where a FHIR server's authorization and token endpoints are and what
//! they support, from `[base]/.well-known/smart-configuration`, falling back to the
//! `oauth-uris` extension of the CapabilityStatement (`[base]/metadata`). It checks what it
//! reads (URLs, plain http to a remote host, PKCE); it holds no credentials.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

use super::error::AuthError;
use super::oauth::AuthHttp;
use crate::fhir::Capabilities;

/// The extension of `CapabilityStatement.rest.security` that carries the OAuth URIs.
const OAUTH_URIS: &str = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

/// Where the discovery document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscoverySource {
    WellKnown,
    CapabilityStatement,
}

/// What a FHIR server says about signing in (SMART App Launch 2.x, section "Conformance").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmartConfiguration {
    /// The FHIR base URL this was read from; the `aud` of every login.
    pub fhir_base: String,
    pub source: DiscoverySource,
    pub issuer: Option<String>,
    pub jwks_uri: Option<String>,
    /// Absent on servers that offer backend services only.
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: String,
    pub revocation_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub capabilities: Vec<String>,
    pub code_challenge_methods_supported: Vec<String>,
    pub grant_types_supported: Vec<String>,
    pub scopes_supported: Vec<String>,
    pub token_endpoint_auth_methods_supported: Vec<String>,
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
}

impl SmartConfiguration {
    /// Whether the server lists `capability` (e.g. `permission-offline`).
    pub fn has_capability(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }

    /// The authorization endpoint, checked usable for a login with PKCE S256.
    pub fn login_endpoint(&self) -> Result<&str, AuthError> {
        let methods = &self.code_challenge_methods_supported;
        if !methods.is_empty() && !methods.iter().any(|m| m == "S256") {
            return Err(AuthError::Unsupported {
                server: self.fhir_base.clone(),
                detail: format!(
                    "it offers PKCE with '{}' only, and rounds requires S256 (SMART App Launch 2)",
                    methods.join(", ")
                ),
            });
        }
        self.authorization_endpoint
            .as_deref()
            .ok_or_else(|| AuthError::Discovery {
                server: self.fhir_base.clone(),
                detail: "it has no authorization endpoint (backend services only?)".into(),
            })
    }
}

/// Discover how to sign in to the FHIR server at `fhir_base`.
pub async fn discover(http: &AuthHttp, fhir_base: &str) -> Result<SmartConfiguration, AuthError> {
    discover_from(http, fhir_base, None).await
}

/// Discover as `discover` does, with the CapabilityStatement's OAuth URIs taken from
/// capabilities already read instead of asking for the statement again (it can be
/// megabytes: more than a discovery answer may be).
pub async fn discover_with_capabilities(
    http: &AuthHttp,
    fhir_base: &str,
    capabilities: &Capabilities,
) -> Result<SmartConfiguration, AuthError> {
    discover_from(http, fhir_base, Some(capabilities)).await
}

async fn discover_from(
    http: &AuthHttp,
    fhir_base: &str,
    known: Option<&Capabilities>,
) -> Result<SmartConfiguration, AuthError> {
    let base = crate::fhir::client::parse_base_url(fhir_base)
        .map_err(|e| AuthError::Config(e.to_string()))?;
    let base_str = base.as_str().trim_end_matches('/').to_owned();
    let well_known = join(&base_str, ".well-known/smart-configuration")?;
    let mut why = "it has no .well-known/smart-configuration".to_owned();
    if let Some(doc) = http.get_json(&well_known, "application/json").await? {
        match from_well_known(&base_str, &doc) {
            Ok(c) => return checked(c),
            Err(detail) => why = detail,
        }
    }
    let from_statement = match known {
        Some(caps) => from_capabilities(&base_str, caps),
        None => {
            let metadata = join(&base_str, "metadata")?;
            let doc = http
                .get_json_up_to(&metadata, "application/fhir+json", CAPABILITY_LIMIT)
                .await?
                .ok_or_else(|| AuthError::Discovery {
                    server: base_str.clone(),
                    detail: format!("{why}, and no CapabilityStatement at /metadata"),
                })?;
            from_capability_statement(&base_str, &doc)
        }
    };
    let c = from_statement.ok_or_else(|| AuthError::Discovery {
        server: base_str.clone(),
        detail: format!(
            "{why}, and its CapabilityStatement has no OAuth URIs: the server may not need a login"
        ),
    })?;
    checked(c)
}

/// The largest CapabilityStatement read to find the OAuth URIs: the FHIR client's body cap
/// (a whole statement runs to megabytes on some servers: 2.4 MB on hfs).
const CAPABILITY_LIMIT: usize = 32 * 1024 * 1024;

fn join(base: &str, relative: &str) -> Result<Url, AuthError> {
    Url::parse(&format!("{base}/{relative}"))
        .map_err(|e| AuthError::Config(format!("could not build a discovery URL ({e})")))
}

fn strings(doc: &Value, key: &str) -> Vec<String> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn string(doc: &Value, key: &str) -> Option<String> {
    doc.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn from_well_known(base: &str, doc: &Value) -> Result<SmartConfiguration, String> {
    let token_endpoint = string(doc, "token_endpoint")
        .ok_or("its .well-known/smart-configuration has no token_endpoint")?;
    Ok(SmartConfiguration {
        fhir_base: base.to_owned(),
        source: DiscoverySource::WellKnown,
        issuer: string(doc, "issuer"),
        jwks_uri: string(doc, "jwks_uri"),
        authorization_endpoint: string(doc, "authorization_endpoint"),
        token_endpoint,
        revocation_endpoint: string(doc, "revocation_endpoint"),
        introspection_endpoint: string(doc, "introspection_endpoint"),
        capabilities: strings(doc, "capabilities"),
        code_challenge_methods_supported: strings(doc, "code_challenge_methods_supported"),
        grant_types_supported: strings(doc, "grant_types_supported"),
        scopes_supported: strings(doc, "scopes_supported"),
        token_endpoint_auth_methods_supported: strings(
            doc,
            "token_endpoint_auth_methods_supported",
        ),
        token_endpoint_auth_signing_alg_values_supported: strings(
            doc,
            "token_endpoint_auth_signing_alg_values_supported",
        ),
    })
}

fn from_capability_statement(base: &str, doc: &Value) -> Option<SmartConfiguration> {
    if doc.get("resourceType").and_then(Value::as_str) != Some("CapabilityStatement") {
        return None;
    }
    let uris = doc
        .get("rest")?
        .as_array()?
        .iter()
        .filter_map(|rest| rest.pointer("/security/extension")?.as_array())
        .flatten()
        .find(|ext| ext.get("url").and_then(Value::as_str) == Some(OAUTH_URIS))?;
    let uri = |name: &str| -> Option<String> {
        uris.get("extension")?
            .as_array()?
            .iter()
            .find(|e| e.get("url").and_then(Value::as_str) == Some(name))?
            .get("valueUri")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    Some(from_oauth_uris(
        base,
        uri("authorize"),
        uri("token")?,
        uri("revoke"),
        uri("introspect"),
    ))
}

/// The OAuth URIs `Capabilities` kept from the statement (authorize and token only).
fn from_capabilities(base: &str, caps: &Capabilities) -> Option<SmartConfiguration> {
    let token = caps.oauth_token.clone()?;
    Some(from_oauth_uris(
        base,
        caps.oauth_authorize.clone(),
        token,
        None,
        None,
    ))
}

fn from_oauth_uris(
    base: &str,
    authorize: Option<String>,
    token: String,
    revoke: Option<String>,
    introspect: Option<String>,
) -> SmartConfiguration {
    SmartConfiguration {
        fhir_base: base.to_owned(),
        source: DiscoverySource::CapabilityStatement,
        issuer: None,
        jwks_uri: None,
        authorization_endpoint: authorize,
        token_endpoint: token,
        revocation_endpoint: revoke,
        introspection_endpoint: introspect,
        capabilities: Vec::new(),
        code_challenge_methods_supported: Vec::new(),
        grant_types_supported: Vec::new(),
        scopes_supported: Vec::new(),
        token_endpoint_auth_methods_supported: Vec::new(),
        token_endpoint_auth_signing_alg_values_supported: Vec::new(),
    }
}

/// Every endpoint must be an absolute URL, and https unless it is on this machine: a token
/// or a code must not cross a network in clear text.
fn checked(c: SmartConfiguration) -> Result<SmartConfiguration, AuthError> {
    let endpoints = [
        Some(&c.token_endpoint),
        c.authorization_endpoint.as_ref(),
        c.jwks_uri.as_ref(),
        c.revocation_endpoint.as_ref(),
    ];
    for endpoint in endpoints.into_iter().flatten() {
        let url = Url::parse(endpoint).map_err(|_| AuthError::Discovery {
            server: c.fhir_base.clone(),
            detail: format!("its endpoint '{endpoint}' is not a valid URL"),
        })?;
        if !is_safe_endpoint(&url) {
            return Err(AuthError::Unsupported {
                server: c.fhir_base.clone(),
                detail: format!(
                    "its endpoint '{endpoint}' is not https: tokens would cross the network unencrypted"
                ),
            });
        }
    }
    Ok(c)
}

/// https, or plain http to this machine (local test servers).
pub(crate) fn is_safe_endpoint(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => {
            matches!(
                url.host(),
                Some(url::Host::Ipv4(ip)) if ip.is_loopback()
            ) || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback())
                || url.host_str() == Some("localhost")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn a_large_capability_statement_without_oauth_says_so_rather_than_too_large() {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        // 3 MB of CapabilityStatement, as a server with every search parameter sends.
        let filler: Vec<_> = (0..80_000)
            .map(|i| json!({"name": format!("param-{i}"), "type": "token"}))
            .collect();
        let doc = json!({"resourceType": "CapabilityStatement",
            "rest": [{"resource": [{"type": "Patient", "searchParam": filler}]}]});
        assert!(doc.to_string().len() > 2 * 1024 * 1024);
        Mock::given(method("GET"))
            .and(path("/metadata"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&doc))
            .mount(&server)
            .await;
        let config = crate::fhir::ClientConfig::new(server.uri());
        let http = AuthHttp::new(&config).unwrap();
        let err = discover(&http, &server.uri()).await.unwrap_err();
        assert!(matches!(err, AuthError::Discovery { .. }), "{err:?}");
    }

    #[test]
    fn capability_statement_oauth_uris_are_read() {
        let doc = json!({
            "resourceType": "CapabilityStatement",
            "rest": [{"security": {"extension": [{
                "url": OAUTH_URIS,
                "extension": [
                    {"url": "authorize", "valueUri": "https://auth.example/authorize"},
                    {"url": "token", "valueUri": "https://auth.example/token"}
                ]
            }]}}]
        });
        let c = from_capability_statement("https://ehr.example/fhir", &doc).unwrap();
        assert_eq!(c.token_endpoint, "https://auth.example/token");
        assert_eq!(
            c.authorization_endpoint.as_deref(),
            Some("https://auth.example/authorize")
        );
        assert!(checked(c).is_ok());
    }

    #[test]
    fn plain_http_to_a_remote_host_is_refused() {
        let doc = json!({"token_endpoint": "http://auth.example/token",
                         "authorization_endpoint": "https://auth.example/authorize"});
        let c = from_well_known("https://ehr.example/fhir", &doc).unwrap();
        let e = checked(c).unwrap_err();
        assert!(e.to_string().contains("not https"), "{e}");
        let local = json!({"token_endpoint": "http://127.0.0.1:9/token"});
        assert!(checked(from_well_known("http://127.0.0.1:9/fhir", &local).unwrap()).is_ok());
    }

    #[test]
    fn pkce_without_s256_is_refused() {
        let doc = json!({"token_endpoint": "https://a.example/token",
                         "authorization_endpoint": "https://a.example/auth",
                         "code_challenge_methods_supported": ["plain"]});
        let c = from_well_known("https://ehr.example/fhir", &doc).unwrap();
        let e = c.login_endpoint().unwrap_err();
        assert!(e.to_string().contains("S256"), "{e}");
    }
}
