//! Small builders for tests against a mock HTTP server (wiremock): FHIR JSON answers,
//! searchset Bundles, batch answers, a minimal Patient, and a client with batch off.

use rounds::fhir::{BatchMode, ClientConfig, FhirClient, PatientQuery};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// An answer with a FHIR JSON body.
pub fn fhir(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/fhir+json")
}

/// An OperationOutcome with one error issue.
pub fn outcome(text: &str) -> Value {
    json!({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":text}]})
}

/// A searchset Bundle of `entries`.
pub fn bundle(entries: Vec<Value>) -> Value {
    json!({"resourceType":"Bundle","type":"searchset",
        "entry": entries.into_iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
}

/// A client of `server` with batch off, adjusted by `f`.
pub fn client_for(server: &MockServer, f: impl FnOnce(&mut ClientConfig)) -> FhirClient {
    let mut config = ClientConfig::new(server.uri());
    config.batch = BatchMode::Never;
    f(&mut config);
    FhirClient::new(config).unwrap()
}

/// A Patient named "Pat Mock".
pub fn patient(id: &str) -> Value {
    json!({"resourceType":"Patient","id":id,"name":[{"family":"Mock","given":["Pat"]}]})
}

/// A search for the name "mock".
pub fn by_name() -> PatientQuery {
    PatientQuery {
        name: Some("mock".into()),
        ..PatientQuery::default()
    }
}

/// The answer to a batch `req`: for each entry, 200 with the resource `answer` gives for
/// the entry's request URL.
pub fn batch_reply(req: &Request, answer: impl Fn(&str) -> Value) -> ResponseTemplate {
    let sent: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(sent["type"], "batch");
    let entries: Vec<Value> = sent["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let url = e["request"]["url"].as_str().unwrap_or_default();
            json!({"resource": answer(url), "response": {"status": "200 OK"}})
        })
        .collect();
    fhir(
        200,
        json!({"resourceType":"Bundle","type":"batch-response","entry":entries}),
    )
}

/// Serve `GET /Patient/{id}` with `patient(id)`.
pub async fn serve_patient(server: &MockServer, id: &str) {
    Mock::given(method("GET"))
        .and(path(format!("/Patient/{id}")))
        .respond_with(fhir(200, patient(id)))
        .mount(server)
        .await;
}
