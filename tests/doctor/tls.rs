//! The TLS line against local HTTPS servers whose certificates are made here with rcgen
//! (faults a real server here will not produce): expired (a failure naming the date),
//! expiring in 5 days (a warning, and the rest of the report goes on: this server's clock
//! is also 10 minutes slow), and signed by an authority this computer does not know (a
//! failure that points at --ca-bundle).

use chrono::Utc;

use super::common::tls::{TestPki, fhir_response, https_server, pki};
use super::*;

/// An HTTPS FHIR server at `https://127.0.0.1:PORT/fhir`: `metadata` answers an R4
/// CapabilityStatement with batch, its `Date` header `clock_offset` minutes off; anything
/// else is 404.
async fn fhir_server(pki: &TestPki, clock_offset: i64) -> String {
    let (port, _) = https_server(pki, move |head| {
        let date = (Utc::now() + chrono::Duration::minutes(clock_offset))
            .format("%a, %d %b %Y %H:%M:%S GMT");
        let date = format!("date: {date}\r\n");
        if head.starts_with("GET /fhir/metadata") {
            let statement = r#"{"resourceType":"CapabilityStatement","fhirVersion":"4.0.1","rest":[{"mode":"server","interaction":[{"code":"batch"}]}]}"#;
            fhir_response("200 OK", &date, statement)
        } else {
            fhir_response("404 Not Found", &date, r#"{"resourceType":"OperationOutcome"}"#)
        }
    })
    .await;
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
fn ca_file(d: &Doctor, pki: &TestPki) -> String {
    let file = d.dir.path().join("clinic-ca.pem");
    std::fs::write(&file, &pki.ca_pem).unwrap();
    file.display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_certificate_is_a_failure_that_names_its_date() {
    let pki = pki(chrono::NaiveDate::from_ymd_opt(2021, 1, 1));
    let url = fhir_server(&pki, 0).await;
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
    let pki = pki(Some(in_five_days));
    let url = fhir_server(&pki, -10).await;
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
    let pki = pki(None);
    let url = fhir_server(&pki, 0).await;
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
