//! `Patient/$match` where the server declares it (neither test server does: a mock server
//! answers with the shape the FHIR R4 specification gives): the request is a `Parameters`
//! with the Patient to register, the answer's scored Patients become candidates, and a
//! server that does not declare it is not asked.

use rounds::frontdesk::patient_new::patients_of;
use rounds::source::{DataSource, RemoteSource};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request};

use super::common::mock::{client_for, fhir};

async fn server(declares_match: bool) -> MockServer {
    let server = MockServer::start().await;
    let operations = if declares_match {
        json!([{"name": "match", "definition": "http://hl7.org/fhir/OperationDefinition/Patient-match"}])
    } else {
        json!([])
    };
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .respond_with(fhir(
            200,
            json!({"resourceType": "CapabilityStatement", "fhirVersion": "4.0.1",
                "rest": [{"mode": "server", "resource": [{"type": "Patient",
                    "interaction": [{"code": "create"}, {"code": "search-type"}],
                    "operation": operations}]}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Patient/$match"))
        .respond_with(|req: &Request| {
            let sent: Value = serde_json::from_slice(&req.body).unwrap();
            assert_eq!(sent["resourceType"], "Parameters");
            let resource = &sent["parameter"][0]["resource"];
            assert_eq!(resource["birthDate"], "1958-03-04");
            fhir(
                200,
                json!({"resourceType": "Bundle", "type": "searchset", "entry": [
                    {"resource": {"resourceType": "Patient", "id": "m1",
                        "name": [{"family": "Testwell", "given": ["Ada"]}], "birthDate": "1958-03-04"},
                     "search": {"mode": "match", "score": 0.87, "extension": [{
                        "url": "http://hl7.org/fhir/StructureDefinition/match-grade",
                        "valueCode": "probable"}]}}]}),
            )
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn match_is_asked_only_where_declared() {
    let patient = json!({"resourceType": "Patient", "birthDate": "1958-03-04",
        "name": [{"family": "Testwell", "given": ["Ada"]}]});
    let declared = server(true).await;
    let source = RemoteSource::new(client_for(&declared, |_| {}));
    let entries = source.match_patients(&patient, 10).await.unwrap().unwrap();
    let found = patients_of(&entries);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0["id"], "m1");
    assert_eq!(found[0].1, Some(0.87));
    let silent = server(false).await;
    let source = RemoteSource::new(client_for(&silent, |_| {}));
    assert_eq!(source.match_patients(&patient, 10).await.unwrap(), None);
    let asked = silent.received_requests().await.unwrap();
    assert!(asked.iter().all(|r| !r.url.path().contains("$match")));
}
