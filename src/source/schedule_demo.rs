//! The demo's clinic day: appointments for today (in the clinic's zone) with the built-in
//! patients, made when asked so the day is always today: visits done, arrived, booked, a
//! cancellation, a no-show, and an evening visit (19:30) that a UTC-day search would put on
//! another day west of Greenwich. A check-in in the demo is kept in memory (`DemoWrites`)
//! and laid over the day.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::frontdesk::day::ClinicZone;

/// (id, hour, minute, minutes long, status, visit type, patient).
const DAY: [(&str, i8, i8, i64, &str, &str, &str); 9] = [
    (
        "demo-appt-01",
        8,
        30,
        20,
        "fulfilled",
        "Follow-up",
        "rnd-ada-testwell",
    ),
    (
        "demo-appt-02",
        9,
        0,
        30,
        "arrived",
        "New patient",
        "1f456f0a-acb1-4728-82af-01ca57083c7b",
    ),
    (
        "demo-appt-03",
        9,
        30,
        20,
        "booked",
        "Follow-up",
        "rnd-ben-nkaman",
    ),
    (
        "demo-appt-04",
        10,
        0,
        40,
        "booked",
        "Annual physical",
        "7777f4bb-9c19-42fe-b09a-cd791ea99ac2",
    ),
    (
        "demo-appt-05",
        10,
        40,
        20,
        "cancelled",
        "Follow-up",
        "rnd-dee-sparse",
    ),
    (
        "demo-appt-06",
        11,
        0,
        15,
        "noshow",
        "Vaccination",
        "c7792da2-a72f-4c0a-9dd8-05c5809008f1",
    ),
    (
        "demo-appt-07",
        13,
        30,
        20,
        "booked",
        "Follow-up",
        "75e95f92-3bfa-454f-aa99-99375173f201",
    ),
    (
        "demo-appt-08",
        14,
        0,
        30,
        "booked",
        "New patient",
        "rnd-ada-testwell-lookalike",
    ),
    (
        "demo-appt-09",
        19,
        30,
        20,
        "booked",
        "Evening clinic",
        "rnd-ben-nkaman",
    ),
];

/// The demo's appointments on `date` (only today has any), with `written` laid over them.
pub fn appointments(zone: &ClinicZone, date: NaiveDate, written: &[Value]) -> Vec<Value> {
    if date != zone.today() {
        return Vec::new();
    }
    DAY.iter()
        .filter_map(|(id, h, m, long, status, kind, patient)| {
            if let Some(w) = written.iter().find(|w| w["id"] == *id) {
                return Some(w.clone());
            }
            let start = zone.instant(date, *h, *m)?;
            let end_minute = i64::from(*h) * 60 + i64::from(*m) + long;
            let end = zone.instant(
                date,
                i8::try_from(end_minute / 60).ok()?,
                i8::try_from(end_minute % 60).ok()?,
            )?;
            Some(json!({
                "resourceType": "Appointment",
                "id": id,
                "meta": {"versionId": "1"},
                "status": status,
                "appointmentType": {"text": kind},
                "start": start,
                "end": end,
                "participant": [
                    {"actor": {"reference": format!("Patient/{patient}")}, "status": "accepted"},
                    {"actor": {"reference": "Practitioner/demo-clinician"}, "status": "accepted"},
                    {"actor": {"reference": "Location/demo-clinic"}, "status": "accepted"}
                ]
            }))
        })
        .collect()
}

/// The patients of `appointments`, each once.
pub fn patient_ids(appointments: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = appointments
        .iter()
        .filter_map(crate::frontdesk::schedule::patient_of)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_day_is_today_and_checked_in_visits_show_as_written() {
        let zone = ClinicZone::parse(Some("America/Chicago")).unwrap();
        let today = zone.today();
        let day = appointments(&zone, today, &[]);
        assert_eq!(day.len(), 9);
        assert!(day[8]["start"].as_str().unwrap().contains("T19:30:00-0"));
        assert!(appointments(&zone, today.succ_opt().unwrap(), &[]).is_empty());
        let written = vec![json!({"resourceType": "Appointment", "id": "demo-appt-03",
                                  "status": "arrived"})];
        let day = appointments(&zone, today, &written);
        assert_eq!(day[2]["status"], "arrived");
        assert_eq!(patient_ids(&day).len(), 8);
    }
}
