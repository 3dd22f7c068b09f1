//! Medication statements (MedicationStatement): medicines the patient, a relative or
//! another record says are taken, the way International Patient Summaries and many
//! exports list current medicines. They are listed with the orders, marked as
//! statements; an order and a statement of the same medicine (a code in common, or the
//! same name when either has no code) over overlapping times become one row that says
//! both. A statement coded "no information about medications" (IPS absent/unknown codes)
//! is no medicine: it makes the list read "Medications not known".

use chrono::NaiveDate;
use serde::Serialize;

use super::codes::words;
use super::date::{FhirDate, show_date};
use super::drug::{drug_codes, drug_name};
use super::format::NOT_KNOWN;
use super::meds::{MedKind, MedRow, reasons};
use super::sig::sig_all;
use crate::fhir::model::MedicationStatement;
use crate::fhir::record::PatientRecord;

/// The IPS code system for "no information" and "none known" entries.
const ABSENT_UNKNOWN: &str = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips";

/// What a record says when it lists no medicine on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicationsStated {
    /// "No information about medications": the list is not known, not empty.
    NotKnown,
    /// "No known medications": the patient takes none.
    NoneKnown,
}

/// A statement that there is no medicine to list, or no information about any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoMedications {
    pub stated: MedicationsStated,
    /// `Medications not known`, `No known medications`.
    pub text: String,
    /// `Type/id` of the statements that say so.
    pub ids: Vec<String>,
}

/// A medicine and the time it was (or is) taken, to tell an order and a statement of the
/// same thing apart from two different ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    codes: Vec<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl Taken {
    /// `codes` as `system|code`; `start` and `end` FHIR dates (missing: open).
    pub fn new(codes: Vec<String>, start: Option<&str>, end: Option<&str>) -> Taken {
        let day = |s: Option<&str>| s.and_then(FhirDate::parse).map(|d| d.first_day());
        Taken {
            codes,
            from: day(start),
            to: day(end),
        }
    }

    /// Whether both are the same medicine (`a_name`, `b_name` when either has no code) at
    /// overlapping times.
    fn matches(&self, a_name: &str, other: &Taken, b_name: &str) -> bool {
        let same = if self.codes.is_empty() || other.codes.is_empty() {
            a_name.trim().eq_ignore_ascii_case(b_name.trim())
        } else {
            self.codes.iter().any(|c| other.codes.contains(c))
        };
        let before = |end: Option<NaiveDate>, start: Option<NaiveDate>| match (end, start) {
            (Some(e), Some(s)) => e < s,
            _ => false,
        };
        same && !before(self.to, other.from) && !before(other.to, self.from)
    }
}

/// Whether a statement is an IPS "no information" or "none known" entry, and which.
fn stated(s: &MedicationStatement) -> Option<MedicationsStated> {
    let concept = s.medication_codeable_concept.as_ref()?;
    match concept.code_in(ABSENT_UNKNOWN)?.trim() {
        "no-known-medications" => Some(MedicationsStated::NoneKnown),
        _ => Some(MedicationsStated::NotKnown),
    }
}

/// The LOINC code of a patient summary's medication section.
const MEDICATION_SECTION: &str = "10160-0";

/// The statements that list no medicine on purpose, when there are any (not known wins
/// over none known: one source not knowing is enough to not know), or a document's
/// medication section left empty with a reason.
pub fn no_medications(record: &PatientRecord) -> Option<NoMedications> {
    let said: Vec<(MedicationsStated, String)> = shown(record)
        .filter_map(|s| Some((stated(s)?, s.id.clone().unwrap_or_default())))
        .collect();
    // A patient summary document whose medication section (LOINC 10160-0) is empty on
    // purpose says the same: medicines are not known, which is not "none".
    let empty = record
        .empty_sections
        .iter()
        .find(|e| e.code.as_deref() == Some(MEDICATION_SECTION));
    let not_known = empty.is_some() || said.iter().any(|(k, _)| *k == MedicationsStated::NotKnown);
    let (stated, text) = match (said.is_empty() && empty.is_none(), not_known, empty) {
        (true, _, _) => return None,
        (false, true, Some(e)) => (
            MedicationsStated::NotKnown,
            format!("Medications not known (document: {})", e.reason),
        ),
        (false, true, None) => (MedicationsStated::NotKnown, "Medications not known".into()),
        (false, false, _) => (MedicationsStated::NoneKnown, "No known medications".into()),
    };
    Some(NoMedications {
        stated,
        text,
        ids: said
            .into_iter()
            .map(|(_, id)| format!("MedicationStatement/{id}"))
            .collect(),
    })
}

/// The statements to show at all (not entered in error).
fn shown(record: &PatientRecord) -> impl Iterator<Item = &MedicationStatement> {
    record
        .medication_statements
        .iter()
        .filter(|s| s.status.as_deref() != Some("entered-in-error"))
}

/// The statements that name a medicine, as rows with what they are matched by.
pub fn rows(record: &PatientRecord) -> Vec<(MedRow, Taken)> {
    shown(record)
        .filter(|s| stated(s).is_none())
        .map(|s| (row(record, s), taken(record, s)))
        .collect()
}

fn start_of(s: &MedicationStatement) -> Option<String> {
    s.effective_period
        .as_ref()
        .and_then(|p| p.start.clone())
        .or_else(|| s.effective_date_time.clone())
        .or_else(|| s.date_asserted.clone())
}

fn row(record: &PatientRecord, s: &MedicationStatement) -> MedRow {
    let medication = record.statement_medication(s);
    let (name, unresolved) = drug_name(
        s.medication_codeable_concept.as_ref(),
        s.medication_reference.as_ref(),
        medication.as_ref(),
    );
    let status = s.status.as_deref().map(str::trim).unwrap_or("unknown");
    let start_iso = start_of(s);
    MedRow {
        id: s.id.clone(),
        name,
        sig: sig_all(&s.dosage).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        status: words(status),
        current: matches!(status, "active" | "on-hold"),
        start: show_date(start_iso.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        start_iso,
        prescriber: NOT_KNOWN.to_owned(),
        reason: reasons(record, &s.reason_code, &s.reason_reference),
        refills: None,
        quantity: None,
        intent: None,
        unresolved_reference: unresolved,
        kind: MedKind::Statement,
        reported: true,
        ids: s
            .id
            .iter()
            .map(|id| format!("MedicationStatement/{id}"))
            .collect(),
    }
}

/// The span of a statement: its effective period (or time, or the date it was said); a
/// statement no longer current with no end is taken to have ended when it began.
fn taken(record: &PatientRecord, s: &MedicationStatement) -> Taken {
    let start = start_of(s);
    let current = matches!(s.status.as_deref(), Some("active" | "on-hold" | "intended"));
    let end = s
        .effective_period
        .as_ref()
        .and_then(|p| p.end.clone())
        .or_else(|| (!current).then(|| start.clone()).flatten());
    let medication = record.statement_medication(s);
    Taken::new(
        drug_codes(s.medication_codeable_concept.as_ref(), medication.as_ref()),
        start.as_deref(),
        end.as_deref(),
    )
}

/// Orders and statements as one list: each statement that matches an order not yet
/// matched joins that order's row (which then says both, and takes the statement's sig
/// when it had none); the others are rows of their own.
pub fn merge(orders: Vec<(MedRow, Taken)>, statements: Vec<(MedRow, Taken)>) -> Vec<MedRow> {
    let mut rows: Vec<(MedRow, Taken, bool)> =
        orders.into_iter().map(|(r, t)| (r, t, false)).collect();
    for (s, st) in statements {
        let found = rows
            .iter_mut()
            .find(|(r, t, joined)| !*joined && t.matches(&r.name, &st, &s.name));
        match found {
            Some((r, _, joined)) => {
                *joined = true;
                r.kind = MedKind::RequestAndStatement;
                r.reported = true;
                r.ids.extend(s.ids);
                if r.sig == NOT_KNOWN {
                    r.sig = s.sig;
                }
                if r.reason.is_none() {
                    r.reason = s.reason;
                }
            }
            None => rows.push((s, st, true)),
        }
    }
    rows.into_iter().map(|(r, _, _)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::meds::medications;
    use crate::fhir::record::RecordBuilder;
    use serde_json::json;

    fn record(resources: Vec<serde_json::Value>) -> PatientRecord {
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        for r in resources {
            b.add(r);
        }
        b.finish()
    }

    fn rx(code: &str) -> serde_json::Value {
        json!({"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":code}],
            "text":format!("Drug {code}")})
    }

    #[test]
    fn statements_are_listed_and_marked_and_merged_with_the_same_order() {
        let s = json!({"reference":"Patient/p"});
        let rows = medications(&record(vec![
            json!({"resourceType":"MedicationRequest","id":"o1","status":"active","subject":s,
                "authoredOn":"2024-01-10","medicationCodeableConcept":rx("1")}),
            json!({"resourceType":"MedicationStatement","id":"s1","status":"active","subject":s,
                "effectivePeriod":{"start":"2023-05"},"medicationCodeableConcept":rx("1"),
                "dosage":[{"text":"one a day"}]}),
            json!({"resourceType":"MedicationStatement","id":"s2","status":"active","subject":s,
                "medicationReference":{"reference":"#m"},
                "contained":[{"resourceType":"Medication","id":"m","code":{"text":"Black cohosh"}}]}),
            json!({"resourceType":"MedicationStatement","id":"s3","status":"not-taken","subject":s,
                "medicationCodeableConcept":rx("2")}),
            json!({"resourceType":"MedicationStatement","id":"s4","status":"completed","subject":s,
                "effectiveDateTime":"2019-02-01","medicationCodeableConcept":rx("3")}),
            json!({"resourceType":"MedicationRequest","id":"o3","status":"active","subject":s,
                "authoredOn":"2025-01-01","medicationCodeableConcept":rx("3"),
                "reportedBoolean":true}),
            json!({"resourceType":"MedicationStatement","id":"s5","status":"entered-in-error",
                "subject":s,"medicationCodeableConcept":rx("4")}),
        ]));
        let seen: Vec<(&str, &str, MedKind, bool)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.status.as_str(), r.kind, r.reported))
            .collect();
        assert_eq!(
            seen,
            [
                ("Drug 3", "Active", MedKind::Request, true),
                ("Drug 1", "Active", MedKind::RequestAndStatement, true),
                ("Black cohosh", "Active", MedKind::Statement, true),
                ("Drug 3", "Completed", MedKind::Statement, true),
                ("Drug 2", "Not taken", MedKind::Statement, true),
            ]
        );
        let both = &rows[1];
        assert_eq!(both.ids, ["MedicationRequest/o1", "MedicationStatement/s1"]);
        assert_eq!(both.sig, "one a day");
        assert_eq!(both.source(), "Order + statement");
        assert_eq!(rows[0].source(), "Reported order");
        assert!(!rows[4].current);
    }

    #[test]
    fn ips_no_information_reads_not_known() {
        let none = |code: &str| {
            record(vec![
                json!({"resourceType":"MedicationStatement","id":"x","status":"unknown",
                "subject":{"reference":"Patient/p"},
                "medicationCodeableConcept":{"coding":[{"system":ABSENT_UNKNOWN,"code":code}]}}),
            ])
        };
        let r = none("no-medication-info");
        assert!(medications(&r).is_empty());
        let said = no_medications(&r).unwrap();
        assert_eq!(said.text, "Medications not known");
        assert_eq!(said.ids, ["MedicationStatement/x"]);
        assert_eq!(
            no_medications(&none("no-known-medications"))
                .unwrap()
                .stated,
            MedicationsStated::NoneKnown
        );
        assert_eq!(no_medications(&record(vec![])), None);
    }
}
