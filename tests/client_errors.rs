//! The FHIR client against a mock HTTP server, for what a real server will not do on
//! demand: 401, 403, 404, 429, 500, OperationOutcomes, timeouts, refused connections,
//! invalid JSON, wrong resource types, refused POST searches and batches, bodies too large,
//! paging links to other hosts, and resources for the wrong patient.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::time::Duration;

use rounds::fhir::{
    BatchMode, ClientConfig, Credentials, FhirClient, FhirError, PatientQuery, Secret, Section,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::mock::{batch_reply, bundle, by_name, client_for, fhir, outcome, patient};

async fn read_error(status: u16, body: Value) -> FhirError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(fhir(status, body))
        .mount(&server)
        .await;
    client_for(&server, |_| {})
        .read("Patient", "p1")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn http_statuses_become_typed_errors() {
    assert_eq!(read_error(401, json!({})).await, FhirError::Unauthorized);
    assert_eq!(
        read_error(403, outcome("Scope user/Patient.rs not granted")).await,
        FhirError::Forbidden {
            detail: Some("Scope user/Patient.rs not granted".into())
        }
    );
    assert_eq!(
        read_error(404, outcome("gone")).await,
        FhirError::NotFound {
            what: "Patient 'p1'".into()
        }
    );
    assert_eq!(
        read_error(410, json!({})).await,
        FhirError::NotFound {
            what: "Patient 'p1'".into()
        }
    );
    assert_eq!(
        read_error(500, json!({})).await,
        FhirError::Server {
            status: 500,
            retry_after: None
        }
    );
    assert_eq!(
        read_error(500, outcome("database is down")).await,
        FhirError::Outcome {
            status: 500,
            diagnostics: "database is down".into()
        }
    );
    assert_eq!(
        read_error(400, outcome("Unknown parameter 'foo'")).await,
        FhirError::Outcome {
            status: 400,
            diagnostics: "Unknown parameter 'foo'".into()
        }
    );
    // A 200 that is really an OperationOutcome.
    assert_eq!(
        read_error(200, outcome("no such patient")).await,
        FhirError::Outcome {
            status: 200,
            diagnostics: "no such patient".into()
        }
    );
}

#[tokio::test]
async fn rate_limits_carry_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "7"))
        .expect(1)
        .mount(&server)
        .await;
    // Seven seconds is longer than the client waits by itself: the user is told instead.
    let err = client_for(&server, |c| c.max_retry_after = Duration::from_secs(5))
        .read("Patient", "p1")
        .await
        .unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 429,
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert!(err.is_transient());
    assert!(err.to_string().contains("try again in 7 seconds"), "{err}");
}

#[tokio::test]
async fn broken_bodies_are_bad_responses_not_panics() {
    let server = MockServer::start().await;
    let cases: Vec<(&str, ResponseTemplate)> = vec![
        (
            "/Patient/json",
            ResponseTemplate::new(200)
                .set_body_raw("{\"resourceType\":\"Pat", "application/fhir+json"),
        ),
        ("/Patient/empty", ResponseTemplate::new(200)),
        (
            "/Patient/html",
            ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html"),
        ),
        (
            "/Patient/type",
            fhir(200, json!({"resourceType":"Observation","id":"o"})),
        ),
        ("/Patient/notype", fhir(200, json!({"id":"x"}))),
        ("/Patient/array", fhir(200, json!([1, 2, 3]))),
        (
            "/Patient/encoding",
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "zstd")
                .set_body_raw("x", "application/fhir+json"),
        ),
        (
            "/Patient/badgzip",
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw("not gzip", "application/fhir+json"),
        ),
    ];
    for (p, resp) in cases {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(resp)
            .mount(&server)
            .await;
    }
    let c = client_for(&server, |_| {});
    for id in [
        "json", "empty", "html", "type", "notype", "array", "encoding", "badgzip",
    ] {
        let err = c.read("Patient", id).await.unwrap_err();
        assert!(
            matches!(err, FhirError::BadResponse { .. }),
            "{id}: {err:?}"
        );
    }
    // The chart loader says the same, and the wrong type is named.
    let err = c.fetch_record("type", &[]).await.unwrap_err();
    assert!(err.to_string().contains("of type 'Observation'"), "{err}");
}

#[tokio::test]
async fn slow_servers_time_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(fhir(200, patient("p1")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.request_timeout = Duration::from_millis(300));
    let err = c.read("Patient", "p1").await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Timeout {
            after: Duration::from_millis(300)
        }
    );
}

#[tokio::test]
async fn a_closed_port_is_a_connection_error_that_names_the_host() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = FhirClient::new(ClientConfig::new(format!("http://127.0.0.1:{port}"))).unwrap();
    let err = c.search_patients(&by_name(), 10).await.unwrap_err();
    match &err {
        FhirError::Connection { detail } => {
            assert!(detail.contains(&format!("127.0.0.1:{port}")), "{detail}");
            assert!(
                !detail.contains("mock"),
                "search terms must not appear: {detail}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Refused connections are tried again twice, with backoff.
    assert_eq!(c.stats().round_trips, 3);
}

#[tokio::test]
async fn transient_failures_are_retried_and_then_reported() {
    let server = MockServer::start().await;
    // Two 503s, then the answer.
    Mock::given(method("GET"))
        .and(path("/Patient/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Patient/flaky"))
        .respond_with(fhir(200, patient("flaky")))
        .mount(&server)
        .await;
    // A short Retry-After is honoured.
    Mock::given(method("GET"))
        .and(path("/Patient/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Patient/busy"))
        .respond_with(fhir(200, patient("busy")))
        .mount(&server)
        .await;
    // A gateway that stays down: three tries, then the error.
    Mock::given(method("GET"))
        .and(path("/Patient/down"))
        .respond_with(ResponseTemplate::new(502))
        .expect(3)
        .mount(&server)
        .await;
    // Not retried: a plain server error, and a 404.
    Mock::given(method("GET"))
        .and(path("/Patient/broken"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.retry_base = Duration::from_millis(20));
    assert_eq!(c.read("Patient", "flaky").await.unwrap()["id"], "flaky");
    assert_eq!(c.stats().round_trips, 3);
    let started = std::time::Instant::now();
    assert_eq!(c.read("Patient", "busy").await.unwrap()["id"], "busy");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited for Retry-After"
    );
    let err = c.read("Patient", "down").await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 502,
            retry_after: None
        }
    );
    let err = c.read("Patient", "broken").await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 500,
            retry_after: None
        }
    );
}

#[tokio::test]
async fn bad_base_urls_are_refused_up_front() {
    for bad in ["not a url", "ftp://x/fhir", "http://x/fhir?q=1", ""] {
        let err = FhirClient::new(ClientConfig::new(bad)).unwrap_err();
        assert!(
            matches!(err, FhirError::InvalidRequest { .. }),
            "{bad}: {err:?}"
        );
    }
}

#[tokio::test]
async fn gzip_bodies_are_decoded_and_counted_compressed() {
    let server = MockServer::start().await;
    let big = bundle((0..200).map(|i| patient(&format!("p{i}"))).collect());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(big.to_string().as_bytes()).unwrap();
    let compressed = gz.finish().unwrap();
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(header("Accept", "application/fhir+json"))
        .respond_with(move |req: &Request| {
            let accepts = req
                .headers
                .get("accept-encoding")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            assert!(
                accepts.contains("gzip") && accepts.contains("br"),
                "{accepts}"
            );
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(compressed.clone(), "application/fhir+json")
        })
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    let page = c.search_patients(&by_name(), 200).await.unwrap();
    assert_eq!(page.patients.len(), 200);
    let s = c.stats();
    assert_eq!(s.bytes_decoded, big.to_string().len() as u64);
    assert!(s.bytes_received < s.bytes_decoded / 5, "{s:?}");
    assert!(s.bytes_received > 0);
}

#[tokio::test]
async fn patient_search_posts_a_form_and_falls_back_to_get_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(header("Content-Type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("name=mock"))
        .respond_with(ResponseTemplate::new(405))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Patient"))
        .and(query_param("name", "mock"))
        .respond_with(fhir(
            200,
            bundle(vec![
                patient("p1"),
                json!({"resourceType":"Patient","name":"not-a-list","id":"bad"}),
            ]),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    let page = c.search_patients(&by_name(), 10).await.unwrap();
    assert!(page.used_get);
    assert_eq!(page.patients.len(), 1);
    assert_eq!(page.unreadable, 1);
    // The refusal is remembered: no second POST.
    c.search_patients(&by_name(), 10).await.unwrap();
    let empty = c
        .search_patients(&PatientQuery::default(), 10)
        .await
        .unwrap_err();
    assert!(matches!(empty, FhirError::InvalidRequest { .. }));
}

#[tokio::test]
async fn credentials_are_sent_as_authorization_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("Authorization", "Bearer tok-123"))
        .respond_with(fhir(200, patient("p1")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("Authorization", "Basic dXNlcjpwYXNz"))
        .respond_with(fhir(200, patient("p2")))
        .mount(&server)
        .await;
    let c = client_for(&server, |c| {
        c.credentials = Credentials::Bearer(Secret::new("tok-123"))
    });
    assert_eq!(c.read("Patient", "p1").await.unwrap()["id"], "p1");
    assert!(!format!("{c:?}").contains("tok-123"));
    c.set_credentials(Credentials::Basic {
        user: "user".into(),
        password: Secret::new("pass"),
    });
    assert_eq!(c.read("Patient", "p2").await.unwrap()["id"], "p2");
}

/// A mock server that answers a chart's searches for patient p1.
async fn chart_server(extra_obs: Vec<Value>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(fhir(200, patient("p1")))
        .mount(&server)
        .await;
    let subject = json!({"reference":"Patient/p1"});
    let mut obs = vec![
        json!({"resourceType":"Observation","id":"o1","status":"final","subject":subject,
        "category":[{"coding":[{"code":"laboratory"}]}],"code":{"text":"Sodium"},
        "effectiveDateTime":"2026-01-01","valueQuantity":{"value":140,"unit":"mmol/L"}}),
    ];
    obs.extend(extra_obs);
    Mock::given(method("GET"))
        .and(path("/Observation"))
        .respond_with(fhir(200, bundle(obs)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/MedicationRequest"))
        .respond_with(fhir(
            200,
            bundle(vec![
                json!({"resourceType":"MedicationRequest","id":"m1","status":"active",
            "subject":subject,"medicationReference":{"reference":"Medication/med9"}}),
            ]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Medication"))
        .and(query_param("_id", "med9"))
        .respond_with(fhir(200, bundle(vec![json!({"resourceType":"Medication","id":"med9","code":{"text":"Amlodipine 5 mg tablet"}})])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/DocumentReference"))
        .respond_with(fhir(
            403,
            outcome("DocumentReference not in granted scopes"),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_chart_survives_a_forbidden_section_and_fetches_missing_medications() {
    let server = chart_server(vec![]).await;
    let c = client_for(&server, |_| {});
    let r = c.fetch_record("p1", &Section::ALL).await.unwrap();
    assert_eq!(r.observations.len(), 1);
    assert!(r.has(Section::Labs));
    assert!(!r.has(Section::Notes));
    assert!(
        r.failed[&Section::Notes].contains("DocumentReference not in granted scopes"),
        "{:?}",
        r.failed
    );
    let m = r.medication_for(&r.medication_requests[0]).unwrap();
    assert_eq!(m.code.unwrap().label(), Some("Amlodipine 5 mg tablet"));
    // Patient read + 9 searches + one Medication read.
    assert_eq!(c.stats().round_trips, 11);
}

#[tokio::test]
async fn another_patients_resources_are_never_shown() {
    let foreign = json!({"resourceType":"Observation","id":"o2","status":"final",
        "subject":{"reference":"Patient/someone-else"},"category":[{"coding":[{"code":"laboratory"}]}],
        "code":{"text":"Potassium"},"valueQuantity":{"value":9,"unit":"mmol/L"}});
    let server = chart_server(vec![foreign]).await;
    let r = client_for(&server, |_| {})
        .fetch_record("p1", &[Section::Labs])
        .await
        .unwrap();
    assert_eq!(r.observations.len(), 1);
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("not for this patient")),
        "{:?}",
        r.problems
    );
}

#[tokio::test]
async fn a_different_patient_than_asked_for_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(fhir(200, patient("p2")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    let err = client_for(&server, |_| {})
        .fetch_record("p1", &Section::ALL)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("different patient"), "{err}");
}

#[tokio::test]
async fn a_batch_the_server_refuses_falls_back_to_concurrent_requests() {
    let server = chart_server(vec![]).await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(fhir(501, outcome("batch not supported")))
        .expect(1)
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.batch = BatchMode::Always);
    let r = c.fetch_record("p1", &[Section::Labs]).await.unwrap();
    assert_eq!(r.observations.len(), 1);
    assert_eq!(
        c.stats().round_trips,
        3,
        "failed batch, then Patient and the lab search"
    );
}

#[tokio::test]
async fn batch_responses_are_checked() {
    let server = MockServer::start().await;
    let reply = |entries: Value| {
        fhir(
            200,
            json!({"resourceType":"Bundle","type":"batch-response","entry":entries}),
        )
    };
    // Wrong number of entries.
    Mock::given(method("POST"))
        .and(body_string_contains("Patient/short"))
        .respond_with(reply(
            json!([{"response":{"status":"200"},"resource":patient("short")}]),
        ))
        .mount(&server)
        .await;
    // The Patient entry is a 404.
    Mock::given(method("POST"))
        .and(body_string_contains("Patient/gone"))
        .respond_with(reply(json!([
            {"response":{"status":"404 Not Found"}},
            {"response":{"status":"200 OK"},"resource":bundle(vec![])}])))
        .mount(&server)
        .await;
    // The lab search entry failed with an OperationOutcome.
    Mock::given(method("POST"))
        .and(body_string_contains("Patient/p1"))
        .respond_with(reply(json!([
            {"response":{"status":"200 OK"},"resource":patient("p1")},
            {"response":{"status":"500","outcome":outcome("search index offline")}}])))
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.batch = BatchMode::Always);
    let err = c.fetch_record("short", &[Section::Labs]).await.unwrap_err();
    assert!(matches!(err, FhirError::BadResponse { .. }), "{err:?}");
    let err = c.fetch_record("gone", &[Section::Labs]).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::NotFound {
            what: "Patient 'gone'".into()
        }
    );
    let r = c.fetch_record("p1", &[Section::Labs]).await.unwrap();
    assert!(r.failed[&Section::Labs].contains("search index offline"));
}

#[tokio::test]
async fn paging_links_never_leave_the_server() {
    let server = MockServer::start().await;
    let base_port = server.address().port();
    Mock::given(method("GET"))
        .and(path("/fhir/Patient/p1"))
        .respond_with(fhir(200, patient("p1")))
        .mount(&server)
        .await;
    let page1 = json!({"resourceType":"Bundle","type":"searchset",
        "link":[{"relation":"next","url":"http://internal-host:9999/fhir/Condition?_cursor=2"}],
        "entry":[{"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"text":"Gout"}}}]});
    let page2 = json!({"resourceType":"Bundle","type":"searchset",
        "link":[{"relation":"next","url":"http://evil.example/elsewhere/Condition?_cursor=3"}],
        "entry":[{"resource":{"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},"code":{"text":"Asthma"}}}]});
    Mock::given(method("GET"))
        .and(path("/fhir/Condition"))
        .and(query_param("_cursor", "2"))
        .respond_with(fhir(200, page2))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/fhir/Condition"))
        .respond_with(fhir(200, page1))
        .mount(&server)
        .await;
    let mut config = ClientConfig::new(format!("http://127.0.0.1:{base_port}/fhir"));
    config.batch = BatchMode::Never;
    let c = FhirClient::new(config).unwrap();
    let r = c.fetch_record("p1", &[Section::Problems]).await.unwrap();
    // The internal host name was replayed against our server; the other path was refused.
    assert_eq!(r.conditions.len(), 2);
    assert!(r.truncated.contains(&Section::Problems));
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("another server")),
        "{:?}",
        r.problems
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = MockServer::start().await;
    let big = bundle((0..2000).map(|i| patient(&format!("p{i}"))).collect());
    Mock::given(method("POST"))
        .respond_with(fhir(200, big))
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.max_body_bytes = 10_000);
    let err = c.search_patients(&by_name(), 10).await.unwrap_err();
    assert!(matches!(err, FhirError::BadResponse { .. }), "{err:?}");
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn capabilities_decide_batch_and_are_fetched_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .respond_with(fhir(
            200,
            json!({"resourceType":"CapabilityStatement","fhirVersion":"4.0.1",
            "rest":[{"mode":"server","interaction":[{"code":"batch"}]}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(|req: &Request| {
            batch_reply(req, |url| {
                if url.starts_with("Patient/") {
                    patient("p1")
                } else {
                    bundle(vec![])
                }
            })
        })
        .expect(2)
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.batch = BatchMode::Auto);
    c.fetch_record("p1", &Section::ALL).await.unwrap();
    c.fetch_record("p1", &Section::ALL).await.unwrap();
    assert_eq!(c.stats().round_trips, 3);
}

#[tokio::test]
async fn later_pages_of_a_patient_search_keep_the_terms_out_of_urls() {
    let server = MockServer::start().await;
    let next = format!("{}/Patient?name=mock&_count=1&_cursor=abc", server.uri());
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(body_string_contains("_cursor=abc"))
        .respond_with(fhir(200, bundle(vec![patient("p2")])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .respond_with(fhir(
            200,
            json!({"resourceType":"Bundle","type":"searchset",
                "link":[{"relation":"next","url":next}],"entry":[{"resource":patient("p1")}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    let first = c.search_patients(&by_name(), 1).await.unwrap();
    let second = c
        .next_patients(first.next.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(second.patients[0].id.as_deref(), Some("p2"));
    assert!(!second.used_get);
}
