//! "Not known" stated on purpose: the IPS absent/unknown codes (`no-problem-info`,
//! `no-known-allergies`, …) and the sections an IPS document leaves empty with an
//! `emptyReason`. A resource coded "no information about problems" is not a problem, and
//! "no information" is not "none recorded": both read as what they are, in every section.

use serde::Serialize;

use crate::fhir::PatientRecord;
use crate::fhir::model::CodeableConcept;

/// The IPS absent/unknown code system.
pub const IPS_ABSENT_UNKNOWN: &str = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips";

/// What an absent/unknown code says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Absence {
    /// No information is available (`no-problem-info`, `no-medication-info`, …).
    NotKnown,
    /// It is known that there are none (`no-known-problems`, `no-known-medications`, …).
    NoneKnown,
}

/// What a code says about absence, if it is an IPS absent/unknown code (by its system, or
/// by a code spelled as one of them).
pub fn absence(code: Option<&CodeableConcept>) -> Option<Absence> {
    code?.coding.iter().find_map(|c| {
        let value = c.code.as_deref()?.trim();
        let ips = c.system.as_deref() == Some(IPS_ABSENT_UNKNOWN);
        if value.starts_with("no-") && value.ends_with("-info") {
            Some(Absence::NotKnown)
        } else if value.starts_with("no-known-") {
            Some(Absence::NoneKnown)
        } else if ips {
            Some(Absence::NotKnown)
        } else {
            None
        }
    })
}

/// A section-level statement in place of rows: "Problems not known", "No known problems".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub absence: Absence,
    /// The words to show: `Problems not known (IPS: no information)`.
    pub text: String,
    /// `Type/id` of the resources that said so (none for a document's empty section).
    pub ids: Vec<String>,
}

/// The statement for a section (`what` is its plural noun, e.g. "problems"), from the
/// absent/unknown resources found in it and the document's empty section with `loinc`.
/// "Not known" wins over "none known" when both are said.
pub fn statement(
    record: &PatientRecord,
    what: &str,
    loinc: &str,
    found: Vec<(Absence, String)>,
) -> Option<Statement> {
    let empty = record
        .empty_sections
        .iter()
        .find(|e| e.code.as_deref() == Some(loinc));
    if found.is_empty() && empty.is_none() {
        return None;
    }
    let absence = if empty.is_some() || found.iter().any(|(a, _)| *a == Absence::NotKnown) {
        Absence::NotKnown
    } else {
        Absence::NoneKnown
    };
    let mut word = what.to_owned();
    if let Some(first) = word.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let text = match (absence, empty) {
        (Absence::NotKnown, Some(e)) => format!("{word} not known (document: {})", e.reason),
        (Absence::NotKnown, None) => format!("{word} not known (recorded as no information)"),
        (Absence::NoneKnown, _) => format!("No known {what} (recorded)"),
    };
    Some(Statement {
        absence,
        text,
        ids: found.into_iter().map(|(_, id)| id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(json: &str) -> CodeableConcept {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn ips_codes_say_not_known_or_none_known() {
        let info = concept(
            r#"{"coding":[{"system":"http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips","code":"no-problem-info"}]}"#,
        );
        assert_eq!(absence(Some(&info)), Some(Absence::NotKnown));
        let none = concept(r#"{"coding":[{"code":"no-known-medications"}]}"#);
        assert_eq!(absence(Some(&none)), Some(Absence::NoneKnown));
        assert_eq!(absence(Some(&concept(r#"{"text":"Asthma"}"#))), None);
        let record = PatientRecord::default();
        let s = statement(
            &record,
            "problems",
            "11450-4",
            vec![(Absence::NotKnown, "Condition/c".into())],
        )
        .unwrap();
        assert_eq!(s.text, "Problems not known (recorded as no information)");
        assert_eq!(statement(&record, "problems", "11450-4", vec![]), None);
    }
}
