//! Chart searches name the patient by typed reference (`patient=Patient/ID`), falling
//! back to the bare id where a server refuses that form.

use super::*;

/// Chart searches name the patient by typed reference (`patient=Patient/p1`); a server
/// that refuses every search in that form is asked again by the bare id, and remembered.
#[tokio::test]
async fn chart_searches_fall_back_to_the_bare_id_when_the_typed_reference_is_refused() {
    let server = MockServer::start().await;
    serve_patient(&server, "p1").await;
    Mock::given(method("GET"))
        .and(query_param("patient", "Patient/p1"))
        .respond_with(fhir(400, outcome("patient: expected an id")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("patient", "p1"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    let record = c.fetch_record("p1", &Section::ALL).await.unwrap();
    assert!(record.failed.is_empty(), "{:?}", record.failed);
    assert_eq!(record.loaded.len(), Section::ALL.len());
    let typed = |reqs: &[Request]| {
        reqs.iter()
            .filter(|r| r.url.query().is_some_and(|q| q.contains("Patient%2Fp1")))
            .count()
    };
    let first = server.received_requests().await.unwrap();
    assert_eq!(
        typed(&first),
        16,
        "each search tried once in the typed form"
    );
    // Remembered: the next chart goes by the bare id at once.
    server.reset().await;
    serve_patient(&server, "p1").await;
    Mock::given(method("GET"))
        .and(query_param("patient", "p1"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    let (first_screen, cont) = c.fetch_first_screen("p1").await.unwrap();
    assert!(first_screen.failed.is_empty());
    c.fetch_rest(cont).await.unwrap();
    assert_eq!(typed(&server.received_requests().await.unwrap()), 0);
}

/// One section refused (say, a permission) is that section's failure, not a reason to
/// give up the typed reference.
#[tokio::test]
async fn one_refused_section_does_not_drop_the_typed_reference() {
    let server = MockServer::start().await;
    serve_patient(&server, "p1").await;
    Mock::given(method("GET"))
        .and(path("/Immunization"))
        .respond_with(fhir(400, outcome("not supported")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("patient", "Patient/p1"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    let c = client_for(&server, |_| {});
    let record = c.fetch_record("p1", &Section::ALL).await.unwrap();
    assert_eq!(record.failed.len(), 1, "{:?}", record.failed);
    assert!(record.failed.contains_key(&Section::Immunizations));
    assert!(
        server
            .received_requests()
            .await
            .unwrap()
            .iter()
            .all(|r| r.url.query().is_none_or(|q| !q.contains("patient=p1")))
    );
}

// ---- MedicationStatement where the server has none ------------------------------------------

/// A server with orders but no MedicationStatement (it answers 404 for the type): the
/// medication list shows the orders and a warning says the statements are missing; with no
/// orders either, the list says it could not be loaded, never "No medications recorded".
#[tokio::test]
async fn a_server_without_medication_statements_says_so() {
    for orders in [true, false] {
        let server = MockServer::start().await;
        serve_patient(&server, "p1").await;
        Mock::given(method("GET"))
            .and(path("/MedicationStatement"))
            .respond_with(fhir(
                404,
                outcome("Unknown resource type 'MedicationStatement'"),
            ))
            .mount(&server)
            .await;
        let order = json!({"resourceType":"MedicationRequest","id":"m1","status":"active",
            "subject":{"reference":"Patient/p1"},"medicationCodeableConcept":{"text":"Metformin"}});
        Mock::given(method("GET"))
            .and(path("/MedicationRequest"))
            .respond_with(fhir(200, bundle(if orders { vec![order] } else { vec![] })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(fhir(200, bundle(vec![])))
            .mount(&server)
            .await;
        let c = client_for(&server, |c| c.batch = BatchMode::Never);
        let record = c.fetch_record("p1", &Section::ALL).await.unwrap();
        assert!(record.failed.contains_key(&Section::MedicationStatements));
        let chart = rounds::chart::Chart::build(&record, chrono::NaiveDate::MIN);
        let warned = chart
            .warnings
            .iter()
            .any(|w| w.starts_with("The medication statements could not be loaded"));
        assert!(warned, "{:?}", chart.warnings);
        match (&chart.medications, orders) {
            (rounds::chart::Part::Loaded { data, .. }, true) => {
                assert_eq!(data[0].name, "Metformin");
            }
            (rounds::chart::Part::Failed { message }, false) => {
                assert!(message.starts_with("medication statements: "), "{message}");
            }
            (other, _) => panic!("orders {orders}: {other:?}"),
        }
    }
}
