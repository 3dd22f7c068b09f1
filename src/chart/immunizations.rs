//! Immunizations, newest first: vaccine, date, dose and lot; a vaccine not given is kept
//! and says why. An IPS "no information about immunizations" (absent/unknown code) reads
//! as what it is, not as a vaccine; a placeholder dose of `0 unknown` reads "Not known".
//! Pure functions of the record; no I/O.

use serde::Serialize;

use super::absent::{Absence, absence};
use super::codes::{label_or, source_ids, words};
use super::date::{show_date, sort_key};
use super::format::{NOT_KNOWN, quantity};
use crate::fhir::model::{Immunization, non_empty};
use crate::fhir::record::PatientRecord;

/// One immunization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImmunizationRow {
    pub id: Option<String>,
    /// `Type/id` of the resource it was built from.
    pub ids: Vec<String>,
    pub vaccine: String,
    pub date: String,
    pub date_iso: Option<String>,
    /// `Completed`, or `Not done` with the reason.
    pub status: String,
    pub given: bool,
    pub dose: Option<String>,
    /// Dose number in the series, e.g. `5`.
    pub dose_number: Option<String>,
    pub lot: Option<String>,
    pub site: Option<String>,
    pub route: Option<String>,
}

/// The immunizations of a record, newest first. Entered-in-error ones are left out.
pub fn immunizations(record: &PatientRecord) -> Vec<ImmunizationRow> {
    let mut rows: Vec<ImmunizationRow> = record
        .immunizations
        .iter()
        .filter(|i| !matches!(i.status.as_deref().map(str::trim), Some("entered-in-error")))
        .map(immunization)
        .collect();
    rows.sort_by(|a, b| {
        sort_key(b.date_iso.as_deref())
            .cmp(&sort_key(a.date_iso.as_deref()))
            .then_with(|| a.vaccine.cmp(&b.vaccine))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// One immunization as listed; one not given says why.
fn immunization(i: &Immunization) -> ImmunizationRow {
    let given = i.status.as_deref() != Some("not-done");
    let status = if given {
        i.status
            .as_deref()
            .map(words)
            .unwrap_or_else(|| NOT_KNOWN.to_owned())
    } else {
        match i.status_reason.as_ref().and_then(|r| r.label()) {
            Some(reason) => format!("Not done ({})", reason.trim()),
            None => "Not done".to_owned(),
        }
    };
    let date_iso = i.occurrence_date_time.clone();
    let absent = absence(i.vaccine_code.as_ref());
    let (vaccine, status) = match absent {
        Some(Absence::NotKnown) => (
            "Immunizations not known".to_owned(),
            "No information".to_owned(),
        ),
        Some(Absence::NoneKnown) => ("No known immunizations".to_owned(), "Recorded".to_owned()),
        None => (
            label_or(i.vaccine_code.as_ref(), "Vaccine not named"),
            status,
        ),
    };
    ImmunizationRow {
        id: i.id.clone(),
        ids: source_ids("Immunization", i.id.as_ref()),
        vaccine,
        date: show_date(date_iso.as_deref())
            .or_else(|| i.occurrence_string.as_deref().map(|s| s.trim().to_owned()))
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        date_iso,
        status,
        given: given && absent.is_none(),
        dose: i.dose_quantity.as_ref().map(quantity),
        dose_number: i.protocol_applied.iter().find_map(|p| {
            p.dose_number_positive_int
                .map(|n| n.to_string())
                .or_else(|| p.dose_number_string.clone())
        }),
        lot: i
            .lot_number
            .as_deref()
            .and_then(|l| non_empty(Some(l)))
            .map(|l| l.trim().to_owned()),
        site: i
            .site
            .as_ref()
            .and_then(|s| s.label())
            .map(|s| s.trim().to_owned()),
        route: i
            .route
            .as_ref()
            .and_then(|s| s.label())
            .map(|s| s.trim().to_owned()),
    }
}
