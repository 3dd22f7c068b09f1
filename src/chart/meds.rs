//! The medication list: active first, each with its sig, start date and prescriber. The
//! drug name comes from the request's code, or from the Medication it references whether
//! that was included, contained or read separately.

use serde::Serialize;

use super::codes::{labels, words};
use super::date::{show_date, sort_key};
use super::format::{NOT_KNOWN, quantity, ratio};
use super::person::practitioner_name;
use super::sig::sig_all;
use crate::fhir::model::{Medication, MedicationRequest, non_empty};
use crate::fhir::record::PatientRecord;

/// One medication order, as shown in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedRow {
    pub id: Option<String>,
    pub name: String,
    /// How to take it, or "Not known".
    pub sig: String,
    /// `Active`, `On hold`, `Stopped`, `Completed`, `Cancelled`, `Draft`, `Unknown`.
    pub status: String,
    /// Active and on-hold orders: the ones a clinician must reconcile.
    pub current: bool,
    /// `14-Jul-2024`, or "Not known".
    pub start: String,
    pub start_iso: Option<String>,
    /// The prescriber's name, or "Not known".
    pub prescriber: String,
    pub reason: Option<String>,
    /// Refills allowed, e.g. `3`.
    pub refills: Option<u32>,
    /// The quantity to dispense, e.g. `60 tablet`.
    pub quantity: Option<String>,
    /// `order`, `plan`, `proposal`...
    pub intent: Option<String>,
    /// Whether the drug name had to come from an unresolved reference's display text.
    pub unresolved_reference: bool,
}

/// Build the medication list from a record: current orders first, then the rest, newest
/// first within each. Entered-in-error orders are left out.
pub fn medications(record: &PatientRecord) -> Vec<MedRow> {
    let mut rows: Vec<MedRow> = record
        .medication_requests
        .iter()
        .filter(|r| r.status.as_deref() != Some("entered-in-error"))
        .map(|r| row(record, r))
        .collect();
    rows.sort_by(|a, b| {
        b.current
            .cmp(&a.current)
            .then(status_rank(&a.status).cmp(&status_rank(&b.status)))
            .then(sort_key(b.start_iso.as_deref()).cmp(&sort_key(a.start_iso.as_deref())))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

fn status_rank(status: &str) -> u8 {
    match status {
        "Active" => 0,
        "On hold" => 1,
        "Draft" => 2,
        _ => 3,
    }
}

fn row(record: &PatientRecord, r: &MedicationRequest) -> MedRow {
    let medication = record.medication_for(r);
    let (name, unresolved) = drug_name(r, medication.as_ref());
    let status = r.status.as_deref().map(str::trim).unwrap_or("unknown");
    let prescriber = r
        .requester
        .as_ref()
        .and_then(|req| {
            non_empty(req.display.as_deref())
                .map(|d| d.trim().to_owned())
                .or_else(|| {
                    let key = req.local_key()?;
                    record.practitioners.get(&key).and_then(practitioner_name)
                })
                .or_else(|| {
                    let key = req.local_key()?;
                    record.organizations.get(&key)?.display().map(str::to_owned)
                })
        })
        .unwrap_or_else(|| NOT_KNOWN.to_owned());
    let dispense = r.dispense_request.as_ref();
    MedRow {
        id: r.id.clone(),
        name,
        sig: sig_all(&r.dosage_instruction).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        status: words(status),
        current: matches!(status, "active" | "on-hold"),
        start: show_date(r.authored_on.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        start_iso: r.authored_on.clone(),
        prescriber,
        reason: labels(&r.reason_code),
        refills: dispense.and_then(|d| d.number_of_repeats_allowed),
        quantity: dispense.and_then(|d| d.quantity.as_ref()).map(quantity),
        intent: r.intent.clone(),
        unresolved_reference: unresolved,
    }
}

/// The drug name and whether it came only from an unresolved reference's display.
fn drug_name(r: &MedicationRequest, medication: Option<&Medication>) -> (String, bool) {
    if let Some(label) = r
        .medication_codeable_concept
        .as_ref()
        .and_then(|c| c.label())
    {
        return (label.trim().to_owned(), false);
    }
    if let Some(m) = medication {
        if let Some(label) = m.code.as_ref().and_then(|c| c.label()) {
            return (label.trim().to_owned(), false);
        }
        // No code: build the name from the ingredients and their strengths.
        let parts: Vec<String> = m
            .ingredient
            .iter()
            .filter_map(|i| {
                let item = i
                    .item_codeable_concept
                    .as_ref()
                    .and_then(|c| c.label())
                    .map(str::to_owned)
                    .or_else(|| i.item_reference.as_ref().and_then(|r| r.display.clone()))?;
                Some(match i.strength.as_ref().and_then(ratio) {
                    Some(s) => format!("{} {s}", item.trim()),
                    None => item.trim().to_owned(),
                })
            })
            .collect();
        if !parts.is_empty() {
            let form = m
                .form
                .as_ref()
                .and_then(|f| f.label())
                .map(|f| format!(" {}", f.trim().to_lowercase()));
            return (
                format!("{}{}", parts.join(" / "), form.unwrap_or_default()),
                false,
            );
        }
    }
    if let Some(display) = r
        .medication_reference
        .as_ref()
        .and_then(|m| non_empty(m.display.as_deref()))
    {
        return (display.trim().to_owned(), medication.is_none());
    }
    ("Medication not known".to_owned(), true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::record::RecordBuilder;
    use serde_json::json;

    #[test]
    fn active_first_with_sig_and_prescriber() {
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        let subject = json!({"reference":"Patient/p"});
        b.add(json!({"resourceType":"MedicationRequest","id":"old","status":"stopped","subject":subject,
            "authoredOn":"2023-01-15","medicationCodeableConcept":{"text":"Atorvastatin 40 mg"}}));
        b.add(json!({"resourceType":"MedicationRequest","id":"new","status":"active","subject":subject,
            "authoredOn":"2024-03-02","medicationReference":{"reference":"Medication/m1"},
            "requester":{"reference":"Practitioner/dr"},
            "dosageInstruction":[{"text":"Take 1 tablet by mouth twice daily with meals"}]}));
        b.add(json!({"resourceType":"MedicationRequest","id":"gone","status":"entered-in-error","subject":subject}));
        b.add(json!({"resourceType":"MedicationRequest","id":"ref","status":"active","subject":subject,
            "medicationReference":{"reference":"Medication/missing","display":"Vitamin D3 1000 unit capsule"}}));
        b.add(json!({"resourceType":"Medication","id":"m1","code":{"text":"Metformin 500 mg tablet"}}));
        b.add(json!({"resourceType":"Practitioner","id":"dr","name":[{"family":"Okafor","given":["Imani"],"prefix":["Dr."]}]}));
        let rows = medications(&b.finish());
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Metformin 500 mg tablet",
                "Vitamin D3 1000 unit capsule",
                "Atorvastatin 40 mg"
            ]
        );
        assert_eq!(rows[0].sig, "Take 1 tablet by mouth twice daily with meals");
        assert_eq!(rows[0].prescriber, "Dr. Imani Okafor");
        assert_eq!(rows[0].start, "02-Mar-2024");
        assert!(rows[1].unresolved_reference);
        assert_eq!(rows[1].sig, "Not known");
        assert_eq!(rows[1].start, "Not known");
        assert_eq!(rows[2].status, "Stopped");
        assert!(!rows[2].current);
    }
}
