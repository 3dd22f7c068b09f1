//! The patient's flags (`Flag`): every one with its status, and which are posted on the
//! banner: active (status active, its period covering today), high priority from the
//! `flag-priority` extension (PH) or a safety category. Entered-in-error flags are left
//! out. The short words ("Patient immunocompromised") come from the flag's code.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use super::codes::{labels, without_semantic_tag};
use super::date::{FhirDate, show_date};
use super::person::who;
use crate::fhir::model::{CodeableConcept, Flag};
use crate::fhir::record::PatientRecord;

/// The extension that carries a flag's priority (FHIR R4 extension registry).
const PRIORITY_EXTENSION: &str = "http://hl7.org/fhir/StructureDefinition/flag-priority";

/// One flag, as the flags list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagRow {
    /// Short words: `Patient immunocompromised`.
    pub text: String,
    /// `Clinical`, `Safety`, `Advance directive`...
    pub category: Option<String>,
    /// `Active`, `Inactive`, `Expired` (its period ended), `Not yet active`.
    pub status: String,
    /// Active today: posted on the banner.
    pub active: bool,
    pub high_priority: bool,
    /// Filed as an advance directive (category `advance-directive`): posted as one.
    pub directive: bool,
    /// `01-Sep-2023`, when its period has a start.
    pub start: Option<String>,
    pub start_iso: Option<String>,
    pub end: Option<String>,
    /// Who raised it.
    pub author: Option<String>,
    /// `Type/id` of the resource.
    pub ids: Vec<String>,
}

/// The flags of a record: active ones first, high priority first among them, then by
/// start (newest first).
pub fn flags(record: &PatientRecord, today: NaiveDate) -> Vec<FlagRow> {
    let mut rows: Vec<FlagRow> = record
        .flags
        .iter()
        .filter(|f| f.status.as_deref().map(str::trim) != Some("entered-in-error"))
        .map(|f| row(record, f, today))
        .collect();
    rows.sort_by(|a, b| {
        b.active
            .cmp(&a.active)
            .then(b.high_priority.cmp(&a.high_priority))
            .then_with(|| {
                super::date::sort_key(b.start_iso.as_deref())
                    .cmp(&super::date::sort_key(a.start_iso.as_deref()))
            })
            .then_with(|| a.text.cmp(&b.text))
    });
    rows
}

fn row(record: &PatientRecord, f: &Flag, today: NaiveDate) -> FlagRow {
    let day = |s: Option<&String>| s.and_then(|s| FhirDate::parse(s)).map(|d| d.first_day());
    let period = f.period.as_ref();
    let start = period.and_then(|p| p.start.as_ref());
    let end = period.and_then(|p| p.end.as_ref());
    let status = match f.status.as_deref().map(str::trim) {
        Some("inactive") => "Inactive",
        _ if day(end).is_some_and(|e| e < today) => "Expired",
        _ if day(start).is_some_and(|s| s > today) => "Not yet active",
        // A flag with no status is shown: a missed alert costs more than an extra one.
        _ => "Active",
    };
    FlagRow {
        text: short_text(f.code.as_ref()).unwrap_or_else(|| "Flag".to_owned()),
        category: labels(&f.category),
        status: status.to_owned(),
        active: status == "Active",
        high_priority: high_priority(f),
        directive: f.category.iter().any(|c| c.has_code("advance-directive")),
        start: show_date(start.map(String::as_str)),
        start_iso: start.cloned(),
        end: show_date(end.map(String::as_str)),
        author: who(record, f.author.as_ref()),
        ids: f.id.iter().map(|id| format!("Flag/{id}")).collect(),
    }
}

/// High priority: the `flag-priority` extension says PH, or the flag is about safety.
fn high_priority(f: &Flag) -> bool {
    let by_extension = f.extension.iter().any(|e| {
        e.get("url").and_then(Value::as_str) == Some(PRIORITY_EXTENSION)
            && e.get("valueCodeableConcept")
                .and_then(|c| serde_json::from_value::<CodeableConcept>(c.clone()).ok())
                .is_some_and(|c| c.has_code("PH"))
    });
    by_extension || f.category.iter().any(|c| c.has_code("safety"))
}

/// A concept's words without a SNOMED semantic tag: "Patient immunocompromised
/// (finding)" reads "Patient immunocompromised".
pub fn short_text(c: Option<&CodeableConcept>) -> Option<String> {
    Some(without_semantic_tag(c?.label()?).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::record::RecordBuilder;
    use serde_json::json;

    #[test]
    fn active_flags_first_with_priority_and_expired_ones_told_apart() {
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        let s = json!({"reference":"Patient/p"});
        b.add(
            json!({"resourceType":"Flag","id":"hi","status":"active","subject":s,
            "extension":[{"url":PRIORITY_EXTENSION,
                "valueCodeableConcept":{"coding":[{"code":"PH"}]}}],
            "code":{"coding":[{"display":"Patient immunocompromised (finding)"}]}}),
        );
        b.add(
            json!({"resourceType":"Flag","id":"old","status":"active","subject":s,
            "period":{"start":"2020-01-01","end":"2021-01-01"},"code":{"text":"Fall risk"}}),
        );
        b.add(
            json!({"resourceType":"Flag","id":"off","status":"inactive","subject":s,
            "code":{"text":"MRSA"}}),
        );
        b.add(
            json!({"resourceType":"Flag","id":"soon","status":"active","subject":s,
            "period":{"start":"2027-01-01"},"code":{"text":"Later"}}),
        );
        b.add(
            json!({"resourceType":"Flag","id":"lo","status":"active","subject":s,
            "category":[{"coding":[{"code":"admin"}],"text":"Administrative"}],
            "period":{"start":"2025-01-01"},"code":{"text":"Interpreter needed"}}),
        );
        b.add(
            json!({"resourceType":"Flag","id":"eie","status":"entered-in-error","subject":s,
            "code":{"text":"Wrong patient"}}),
        );
        let rows = flags(&b.finish(), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let seen: Vec<(&str, &str, bool)> = rows
            .iter()
            .map(|r| (r.text.as_str(), r.status.as_str(), r.high_priority))
            .collect();
        assert_eq!(
            seen,
            [
                ("Patient immunocompromised", "Active", true),
                ("Interpreter needed", "Active", false),
                ("Later", "Not yet active", false),
                ("Fall risk", "Expired", false),
                ("MRSA", "Inactive", false),
            ]
        );
        assert_eq!(rows[1].category.as_deref(), Some("Administrative"));
        assert_eq!(rows[1].start.as_deref(), Some("01-Jan-2025"));
        assert_eq!(rows[0].ids, ["Flag/hi"]);
    }
}
