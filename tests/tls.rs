//! TLS and credentials in transit, against a local HTTPS server with a private test CA:
//! an unknown CA is refused with a clear message, a CA bundle makes it trusted, the
//! loudly named insecure option works and is flagged, redirects never carry the
//! Authorization header to another host, never lead from https to plain http (reads,
//! searches, `rounds login`, SMART discovery), and never take a POST to another origin.
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

/// An HTTPS server whose answer to each request is `answer(request head)`: its base URL
/// (`/fhir`) and the request heads it saw.
async fn https_answering(
    pki: &TestPki,
    answer: impl Fn(&str) -> String + Send + Sync + 'static,
) -> (String, Arc<Mutex<Vec<String>>>) {
    let (port, seen) = tls::https_server(pki, answer).await;
    (format!("https://127.0.0.1:{port}/fhir"), seen)
}

/// A plain-http server that counts every request it gets (none may come).
async fn plain_http_witness() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"resourceType":"Patient","id":"p1"}"#,
            "application/fhir+json",
        ))
        .mount(&server)
        .await;
    server
}

/// The path of a request head (`GET /fhir/Patient/p1 HTTP/1.1`).
fn request_path(head: &str) -> String {
    head.split_whitespace().nth(1).unwrap_or("/").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_server_redirecting_to_plain_http_is_not_followed() {
    let pki = pki(None);
    let witness = plain_http_witness().await;
    let to = witness.uri();
    let (url, _) = https_answering(&pki, move |head| {
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nlocation: {to}{}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            request_path(head)
        )
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    let mut config = ClientConfig::new(&url);
    config.ca_bundle = Some(ca.clone());
    config.credentials = Credentials::Bearer(Secret::new("never-in-clear"));
    let c = FhirClient::new(config).unwrap();
    let read = c.read("Patient", "p1").await.unwrap_err();
    let search = c
        .search_patients(
            &rounds::fhir::PatientQuery {
                name: Some("smith".into()),
                ..Default::default()
            },
            10,
        )
        .await
        .unwrap_err();
    for err in [read, search] {
        assert!(
            matches!(&err, FhirError::BadResponse { detail } if detail.contains("from https to plain http")),
            "{err:?}"
        );
        assert!(!err.is_transient(), "a refused redirect is not retried");
    }

    // `rounds login` does not say "Signed in" after asking the http server.
    let config_dir = dir.path().join("config");
    let mut login = assert_cmd::cargo::cargo_bin_cmd!("rounds");
    login
        .env("ROUNDS_CONFIG_DIR", &config_dir)
        .env("ROUNDS_CACHE_DIR", "")
        .args([
            "login",
            "--profile",
            "p",
            "--server",
            &url,
            "--auth",
            "token",
        ])
        .args(["--store", "memory", "--token-stdin", "--ca-bundle"])
        .arg(&ca)
        .write_stdin("never-in-clear");
    let out = tokio::task::spawn_blocking(move || login.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stdout}\n{stderr}");
    assert!(!stdout.contains("Signed in"), "{stdout}");
    assert!(stderr.contains("from https to plain http"), "{stderr}");
    assert!(!config_dir.join("profiles.toml").exists());

    // SMART discovery does not follow it either.
    let http = rounds::auth::smart::AuthHttp::new(&{
        let mut c = ClientConfig::new(&url);
        c.ca_bundle = Some(ca.clone());
        c
    })
    .unwrap();
    let err = rounds::auth::smart::discover(&http, &url)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("from https to plain http"),
        "{err}"
    );

    let seen = witness.received_requests().await.unwrap();
    assert!(
        seen.is_empty(),
        "the plain-http server was asked {} times",
        seen.len()
    );
}

#[tokio::test]
async fn a_post_is_never_redirected_to_another_origin() {
    let elsewhere = plain_http_witness().await;
    let home = MockServer::start().await;
    for status in [301, 302, 303, 307, 308] {
        Mock::given(method("POST"))
            .and(path(format!("/s{status}/Patient/_search")))
            .respond_with(ResponseTemplate::new(status).insert_header(
                "Location",
                format!("{}/Patient/_search", elsewhere.uri()).as_str(),
            ))
            .mount(&home)
            .await;
        let c = FhirClient::new(ClientConfig::new(format!("{}/s{status}", home.uri()))).unwrap();
        let query = rounds::fhir::PatientQuery {
            name: Some("smith".into()),
            ..Default::default()
        };
        let err = c.search_patients(&query, 10).await.unwrap_err();
        assert!(
            matches!(&err, FhirError::BadResponse { detail } if detail.contains("another server")),
            "{status}: {err:?}"
        );
    }
    assert!(elsewhere.received_requests().await.unwrap().is_empty());

    // On the same origin a POST still follows (a moved path, say).
    Mock::given(method("POST"))
        .and(path("/old/Patient/_search"))
        .respond_with(ResponseTemplate::new(308).insert_header(
            "Location",
            format!("{}/new/Patient/_search", home.uri()).as_str(),
        ))
        .mount(&home)
        .await;
    Mock::given(method("POST"))
        .and(path("/new/Patient/_search"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"resourceType":"Bundle","type":"searchset","entry":[]}"#,
            "application/fhir+json",
        ))
        .mount(&home)
        .await;
    let c = FhirClient::new(ClientConfig::new(format!("{}/old", home.uri()))).unwrap();
    let query = rounds::fhir::PatientQuery {
        name: Some("smith".into()),
        ..Default::default()
    };
    assert!(
        c.search_patients(&query, 10)
            .await
            .unwrap()
            .patients
            .is_empty()
    );
}
