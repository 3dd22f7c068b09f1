//! `Observation/$lastn` for the first screen where a server declares it: the latest of
//! each test; not asked otherwise; a failing one leaves the section to the whole load.

use super::*;

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
