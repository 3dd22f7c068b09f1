//! What a clinician writes, made into FHIR R4 resources (US Core) and checked before it is
//! kept: a clinical note (`note`: a DocumentReference, its editor template, corrections
//! and retraction), vital signs (`vitals`: parsed as typed, with units; `check`: the three
//! tiers of validation; `observations`: the vital-sign Observations), and "no known
//! allergies" (`nka`). Pure functions: no I/O, no clock (the caller passes the time), no
//! network; the outbox sends what is made here.

pub mod check;
pub mod nka;
pub mod note;
pub mod observations;
pub mod prepare;
pub mod vitals;

use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};

use crate::fhir::ClientId;

/// What every resource written for a patient needs: who, by whom, when, in which visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub patient_id: String,
    /// The author or performer, `Practitioner/ID` (the signed-in `fhirUser`, or the
    /// profile's `author`); `None` when the sign-in names no one.
    pub author: Option<String>,
    /// The visit, `Encounter/ID`.
    pub encounter: Option<String>,
    /// Now, with the clinic's UTC offset (FHIR dateTimes carry it).
    pub now: DateTime<FixedOffset>,
}

impl Context {
    fn subject(&self) -> Value {
        json!({"reference": format!("Patient/{}", self.patient_id)})
    }

    fn author_refs(&self) -> Vec<Value> {
        self.author
            .iter()
            .map(|a| json!({"reference": a}))
            .collect()
    }

    fn encounter_ref(&self) -> Option<Value> {
        self.encounter.as_ref().map(|e| json!({"reference": e}))
    }
}

/// A FHIR dateTime with its offset, to the second: `2026-11-22T09:30:00-06:00`.
pub fn date_time(t: &DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// `{"system":…,"code":…,"display":…}`.
fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({"system": system, "code": code, "display": display})
}

/// The resource's `identifier` list: the client identifier.
fn identifiers(id: &ClientId) -> Value {
    json!([id.to_json()])
}

/// `Encounter/ID` for an id given bare or as a reference.
pub fn encounter_reference(id: &str) -> String {
    let id = id.trim();
    match id.strip_prefix("Encounter/") {
        Some(bare) => format!("Encounter/{bare}"),
        None => format!("Encounter/{id}"),
    }
}

pub(crate) const LOINC: &str = "http://loinc.org";
pub(crate) const SNOMED: &str = "http://snomed.info/sct";
pub(crate) const UCUM: &str = "http://unitsofmeasure.org";
