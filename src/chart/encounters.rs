//! Encounters (visits and stays), newest first: when, what kind, who saw the patient,
//! where, and why. Pure functions of the record; no I/O.

use serde::Serialize;

use super::codes::{labels, source_ids, words};
use super::date::{show_date, show_date_time, sort_key};
use super::format::NOT_KNOWN;
use super::person::who;
use crate::fhir::model::non_empty;
use crate::fhir::record::PatientRecord;

/// One encounter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EncounterRow {
    pub id: Option<String>,
    /// `Type/id` of the resource it was built from.
    pub ids: Vec<String>,
    /// When it started: `20-Oct-2026 09:00`, or "Not known".
    pub date: String,
    pub date_iso: Option<String>,
    /// When it ended, for stays that span days.
    pub end: Option<String>,
    /// `Ambulatory`, `Emergency`, `Inpatient`, `Virtual`, `Home health`...
    pub class: String,
    /// The kind of visit, e.g. `Office visit`.
    pub kind: String,
    pub reason: Option<String>,
    /// The clinician, or "Not known".
    pub clinician: String,
    /// Where: a location or the organisation, or "Not known".
    pub location: String,
    /// `Finished`, `In progress`, `Planned`...
    pub status: String,
}

fn class_words(code: Option<&str>, display: Option<&str>) -> String {
    match code.map(str::trim) {
        Some("AMB") => "Ambulatory".into(),
        Some("EMER") => "Emergency".into(),
        Some("IMP" | "ACUTE") => "Inpatient".into(),
        Some("NONAC") => "Inpatient (non-acute)".into(),
        Some("OBSENC") => "Observation".into(),
        Some("PRENC") => "Pre-admission".into(),
        Some("SS") => "Short stay".into(),
        Some("VR") => "Virtual".into(),
        Some("HH") => "Home health".into(),
        Some("FLD") => "Field".into(),
        _ => non_empty(display)
            .map(|d| d.trim().to_owned())
            .or_else(|| code.map(words))
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
    }
}

/// The encounters of a record, newest first. Entered-in-error and cancelled are left out.
pub fn encounters(record: &PatientRecord) -> Vec<EncounterRow> {
    let mut rows: Vec<EncounterRow> = record
        .encounters
        .iter()
        .filter(|e| !matches!(e.status.as_deref(), Some("entered-in-error" | "cancelled")))
        .map(|e| {
            let start = e.period.as_ref().and_then(|p| p.start.clone());
            let end = e.period.as_ref().and_then(|p| p.end.as_deref());
            let start_day = show_date(start.as_deref());
            let end_day = show_date(end);
            let clinician = e
                .participant
                .iter()
                .find_map(|p| who(record, p.individual.as_ref()))
                .unwrap_or_else(|| NOT_KNOWN.to_owned());
            let location = e
                .location
                .iter()
                .find_map(|l| who(record, l.location.as_ref()))
                .or_else(|| who(record, e.service_provider.as_ref()))
                .unwrap_or_else(|| NOT_KNOWN.to_owned());
            EncounterRow {
                id: e.id.clone(),
                ids: source_ids("Encounter", e.id.as_ref()),
                date: show_date_time(start.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
                date_iso: start.clone(),
                end: end_day.filter(|d| Some(d) != start_day.as_ref()),
                class: class_words(
                    e.class.as_ref().and_then(|c| c.code.as_deref()),
                    e.class.as_ref().and_then(|c| c.display.as_deref()),
                ),
                kind: labels(&e.type_)
                    .or_else(|| {
                        e.service_type
                            .as_ref()
                            .and_then(|s| s.label())
                            .map(str::to_owned)
                    })
                    .unwrap_or_else(|| NOT_KNOWN.to_owned()),
                reason: labels(&e.reason_code),
                clinician,
                location,
                status: e
                    .status
                    .as_deref()
                    .map(words)
                    .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        sort_key(b.date_iso.as_deref())
            .cmp(&sort_key(a.date_iso.as_deref()))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}
