//! What rounds asks a server for, against a mock server, where the real test server cannot
//! show it: `_elements` on patient searches (and what happens when a server refuses it), and
//! `Observation/$lastn` for the first screen when a server declares it (hfs does not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rounds::fhir::capability::ResourceCapabilities;
use rounds::fhir::{BatchMode, Capabilities, FhirClient, FhirError, Section};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::mock::{
    batch_reply, bundle, by_name, client_for, fhir, outcome, patient, serve_patient,
};

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

// ---- Observation/$lastn -------------------------------------------------------------------

fn lab(id: &str, code: &str, date: &str, value: f64) -> Value {
    json!({"resourceType":"Observation","id":id,"status":"final",
        "subject":{"reference":"Patient/p1"},
        "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
        "code":{"coding":[{"system":"http://loinc.org","code":code}],"text":format!("Test {code}")},
        "effectiveDateTime":date,
        "valueQuantity":{"value":value,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}})
}

fn vital(id: &str, date: &str) -> Value {
    json!({"resourceType":"Observation","id":id,"status":"final",
        "subject":{"reference":"Patient/p1"},
        "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
        "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}],"text":"Heart rate"},
        "effectiveDateTime":date,
        "valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})
}

/// Capabilities declaring the Observation operation `name` ("lastn" or "$lastn").
fn declaring_lastn(name: &str) -> Capabilities {
    let mut caps = Capabilities::default();
    caps.resources.insert(
        "Observation".into(),
        ResourceCapabilities {
            operations: vec![name.into()],
            ..ResourceCapabilities::default()
        },
    );
    caps
}

#[derive(Clone, Copy, PartialEq)]
enum Lastn {
    Undeclared,
    Answers,
    Fails,
}

/// A server that declares `Observation/$lastn` (or not), with patient p1, no allergies,
/// problems, medications or encounters, five potassium results and one old sodium.
async fn chart_server(lastn: Lastn) -> (MockServer, FhirClient) {
    let declares_lastn = lastn != Lastn::Undeclared;
    let answers = u64::from(lastn == Lastn::Answers);
    let server = MockServer::start().await;
    let all_labs = vec![
        lab("k5", "2823-3", "2026-11-01", 4.1),
        lab("k4", "2823-3", "2026-10-01", 4.4),
        lab("k3", "2823-3", "2026-09-01", 6.8),
        lab("k2", "2823-3", "2026-08-01", 4.0),
        lab("k1", "2823-3", "2026-07-01", 3.9),
        lab("na1", "2951-2", "2019-01-01", 128.0),
    ];
    serve_patient(&server, "p1").await;
    for ty in [
        "AllergyIntolerance",
        "Condition",
        "MedicationRequest",
        "Encounter",
        "Immunization",
        "DocumentReference",
        "DiagnosticReport",
        "MedicationStatement",
        "Flag",
        "Procedure",
        "Device",
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/{ty}")))
            .respond_with(fhir(200, bundle(vec![])))
            .mount(&server)
            .await;
    }
    // Observations in neither the lab nor the vital-sign category (none here).
    Mock::given(method("GET"))
        .and(path("/Observation"))
        .and(|r: &Request| r.url.query_pairs().any(|(k, _)| k == "category:not"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    // The postings' code-status observations (none here).
    Mock::given(method("GET"))
        .and(path("/Observation"))
        .and(|r: &Request| r.url.query_pairs().any(|(k, _)| k == "code"))
        .respond_with(fhir(200, bundle(vec![])))
        .mount(&server)
        .await;
    if lastn == Lastn::Fails {
        Mock::given(method("GET"))
            .and(path("/Observation/$lastn"))
            .respond_with(ResponseTemplate::new(500))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/Observation/$lastn"))
        .and(query_param("category", "laboratory"))
        .and(query_param("max", "3"))
        .respond_with(fhir(
            200,
            bundle(vec![
                all_labs[0].clone(),
                all_labs[1].clone(),
                all_labs[2].clone(),
                all_labs[5].clone(),
            ]),
        ))
        .expect(answers)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Observation/$lastn"))
        .and(query_param("category", "vital-signs"))
        .and(query_param("max", "1"))
        .respond_with(fhir(200, bundle(vec![vital("hr2", "2026-11-01")])))
        .expect(answers)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Observation"))
        .and(query_param("category", "laboratory"))
        .respond_with(fhir(200, bundle(all_labs)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Observation"))
        .and(query_param("category", "vital-signs"))
        .respond_with(fhir(
            200,
            bundle(vec![vital("hr2", "2026-11-01"), vital("hr1", "2026-10-01")]),
        ))
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.batch = BatchMode::Never);
    c.set_capabilities(if declares_lastn {
        declaring_lastn("lastn")
    } else {
        Capabilities::default()
    });
    (server, c)
}

async fn paths_asked(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect()
}

#[tokio::test]
async fn the_first_screen_takes_the_latest_of_each_test_from_lastn() {
    let (server, c) = chart_server(Lastn::Answers).await;
    let (first, cont) = c.fetch_first_screen("p1").await.unwrap();
    // The old sodium is there at once: the newest page of all tests might not hold it.
    let ids: Vec<&str> = first
        .observations
        .iter()
        .filter_map(|o| o.id.as_deref())
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(ids.contains(&"na1") && ids.contains(&"hr2"));
    assert!(first.loaded.contains(&Section::Labs));
    assert!(first.pending.contains(&Section::Labs));
    assert!(first.pending.contains(&Section::Vitals));
    assert!(cont.sections().contains(&Section::Labs));
    // No page of labs or vital signs: the only Observation search is the postings' one for
    // code-status observations (by code, not by category).
    let searched: Vec<Request> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/Observation")
        .collect();
    assert_eq!(searched.len(), 1);
    assert!(
        searched[0].url.query_pairs().any(|(k, _)| k == "code")
            && !searched[0].url.query_pairs().any(|(k, _)| k == "category"),
        "{}",
        searched[0].url
    );

    // The rest loads labs and vitals whole; nothing is listed twice.
    let mut merged = first;
    merged.merge(c.fetch_rest(cont).await.unwrap());
    assert!(merged.pending.is_empty(), "{:?}", merged.pending);
    assert!(merged.failed.is_empty(), "{:?}", merged.failed);
    let mut ids: Vec<&str> = merged
        .observations
        .iter()
        .filter_map(|o| o.id.as_deref())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["hr1", "hr2", "k1", "k2", "k3", "k4", "k5", "na1"]);
}

#[tokio::test]
async fn lastn_is_not_asked_of_a_server_that_does_not_declare_it() {
    let (server, c) = chart_server(Lastn::Undeclared).await;
    let (first, _) = c.fetch_first_screen("p1").await.unwrap();
    assert_eq!(first.observations.len(), 8);
    assert!(!first.pending.contains(&Section::Labs));
    assert!(
        paths_asked(&server)
            .await
            .iter()
            .all(|p| !p.contains("$lastn"))
    );
}

#[tokio::test]
async fn a_failing_lastn_leaves_the_section_to_the_whole_load() {
    let (server, c) = chart_server(Lastn::Fails).await;
    let (first, cont) = c.fetch_first_screen("p1").await.unwrap();
    assert!(first.failed.contains_key(&Section::Labs));
    assert!(first.pending.contains(&Section::Labs));
    let mut merged = first;
    merged.merge(c.fetch_rest(cont).await.unwrap());
    // The whole load succeeded: the earlier failure no longer shows.
    assert!(merged.failed.is_empty(), "{:?}", merged.failed);
    assert_eq!(merged.observations.len(), 8);
    assert!(
        paths_asked(&server)
            .await
            .contains(&"/Observation".to_owned())
    );
}

#[tokio::test]
async fn in_a_batch_lastn_is_an_entry_like_the_searches() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(|req: &Request| {
            batch_reply(req, |url| {
                if url.starts_with("Patient/") {
                    patient("p1")
                } else if url.starts_with("Observation/$lastn") && url.contains("vital") {
                    bundle(vec![vital("hr2", "2026-11-01")])
                } else if url.starts_with("Observation/$lastn") {
                    bundle(vec![lab("k5", "2823-3", "2026-11-01", 4.1)])
                } else {
                    bundle(vec![])
                }
            })
        })
        .expect(1)
        .mount(&server)
        .await;
    let c = client_for(&server, |c| c.batch = BatchMode::Always);
    c.set_capabilities(declaring_lastn("$lastn"));
    let (first, _) = c.fetch_first_screen("p1").await.unwrap();
    assert_eq!(c.stats().round_trips, 1);
    assert_eq!(first.observations.len(), 2, "one lab and one vital sign");
    let body =
        String::from_utf8(server.received_requests().await.unwrap()[0].body.clone()).unwrap();
    assert!(
        body.contains("Observation/$lastn?patient=Patient%2Fp1&category=laboratory&max=3"),
        "{body}"
    );
}

// ---- patient=Patient/ID -------------------------------------------------------------------

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
