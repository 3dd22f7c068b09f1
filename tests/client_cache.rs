//! Caching that saves round trips: the server's capabilities on disk between runs (fresh,
//! revalidated with a 304, or fetched again), and the session's revalidation of GETs with
//! `If-None-Match`, forgotten when the chart closes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use rounds::fhir::capability_cache::{CachedCapabilities, cache_file};
use rounds::fhir::{ClientConfig, FhirClient};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn statement() -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("ETag", "W/\"cap-1\"")
        .set_body_raw(
            json!({"resourceType":"CapabilityStatement","fhirVersion":"4.0.1",
                "rest":[{"mode":"server","interaction":[{"code":"batch"}]}]})
            .to_string(),
            "application/fhir+json",
        )
}

fn client(server: &MockServer, dir: &std::path::Path, max_age: Duration) -> FhirClient {
    let mut config = ClientConfig::new(server.uri());
    config.capability_cache = Some(dir.to_path_buf());
    config.capability_max_age = max_age;
    FhirClient::new(config).unwrap()
}

#[tokio::test]
async fn capabilities_are_fetched_once_then_read_from_disk() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .respond_with(statement())
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let day = Duration::from_secs(86_400);
    let first = client(&server, dir.path(), day);
    assert!(first.capabilities().await.unwrap().supports_batch());
    assert_eq!(first.stats().round_trips, 1);
    // A new process (a new client) reads the file: no request at all.
    let second = client(&server, dir.path(), day);
    assert!(second.capabilities().await.unwrap().supports_batch());
    assert_eq!(second.stats().round_trips, 0);
    let cached = CachedCapabilities::load(
        &cache_file(dir.path(), second.base_url()),
        second.base_url(),
    )
    .unwrap();
    assert_eq!(cached.validators.etag.as_deref(), Some("W/\"cap-1\""));
}

#[tokio::test]
async fn a_stale_copy_is_revalidated_with_its_etag() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .respond_with(statement())
        .up_to_n_times(1)
        .mount(&server)
        .await;
    client(&server, dir.path(), Duration::ZERO)
        .capabilities()
        .await
        .unwrap();
    server.reset().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .and(header("If-None-Match", "W/\"cap-1\""))
        .respond_with(ResponseTemplate::new(304))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server, dir.path(), Duration::ZERO);
    assert!(c.capabilities().await.unwrap().supports_batch());
    let s = c.stats();
    assert_eq!(s.round_trips, 1);
    assert_eq!(s.bytes_decoded, 0, "a 304 carries no body");
}

/// The statement is asked for trimmed to what rounds reads (`_elements`, not `_summary`,
/// which would drop the batch interaction and the search parameters).
#[tokio::test]
async fn the_statement_is_asked_for_trimmed_to_what_rounds_reads() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .and(query_param("_elements", "fhirVersion,software,format,rest"))
        .and(query_param_is_missing("_summary"))
        .respond_with(statement())
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let c = client(&server, dir.path(), Duration::from_secs(60));
    assert!(c.capabilities().await.unwrap().supports_batch());
    assert_eq!(c.stats().round_trips, 1);
}

/// A server that rejects `_elements` on `metadata` is asked again without it, and the
/// answer is cached as usual.
#[tokio::test]
async fn a_server_refusing_elements_gets_the_plain_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .and(query_param("_elements", "fhirVersion,software,format,rest"))
        .respond_with(
            ResponseTemplate::new(400).set_body_raw(
                json!({"resourceType":"OperationOutcome","issue":[{"severity":"error",
                "code":"not-supported","diagnostics":"_elements is not supported"}]})
                .to_string(),
                "application/fhir+json",
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .and(query_param_is_missing("_elements"))
        .respond_with(statement())
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let c = client(&server, dir.path(), Duration::from_secs(60));
    assert!(c.capabilities().await.unwrap().supports_batch());
    assert_eq!(c.stats().round_trips, 2);
    let again = client(&server, dir.path(), Duration::from_secs(60));
    assert!(again.capabilities().await.unwrap().supports_batch());
    assert_eq!(again.stats().round_trips, 0, "read from the disk cache");
}

#[tokio::test]
async fn an_unusable_cache_folder_does_not_stop_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .respond_with(statement())
        .mount(&server)
        .await;
    let file = tempfile::NamedTempFile::new().unwrap();
    // A file where the folder should be: nothing can be written; the answer still comes.
    let c = client(&server, file.path(), Duration::from_secs(60));
    assert!(c.capabilities().await.unwrap().supports_batch());
}

#[tokio::test]
async fn reads_are_revalidated_and_forgotten_when_the_chart_closes() {
    let server = MockServer::start().await;
    let patient =
        json!({"resourceType":"Patient","id":"p1","name":[{"family":"Cached"}]}).to_string();
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .and(header("If-None-Match", "W/\"7\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("ETag", "W/\"7\"")
                .set_body_raw(patient, "application/fhir+json"),
        )
        .mount(&server)
        .await;
    let c = FhirClient::new(ClientConfig::new(server.uri())).unwrap();
    let a = c.read("Patient", "p1").await.unwrap();
    let after_first = c.stats();
    let b = c.read("Patient", "p1").await.unwrap();
    let second = c.stats().since(&after_first);
    assert_eq!(a, b);
    assert_eq!(second.round_trips, 1);
    assert!(
        second.bytes_received < after_first.bytes_received,
        "the 304 is smaller than the body"
    );
    assert_eq!(c.revalidation_entries(), 1);
    c.forget();
    assert_eq!(c.revalidation_entries(), 0);
    let before = c.stats();
    c.read("Patient", "p1").await.unwrap();
    assert!(
        c.stats().since(&before).bytes_decoded > 0,
        "after forgetting, the body comes again"
    );
}
