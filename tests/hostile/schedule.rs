//! Hostile data: the front desk's schedule and check-in against the real server. A day of
//! appointments, one for each hostile patient, whose visit types, participant names and
//! free text carry escape sequences, bidi controls, a 100 KB string and hundreds of junk
//! participants: `rounds schedule` (table and JSON) and `rounds checkin` must list every
//! appointment with its own patient, print nothing a terminal would act on, and never
//! panic.

use serde_json::json;

use super::cli::rounds;
use super::*;

/// Escape sequences, controls and bidi in one string (the OSC 52 payload must never show).
const NASTY: &str =
    "\u{1b}]52;c;SE9TVElMRS1DTElQ\u{7}Visit\u{1b}[5;31;47m type\u{202e}\r\u{9b}2J\u{0}";

fn appointment(id: &str, desk: &str, patient: &str, hour: u32, extra: usize) -> Value {
    let mut participants = vec![
        json!({"actor": {"reference": format!("Practitioner/{desk}"), "display": NASTY},
            "status": "accepted"}),
        json!({"actor": {"reference": format!("Patient/{patient}"), "display": NASTY},
            "status": "accepted"}),
    ];
    // Junk participants after the real ones, then a second "patient" who is someone else.
    participants.extend(
        (0..extra)
            .map(|i| json!({"actor": {"display": format!("{NASTY}{i}")}, "status": "accepted"})),
    );
    json!({
        "resourceType": "Appointment", "id": id, "status": "booked",
        "start": format!("2026-11-22T{hour:02}:00:00Z"),
        "end": format!("2026-11-22T{hour:02}:20:00Z"),
        "appointmentType": {"text": NASTY},
        "serviceType": [{"coding": [{"display": "x".repeat(100_000)}]}],
        "description": NASTY,
        "comment": NASTY,
        "participant": participants,
    })
}

#[test]
fn a_hostile_day_is_listed_whole_and_inert() {
    let rt = runtime();
    drop(remote(&rt));
    let url = server_url();
    let client = FhirClient::new(ClientConfig::new(&url)).unwrap();
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_000;
    let desk = format!("hostile-desk-{run}");
    let mut ids = Vec::new();
    for (i, patient) in PATIENTS.iter().enumerate() {
        let id = format!("hostile-appt-{run}-{i}");
        let extra = if i == 0 { 300 } else { 0 };
        let a = appointment(&id, &desk, patient, 8 + i as u32, extra);
        rt.block_on(client.update("Appointment", &id, &a, None))
            .unwrap_or_else(|e| panic!("the server refused appointment {i}: {e}"));
        ids.push(id);
    }
    let source = ["--server", url.as_str()];
    let day = ["schedule", "--date", "2026-11-22", "--practitioner", &desk];
    let table = rounds(&source, &day).ok().inert();
    assert_eq!(
        table
            .stdout
            .lines()
            .filter(|l| l.contains("booked"))
            .count(),
        PATIENTS.len(),
        "{}",
        table.stdout
    );
    let mut with_json = day.to_vec();
    with_json.push("--json");
    let json = rounds(&source, &with_json).ok();
    assert!(
        !json.stdout.chars().any(|c| c < ' ' && c != '\n'),
        "a raw C0 control in the schedule's JSON"
    );
    let doc = json.json();
    let rows = doc["rows"].as_array().unwrap();
    // Every appointment, each with its own patient, in time order.
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["appointment_id"].as_str().unwrap(),
                r["patient_id"].as_str().unwrap(),
            )
        })
        .collect();
    let want: Vec<(&str, &str)> = ids.iter().map(String::as_str).zip(PATIENTS).collect();
    assert_eq!(got, want);
    for r in rows {
        // The appointment's own strings are capped (the 100 KB service type); the patient's
        // are kept whole in JSON, as in `search --json` (only a screen cuts them).
        assert!(r["visit_type"].as_str().unwrap().chars().count() <= 60);
        assert!(r["status"].as_str().unwrap().len() <= 60);
    }
    // A check-in of the appointment with 300 junk participants, then again: inert both times.
    let first = rounds(&source, &["checkin", &ids[0]]).ok().inert();
    assert!(!first.stdout.is_empty());
    let again = rounds(&source, &["checkin", &ids[0]]).ok().inert();
    assert!(again.stdout.contains("Already arrived"), "{}", again.stdout);
    for id in &ids {
        let _ = rt.block_on(
            reqwest::Client::new()
                .delete(format!("{}/Appointment/{id}", client.base_url()))
                .send(),
        );
    }
}
