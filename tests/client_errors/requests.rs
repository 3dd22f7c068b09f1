//! What rounds sends: gzip accepted and counted compressed, patient searches as a POSTed
//! form (GET once if refused), credentials in the Authorization header, and paging links
//! that never leave the server or put search terms in a URL.

use super::*;

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
