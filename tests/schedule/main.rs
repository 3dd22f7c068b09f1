#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The front desk on the real FHIR server (`ROUNDS_TEST_FHIR_URL`, hfs or sekmet): a clinic
//! day made by the test for the day it runs (a transaction with ids of its own, at UTC-06:00),
//! read back as the clinic's local day (an evening visit a UTC-day search would lose, the
//! visits just outside the day left out, cancelled and no-show rows kept), and checked in
//! (one desk, then a second desk on the same appointment: "already arrived" or the
//! conflict, never a second write; a stale If-Match is a conflict on both servers; the
//! visit's Encounter made once however often it is sent), also through the command line.

#[path = "../common/mod.rs"]
mod common;

mod cost;
mod day;
mod patch_fallback;

use day::{ClinicDay, clinic_day};
use rounds::chart::ChartOptions;
use rounds::fhir::client::schedule::Appointments;
use rounds::frontdesk::checkin::{self, CheckIn, Method};
use rounds::frontdesk::day::ClinicZone;
use rounds::frontdesk::schedule::ScheduleQuery;
use rounds::outbox::{Author, State};
use rounds::source::schedule::{
    CheckInOutcome, KnownAppointment, ScheduleFetch, ScheduleRequest, check_in,
};
use rounds::source::{DataSource, RemoteSource};

fn source() -> RemoteSource {
    RemoteSource::new(common::writes::client_of(&common::server_url()))
}

fn request(day: &ClinicDay, by_location: bool) -> ScheduleRequest {
    let zone = ClinicZone::parse(Some("-06:00")).unwrap();
    ScheduleRequest {
        query: ScheduleQuery {
            window: zone.day(day.date).unwrap(),
            practitioner: (!by_location).then(|| day.practitioner.clone()),
            location: by_location.then(|| day.location.clone()),
        },
        zone,
        options: ChartOptions::default(),
        today: day.date,
    }
}

async fn rows(
    source: &RemoteSource,
    day: &ClinicDay,
    by_location: bool,
) -> (rounds::frontdesk::schedule::Schedule, bool) {
    match source
        .schedule(&request(day, by_location), None)
        .await
        .unwrap()
    {
        ScheduleFetch::Fresh {
            schedule, trimmed, ..
        } => (schedule, trimmed),
        ScheduleFetch::NotModified => panic!("304 without validators"),
    }
}

#[tokio::test]
async fn the_day_is_the_clinics_local_day_with_its_evening_visit() {
    let source = source();
    let day = clinic_day(source.client()).await;
    for by_location in [false, true] {
        let (s, _) = rows(&source, &day, by_location).await;
        let ids: Vec<&str> = s.rows.iter().map(|r| r.appointment_id.as_str()).collect();
        assert_eq!(ids, day.in_day(), "by location: {by_location}");
        let times: Vec<&str> = s.rows.iter().map(|r| r.time.as_str()).collect();
        assert_eq!(times, ["09:00", "10:30", "11:00", "21:30"]);
        let status: Vec<&str> = s.rows.iter().map(|r| r.status_label.as_str()).collect();
        assert_eq!(status, ["booked", "cancelled", "no-show", "booked"]);
        for r in &s.rows {
            let p = r.patient.as_ref().expect("the patient is included");
            assert!(p.name.starts_with("QXSCHED"), "{}", p.name);
            assert_eq!(p.born, "05-May-1970");
            assert!(p.mrn.starts_with("SC-"), "{}", p.mrn);
            assert!(r.other_date.is_none());
        }
        assert_eq!(s.rows[0].visit_type, "Follow-up");
        assert!(
            s.rows[0].version.is_some(),
            "the version comes with the row"
        );
    }
}

#[tokio::test]
async fn a_list_unchanged_is_kept_and_a_check_in_shows() {
    let source = source();
    let day = clinic_day(source.client()).await;
    let client = source.client();
    let params = request(&day, false).query.params();
    let first = client
        .search_appointments(
            &params,
            100,
            Some(rounds::frontdesk::schedule::ROW_ELEMENTS),
            None,
        )
        .await
        .unwrap();
    let Appointments::Found { validators, .. } = first else {
        panic!("no answer");
    };
    if validators.is_empty() {
        // sekmet sends no ETag on searches: every refresh is a full answer.
        return;
    }
    let again = client
        .search_appointments(
            &params,
            100,
            Some(rounds::frontdesk::schedule::ROW_ELEMENTS),
            Some(&validators),
        )
        .await
        .unwrap();
    assert!(
        matches!(again, Appointments::NotModified),
        "an unchanged day is answered 304"
    );
}

fn known(row: &rounds::frontdesk::schedule::ScheduleRow) -> KnownAppointment {
    KnownAppointment {
        status: row.status.clone(),
        version: row.version.clone(),
        patient_id: row.patient_id.clone().unwrap(),
        patient_label: "QXSCHED test patient".into(),
        summary: "Check-in".into(),
    }
}

#[tokio::test]
async fn two_desks_check_in_the_same_appointment_once() {
    let desk_a = source();
    let desk_b = source();
    let day = clinic_day(desk_a.client()).await;
    // Both desks have the list open, the 09:00 visit booked.
    let (list_a, _) = rows(&desk_a, &day, false).await;
    let (list_b, _) = rows(&desk_b, &day, false).await;
    let (a, b) = (known(&list_a.rows[0]), known(&list_b.rows[0]));
    let first_id = list_a.rows[0].appointment_id.clone();
    let (done, _) = check_in(&desk_a, &first_id, Some(&a), false).await.unwrap();
    let CheckInOutcome::Submitted { submitted, .. } = &done else {
        panic!("desk A wrote nothing: {done:?}");
    };
    assert_eq!(submitted.item.state, State::Sent, "{:?}", submitted.item);
    let (now, version) = desk_a
        .client()
        .read_current("Appointment", &first_id)
        .await
        .unwrap();
    assert_eq!(now["status"], "arrived");
    // Desk B, from its stale row: the server's own answer, never a second write.
    let (second, _) = check_in(&desk_b, &first_id, Some(&b), false).await.unwrap();
    assert!(
        matches!(second, CheckInOutcome::Already { .. }) || second.arrived_elsewhere(),
        "{second:?}"
    );
    let (_, after) = desk_a
        .client()
        .read_current("Appointment", &first_id)
        .await
        .unwrap();
    assert_eq!(after, version, "the second desk changed nothing");
    // Cancelled and no-show visits are not checked in.
    for row in &list_a.rows[1..3] {
        let (o, _) = check_in(&desk_a, &row.appointment_id, None, false)
            .await
            .unwrap();
        assert!(matches!(o, CheckInOutcome::Refused { .. }), "{o:?}");
    }
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_nothing_is_overwritten() {
    let source = source();
    let day = clinic_day(source.client()).await;
    let client = source.client();
    let id = &day.in_day()[3];
    let (appointment, version) = client.read_current("Appointment", id).await.unwrap();
    // Someone else changes it first (a new comment: a new version).
    let mut theirs = appointment.clone();
    theirs["comment"] = serde_json::json!("moved to room 2");
    client
        .update("Appointment", id, &theirs, version.as_deref())
        .await
        .unwrap();
    for method in [Method::Put, Method::Patch] {
        let CheckIn::Writes(writes) = checkin::plan(&appointment, version.clone(), method, None)
        else {
            panic!("nothing to write");
        };
        let author = Author {
            profile: String::new(),
            fhir_user: None,
        };
        let mut item = checkin::item(
            writes,
            "p",
            "label",
            "summary",
            client.base_url(),
            author.clone(),
        );
        let outcome = rounds::outbox::send_item(None, &mut item, client, &author)
            .await
            .unwrap();
        // hfs has no declared JSON Patch format but takes one; both refuse the stale version.
        assert_eq!(outcome.state, State::Conflict, "{method:?}: {outcome:?}");
    }
    let (now, _) = client.read_current("Appointment", id).await.unwrap();
    assert_eq!(now["status"], "booked");
    assert_eq!(now["comment"], "moved to room 2");
}

#[tokio::test]
async fn the_visits_encounter_is_made_once() {
    let source = source();
    let day = clinic_day(source.client()).await;
    let client = source.client();
    let id = day.in_day()[3].clone();
    let (done, _) = check_in(&source, &id, None, true).await.unwrap();
    let CheckInOutcome::Submitted { submitted, .. } = &done else {
        panic!("{done:?}");
    };
    assert_eq!(submitted.item.state, State::Sent, "{:?}", submitted.item);
    let token = checkin::encounter_identifier(&id).token();
    assert_eq!(common::writes::count(client, "Encounter", &token).await, 1);
    // The same Encounter sent again (another desk, a lost answer): still one.
    let op = &submitted.item.writes[1].op;
    client.write(op, true).await.unwrap();
    assert_eq!(common::writes::count(client, "Encounter", &token).await, 1);
    // And the check-in again: already arrived, nothing written.
    let (again, _) = check_in(&source, &id, None, true).await.unwrap();
    assert!(matches!(again, CheckInOutcome::Already { .. }), "{again:?}");
}

#[tokio::test]
async fn the_command_line_lists_and_checks_in() {
    let source = source();
    let day = clinic_day(source.client()).await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rounds"))
            .args(["--server", &common::server_url()])
            .args(args)
            .env("ROUNDS_CONFIG_DIR", "/nonexistent-rounds-config")
            .env_remove("ROUNDS_PROFILE")
            .output()
            .unwrap()
    };
    let date = day.date.to_string();
    let out = run(&[
        "schedule",
        "--date",
        &date,
        "--timezone",
        "-06:00",
        "--practitioner",
        &day.practitioner,
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "rounds.schedule/1");
    let ids: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["appointment_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, day.in_day());
    let table = run(&[
        "schedule",
        "--date",
        &date,
        "--timezone",
        "-06:00",
        "--location",
        &day.location,
    ]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("21:30"), "{text}");
    assert!(
        text.contains("no-show") && text.contains("cancelled"),
        "{text}"
    );
    let first = &day.in_day()[0];
    let out = run(&["checkin", first]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Checked in: QXSCHED"));
    let out = run(&["checkin", first, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["result"], "already-arrived");
    let out = run(&["checkin", &day.in_day()[1]]);
    assert_eq!(out.status.code(), Some(2), "a cancelled visit");
    let out = run(&["checkin", "no-such-appointment-xyz"]);
    assert_eq!(out.status.code(), Some(3));
}

/// The demo's clinic day, offline: today's rows with patients and allergies, a check-in,
/// a visit already arrived, a cancelled one refused.
#[test]
fn the_demo_has_a_clinic_day_for_today() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_rounds"))
            .arg("--demo")
            .args(args)
            .env("ROUNDS_CONFIG_DIR", "/nonexistent-rounds-config")
            .env_remove("ROUNDS_PROFILE")
            .output()
            .unwrap()
    };
    let out = run(&["schedule", "--timezone", "America/Chicago", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[8]["time"], "19:30");
    assert!(rows.iter().all(|r| r["patient"]["mrn"].is_string()));
    assert_eq!(rows[0]["allergies"], "2 allergies (high criticality)");
    assert!(rows.iter().any(|r| r["status"] == "noshow"));
    let table = String::from_utf8(run(&["schedule"]).stdout).unwrap();
    assert!(
        table.contains("cancelled") && table.contains("TESTWELL, Ada"),
        "{table}"
    );
    assert_eq!(run(&["checkin", "demo-appt-03"]).status.code(), Some(0));
    assert_eq!(run(&["checkin", "demo-appt-02"]).status.code(), Some(0));
    assert_eq!(run(&["checkin", "demo-appt-05"]).status.code(), Some(2));
}
