//! A day's schedule from a server that does not honour `_include` on Appointment (some
//! vendors' APIs do not take it): the rows' patients come in one more search by id, never
//! from another row, and a patient the server will not send is said to be missing.

use rounds::chart::ChartOptions;
use rounds::frontdesk::day::ClinicZone;
use rounds::frontdesk::schedule::ScheduleQuery;
use rounds::source::schedule::{ScheduleFetch, ScheduleRequest, remote_schedule};

use super::*;

fn appointment(id: &str, patient: &str, start: &str) -> Value {
    json!({"resourceType":"Appointment","id":id,"status":"booked","start":start,
        "participant":[{"actor":{"reference":format!("Patient/{patient}"),
            "display":"Name From The Booking"}}]})
}

fn request() -> ScheduleRequest {
    let zone = ClinicZone::parse(Some("+00:00")).unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    ScheduleRequest {
        query: ScheduleQuery {
            window: zone.day(date).unwrap(),
            practitioner: Some("dr-1".into()),
            location: None,
        },
        zone,
        options: ChartOptions::default(),
        today: date,
    }
}

#[tokio::test]
async fn patients_not_included_are_fetched_by_id_in_one_more_search() {
    let server = MockServer::start().await;
    // The appointment search: `_include` ignored, so only appointments come back.
    Mock::given(method("GET"))
        .and(path("/Appointment"))
        .respond_with(fhir(
            200,
            bundle(vec![
                appointment("a1", "p1", "2026-12-05T09:00:00Z"),
                appointment("a2", "p2", "2026-12-05T10:00:00Z"),
                appointment("a3", "p1", "2026-12-05T11:00:00Z"),
                appointment("a4", "gone", "2026-12-05T12:00:00Z"),
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    // The patients by id: p1 and p2 (and a stranger the server adds, not taken); `gone`
    // is not sent.
    Mock::given(method("GET"))
        .and(path("/Patient"))
        .and(query_param("_id", "p1,p2,gone"))
        .respond_with(fhir(
            200,
            bundle(vec![
                json!({"resourceType":"Patient","id":"p1","birthDate":"1945-07-14",
                    "name":[{"family":"Testwell","given":["Ada"]}],
                    "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"MRN-1"}]}),
                patient("p2"),
                patient("stranger"),
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server, |_| {});
    let fetch = remote_schedule(&client, &request(), None).await.unwrap();
    let ScheduleFetch::Fresh { schedule, .. } = fetch else {
        panic!("not fresh")
    };
    let who: Vec<(String, Option<String>)> = schedule
        .rows
        .iter()
        .map(|r| {
            (
                r.appointment_id.clone(),
                r.patient
                    .as_ref()
                    .map(|p| format!("{} {} {}", p.name, p.born, p.mrn)),
            )
        })
        .collect();
    assert_eq!(
        who,
        [
            ("a1".into(), Some("TESTWELL, Ada 14-Jul-1945 MRN-1".into())),
            ("a2".into(), Some("MOCK, Pat Not known Not known".into())),
            ("a3".into(), Some("TESTWELL, Ada 14-Jul-1945 MRN-1".into())),
            ("a4".into(), None),
        ]
    );
}

#[tokio::test]
async fn a_list_with_its_patients_included_costs_no_second_search() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Appointment"))
        .respond_with(fhir(
            200,
            bundle(vec![
                appointment("a1", "p1", "2026-12-05T09:00:00Z"),
                patient("p1"),
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/Patient"))
        .respond_with(fhir(500, outcome("not expected")))
        .expect(0)
        .mount(&server)
        .await;
    let client = client_for(&server, |_| {});
    let ScheduleFetch::Fresh { schedule, .. } =
        remote_schedule(&client, &request(), None).await.unwrap()
    else {
        panic!("not fresh")
    };
    assert!(schedule.rows[0].patient.is_some());
}
