//! The TLS line against local HTTPS servers whose certificates are made here with rcgen
//! (faults a real server here will not produce): expired (a failure naming the date),
//! expiring in 5 days (a warning, and the rest of the report goes on: this server's clock
//! is also 10 minutes slow), and signed by an authority this computer does not know (a
//! failure that points at --ca-bundle).

use std::sync::Arc;

use chrono::{Datelike, Utc};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::*;

/// A private CA, and a certificate for 127.0.0.1 signed by it valid until `not_after`.
struct Pki {
    ca_pem: String,
    cert: CertificateDer<'static>,
    key: PrivateKeyDer<'static>,
}

fn pki(not_after: chrono::NaiveDate) -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "rounds test clinic CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "fhir.test-clinic.internal");
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(
        not_after.year(),
        not_after.month() as u8,
        not_after.day() as u8,
    );
    let cert = params
        .signed_by(&key, &rcgen::Issuer::from_params(&ca, &ca_key))
        .unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        cert: cert.der().clone(),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    }
}

/// An HTTPS FHIR server at `https://127.0.0.1:PORT/fhir`: `metadata` answers an R4
/// CapabilityStatement with batch, its `Date` header `clock_offset` minutes off; anything
/// else is 404.
async fn https_server(pki: &Pki, clock_offset: i64) -> String {
    let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![pki.cert.clone()], pki.key.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let n = tls.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                let date = (Utc::now() + chrono::Duration::minutes(clock_offset))
                    .format("%a, %d %b %Y %H:%M:%S GMT");
                let (status, body) = if head.starts_with("GET /fhir/metadata") {
                    (
                        "200 OK",
                        r#"{"resourceType":"CapabilityStatement","fhirVersion":"4.0.1","rest":[{"mode":"server","interaction":[{"code":"batch"}]}]}"#,
                    )
                } else {
                    ("404 Not Found", r#"{"resourceType":"OperationOutcome"}"#)
                };
                let resp = format!(
                    "HTTP/1.1 {status}\r\ndate: {date}\r\ncontent-type: application/fhir+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    format!("https://127.0.0.1:{port}/fhir")
}

/// `rounds doctor --server URL ARGS` run off the test's runtime (the server lives on it).
async fn doctor(d: &Doctor, url: &str, args: &[&str]) -> Outcome {
    let mut all = vec!["doctor", "--server", url];
    all.extend_from_slice(args);
    let cmd = d.command(&all);
    tokio::task::spawn_blocking(move || Outcome::of(cmd))
        .await
        .unwrap()
}

/// The CA of `pki` as a file for --ca-bundle.
fn ca_file(d: &Doctor, pki: &Pki) -> String {
    let file = d.dir.path().join("clinic-ca.pem");
    std::fs::write(&file, &pki.ca_pem).unwrap();
    file.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_certificate_is_a_failure_that_names_its_date() {
    let pki = pki(chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap());
    let url = https_server(&pki, 0).await;
    let d = Doctor::new();
    let ca = ca_file(&d, &pki);
    let out = doctor(&d, &url, &["--ca-bundle", &ca]).await.code(1);
    assert!(out.stdout.contains("  failure  tls "), "{out}");
    assert!(out.stdout.contains("EXPIRED on 2021-01-01"), "{out}");
    assert!(
        out.stdout
            .contains("what to do: ask the server's administrator to renew it"),
        "{out}"
    );
    let doc = doctor(&d, &url, &["--ca-bundle", &ca, "--json"])
        .await
        .code(1)
        .json();
    expect_check(
        &doc,
        "tls",
        "failure",
        &[
            "TLS 1.3",
            "CN=fhir.test-clinic.internal, issued by CN=rounds test clinic CA",
            "EXPIRED on 2021-01-01",
            "days ago",
        ],
    );
    // The HTTP checks would fail the same way: they are not claimed.
    assert!(!has_check(&doc, "http"), "{doc:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_certificate_expiring_within_two_weeks_is_a_warning_and_a_slow_clock_too() {
    let in_five_days = (Utc::now() + chrono::Duration::days(5)).date_naive();
    let pki = pki(in_five_days);
    let url = https_server(&pki, -10).await;
    let d = Doctor::new();
    let ca = ca_file(&d, &pki);
    let doc = doctor(&d, &url, &["--ca-bundle", &ca, "--json"])
        .await
        .code(0)
        .json();
    let tls = expect_check(&doc, "tls", "warning", &["days left", "renew it before"]);
    let date = in_five_days.format("%Y-%m-%d").to_string();
    assert!(tls["finding"].as_str().unwrap().contains(&date), "{tls:#}");
    expect_check(&doc, "http", "ok", &["HTTP 200"]);
    expect_check(&doc, "clock", "warning", &["10 min behind", "time server"]);
    expect_check(&doc, "fhir-version", "ok", &["4.0.1"]);
    expect_check(&doc, "compression", "warning", &["uncompressed"]);
    expect_check(&doc, "smart", "ok", &["not offered"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_authority_is_a_failure_that_points_at_ca_bundle() {
    let pki = pki(chrono::NaiveDate::from_ymd_opt(2040, 1, 1).unwrap());
    let url = https_server(&pki, 0).await;
    let d = Doctor::new();
    let doc = doctor(&d, &url, &["--json"]).await.code(1).json();
    expect_check(
        &doc,
        "tls",
        "failure",
        &[
            "not signed by an authority this computer trusts",
            "--ca-bundle",
        ],
    );
    assert!(!has_check(&doc, "http"), "{doc:#}");
}
