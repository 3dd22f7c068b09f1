//! A report's results under the report: each `result` Observation the record holds, with
//! its value, abnormal flag and reference range (a panel's components one by one); a
//! result the record does not hold is named from its reference, marked as not loaded.
//! The flag is the lab's interpretation, else computed from the range (as for labs).

use serde::Serialize;

use crate::chart::obs::{computed_flag, interpretation_flag, pick_range, range_text, show_value};
use crate::fhir::model::{
    CodeableConcept, DiagnosticReport, Observation, ObservationValue, Quantity, ReferenceRange,
    non_empty,
};
use crate::fhir::record::PatientRecord;

/// One result of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportResult {
    pub name: String,
    /// The value with its unit (`128 mmol/L`); `None` when the Observation is not loaded.
    pub value: Option<String>,
    /// `H`, `LL`, `!`... or "".
    pub flag: String,
    pub range: Option<String>,
    /// `Observation/id`, when the reference names one.
    pub id: Option<String>,
}

/// The results of `r`, in the report's order; entered-in-error and cancelled ones left out.
pub fn report_results(record: &PatientRecord, r: &DiagnosticReport) -> Vec<ReportResult> {
    let mut out = Vec::new();
    for reference in &r.result {
        let key = reference
            .local_key()
            .filter(|k| k.starts_with("Observation/"));
        let found = key.as_deref().and_then(|k| {
            let id = k.strip_prefix("Observation/")?;
            record
                .observations
                .iter()
                .find(|o| o.id.as_deref() == Some(id))
        });
        let display = non_empty(reference.display.as_deref()).map(|d| d.trim().to_owned());
        let Some(o) = found else {
            out.push(ReportResult {
                name: display.unwrap_or_else(|| "Result".to_owned()),
                value: None,
                flag: String::new(),
                range: None,
                id: key,
            });
            continue;
        };
        if matches!(o.status.as_deref(), Some("entered-in-error" | "cancelled")) {
            continue;
        }
        let name = o
            .code
            .as_ref()
            .and_then(|c| c.label())
            .map(|l| l.trim().to_owned())
            .or(display)
            .unwrap_or_else(|| "Result".to_owned());
        out.extend(lines_of(o, name, key));
    }
    out
}

/// An observation's lines: itself, or each component when it has no value of its own.
fn lines_of(o: &Observation, name: String, id: Option<String>) -> Vec<ReportResult> {
    let own = o.value();
    if own != ObservationValue::default() || o.component.is_empty() {
        let q = o.value_quantity.as_ref();
        return vec![line(
            name,
            &own,
            &o.interpretation,
            &o.reference_range,
            q,
            id,
        )];
    }
    o.component
        .iter()
        .map(|c| {
            let part = c
                .code
                .as_ref()
                .and_then(|c| c.label())
                .unwrap_or("Component");
            let q = c.value_quantity.as_ref();
            let name = format!("{name}: {}", part.trim());
            line(
                name,
                &c.value(),
                &c.interpretation,
                &c.reference_range,
                q,
                id.clone(),
            )
        })
        .collect()
}

fn line(
    name: String,
    value: &ObservationValue,
    interpretation: &[CodeableConcept],
    ranges: &[ReferenceRange],
    quantity: Option<&Quantity>,
    id: Option<String>,
) -> ReportResult {
    let shown = show_value(value);
    let range = pick_range(ranges);
    let flag = interpretation_flag(interpretation)
        .0
        .or_else(|| computed_flag(&shown, range?, quantity));
    ReportResult {
        name,
        value: Some(shown.text()),
        flag: flag.map(|f| f.symbol().to_owned()).unwrap_or_default(),
        range: range.and_then(|r| range_text(r, &shown.unit)),
        id,
    }
}

/// The results as lines of text under a `Results:` heading:
/// `  Sodium: 128 mmol/L L (ref 136-145)`.
pub fn results_text(results: &[ReportResult]) -> Option<String> {
    if results.is_empty() {
        return None;
    }
    let lines = results.iter().map(|r| {
        let value = r.value.as_deref().unwrap_or("(result not loaded)");
        let flag = if r.flag.is_empty() {
            String::new()
        } else {
            format!(" {}", r.flag)
        };
        let range = r
            .range
            .as_ref()
            .map(|x| format!(" (ref {x})"))
            .unwrap_or_default();
        format!("  {}: {value}{flag}{range}", r.name)
    });
    Some(
        std::iter::once("Results:".to_owned())
            .chain(lines)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}
