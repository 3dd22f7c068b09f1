//! The problem list: active problems with onset, and resolved or inactive ones kept apart.
//! Entered-in-error and refuted conditions are left out; unconfirmed ones are marked. A
//! condition with no clinical status says "Not known" (never "Active"). Encounter
//! diagnoses are listed apart from the problem list, and an IPS "no information about
//! problems" reads "Problems not known", not as a problem.

use serde::Serialize;

use super::absent::{Statement, absence, statement};
use super::codes::{label_or, source_ids, status_code, withdrawn, words};
use super::date::{show_date, sort_key};
use super::format::{NOT_KNOWN, decimal};
use crate::fhir::PatientRecord;
use crate::fhir::model::{CodeableConcept, Condition};

/// One problem as shown in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemRow {
    pub id: Option<String>,
    /// `Type/id` of every condition the row stands for (a problem recorded more than once
    /// is one row).
    pub ids: Vec<String>,
    pub name: String,
    /// `14-Jul-2010`, `Childhood`, `age 45`, or "Not known".
    pub onset: String,
    pub onset_iso: Option<String>,
    /// `Active`, `Recurrence`, `Relapse`, `Inactive`, `Remission`, `Resolved`, or "Not
    /// known" when the condition has no clinical status.
    pub status: String,
    /// `Confirmed`, `Provisional`, `Differential`, `Unconfirmed`, or "Not known".
    pub verification: String,
    /// Whether the diagnosis is not confirmed (provisional, differential, unconfirmed).
    pub unconfirmed: bool,
    /// When it resolved, for resolved problems.
    pub resolved: Option<String>,
    pub resolved_iso: Option<String>,
    /// How many times this problem was recorded (grouped by code for resolved problems).
    pub episodes: usize,
}

/// The problem list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Problems {
    /// Active problems (and those whose status is not known, not abated), newest onset
    /// first.
    pub active: Vec<ProblemRow>,
    /// Resolved and inactive problems, most recently resolved first, repeats grouped.
    pub resolved: Vec<ProblemRow>,
    /// Diagnoses made at a visit (category `encounter-diagnosis`, not also on the problem
    /// list), newest first.
    pub encounter_diagnoses: Vec<ProblemRow>,
    /// "Problems not known" or "No known problems", when the record says so (IPS
    /// absent/unknown codes, a document's empty problem section).
    pub statement: Option<Statement>,
}

/// Whether a condition is only an encounter diagnosis (not also a problem-list item).
fn encounter_diagnosis(c: &Condition) -> bool {
    let has = |code: &str| {
        c.category
            .iter()
            .any(|k: &CodeableConcept| k.has_code(code))
    };
    has("encounter-diagnosis") && !has("problem-list-item")
}

/// Build the problem list.
pub fn problems(record: &PatientRecord) -> Problems {
    let mut out = Problems::default();
    let mut absent = Vec::new();
    for c in &record.conditions {
        if let Some(a) = absence(c.code.as_ref()) {
            if !withdrawn(c.verification_status.as_ref()) {
                absent.extend(
                    source_ids("Condition", c.id.as_ref())
                        .into_iter()
                        .map(|i| (a, i)),
                );
            }
            continue;
        }
        let Some((row, is_active)) = row(c) else {
            continue;
        };
        if encounter_diagnosis(c) {
            out.encounter_diagnoses.push(row);
        } else if is_active {
            out.active.push(row);
        } else {
            out.resolved.push(row);
        }
    }
    out.active.sort_by(|a, b| {
        sort_key(b.onset_iso.as_deref())
            .cmp(&sort_key(a.onset_iso.as_deref()))
            .then_with(|| a.name.cmp(&b.name))
    });
    out.active = group(out.active);
    let when = |r: &ProblemRow| sort_key(r.resolved_iso.as_deref().or(r.onset_iso.as_deref()));
    out.resolved
        .sort_by(|a, b| when(b).cmp(&when(a)).then_with(|| a.name.cmp(&b.name)));
    out.resolved = group(out.resolved);
    out.encounter_diagnoses.sort_by(|a, b| {
        sort_key(b.onset_iso.as_deref())
            .cmp(&sort_key(a.onset_iso.as_deref()))
            .then_with(|| a.name.cmp(&b.name))
    });
    out.statement = statement(record, "problems", "11450-4", absent);
    out
}

/// One problem as listed, and whether it is active; `None` for one entered in error or
/// refuted.
fn row(c: &Condition) -> Option<(ProblemRow, bool)> {
    let verification = status_code(c.verification_status.as_ref());
    if withdrawn(c.verification_status.as_ref()) {
        return None;
    }
    let clinical = status_code(c.clinical_status.as_ref());
    let abated = c.abatement_date_time.is_some()
        || c.abatement_string.is_some()
        || c.abatement_age.is_some()
        || c.abatement_period.is_some();
    let is_active = match clinical {
        Some("active" | "recurrence" | "relapse") => true,
        Some(_) => false,
        None => !abated,
    };
    let (onset, onset_iso) = onset(c);
    let resolved_iso = c
        .abatement_date_time
        .clone()
        .or_else(|| c.abatement_period.as_ref().and_then(|p| p.end.clone()));
    let row = ProblemRow {
        id: c.id.clone(),
        ids: source_ids("Condition", c.id.as_ref()),
        name: label_or(c.code.as_ref(), "Problem not named"),
        onset,
        onset_iso,
        status: clinical.map(words).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        verification: verification
            .map(words)
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        unconfirmed: matches!(
            verification,
            Some("provisional" | "differential" | "unconfirmed")
        ),
        resolved: if is_active {
            None
        } else {
            show_date(resolved_iso.as_deref())
                .or_else(|| c.abatement_string.clone())
                .or_else(|| Some(NOT_KNOWN.to_owned()))
        },
        resolved_iso: if is_active { None } else { resolved_iso },
        episodes: 1,
    };
    Some((row, is_active))
}

/// When it began, as shown (`14-Jul-2010`, `Childhood`, `age 45`, or "Not known"), and
/// the date it began, when there is one.
fn onset(c: &Condition) -> (String, Option<String>) {
    let onset_iso = c
        .onset_date_time
        .clone()
        .or_else(|| c.onset_period.as_ref().and_then(|p| p.start.clone()));
    let onset = show_date(onset_iso.as_deref())
        .or_else(|| c.onset_string.as_deref().map(|s| s.trim().to_owned()))
        .or_else(|| {
            c.onset_age
                .as_ref()
                .and_then(|a| a.value)
                .map(|v| format!("age {}", decimal(v)))
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| NOT_KNOWN.to_owned());
    (onset, onset_iso)
}

/// Merge rows naming the same problem, keeping the first (newest) and counting the rest.
fn group(rows: Vec<ProblemRow>) -> Vec<ProblemRow> {
    let mut out: Vec<ProblemRow> = Vec::new();
    for row in rows {
        match out
            .iter_mut()
            .find(|r| r.name == row.name && r.status == row.status)
        {
            Some(existing) => {
                existing.episodes += 1;
                existing.ids.extend(row.ids);
            }
            None => out.push(row),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_active_and_resolved() {
        let list: Vec<Condition> = serde_json::from_str(
            r#"[{"code":{"text":"Hypertension"},"clinicalStatus":{"coding":[{"code":"active"}]},"onsetDateTime":"2015-09-01"},
                {"code":{"text":"Diabetes"},"clinicalStatus":{"coding":[{"code":"active"}]},"onsetDateTime":"2012-05-14"},
                {"code":{"text":"CKD 3"},"clinicalStatus":{"coding":[{"code":"active"}]},
                 "verificationStatus":{"coding":[{"code":"provisional"}]}},
                {"code":{"text":"Sinusitis"},"clinicalStatus":{"coding":[{"code":"resolved"}]},
                 "onsetDateTime":"2020-01-01","abatementDateTime":"2020-01-20"},
                {"code":{"text":"Sinusitis"},"clinicalStatus":{"coding":[{"code":"resolved"}]},
                 "onsetDateTime":"2021-01-01","abatementDateTime":"2021-01-20"},
                {"code":{"text":"Oops"},"verificationStatus":{"coding":[{"code":"entered-in-error"}]}},
                {"code":{"text":"Asthma"},"onsetString":"Childhood"}]"#,
        )
        .unwrap();
        let record = PatientRecord {
            conditions: list,
            ..PatientRecord::default()
        };
        let p = problems(&record);
        let names: Vec<&str> = p.active.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Hypertension", "Diabetes", "Asthma", "CKD 3"]);
        assert_eq!(p.active[0].onset, "01-Sep-2015");
        assert!(p.active[3].unconfirmed);
        assert_eq!(p.active[3].onset, "Not known");
        assert_eq!(p.active[2].onset, "Childhood");
        assert_eq!(p.resolved.len(), 1);
        assert_eq!(p.resolved[0].episodes, 2);
        assert_eq!(p.resolved[0].resolved.as_deref(), Some("20-Jan-2021"));
        // No clinical status: listed with the current problems, but not called active.
        assert_eq!(p.active[2].status, "Not known");
    }

    #[test]
    fn encounter_diagnoses_and_no_information_are_kept_apart() {
        let list: Vec<Condition> = serde_json::from_str(
            r#"[{"id":"d","code":{"text":"Pneumonia"},"category":[{"coding":[{"code":"encounter-diagnosis"}]}]},
                {"id":"n","code":{"coding":[{"system":"http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips","code":"no-problem-info"}]},
                 "clinicalStatus":{"coding":[{"code":"active"}]}}]"#,
        )
        .unwrap();
        let record = PatientRecord {
            conditions: list,
            ..PatientRecord::default()
        };
        let p = problems(&record);
        assert!(p.active.is_empty());
        assert_eq!(p.encounter_diagnoses[0].name, "Pneumonia");
        assert_eq!(p.encounter_diagnoses[0].status, "Not known");
        let s = p.statement.unwrap();
        assert!(s.text.starts_with("Problems not known"), "{}", s.text);
        assert_eq!(s.ids, ["Condition/n"]);
    }
}
