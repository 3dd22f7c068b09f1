//! `rounds list inpatients` on the real server: the visits in progress at a location of
//! this run's own, each with its patient's name, born date and MRN from the included
//! Patient; a finished visit there and a visit elsewhere are not listed. `rounds list mine`:
//! a practitioner's appointments of the local day (an evening one included), not tomorrow's.

use serde_json::json;

use super::common::keyring::expect;
use super::common::server_url;
use super::common::writes::{Scenario, clean_up, client_of, fresh_patient, output_of};
use super::{delete, tag};

#[tokio::test]
async fn the_census_lists_the_visits_in_progress_at_the_location() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let t = tag();
    let ward = format!("rnd-ward-{t}");
    let encounter = |id: &str, status: &str, location: &str| {
        json!({
            "resourceType": "Encounter", "id": id, "status": status,
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
            "subject": {"reference": format!("Patient/{}", p.id)},
            "period": {"start": "2026-11-20T08:00:00Z"},
            "location": [{"location": {"reference": format!("Location/{location}"), "display": "Ward 4B"},
                          "status": "active"}]
        })
    };
    let ids = [
        format!("rnd-e1-{t}"),
        format!("rnd-e2-{t}"),
        format!("rnd-e3-{t}"),
    ];
    let fixtures = [
        encounter(&ids[0], "in-progress", &ward),
        encounter(&ids[1], "finished", &ward),
        encounter(&ids[2], "in-progress", &format!("rnd-other-{t}")),
    ];
    for (id, e) in ids.iter().zip(&fixtures) {
        client.update("Encounter", id, e, None).await.unwrap();
    }
    let mut s = Scenario::new(client.base_url());
    s.step(
        "census",
        &format!("$R --profile w list inpatients --location {ward}"),
    )
    .step(
        "json",
        &format!("$R --profile w list inpatients --location {ward} --json"),
    )
    .step("bad", "$R --profile w list inpatients --location '../x'");
    let out = s.run();
    // Removed before anything is checked: a failed check leaves nothing behind.
    for id in &ids {
        delete(&client, "Encounter", id).await;
    }
    clean_up(&client, &p).await;
    expect(
        &out,
        &[("census", 0), ("json", 0), ("bad", 2)],
        &["\"schema\": \"rounds.list/1\"", "is not a Location id"],
    );
    let census = output_of(&out, "census");
    assert!(census.contains(&p.family.to_uppercase()), "{out}");
    assert!(
        census.contains("20-Nov-2026") && census.contains("Ward 4B"),
        "{out}"
    );
    assert!(
        census.contains("05-May-1970") && census.contains(&p.id),
        "{out}"
    );
    let json = output_of(&out, "json");
    assert_eq!(
        json.matches(&format!("\"id\": \"{}\"", ids[0])).count(),
        1,
        "{out}"
    );
    assert!(!json.contains(&ids[1]) && !json.contains(&ids[2]), "{out}");
}

#[tokio::test]
async fn mine_lists_the_practitioners_appointments_of_the_local_day() {
    let client = client_of(&server_url());
    let p = fresh_patient(&client).await;
    let t = tag();
    let doc = format!("rnd-doc-{t}");
    // "Today" is the scenario's (ROUNDS_TODAY=2026-11-22), in the zone rounds runs in.
    let offset = chrono::Local::now().format("%:z").to_string();
    let appointment = |id: &str, start: &str| {
        json!({
            "resourceType": "Appointment", "id": id, "status": "booked",
            "start": format!("{start}{offset}"), "end": format!("{start}{offset}"),
            "appointmentType": {"text": "Follow-up"},
            "participant": [
                {"actor": {"reference": format!("Patient/{}", p.id)}, "status": "accepted"},
                {"actor": {"reference": format!("Practitioner/{doc}")}, "status": "accepted"}]
        })
    };
    let ids = [format!("rnd-a1-{t}"), format!("rnd-a2-{t}")];
    // An evening visit today (a UTC-day search could lose it) and one tomorrow.
    let fixtures = [
        appointment(&ids[0], "2026-11-22T19:30:00"),
        appointment(&ids[1], "2026-11-23T09:00:00"),
    ];
    for (id, a) in ids.iter().zip(&fixtures) {
        client.update("Appointment", id, a, None).await.unwrap();
    }
    let mut s = Scenario::new(client.base_url());
    s.step(
        "mine",
        &format!("$R --profile w list mine --practitioner {doc}"),
    )
    .step("nobody", "$R --profile w list mine");
    let out = s.run();
    for id in &ids {
        delete(&client, "Appointment", id).await;
    }
    clean_up(&client, &p).await;
    expect(
        &out,
        &[("mine", 0), ("nobody", 2)],
        &["give --practitioner ID"],
    );
    let mine = output_of(&out, "mine");
    assert!(mine.contains("22-Nov-2026 19:30"), "{out}");
    assert!(
        mine.contains(&p.family.to_uppercase()) && mine.contains("Follow-up"),
        "{out}"
    );
    assert!(!mine.contains("23-Nov-2026"), "{out}");
}
