//! A day's schedule from a server that does not honour `_include` on Appointment (some
//! vendors' APIs do not take it): the rows' patients come in one more search by id, never
//! from another row, and a patient the server will not send is said to be missing.

use rounds::chart::ChartOptions;
use rounds::frontdesk::day::ClinicZone;
use rounds::frontdesk::schedule::ScheduleQuery;
use rounds::source::schedule::{ScheduleFetch, ScheduleRequest, patients_of_day, remote_schedule};

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

/// A look-alike host name (`base@evil`, `base.evil`) in a day's appointments' paging link
/// (`sync --today`)
/// must not take the login's token to another host: the link is replayed on this server,
/// or refused.
#[tokio::test]
async fn todays_patients_follow_paging_links_only_on_this_server() {
    let server = MockServer::start().await;
    let port = server.address().port();
    let appt = |id: &str, p: &str| {
        json!({"resourceType":"Appointment","id":id,"status":"booked",
            "participant":[{"actor":{"reference":format!("Patient/{p}")}}]})
    };
    let page = |next: String, a: Value| {
        json!({"resourceType":"Bundle","type":"searchset",
            "link":[{"relation":"next","url":next}],"entry":[{"resource":a}]})
    };
    let mut last = bundle(vec![appt("a3", "p3")]);
    last["link"] =
        json!([{"relation":"next","url":"http://evil.invalid/elsewhere/Appointment?_cursor=4"}]);
    for (cursor, answer) in [
        (
            "2",
            page(
                format!("http://127.0.0.1.evil.invalid:{port}/fhir/Appointment?_cursor=3"),
                appt("a2", "p2"),
            ),
        ),
        ("3", last),
    ] {
        Mock::given(method("GET"))
            .and(path("/fhir/Appointment"))
            .and(query_param("_cursor", cursor))
            .and(header("authorization", "Bearer tok"))
            .respond_with(fhir(200, answer))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/fhir/Appointment"))
        .respond_with(fhir(
            200,
            page(
                format!("http://127.0.0.1:{port}@evil.invalid/fhir/Appointment?_cursor=2"),
                appt("a1", "p1"),
            ),
        ))
        .mount(&server)
        .await;
    let mut config = ClientConfig::new(format!("http://127.0.0.1:{port}/fhir"));
    config.batch = BatchMode::Never;
    config.credentials = Credentials::Bearer(Secret::new("tok"));
    let c = FhirClient::new(config).unwrap();
    let err = patients_of_day(&c, &request()).await.unwrap_err();
    assert!(err.to_string().contains("another server"), "{err}");
    // Pages 2 and 3 came from this server (the look-alike hosts were replayed here).
    let cursors: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.url.query_pairs().find(|(k, _)| k == "_cursor"))
        .map(|(_, v)| v.into_owned())
        .collect();
    assert_eq!(cursors, ["2", "3"]);
}

/// A census from a server that ignored `_include=Encounter:subject`: the patients come in
/// one more search by id; a subject given as another server's absolute URL is not taken
/// for this server's patient of the same id.
#[tokio::test]
async fn a_census_without_its_patients_fetches_them_by_id() {
    use rounds::source::RemoteSource;
    use rounds::source::lists::{ListQuery, ListRequest, fetch_list};
    let server = MockServer::start().await;
    let enc = |id: &str, subject: &str| {
        json!({"resourceType":"Encounter","id":id,"status":"in-progress",
            "subject":{"reference":subject},"period":{"start":"2026-12-01"}})
    };
    Mock::given(method("POST"))
        .and(path("/Encounter/_search"))
        .respond_with(fhir(
            200,
            bundle(vec![
                enc("e1", "Patient/p1"),
                enc("e2", "https://other.example/fhir/Patient/p2"),
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/Patient/_search"))
        .and(body_string_contains("_id=p1&"))
        .respond_with(fhir(200, bundle(vec![patient("p1"), patient("p2")])))
        .expect(1)
        .mount(&server)
        .await;
    let source = RemoteSource::new(client_for(&server, |_| {}));
    let request = ListRequest {
        query: ListQuery::ward("ward-1").unwrap(),
        options: ChartOptions::default(),
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
    };
    let rows = fetch_list(&source, &request).await.unwrap();
    let mut who: Vec<(&str, Option<&str>, bool)> = rows
        .iter()
        .map(|r| (r.id.as_str(), r.patient_id.as_deref(), r.patient.is_some()))
        .collect();
    who.sort();
    assert_eq!(who, [("e1", Some("p1"), true), ("e2", None, false)]);
}
