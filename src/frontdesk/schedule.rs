//! A clinic day's schedule: the search (`Appointment?date=ge…&date=lt…` for the local day
//! with its offsets, by practitioner and/or location, the patients included, sorted by
//! date) and its rows, built from the answer's entries. A row holds what a front desk
//! needs to pick the right person: the local time, the patient by two identifiers (name
//! and born date, MRN), the visit type and the status (cancelled and no-show rows are kept:
//! the screen dims them, never hides them).
//!
//! Every string from the server is cleaned and capped here; counts are capped by the
//! caller's paging (`MAX_ROWS`). No I/O.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::day::{ClinicZone, DayWindow};
use crate::chart::format::NOT_KNOWN;
use crate::chart::{ChartOptions, PatientSummary};
use crate::fhir::model::{Patient, parse_reference};

/// The schema of `rounds schedule --json`.
pub const SCHEMA: &str = "rounds.schedule/1";

/// Most appointments listed for one day (pages are followed up to it).
pub const MAX_ROWS: usize = 400;

/// Appointments asked for per page.
pub const PAGE_SIZE: u32 = 100;

/// What a row shows, for `_elements` (servers apply it to the appointments and, most of
/// them, to the included patients too; names a type does not have are ignored).
pub const ROW_ELEMENTS: &str = "status,start,end,appointmentType,serviceType,participant,\
name,birthDate,gender,identifier,active,deceasedBoolean,deceasedDateTime,link";

/// Longest visit type kept (characters).
const MAX_TEXT: usize = 60;

/// Which day's appointments, of whom, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleQuery {
    pub window: DayWindow,
    /// `Practitioner/ID` or a bare id.
    pub practitioner: Option<String>,
    /// `Location/ID` or a bare id.
    pub location: Option<String>,
}

impl ScheduleQuery {
    /// The search parameters, without `_elements` and `_count` (the client adds them).
    pub fn params(&self) -> Vec<(String, String)> {
        let mut p = vec![
            ("date".to_owned(), format!("ge{}", self.window.start)),
            ("date".to_owned(), format!("lt{}", self.window.end)),
        ];
        if let Some(id) = &self.practitioner {
            p.push(("practitioner".into(), typed(id, "Practitioner")));
        }
        if let Some(id) = &self.location {
            p.push(("location".into(), typed(id, "Location")));
        }
        p.push(("_include".into(), "Appointment:patient".into()));
        p.push(("_sort".into(), "date".into()));
        p
    }
}

/// `Type/ID` for a bare id; a typed reference as given.
fn typed(id: &str, ty: &str) -> String {
    let id = id.trim();
    if id.contains('/') {
        id.to_owned()
    } else {
        format!("{ty}/{id}")
    }
}

/// Check an id typed for `--practitioner`, `--location` or an appointment.
pub fn check_id(id: &str, what: &str, ty: &str) -> Result<String, String> {
    let id = id.trim();
    let bare = id.strip_prefix(&format!("{ty}/")).unwrap_or(id);
    if crate::fhir::model::is_fhir_id(bare) {
        Ok(bare.to_owned())
    } else {
        Err(format!(
            "'{}' is not {what} id (1 to 64 letters, digits, '-' or '.')",
            crate::text::clean_line(id)
        ))
    }
}

/// An appointment's status, as the desk says it.
pub fn status_label(code: &str) -> &'static str {
    match code {
        "proposed" => "proposed",
        "pending" => "pending",
        "booked" => "booked",
        "arrived" => "arrived",
        "checked-in" => "checked-in",
        "fulfilled" => "fulfilled",
        "cancelled" => "cancelled",
        "noshow" => "no-show",
        "entered-in-error" => "entered in error",
        "waitlist" => "waitlist",
        _ => "status not known",
    }
}

/// Whether a status means the visit will not happen (shown dimmed).
pub fn is_off(code: &str) -> bool {
    matches!(code, "cancelled" | "noshow" | "entered-in-error")
}

/// One appointment as a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleRow {
    pub appointment_id: String,
    /// The appointment's version (`meta.versionId`), for a check-in's `If-Match`.
    pub version: Option<String>,
    /// The start as the server sent it (an instant), or null.
    pub start: Option<String>,
    /// The clinic's local time `HH:MM`, or "Not known".
    pub time: String,
    /// The local date when it is not the day asked for (a server that read the day
    /// differently), else null.
    pub other_date: Option<String>,
    /// The local end time `HH:MM`, when sent.
    pub end_time: Option<String>,
    /// The FHIR status code (`booked`, `arrived`, `noshow`…).
    pub status: String,
    /// The status in words (`no-show`).
    pub status_label: String,
    /// The visit type (appointmentType, else serviceType), or "Not known".
    pub visit_type: String,
    pub patient_id: Option<String>,
    /// The patient as a search row (two identifiers); null when the server did not send
    /// the patient.
    pub patient: Option<PatientSummary>,
    /// The banner's allergy words, where the source knows them (null: not known here).
    pub allergies: Option<String>,
}

impl ScheduleRow {
    /// Whether the visit will not happen (cancelled, no-show, entered in error).
    pub fn is_off(&self) -> bool {
        is_off(&self.status)
    }
}

/// A day's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub date: NaiveDate,
    /// The clinic's time zone.
    pub time_zone: String,
    pub practitioner: Option<String>,
    pub location: Option<String>,
    pub rows: Vec<ScheduleRow>,
    /// More appointments exist than were listed (`MAX_ROWS`).
    pub cut_short: bool,
    /// Appointments that could not be read.
    pub unreadable: usize,
}

impl Schedule {
    /// The rows of `entries` (appointments and the patients included with them), sorted by
    /// time (those without a start last), at most `MAX_ROWS`.
    pub fn build(
        query: &ScheduleQuery,
        zone: &ClinicZone,
        entries: &[Value],
        today: NaiveDate,
        options: &ChartOptions,
    ) -> Schedule {
        let patients: HashMap<&str, &Value> = entries
            .iter()
            .filter(|r| r["resourceType"] == "Patient")
            .filter_map(|r| Some((r["id"].as_str()?, r)))
            .collect();
        let mut rows = Vec::new();
        let mut unreadable = 0;
        let mut seen = std::collections::HashSet::new();
        for r in entries
            .iter()
            .filter(|r| r["resourceType"] == "Appointment")
        {
            match row(r, &patients, zone, query.window.date, today, options) {
                Some(row) if seen.insert(row.appointment_id.clone()) => rows.push(row),
                Some(_) => {}
                None => unreadable += 1,
            }
        }
        rows.sort_by_key(|r| {
            (
                r.start.as_deref().and_then(ClinicZone::sort_key).is_none(),
                r.start.as_deref().and_then(ClinicZone::sort_key),
                r.appointment_id.clone(),
            )
        });
        mark_lookalikes(&mut rows);
        let cut_short = rows.len() > MAX_ROWS;
        rows.truncate(MAX_ROWS);
        Schedule {
            date: query.window.date,
            time_zone: zone.name().to_owned(),
            practitioner: query.practitioner.clone(),
            location: query.location.clone(),
            rows,
            cut_short,
            unreadable,
        }
    }
}

/// Mark the patients of different records with the same name and birth date (two rows of
/// one patient are not look-alikes).
fn mark_lookalikes(rows: &mut [ScheduleRow]) {
    let key = |p: &PatientSummary| (p.name.to_lowercase(), p.birth_date.clone());
    let mut ids: HashMap<(String, Option<String>), std::collections::HashSet<String>> =
        HashMap::new();
    for p in rows.iter().filter_map(|r| r.patient.as_ref()) {
        ids.entry(key(p)).or_default().insert(p.id.clone());
    }
    for p in rows.iter_mut().filter_map(|r| r.patient.as_mut()) {
        p.lookalike = ids.get(&key(p)).is_some_and(|s| s.len() > 1);
    }
}

/// A cleaned, capped string.
fn clean(s: &str) -> String {
    crate::text::truncate_to(&crate::text::clean_line(s), MAX_TEXT)
}

/// One appointment's row; `None` when it has no usable id.
fn row(
    a: &Value,
    patients: &HashMap<&str, &Value>,
    zone: &ClinicZone,
    day: NaiveDate,
    today: NaiveDate,
    options: &ChartOptions,
) -> Option<ScheduleRow> {
    let id = a["id"]
        .as_str()
        .filter(|i| crate::fhir::model::is_fhir_id(i))?;
    let start = a["start"].as_str().map(clean);
    let local = start.as_deref().and_then(|s| zone.local(s));
    let status = a["status"].as_str().map(clean).unwrap_or_default();
    let patient_id = patient_of(a);
    let patient = patient_id
        .as_deref()
        .and_then(|p| patients.get(p))
        .and_then(|v| serde_json::from_value::<Patient>((*v).clone()).ok())
        .map(|p| PatientSummary::new(&p, today, options));
    Some(ScheduleRow {
        appointment_id: id.to_owned(),
        version: a["meta"]["versionId"]
            .as_str()
            .filter(|v| v.len() <= 64)
            .map(clean),
        time: local
            .as_ref()
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        other_date: local
            .as_ref()
            .filter(|(d, _)| *d != day)
            .map(|(d, _)| crate::chart::date::FhirDate::Day(*d).display_date()),
        end_time: a["end"]
            .as_str()
            .and_then(|e| zone.local(e))
            .map(|(_, t)| t),
        start,
        status_label: status_label(&status).to_owned(),
        status,
        visit_type: visit_type(a).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        patient_id,
        patient,
        allergies: None,
    })
}

/// The first participant that is a patient (a relative `Patient/ID`).
pub fn patient_of(a: &Value) -> Option<String> {
    a["participant"]
        .as_array()?
        .iter()
        .take(50)
        .filter_map(|p| p["actor"]["reference"].as_str())
        .filter_map(parse_reference)
        .find(|r| r.ty == "Patient" && r.base.is_none())
        .map(|r| r.id.to_owned())
}

/// The visit type: `appointmentType` (text, else a coding's display or code), else the
/// first `serviceType`.
fn visit_type(a: &Value) -> Option<String> {
    let concept = |c: &Value| -> Option<String> {
        let text = c["text"].as_str().filter(|t| !t.trim().is_empty());
        let coding = c["coding"].as_array().and_then(|list| {
            list.iter().take(10).find_map(|k| {
                k["display"]
                    .as_str()
                    .or_else(|| k["code"].as_str())
                    .filter(|t| !t.trim().is_empty())
            })
        });
        text.or(coding).map(clean)
    };
    concept(&a["appointmentType"]).or_else(|| {
        a["serviceType"]
            .as_array()
            .and_then(|l| l.iter().take(10).find_map(concept))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn query(zone: &ClinicZone) -> ScheduleQuery {
        ScheduleQuery {
            window: zone.day(date("2026-12-10")).unwrap(),
            practitioner: Some("dr-1".into()),
            location: None,
        }
    }

    #[test]
    fn the_search_carries_the_local_day_with_its_offset() {
        let zone = ClinicZone::parse(Some("America/Chicago")).unwrap();
        let p = query(&zone).params();
        assert_eq!(p[0], ("date".into(), "ge2026-12-10T00:00:00-06:00".into()));
        assert_eq!(p[1], ("date".into(), "lt2026-12-11T00:00:00-06:00".into()));
        assert!(p.contains(&("practitioner".into(), "Practitioner/dr-1".into())));
        assert!(p.contains(&("_include".into(), "Appointment:patient".into())));
        assert!(check_id("Location/a b", "a location", "Location").is_err());
        assert_eq!(
            check_id("Location/loc-1", "a location", "Location").unwrap(),
            "loc-1"
        );
    }

    #[test]
    fn rows_are_sorted_by_time_with_patients_and_cleaned() {
        let zone = ClinicZone::parse(Some("-06:00")).unwrap();
        let entries = vec![
            json!({"resourceType": "Appointment", "id": "late", "status": "booked",
                   "start": "2026-12-11T03:30:00Z",
                   "appointmentType": {"text": "Evening\u{1b}[2J clinic"},
                   "participant": [{"actor": {"reference": "Patient/p1"}}],
                   "meta": {"versionId": "3"}}),
            json!({"resourceType": "Appointment", "id": "early", "status": "noshow",
                   "start": "2026-12-10T08:00:00-06:00",
                   "serviceType": [{"coding": [{"code": "GP"}]}],
                   "participant": [{"actor": {"reference": "Practitioner/dr-1"}},
                                   {"actor": {"reference": "Patient/p2"}}]}),
            json!({"resourceType": "Appointment", "id": "nostart", "status": "cancelled"}),
            json!({"resourceType": "Appointment", "status": "booked"}),
            json!({"resourceType": "Patient", "id": "p1", "birthDate": "1945-07-14",
                   "name": [{"family": "Testwell", "given": ["Ada"]}]}),
        ];
        let s = Schedule::build(
            &query(&zone),
            &zone,
            &entries,
            date("2026-12-10"),
            &ChartOptions::default(),
        );
        let ids: Vec<&str> = s.rows.iter().map(|r| r.appointment_id.as_str()).collect();
        assert_eq!(ids, ["early", "late", "nostart"]);
        assert_eq!(s.unreadable, 1);
        let late = &s.rows[1];
        assert_eq!(late.time, "21:30");
        assert_eq!(late.other_date, None);
        assert_eq!(late.version.as_deref(), Some("3"));
        assert_eq!(late.visit_type, "Evening clinic");
        let p = late.patient.as_ref().unwrap();
        assert_eq!(p.born, "14-Jul-1945");
        assert_eq!(s.rows[0].status_label, "no-show");
        assert!(s.rows[0].is_off());
        assert_eq!(s.rows[0].visit_type, "GP");
        assert_eq!(s.rows[0].patient_id.as_deref(), Some("p2"));
        assert!(s.rows[0].patient.is_none());
        assert_eq!(s.rows[2].time, "Not known");
        assert_eq!(s.rows[2].visit_type, "Not known");
    }
}
