//! What a server answers: HTTP statuses and OperationOutcomes as typed errors, rate limits,
//! broken bodies, timeouts, refused connections, transient failures retried, bad base
//! URLs and oversized bodies.

use super::*;

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
