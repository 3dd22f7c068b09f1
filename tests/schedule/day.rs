//! A hand-made synthetic clinic day for the day the test runs (at UTC-06:00), posted as one
//! transaction with ids of this run's own: a practitioner, a location, three patients and
//! six appointments. Four fall on the local day (09:00 booked, 10:30 cancelled, 11:00
//! no-show, 21:30 booked: sent as 03:30Z the next day, which a UTC-day search would put on
//! the wrong day); two fall just outside it (22:30 the evening before, which a UTC-day
//! search would wrongly include, and 00:30 the morning after).

use chrono::{Duration, NaiveDate};
use rounds::fhir::FhirClient;
use rounds::frontdesk::day::ClinicZone;
use serde_json::{Value, json};

pub struct ClinicDay {
    pub date: NaiveDate,
    pub tag: String,
    pub practitioner: String,
    pub location: String,
}

impl ClinicDay {
    /// The appointments on the local day, in time order.
    pub fn in_day(&self) -> Vec<String> {
        ["0900", "1030", "1100", "2130"]
            .iter()
            .map(|t| format!("rnd-sc-{}-{t}", self.tag))
            .collect()
    }
}

fn put(resource: Value) -> Value {
    let url = format!(
        "{}/{}",
        resource["resourceType"].as_str().unwrap(),
        resource["id"].as_str().unwrap()
    );
    json!({"resource": resource, "request": {"method": "PUT", "url": url}})
}

/// Make the day on the server.
pub async fn clinic_day(client: &FhirClient) -> ClinicDay {
    let tag = rounds::fhir::write::new_uuid()[..8].to_owned();
    let date = ClinicZone::parse(Some("-06:00")).unwrap().today();
    let practitioner = format!("rnd-sc-dr-{tag}");
    let location = format!("rnd-sc-loc-{tag}");
    let d = |days: i64| (date + Duration::days(days)).to_string();
    let mut entries = vec![
        put(json!({"resourceType": "Practitioner", "id": practitioner,
                   "name": [{"family": "Qxdesk", "given": ["Dana"]}]})),
        put(json!({"resourceType": "Location", "id": location, "name": "Clinic room 1"})),
    ];
    for n in 1..=3 {
        entries.push(put(json!({
            "resourceType": "Patient",
            "id": format!("rnd-sc-{tag}-p{n}"),
            "identifier": [{
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                "system": "urn:rounds:test-mrn",
                "value": format!("SC-{tag}-{n}")
            }],
            "name": [{"family": format!("Qxsched{tag}"), "given": [format!("Pat{n}")]}],
            "gender": "other",
            "birthDate": "1970-05-05"
        })));
    }
    let visits = [
        ("0900", format!("{}T09:00:00-06:00", d(0)), "booked", 1),
        ("1030", format!("{}T10:30:00-06:00", d(0)), "cancelled", 2),
        ("1100", format!("{}T11:00:00-06:00", d(0)), "noshow", 3),
        ("2130", format!("{}T03:30:00Z", d(1)), "booked", 2),
        ("prev", format!("{}T22:30:00-06:00", d(-1)), "booked", 1),
        ("next", format!("{}T00:30:00-06:00", d(1)), "booked", 3),
    ];
    for (t, start, status, patient) in visits {
        entries.push(put(json!({
            "resourceType": "Appointment",
            "id": format!("rnd-sc-{tag}-{t}"),
            "status": status,
            "appointmentType": {"text": "Follow-up"},
            "start": start,
            "participant": [
                {"actor": {"reference": format!("Patient/rnd-sc-{tag}-p{patient}")}, "status": "accepted"},
                {"actor": {"reference": format!("Practitioner/{practitioner}")}, "status": "accepted"},
                {"actor": {"reference": format!("Location/{location}")}, "status": "accepted"}
            ]
        })));
    }
    post_transaction(client, entries).await;
    ClinicDay {
        date,
        tag,
        practitioner,
        location,
    }
}

/// A busy day: `n` booked visits from 08:00 every 10 minutes, each with a patient of its
/// own, for one practitioner of this run. The practitioner's id.
pub async fn busy_day(client: &FhirClient, n: usize) -> (NaiveDate, String) {
    let tag = rounds::fhir::write::new_uuid()[..8].to_owned();
    let zone = ClinicZone::parse(Some("-06:00")).unwrap();
    let date = zone.today();
    let practitioner = format!("rnd-sb-dr-{tag}");
    let mut entries = vec![put(
        json!({"resourceType": "Practitioner", "id": practitioner, "name": [{"family": "Qxbusy"}]}),
    )];
    for i in 0..n {
        let minutes = 8 * 60 + 10 * i;
        let start = zone
            .instant(date, (minutes / 60) as i8, (minutes % 60) as i8)
            .unwrap();
        let patient = format!("rnd-sb-{tag}-p{i}");
        entries.push(put(json!({
            "resourceType": "Patient", "id": patient,
            "identifier": [{
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                "system": "urn:rounds:test-mrn", "value": format!("SB-{tag}-{i}")
            }],
            "name": [{"family": format!("Qxbusy{tag}"), "given": [format!("Pat{i}")]}],
            "gender": "other", "birthDate": "1970-05-05"
        })));
        entries.push(put(json!({
            "resourceType": "Appointment", "id": format!("rnd-sb-{tag}-{i}"),
            "status": "booked", "appointmentType": {"text": "Follow-up"},
            "start": start,
            "participant": [
                {"actor": {"reference": format!("Patient/{patient}")}, "status": "accepted"},
                {"actor": {"reference": format!("Practitioner/{practitioner}")}, "status": "accepted"}
            ]
        })));
    }
    post_transaction(client, entries).await;
    (date, practitioner)
}

/// Send `entries` as one transaction; the test stops unless the server took them all.
async fn post_transaction(client: &FhirClient, entries: Vec<Value>) {
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": entries});
    let resp = reqwest::Client::new()
        .post(client.base_url())
        .header("Content-Type", "application/fhir+json")
        .body(serde_json::to_vec(&bundle).unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        resp.status().is_success(),
        "the day was not taken: {}",
        resp.status()
    );
}
