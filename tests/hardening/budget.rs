//! Issue 12.10 (network side) and 12.2: a server that pages on and on must not take the CLI
//! to gigabytes and minutes (a per-chart budget, the chart marked cut short in the table
//! and the JSON); a section that fails makes `rounds chart` exit 5, with the JSON saying
//! which section and why.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::common::mock::{bundle, fhir, serve_patient};
use super::{measured, rounds, run};

/// Entries per page, as the hostile server sent them (just under the 20,000 a page may
/// hold).
const PER_PAGE: usize = 19_999;
/// Pages per section the server offers.
const PAGES: usize = 20;

/// A server whose lab search pages `PAGES` times `PER_PAGE` entries; it counts the pages
/// asked for.
async fn endless_labs() -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start().await;
    let entries: Vec<String> = (0..PER_PAGE)
        .map(|i| {
            json!({"resource":{"resourceType":"Observation","id":format!("o{i}"),
                "status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                "code":{"text":"Potassium"},"subject":{"reference":"Patient/p1"},
                "effectiveDateTime":"2024-01-01","valueQuantity":{"value":4.1,"unit":"mmol/L"}}})
            .to_string()
        })
        .collect();
    let entries = Arc::new(entries.join(","));
    let served = Arc::new(AtomicUsize::new(0));
    let (count, uri) = (served.clone(), server.uri());
    Mock::given(method("GET"))
        .and(path("/Observation"))
        .respond_with(move |req: &Request| {
            let page: usize = req
                .url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            count.fetch_add(1, Ordering::SeqCst);
            // Every page carries the same ids with the page in them, so none is a repeat.
            let body = entries.replace("\"id\":\"o", &format!("\"id\":\"p{page}-o"));
            let next = if page + 1 < PAGES {
                format!(
                    r#","link":[{{"relation":"next","url":"{uri}/Observation?page={}"}}]"#,
                    page + 1
                )
            } else {
                String::new()
            };
            ResponseTemplate::new(200).set_body_raw(
                format!(r#"{{"resourceType":"Bundle","type":"searchset"{next},"entry":[{body}]}}"#),
                "application/fhir+json",
            )
        })
        .mount(&server)
        .await;
    patient_p1_without_allergies(&server).await;
    (server, served)
}

/// `Patient/p1`, and no allergies.
async fn patient_p1_without_allergies(server: &MockServer) {
    serve_patient(server, "p1").await;
    Mock::given(method("GET"))
        .and(path("/AllergyIntolerance"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(server)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_pages_on_and_on_is_cut_short() {
    let (server, served) = endless_labs().await;
    let config = tempfile::tempdir().unwrap();
    let mut cmd = rounds(config.path());
    cmd.args(["--server", &server.uri(), "--batch", "never"])
        .args(["chart", "p1", "--section", "labs", "--json"]);
    let (r, peak_mb, took) = tokio::task::spawn_blocking(move || measured(cmd))
        .await
        .unwrap();
    assert_eq!(r.code, 0, "{r}");
    let doc = r.json();
    assert_eq!(doc["labs"]["truncated"], true, "{}", doc["labs"]["status"]);
    let warnings = doc["warnings"].to_string();
    assert!(warnings.contains("The chart was cut short"), "{warnings}");
    let pages = served.load(Ordering::SeqCst);
    assert!(pages <= 4, "{pages} pages of {PER_PAGE} were fetched");
    eprintln!("paging server: {pages} pages, peak {peak_mb} MB, {took:?}");
    assert!(peak_mb < 1024, "peak {peak_mb} MB");
    assert!(took.as_secs() < 60, "{took:?}");

    // The table says so too.
    let mut cmd = rounds(config.path());
    cmd.args(["--server", &server.uri(), "--batch", "never"])
        .args(["chart", "p1", "--section", "labs"]);
    let r = tokio::task::spawn_blocking(move || run(cmd)).await.unwrap();
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("Warning: The chart was cut short"), "{r}");
    assert!(
        r.stdout.contains("(only the newest entries were loaded"),
        "{r}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chart_whose_sections_failed_exits_5_and_says_which() {
    let server = MockServer::start().await;
    patient_p1_without_allergies(&server).await;
    Mock::given(method("GET"))
        .and(path("/MedicationRequest"))
        .respond_with(fhir(
            403,
            super::common::mock::outcome("scope user/MedicationRequest.rs not granted"),
        ))
        .mount(&server)
        .await;
    // Every other search finds nothing.
    Mock::given(method("GET"))
        .respond_with(fhir(200, bundle(vec![])))
        .with_priority(10)
        .mount(&server)
        .await;
    let config = tempfile::tempdir().unwrap();
    for args in [&["--section", "meds", "--json"][..], &["--json"], &[]] {
        let mut cmd = rounds(config.path());
        cmd.args(["--server", &server.uri(), "--batch", "never", "chart", "p1"])
            .args(args);
        let r = tokio::task::spawn_blocking(move || run(cmd)).await.unwrap();
        assert_eq!(r.code, 5, "{args:?}: {r}");
        assert!(
            r.stderr
                .contains("the chart is incomplete: medications (access denied (HTTP 403)"),
            "{r}"
        );
        if args.contains(&"--json") {
            let doc = r.json();
            let failed = doc["failed"].as_array().unwrap();
            assert!(
                failed.iter().any(|f| f["section"] == "medications"
                    && f["message"].as_str().unwrap().contains("HTTP 403")),
                "{failed:?}"
            );
            assert_eq!(doc["medications"]["status"], "failed");
        } else {
            assert!(r.stdout.contains("MEDICATIONS: could not be loaded"), "{r}");
        }
    }
}
