//! `_elements` on patient searches: asked for, and dropped from then on when a server
//! refuses it (a 400 about the terms keeps it).

use super::*;

const ROW_ELEMENTS: &str =
    "identifier%2Cname%2Cgender%2CbirthDate%2Cdeceased%2CdeceasedBoolean%2CdeceasedDateTime";

fn form_has_elements(req: &Request) -> bool {
    String::from_utf8_lossy(&req.body).contains("_elements=")
}

#[tokio::test]
async fn patient_search_asks_only_for_what_a_row_shows() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(body_string_contains(format!("_elements={ROW_ELEMENTS}")))
        .respond_with(fhir(200, bundle(vec![patient("p1")])))
        .expect(1)
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    let page = c.search_patients(&by_name(), 10).await.unwrap();
    assert_eq!(page.patients.len(), 1);
}

#[tokio::test]
async fn a_server_refusing_elements_is_searched_without_it_from_then_on() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(form_has_elements)
        .respond_with(fhir(400, outcome("unknown parameter _elements")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(|r: &Request| !form_has_elements(r))
        .respond_with(fhir(200, bundle(vec![patient("p1")])))
        .expect(2)
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    assert_eq!(
        c.search_patients(&by_name(), 10)
            .await
            .unwrap()
            .patients
            .len(),
        1
    );
    assert_eq!(c.stats().round_trips, 2);
    // Remembered: the next search goes without `_elements` at once.
    c.search_patients(&by_name(), 10).await.unwrap();
    assert_eq!(c.stats().round_trips, 3);
}

#[tokio::test]
async fn a_400_about_the_terms_is_reported_and_elements_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .respond_with(fhir(400, outcome("invalid birthdate")))
        .expect(4)
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    for _ in 0..2 {
        let err = c.search_patients(&by_name(), 10).await.unwrap_err();
        assert!(
            matches!(&err, FhirError::Outcome { status: 400, diagnostics } if diagnostics.contains("invalid birthdate")),
            "{err:?}"
        );
    }
    // Each search tried with `_elements` first: the refusal was about the terms.
    let with: usize = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| form_has_elements(r))
        .count();
    assert_eq!(with, 2);
}
