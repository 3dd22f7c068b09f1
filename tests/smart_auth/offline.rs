//! Discovery against a mock FHIR server (no authorization server needed): the
//! CapabilityStatement fallback, a server without S256, and a server with no login at all.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{http, request};
use crate::harness::{Behaviour, TestPrompt};
use rounds::auth::smart::{self, AuthError, BrowserMode, DiscoverySource};

const OAUTH_URIS: &str = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

#[tokio::test]
async fn discovery_falls_back_to_the_capability_statement() {
    let mock = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fhir/metadata"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "resourceType": "CapabilityStatement",
            "rest": [{"mode": "server", "security": {"extension": [{
                "url": OAUTH_URIS,
                "extension": [
                    {"url": "authorize", "valueUri": format!("{}/oauth/authorize", mock.uri())},
                    {"url": "token", "valueUri": format!("{}/oauth/token", mock.uri())}
                ]
            }]}}]
        })))
        .mount(&mock)
        .await;
    let base = format!("{}/fhir", mock.uri());
    let c = smart::discover(&http(), &base).await.unwrap();
    assert_eq!(c.source, DiscoverySource::CapabilityStatement);
    assert_eq!(c.token_endpoint, format!("{}/oauth/token", mock.uri()));
    assert_eq!(c.fhir_base, base);
    assert!(c.login_endpoint().unwrap().ends_with("/oauth/authorize"));
}

#[tokio::test]
async fn a_server_without_s256_is_refused_before_any_browser_opens() {
    let mock = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fhir/.well-known/smart-configuration"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "authorization_endpoint": format!("{}/auth", mock.uri()),
            "token_endpoint": format!("{}/token", mock.uri()),
            "code_challenge_methods_supported": ["plain"]
        })))
        .mount(&mock)
        .await;
    let c = smart::discover(&http(), &format!("{}/fhir", mock.uri()))
        .await
        .unwrap();
    let prompt = TestPrompt::new(Behaviour::Silent);
    let err = smart::login(&http(), &c, &request(BrowserMode::Open), &prompt)
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::Unsupported { .. }), "{err:?}");
    assert!(err.to_string().contains("requires S256"), "{err}");
    assert!(prompt.shown.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_server_with_no_login_says_so() {
    let mock = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/fhir/metadata"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "resourceType": "CapabilityStatement", "rest": [{"mode": "server"}]
        })))
        .mount(&mock)
        .await;
    let err = smart::discover(&http(), &format!("{}/fhir", mock.uri()))
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::Discovery { .. }), "{err:?}");
    assert!(err.to_string().contains("no OAuth URIs"), "{err}");
}
