//! The clinician's lists, as rows: the ward's census (the visits in progress at a
//! location, `Encounter?status=in-progress&location=ID&_include=Encounter:subject`) and
//! today's appointments of one practitioner (`Appointment?actor=…&date=…&_include=
//! Appointment:patient`). Every row carries the patient's two identifiers (name and born,
//! MRN), taken only from the Patient the row's own reference names: a row whose Patient
//! was not sent says so, and never borrows another's. Pure functions: no I/O, no clock.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::chart::date::{show_date, show_date_time, sort_key};
use crate::chart::{ChartOptions, PatientSummary};
use crate::fhir::model::Patient;
use crate::frontdesk::day::DayWindow;
use crate::text::clean_line;

/// Most rows of a list.
pub const MAX_ROWS: usize = 200;

/// One row of a census or of a day's appointments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListRow {
    /// The Encounter or Appointment id.
    pub id: String,
    /// The patient (name, born, sex, MRN); `None` when the server did not send them.
    pub patient: Option<PatientSummary>,
    /// The patient's id as referenced (so the chart can be opened even without a row).
    pub patient_id: Option<String>,
    /// Where: `Ward 4B, Bed 12` (the locations' names, else their ids), or `Not known`.
    pub location: String,
    /// The census: the admission date (`04-Dec-2026`); appointments: the start
    /// (`05-Dec-2026 09:30`). `Not known` when absent.
    pub when: String,
    /// The status as sent (`in-progress`, `booked`, `arrived`…).
    pub status: String,
    /// What kind of visit (appointment type or service), when sent.
    pub kind: Option<String>,
    #[serde(skip)]
    sort: i64,
}

/// The `Patient/ID` id of a reference, if it names a Patient.
/// Only a relative `Patient/ID` (or one with its `_history`) names a patient of this
/// server: an absolute URL may be another server's patient of the same id.
pub fn patient_ref(r: &Value) -> Option<String> {
    let s = r["reference"].as_str()?;
    crate::fhir::model::parse_reference(s)
        .filter(|r| r.ty == "Patient" && r.base.is_none())
        .map(|r| r.id.to_owned())
}

/// The patients the rows of `ty` (`Encounter` by subject, `Appointment` by participant)
/// name that `entries` did not include, each once: for a server that ignored `_include`.
pub fn patients_not_included(entries: &[Value], ty: &str) -> Vec<String> {
    let sent: Vec<String> = included(entries).into_iter().map(|(id, _)| id).collect();
    let mut missing: Vec<String> = Vec::new();
    for r in matches(entries, ty) {
        let id = if ty == "Encounter" {
            patient_ref(&r["subject"])
        } else {
            r["participant"]
                .as_array()
                .into_iter()
                .flatten()
                .take(50)
                .find_map(|p| patient_ref(&p["actor"]))
        };
        if let Some(id) = id.filter(|i| !sent.contains(i) && !missing.contains(i)) {
            missing.push(id);
        }
    }
    missing
}

/// The Patients `_include`d in `entries`, by id.
fn included(entries: &[Value]) -> Vec<(String, Patient)> {
    entries
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Patient")
        .filter_map(|r| {
            let id = r["id"].as_str()?.to_owned();
            Some((id, serde_json::from_value(r.clone()).ok()?))
        })
        .collect()
}

/// The resources of `kind` that matched (not the included ones).
fn matches<'a>(entries: &'a [Value], kind: &'a str) -> impl Iterator<Item = &'a Value> {
    entries
        .iter()
        .filter(move |e| e["resource"]["resourceType"] == kind)
        .filter(|e| e["search"]["mode"].as_str().is_none_or(|m| m == "match"))
        .map(|e| &e["resource"])
}

fn text_of(concept: &Value) -> Option<String> {
    concept["text"]
        .as_str()
        .or_else(|| {
            concept["coding"]
                .as_array()?
                .iter()
                .find_map(|c| c["display"].as_str().or(c["code"].as_str()))
        })
        .map(clean_line)
        .filter(|s| !s.is_empty())
}

/// Where an Encounter is now: its current locations (status active or none, not ended),
/// by name else by id, joined (`Ward 4B, Bed 12`).
fn where_now(enc: &Value) -> String {
    let names: Vec<String> = enc["location"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["status"].as_str().is_none_or(|s| s == "active"))
        .filter(|l| l["period"]["end"].is_null())
        .filter_map(|l| {
            let loc = &l["location"];
            loc["display"]
                .as_str()
                .or_else(|| {
                    loc["reference"]
                        .as_str()
                        .map(|r| r.trim_start_matches("Location/"))
                })
                .map(clean_line)
        })
        .filter(|s| !s.is_empty())
        .take(3)
        .collect();
    if names.is_empty() {
        "Not known".into()
    } else {
        crate::text::truncate_to(&names.join(", "), 40)
    }
}

fn row_patient(
    patient_id: Option<&String>,
    patients: &[(String, Patient)],
    today: NaiveDate,
    options: &ChartOptions,
) -> Option<PatientSummary> {
    let id = patient_id?;
    let (_, p) = patients.iter().find(|(pid, _)| pid == id)?;
    Some(PatientSummary::new(p, today, options))
}

fn finish(mut rows: Vec<ListRow>) -> Vec<ListRow> {
    rows.sort_by(|a, b| {
        let name = |r: &ListRow| r.patient.as_ref().map(|p| p.name.to_lowercase());
        (a.sort, &a.location, name(a), &a.id).cmp(&(b.sort, &b.location, name(b), &b.id))
    });
    rows.truncate(MAX_ROWS);
    rows
}

/// The census rows of an Encounter search's entries, by location then name.
pub fn census(entries: &[Value], today: NaiveDate, options: &ChartOptions) -> Vec<ListRow> {
    let patients = included(entries);
    let rows = matches(entries, "Encounter")
        .map(|e| {
            let patient_id = patient_ref(&e["subject"]);
            let start = e["period"]["start"].as_str();
            ListRow {
                id: e["id"].as_str().map(clean_line).unwrap_or_default(),
                patient: row_patient(patient_id.as_ref(), &patients, today, options),
                patient_id,
                location: where_now(e),
                when: show_date(start).unwrap_or_else(|| "Not known".into()),
                status: e["status"].as_str().map(clean_line).unwrap_or_default(),
                kind: e["type"]
                    .as_array()
                    .and_then(|t| t.first())
                    .and_then(text_of),
                sort: 0,
            }
        })
        .collect();
    finish(rows)
}

/// The rows of an Appointment search's entries, by start time.
pub fn appointments(entries: &[Value], today: NaiveDate, options: &ChartOptions) -> Vec<ListRow> {
    let patients = included(entries);
    let rows = matches(entries, "Appointment")
        .map(|a| {
            let parts = a["participant"].as_array().cloned().unwrap_or_default();
            let patient_id = parts.iter().find_map(|p| patient_ref(&p["actor"]));
            let location = parts
                .iter()
                .map(|p| &p["actor"])
                .find(|r| {
                    r["reference"]
                        .as_str()
                        .is_some_and(|s| s.contains("Location/"))
                })
                .and_then(|r| {
                    r["display"].as_str().or_else(|| {
                        r["reference"]
                            .as_str()
                            .map(|s| s.trim_start_matches("Location/"))
                    })
                })
                .map(clean_line)
                .unwrap_or_else(|| "Not known".into());
            let start = a["start"].as_str();
            ListRow {
                id: a["id"].as_str().map(clean_line).unwrap_or_default(),
                patient: row_patient(patient_id.as_ref(), &patients, today, options),
                patient_id,
                location,
                when: show_date_time(start).unwrap_or_else(|| "Not known".into()),
                status: a["status"].as_str().map(clean_line).unwrap_or_default(),
                kind: text_of(&a["appointmentType"]).or_else(|| {
                    a["serviceType"]
                        .as_array()
                        .and_then(|t| t.first())
                        .and_then(text_of)
                }),
                sort: sort_key(start),
            }
        })
        .collect();
    finish(rows)
}

/// The search of a location's census.
pub fn census_params(location: &str) -> Vec<(String, String)> {
    let location = location.trim().trim_start_matches("Location/");
    vec![
        ("status".into(), "in-progress".into()),
        ("location".into(), format!("Location/{location}")),
        ("_include".into(), "Encounter:subject".into()),
    ]
}

/// The search of `practitioner`'s appointments on the clinic's local `day`, its bounds
/// with their offsets (`frontdesk::day`: a bare date is read as a UTC day by some servers,
/// and evening visits are lost). `practitioner` is a `Practitioner/ID` reference or a bare id.
pub fn mine_params(practitioner: &str, day: &DayWindow) -> Vec<(String, String)> {
    let p = practitioner.trim();
    let actor = if p.contains('/') {
        p.to_owned()
    } else {
        format!("Practitioner/{p}")
    };
    vec![
        ("actor".into(), actor),
        ("date".into(), format!("ge{}", day.start)),
        ("date".into(), format!("lt{}", day.end)),
        ("_include".into(), "Appointment:patient".into()),
    ]
}
