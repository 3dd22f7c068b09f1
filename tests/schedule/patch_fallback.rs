//! A server that declares `patch` on Appointment with no `patchFormat` (as hfs does) but
//! refuses JSON Patch (a mock server: hfs itself takes it): the check-in's patch is
//! refused with 415, the check-in is done by read-merge-PUT with
//! `If-Match` (no field of the appointment lost), and the refusal is remembered in the
//! capability cache: the next client goes straight to read-merge-PUT.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::common::mock::{client_for, fhir};
use super::*;

async fn server(
    log: Arc<Mutex<Vec<String>>>,
    puts: Arc<Mutex<Vec<(Value, String)>>>,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/metadata"))
        .respond_with(fhir(
            200,
            json!({"resourceType": "CapabilityStatement", "fhirVersion": "4.0.1",
                "rest": [{"mode": "server", "resource": [{"type": "Appointment",
                    "interaction": [{"code": "read"}, {"code": "update"}, {"code": "patch"},
                                    {"code": "search-type"}]}]}]}),
        ))
        .mount(&server)
        .await;
    let l = log.clone();
    Mock::given(method("PATCH"))
        .and(path("/Appointment/a1"))
        .respond_with(move |_: &Request| {
            l.lock().unwrap().push("PATCH".into());
            fhir(
                415,
                super::common::mock::outcome("JSON Patch is not supported"),
            )
        })
        .mount(&server)
        .await;
    let l = log.clone();
    Mock::given(method("PUT"))
        .and(path("/Appointment/a1"))
        .respond_with(move |req: &Request| {
            l.lock().unwrap().push("PUT".into());
            let body: Value = serde_json::from_slice(&req.body).unwrap();
            let if_match = req
                .headers
                .get("If-Match")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            puts.lock().unwrap().push((body.clone(), if_match));
            let mut stored = body;
            stored["meta"] = json!({"versionId": "4"});
            fhir(200, stored).insert_header("ETag", "W/\"4\"")
        })
        .mount(&server)
        .await;
    let appointment = json!({"resourceType": "Appointment", "id": "a1", "status": "booked",
        "meta": {"versionId": "3"},
        "description": "Kept whole", "comment": "Bring the old letters",
        "start": "2026-12-05T09:00:00-06:00",
        "participant": [{"actor": {"reference": "Patient/p1"}, "status": "accepted"}]});
    let patient = json!({"resourceType": "Patient", "id": "p1",
        "name": [{"family": "Mock", "given": ["Pat"]}], "birthDate": "1970-05-05"});
    let l = log.clone();
    Mock::given(path("/Appointment"))
        .respond_with(move |_: &Request| {
            l.lock().unwrap().push("READ".into());
            fhir(
                200,
                json!({"resourceType": "Bundle", "type": "searchset",
                    "entry": [{"resource": appointment.clone(), "search": {"mode": "match"}},
                              {"resource": patient.clone(), "search": {"mode": "include"}}]}),
            )
        })
        .mount(&server)
        .await;
    Mock::given(path("/Appointment/_search"))
        .respond_with(ResponseTemplate::new(405))
        .mount(&server)
        .await;
    server
}

fn row_known() -> KnownAppointment {
    KnownAppointment {
        status: "booked".into(),
        version: Some("3".into()),
        patient_id: "p1".into(),
        patient_label: "MOCK, Pat".into(),
        summary: "Check-in".into(),
    }
}

#[tokio::test]
async fn a_refused_json_patch_falls_back_to_read_merge_put_and_is_remembered() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let puts = Arc::new(Mutex::new(Vec::new()));
    let server = server(log.clone(), puts.clone()).await;
    let cache = tempfile::tempdir().unwrap();
    let with_cache = |c: &mut rounds::fhir::ClientConfig| {
        c.capability_cache = Some(cache.path().to_owned());
    };

    let source = RemoteSource::new(client_for(&server, with_cache));
    let (done, _) = check_in(&source, "a1", Some(&row_known()), false)
        .await
        .unwrap();
    let CheckInOutcome::Submitted { submitted, .. } = &done else {
        panic!("not submitted: {done:?}");
    };
    assert_eq!(submitted.item.state, State::Sent, "{done:?}");
    assert_eq!(*log.lock().unwrap(), ["PATCH", "READ", "PUT"]);
    {
        let puts = puts.lock().unwrap();
        let (body, if_match) = &puts[0];
        assert_eq!(if_match, "W/\"3\"");
        assert_eq!(body["status"], "arrived");
        // Nothing of the appointment is lost by the PUT.
        assert_eq!(body["description"], "Kept whole");
        assert_eq!(body["comment"], "Bring the old letters");
        assert_eq!(body["start"], "2026-12-05T09:00:00-06:00");
    }

    // The next session on the same cache goes straight to read-merge-PUT.
    log.lock().unwrap().clear();
    let again = RemoteSource::new(client_for(&server, with_cache));
    let (done, _) = check_in(&again, "a1", Some(&row_known()), false)
        .await
        .unwrap();
    assert!(
        matches!(&done, CheckInOutcome::Submitted { submitted, .. } if submitted.item.state == State::Sent),
        "{done:?}"
    );
    assert_eq!(*log.lock().unwrap(), ["READ", "PUT"]);
}
