//! The medication list: current first, each with its sig, start date and prescriber.
//! Orders (MedicationRequest) and statements (MedicationStatement: what the patient or a
//! record says is taken) are listed together, an order and a statement of the same
//! medicine over the same time as one row that says both (`med_statements`). The drug
//! name comes from the resource's code, or from the Medication it references whether that
//! was included, contained or read separately (`drug`).

use serde::Serialize;

use super::codes::{labels, words};
use super::date::{show_date, sort_key};
use super::drug::{drug_codes, drug_name};
use super::format::{NOT_KNOWN, quantity};
use super::med_statements::{self, Taken};
use super::person::practitioner_name;
use super::sig::sig_all;
use crate::fhir::model::{CodeableConcept, MedicationRequest, Reference, non_empty};
use crate::fhir::record::PatientRecord;

pub use super::med_statements::{MedicationsStated, NoMedications};

/// Where a medication row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MedKind {
    /// An order (MedicationRequest).
    Request,
    /// A statement (MedicationStatement): reported by the patient, a relative or a
    /// record, not ordered here.
    Statement,
    /// An order and a statement of the same medicine over the same time.
    RequestAndStatement,
}

/// One medication, as shown in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MedRow {
    pub id: Option<String>,
    pub name: String,
    /// How to take it, or "Not known".
    pub sig: String,
    /// `Active`, `On hold`, `Stopped`, `Completed`, `Cancelled`, `Draft`, `Not taken`,
    /// `Intended`, `Unknown`.
    pub status: String,
    /// Active and on-hold medications: the ones a clinician must reconcile.
    pub current: bool,
    /// `14-Jul-2024`, or "Not known".
    pub start: String,
    pub start_iso: Option<String>,
    /// The prescriber's name, or "Not known".
    pub prescriber: String,
    /// What it is for: the order's reason codes and the Conditions or Observations it
    /// names, resolved to their names.
    pub reason: Option<String>,
    /// Refills allowed, e.g. `3`.
    pub refills: Option<u32>,
    /// The quantity to dispense, e.g. `60 tablet`.
    pub quantity: Option<String>,
    /// `order`, `plan`, `proposal`...
    pub intent: Option<String>,
    /// Whether the drug name had to come from an unresolved reference's display text.
    pub unresolved_reference: bool,
    /// An order, a statement, or both.
    pub kind: MedKind,
    /// Reported rather than ordered here: a statement, or an order marked
    /// `reportedBoolean` / `reportedReference`.
    pub reported: bool,
    /// `Type/id` of the resources the row was built from.
    pub ids: Vec<String>,
}

impl MedRow {
    /// Where the row comes from, in words: `Order`, `Reported order`, `Statement`,
    /// `Order + statement`.
    pub fn source(&self) -> &'static str {
        match (self.kind, self.reported) {
            (MedKind::Request, false) => "Order",
            (MedKind::Request, true) => "Reported order",
            (MedKind::Statement, _) => "Statement",
            (MedKind::RequestAndStatement, _) => "Order + statement",
        }
    }
}

/// Build the medication list from a record: current ones first, then the rest, newest
/// first within each. Entered-in-error orders and statements are left out.
pub fn medications(record: &PatientRecord) -> Vec<MedRow> {
    let orders: Vec<(MedRow, Taken)> = record
        .medication_requests
        .iter()
        .filter(|r| r.status.as_deref() != Some("entered-in-error"))
        .map(|r| (row(record, r), taken(record, r)))
        .collect();
    let mut rows = med_statements::merge(orders, med_statements::rows(record));
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
    let (name, unresolved) = drug_name(
        r.medication_codeable_concept.as_ref(),
        r.medication_reference.as_ref(),
        medication.as_ref(),
    );
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
        reason: reasons(record, &r.reason_code, &r.reason_reference),
        refills: dispense.and_then(|d| d.number_of_repeats_allowed),
        quantity: dispense.and_then(|d| d.quantity.as_ref()).map(quantity),
        intent: r.intent.clone(),
        unresolved_reference: unresolved,
        kind: MedKind::Request,
        reported: r.reported_boolean == Some(true) || r.reported_reference.is_some(),
        ids: r
            .id
            .iter()
            .map(|id| format!("MedicationRequest/{id}"))
            .collect(),
    }
}

/// The medicine and time span of an order, to match it with statements: from its
/// authoring (or validity) date to the end of its validity; an order no longer current
/// with no end is taken to have ended when it was written.
fn taken(record: &PatientRecord, r: &MedicationRequest) -> Taken {
    let validity = r
        .dispense_request
        .as_ref()
        .and_then(|d| d.validity_period.as_ref());
    let start = r
        .authored_on
        .clone()
        .or_else(|| validity.and_then(|v| v.start.clone()));
    let current = matches!(r.status.as_deref(), Some("active" | "on-hold" | "draft"));
    let end = validity
        .and_then(|v| v.end.clone())
        .or_else(|| (!current).then(|| start.clone()).flatten());
    let medication = record.medication_for(r);
    Taken::new(
        drug_codes(r.medication_codeable_concept.as_ref(), medication.as_ref()),
        start.as_deref(),
        end.as_deref(),
    )
}

/// What a medicine is for: reason codes, and the Conditions or Observations named, by
/// their own name when the record holds them, else by the reference's display.
pub(super) fn reasons(
    record: &PatientRecord,
    codes: &[CodeableConcept],
    references: &[Reference],
) -> Option<String> {
    let named = references.iter().filter_map(|r| {
        let id_of = |key: &str, ty: &str| key.strip_prefix(ty).map(str::to_owned);
        let key = r.local_key();
        let resolved = key.as_deref().and_then(|k| {
            let code = if let Some(id) = id_of(k, "Condition/") {
                let c = record
                    .conditions
                    .iter()
                    .find(|c| c.id.as_ref() == Some(&id))?;
                c.code.as_ref()
            } else {
                let id = id_of(k, "Observation/")?;
                let o = record
                    .observations
                    .iter()
                    .find(|o| o.id.as_ref() == Some(&id))?;
                o.code.as_ref()
            };
            code?.label().map(|l| l.trim().to_owned())
        });
        resolved.or_else(|| non_empty(r.display.as_deref()).map(|d| d.trim().to_owned()))
    });
    let all: Vec<String> = labels(codes).into_iter().chain(named).collect();
    (!all.is_empty()).then(|| all.join(", "))
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
