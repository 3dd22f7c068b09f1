//! Loading a chart: a forbidden section does not sink the rest, another patient's
//! resources are never shown, a different Patient is refused, batches refused or broken
//! fall back, and the capabilities decide whether to batch.

use super::*;

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
    // The DocumentReference search of the postings (advance directives) is refused too.
    assert!(r.failed.contains_key(&Section::Postings));
    // Patient read + 16 searches (notes and procedures two each, postings three, other
    // observations one) + one Medication read.
    assert_eq!(c.stats().round_trips, 18);
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
