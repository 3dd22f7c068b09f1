//! The demo's lists: a small ward (`demo-ward`: three inpatients, admitted days before
//! today, each in a bed) for `:ward demo-ward` and `rounds --demo list inpatients`, and
//! the clinic day of `schedule_demo.rs` for `:mine` (the demo clinician's appointments).
//! Answered as a server's search would be: Bundle entries, the matches then the patients
//! included. Made when asked, so the dates are always relative to today.

use chrono::{Days, NaiveDate};
use serde_json::{Value, json};

use crate::frontdesk::day::ClinicZone;

/// The demo's ward.
pub const WARD: &str = "demo-ward";

/// (encounter id, patient, bed, days since admission, reason).
const CENSUS: [(&str, &str, &str, u64, &str); 3] = [
    (
        "demo-enc-ward-1",
        "rnd-ada-testwell",
        "Bed 1",
        3,
        "Community-acquired pneumonia",
    ),
    (
        "demo-enc-ward-2",
        "7777f4bb-9c19-42fe-b09a-cd791ea99ac2",
        "Bed 4",
        1,
        "Chest pain, observation",
    ),
    (
        "demo-enc-ward-3",
        "rnd-ben-nkaman",
        "Bed 7",
        6,
        "Cellulitis, left leg",
    ),
];

/// The value of parameter `name`, if given.
fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The census of `location` (only the demo ward has one), as matched entries.
pub fn census(params: &[(String, String)], today: NaiveDate) -> Vec<Value> {
    let location = param(params, "location").unwrap_or_default();
    if location.trim_start_matches("Location/") != WARD
        || param(params, "status") != Some("in-progress")
    {
        return Vec::new();
    }
    CENSUS
        .iter()
        .map(|(id, patient, bed, days, reason)| {
            let admitted = today.checked_sub_days(Days::new(*days)).unwrap_or(today);
            json!({"search": {"mode": "match"}, "resource": {
                "resourceType": "Encounter",
                "id": id,
                "status": "in-progress",
                "class": {"code": "IMP", "display": "inpatient encounter"},
                "type": [{"text": reason}],
                "subject": {"reference": format!("Patient/{patient}")},
                "period": {"start": admitted.format("%Y-%m-%d").to_string()},
                "location": [
                    {"location": {"reference": format!("Location/{WARD}"), "display": "Demo Ward"},
                     "status": "active"},
                    {"location": {"display": bed}, "status": "active"}
                ]
            }})
        })
        .collect()
}

/// The demo clinic day's appointments of the practitioner `actor` names, on the day the
/// `date=ge…` bound starts (only today has any), as matched entries.
pub fn appointments(params: &[(String, String)], written: &[Value]) -> Vec<Value> {
    let zone = ClinicZone::system();
    let date = params
        .iter()
        .filter(|(k, _)| k == "date")
        .find_map(|(_, v)| v.strip_prefix("ge"))
        .and_then(|v| v.get(..10))
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let (Some(date), Some(actor)) = (date, param(params, "actor")) else {
        return Vec::new();
    };
    super::schedule_demo::appointments(&zone, date, written)
        .into_iter()
        .filter(|a| {
            a["participant"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["actor"]["reference"] == actor))
        })
        .map(|a| json!({"search": {"mode": "match"}, "resource": a}))
        .collect()
}

/// The patients the matched `entries` name (`subject`, else a participant's actor).
pub fn patient_ids(entries: &[Value]) -> Vec<String> {
    let resources: Vec<Value> = entries.iter().map(|e| e["resource"].clone()).collect();
    let mut ids = super::schedule_demo::patient_ids(&resources);
    ids.extend(resources.iter().filter_map(|r| {
        r["subject"]["reference"]
            .as_str()
            .and_then(|s| s.strip_prefix("Patient/"))
            .map(str::to_owned)
    }));
    ids.sort();
    ids.dedup();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_demo_ward_has_three_inpatients_and_other_wards_none() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let params = crate::frontdesk::lists::census_params(WARD);
        let found = census(&params, today);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0]["resource"]["period"]["start"], "2026-12-02");
        assert_eq!(patient_ids(&found).len(), 3);
        let other = p(&[("status", "in-progress"), ("location", "Location/ward-9")]);
        assert!(census(&other, today).is_empty());
    }
}
