//! TLS and credentials in transit, against a local HTTPS server with a private test CA:
//! an unknown CA is refused with a clear message, a CA bundle makes it trusted, the
//! loudly named insecure option works and is flagged, and redirects never carry the
//! Authorization header to another host.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use rounds::fhir::{ClientConfig, Credentials, FhirClient, FhirError, Secret};
use rounds::source::{DataSource, RemoteSource};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A private CA and a server certificate for 127.0.0.1 and localhost signed by it.
struct TestPki {
    ca_pem: String,
    server_cert: CertificateDer<'static>,
    server_key: PrivateKeyDer<'static>,
}

fn pki() -> TestPki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "rounds test clinic CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "fhir.test-clinic.internal");
    let issuer = rcgen::Issuer::from_params(&ca, &ca_key);
    let cert = params.signed_by(&key, &issuer).unwrap();
    TestPki {
        ca_pem: ca_cert.pem(),
        server_cert: cert.der().clone(),
        server_key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// An HTTPS server answering every request with one Patient; records the request heads.
async fn https_server(pki: &TestPki) -> (String, Arc<Mutex<Vec<String>>>) {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![pki.server_cert.clone()], pki.server_key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}/fhir",
        listener.local_addr().unwrap().port()
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let log = log.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let n = tls.read(&mut buf).await.unwrap_or(0);
                log.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf[..n]).into_owned());
                let body = r#"{"resourceType":"Patient","id":"tls1","name":[{"family":"Secure"}]}"#;
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/fhir+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn an_unknown_ca_is_refused_and_a_ca_bundle_trusts_it() {
    let pki = pki();
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
    let pki = pki();
    let (url, _) = https_server(&pki).await;
    let mut config = ClientConfig::new(&url);
    config.insecure_skip_tls_verify = true;
    let c = FhirClient::new(config).unwrap();
    assert_eq!(c.read("Patient", "tls1").await.unwrap()["id"], "tls1");
    assert!(RemoteSource::new(c).info().tls_unverified);
}

#[tokio::test]
async fn credentials_are_sent_over_tls_to_the_server_itself() {
    let pki = pki();
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
