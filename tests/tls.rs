//! TLS and credentials in transit, against a local HTTPS server with a private test CA:
//! an unknown CA is refused with a clear message, a CA bundle makes it trusted, the
//! loudly named insecure option works and is flagged, and redirects never carry the
//! Authorization header to another host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use common::tls::{self, TestPki, fhir_response, pki};
use rounds::fhir::{ClientConfig, Credentials, FhirClient, FhirError, Secret};
use rounds::source::{DataSource, RemoteSource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// An HTTPS server (the test CA's certificate) answering every request with one Patient;
/// its URL and the request heads it saw.
async fn https_server(pki: &TestPki) -> (String, Arc<Mutex<Vec<String>>>) {
    let body = r#"{"resourceType":"Patient","id":"tls1","name":[{"family":"Secure"}]}"#;
    let (port, seen) = tls::https_server(pki, move |_| fhir_response("200 OK", "", body)).await;
    (format!("https://127.0.0.1:{port}/fhir"), seen)
}

#[tokio::test]
async fn an_unknown_ca_is_refused_and_a_ca_bundle_trusts_it() {
    let pki = pki(None);
    let (url, _) = https_server(&pki).await;

    let mut config = ClientConfig::new(&url);
    config.retries = 0;
    let err = FhirClient::new(config)
        .unwrap()
        .read("Patient", "tls1")
        .await
        .unwrap_err();
    match &err {
        FhirError::Connection { detail } => assert!(detail.contains("TLS"), "{detail}"),
        other => panic!("{other:?}"),
    }

    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("clinic-ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mut config = ClientConfig::new(&url);
    config.ca_bundle = Some(ca.clone());
    let c = FhirClient::new(config).unwrap();
    assert_eq!(c.read("Patient", "tls1").await.unwrap()["id"], "tls1");
    assert!(!RemoteSource::new(c).info().tls_unverified);

    // A bundle that is not PEM is a clear error before any request.
    let bad = dir.path().join("not-a-cert.pem");
    std::fs::write(&bad, "hello").unwrap();
    let mut config = ClientConfig::new(&url);
    config.ca_bundle = Some(bad);
    let err = FhirClient::new(config).unwrap_err();
    assert!(
        err.to_string().contains("not a PEM certificate file")
            || err.to_string().contains("holds no certificates"),
        "{err}"
    );
}

#[tokio::test]
async fn skipping_verification_works_and_is_flagged() {
    let pki = pki(None);
    let (url, _) = https_server(&pki).await;
    let mut config = ClientConfig::new(&url);
    config.insecure_skip_tls_verify = true;
    let c = FhirClient::new(config).unwrap();
    assert_eq!(c.read("Patient", "tls1").await.unwrap()["id"], "tls1");
    assert!(RemoteSource::new(c).info().tls_unverified);
}

#[tokio::test]
async fn credentials_are_sent_over_tls_to_the_server_itself() {
    let pki = pki(None);
    let (url, seen) = https_server(&pki).await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mut config = ClientConfig::new(&url);
    config.ca_bundle = Some(ca);
    config.credentials = Credentials::Bearer(Secret::new("tls-token-1"));
    FhirClient::new(config)
        .unwrap()
        .read("Patient", "tls1")
        .await
        .unwrap();
    let heads = seen.lock().unwrap().join("\n").to_lowercase();
    assert!(
        heads.contains("authorization: bearer tls-token-1"),
        "{heads}"
    );
}

#[tokio::test]
async fn redirects_to_another_host_drop_the_authorization_header() {
    let elsewhere = MockServer::start().await;
    let got_auth = Arc::new(Mutex::new(None::<bool>));
    let flag = got_auth.clone();
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(move |req: &Request| {
            *flag.lock().unwrap() = Some(req.headers.contains_key("authorization"));
            ResponseTemplate::new(200).set_body_raw(
                r#"{"resourceType":"Patient","id":"p1"}"#,
                "application/fhir+json",
            )
        })
        .mount(&elsewhere)
        .await;
    let home = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "Location",
            format!("{}/Patient/p1", elsewhere.uri()).as_str(),
        ))
        .mount(&home)
        .await;
    let mut config = ClientConfig::new(home.uri());
    config.credentials = Credentials::Bearer(Secret::new("never-leaves-home"));
    let c = FhirClient::new(config).unwrap();
    assert_eq!(c.read("Patient", "p1").await.unwrap()["id"], "p1");
    assert_eq!(
        *got_auth.lock().unwrap(),
        Some(false),
        "the other host saw the token"
    );
}
