//! Laboratory results: value, unit, reference range and flag, newest first, with one
//! series per test for trends; and "Other results": social history, surveys and what could
//! not be placed (see `obs::place`), listed apart rather than dropped. Cancelled and
//! entered-in-error results are left out (the chart names them as not shown).

use serde::Serialize;

use super::codes::{notes, words};
use super::date::{show_date_time, sort_key};
use super::format::NOT_KNOWN;
use super::obs::{
    Flag, FlagSource, Panels, Place, computed_flag, interpretation_flag, pick_range, place,
    range_text, show_value,
};
use super::series::{Point, Series, build_series};
use crate::fhir::model::{
    CodeableConcept, Observation, ObservationValue, Quantity, ReferenceRange,
};

/// What a range column shows when the lab sent no range.
pub const NO_RANGE: &str = "No range";

/// One lab result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabResult {
    pub id: Option<String>,
    /// `Type/id` of the resources it was built from: the observation, and the panel that
    /// lists it when there is one.
    pub ids: Vec<String>,
    /// `system|code` of the test, for grouping into series.
    pub code: Option<String>,
    pub name: String,
    /// `20-Oct-2026 08:05`, or "Not known".
    pub date: String,
    pub date_iso: Option<String>,
    /// The value without unit: `5.4`, `<0.3`, `Positive`.
    pub value: String,
    /// The unit, empty for text results.
    pub unit: String,
    /// Value and unit together, as displayed: `5.4 mmol/L`.
    pub value_text: String,
    pub number: Option<f64>,
    /// `3.5-5.1`, `>=60`, a text range, or "No range".
    pub range: String,
    pub flag: Option<Flag>,
    /// `H`, `LL`, `!`... or "" (normal or no flag).
    pub flag_symbol: String,
    pub flag_source: Option<FlagSource>,
    /// The lab's own words for its interpretation, when it sent one.
    pub interpretation: Option<String>,
    /// `Final`, `Preliminary`, `Amended`, `Corrected`...
    pub status: String,
    /// A number sent without a unit: its unit column reads "(no unit)".
    pub no_unit: bool,
    /// The category as sent (`Laboratory`, `Social History`), or `None` when it had no
    /// usable one.
    pub category: Option<String>,
    /// The observation's `note`s, joined.
    pub note: Option<String>,
    /// `lab` for the results list, `other` for "Other results".
    pub place: Place,
}

impl LabResult {
    /// The unit as a unit column shows it: `(no unit)` for a number sent without one.
    pub fn unit_shown(&self) -> &str {
        if self.no_unit {
            "(no unit)"
        } else {
            &self.unit
        }
    }
}

/// The lab results of a chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Labs {
    /// Newest first.
    pub results: Vec<LabResult>,
    /// Numeric results by test, oldest point first, sorted by test name.
    pub series: Vec<Series>,
    /// "Other results": social history, surveys, exams, and observations that could not be
    /// placed as a lab result or a vital sign. Newest first.
    pub other: Vec<LabResult>,
}

/// Whether a result should be shown at all.
pub fn shown_status(o: &Observation) -> bool {
    !matches!(o.status.as_deref(), Some("entered-in-error" | "cancelled"))
}

/// Build the lab list (and the other results) from all observations: those placed with
/// the results or nowhere else.
pub fn labs(observations: &[Observation]) -> Labs {
    let panels = Panels::new(observations);
    let mut results = Vec::new();
    let mut other = Vec::new();
    for o in observations
        .iter()
        .filter(|o| shown_status(o) && !panels.absorbed(o))
    {
        match place(o).0 {
            Place::Lab => results.extend(results_of(o, &panels)),
            Place::Other => other.extend(results_of(o, &panels)),
            Place::Vital => {}
        }
    }
    newest_first(&mut results);
    newest_first(&mut other);
    let series = build_series(results.iter().filter_map(|r| {
        Some((
            r.code.clone().unwrap_or_else(|| r.name.to_lowercase()),
            r.name.clone(),
            r.unit_shown().to_owned(),
            Point {
                date: r.date.clone(),
                date_iso: r.date_iso.clone(),
                value: r.number?,
                flag: r.flag,
            },
        ))
    }));
    Labs {
        results,
        series,
        other,
    }
}

/// The warning for observations that had no usable category and no value to place them
/// by: they are under "Other results", and the clinician should know why.
pub fn unplaced_warning(labs: &super::Part<Labs>) -> Option<String> {
    let n = labs
        .data()?
        .other
        .iter()
        .filter(|r| r.category.is_none())
        .count();
    (n > 0).then(|| {
        let what = if n == 1 {
            "observation has"
        } else {
            "observations have"
        };
        format!(
            "{n} {what} no usable category and no result to place by: listed under Other results"
        )
    })
}

fn newest_first(results: &mut [LabResult]) {
    results.sort_by(|a, b| {
        sort_key(b.date_iso.as_deref())
            .cmp(&sort_key(a.date_iso.as_deref()))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// The results of one observation: itself, or each of its components when it has no value
/// of its own (a panel sent as one Observation).
fn results_of(o: &Observation, panels: &Panels) -> Vec<LabResult> {
    let ids = panels.ids(o);
    let has_value = {
        let v = o.value();
        v != ObservationValue::default() && v.data_absent_reason.is_none()
    };
    let name = o
        .code
        .as_ref()
        .and_then(|c| c.label())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "Test not named".to_owned());
    if has_value || o.component.is_empty() {
        return vec![result(
            o,
            ids,
            o.code.as_ref(),
            name,
            &o.value(),
            &o.interpretation,
            &o.reference_range,
            o.value_quantity.as_ref(),
        )];
    }
    o.component
        .iter()
        .map(|c| {
            let cname = c
                .code
                .as_ref()
                .and_then(|c| c.label())
                .unwrap_or("Component")
                .trim();
            result(
                o,
                ids.clone(),
                c.code.as_ref(),
                format!("{name}: {cname}"),
                &c.value(),
                &c.interpretation,
                &c.reference_range,
                c.value_quantity.as_ref(),
            )
        })
        .collect()
}

/// The effective time of an observation as sent.
pub fn effective(o: &Observation) -> Option<String> {
    o.effective_date_time
        .clone()
        .or_else(|| o.effective_instant.clone())
        .or_else(|| o.effective_period.as_ref().and_then(|p| p.start.clone()))
        .or_else(|| o.issued.clone())
}

#[allow(clippy::too_many_arguments)] // one result's parts, from an observation or a component
fn result(
    o: &Observation,
    ids: Vec<String>,
    code: Option<&CodeableConcept>,
    name: String,
    value: &ObservationValue,
    interpretation: &[CodeableConcept],
    ranges: &[ReferenceRange],
    quantity: Option<&Quantity>,
) -> LabResult {
    let shown = show_value(value);
    let range = pick_range(ranges);
    let (sent_flag, interpretation_text) = interpretation_flag(interpretation);
    let (flag, source) = match sent_flag {
        Some(f) => (Some(f), Some(FlagSource::Interpretation)),
        None => match range.and_then(|r| computed_flag(&shown, r, quantity)) {
            Some(f) => (Some(f), Some(FlagSource::Range)),
            None => (None, None),
        },
    };
    let date_iso = effective(o);
    LabResult {
        id: o.id.clone(),
        ids,
        // Only a code that was sent: a result named by text alone has none to show (its
        // series still groups by the name).
        code: code.and_then(|c| c.coded_key()),
        name,
        date: show_date_time(date_iso.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        date_iso,
        value_text: shown.text(),
        value: shown.value.clone(),
        unit: shown.unit.clone(),
        number: shown.number,
        range: range
            .and_then(|r| range_text(r, &shown.unit))
            .unwrap_or_else(|| NO_RANGE.to_owned()),
        flag_symbol: flag.map(|f| f.symbol().to_owned()).unwrap_or_default(),
        flag,
        flag_source: source,
        interpretation: interpretation_text,
        status: o
            .status
            .as_deref()
            .map(words)
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        no_unit: shown.no_unit(),
        category: place(o)
            .1
            .then(|| o.category.iter().find_map(|c| c.label()))
            .flatten()
            .map(|c| c.trim().to_owned()),
        note: notes(&o.note),
        place: place(o).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_with_flags_and_series() {
        let list: Vec<Observation> = serde_json::from_str(
            r#"[{"id":"a","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
                 "effectiveDateTime":"2025-03-10","valueQuantity":{"value":8.4,"unit":"%"},
                 "referenceRange":[{"low":{"value":4.0,"unit":"%"},"high":{"value":5.6,"unit":"%"}}]},
                {"id":"b","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
                 "effectiveDateTime":"2026-10-20T08:05:00-05:00","valueQuantity":{"value":7.2,"unit":"%"},
                 "interpretation":[{"coding":[{"code":"H"}],"text":"High"}],
                 "referenceRange":[{"low":{"value":4.0,"unit":"%"},"high":{"value":5.6,"unit":"%"}}]},
                {"id":"c","status":"entered-in-error","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"text":"Bad"},"valueQuantity":{"value":1}},
                {"id":"d","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
                 "code":{"text":"Heart rate"},"valueQuantity":{"value":70,"unit":"/min"}},
                {"id":"e","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"text":"Vitamin B12"},"effectiveDateTime":"2026-01-01","valueQuantity":{"value":412,"unit":"pg/mL"}}]"#,
        )
        .unwrap();
        let labs = labs(&list);
        let ids: Vec<&str> = labs
            .results
            .iter()
            .map(|r| r.id.as_deref().unwrap())
            .collect();
        assert_eq!(ids, ["b", "e", "a"]);
        let newest = &labs.results[0];
        assert_eq!(newest.value_text, "7.2%");
        assert_eq!(newest.range, "4-5.6");
        assert_eq!(newest.flag_symbol, "H");
        assert_eq!(newest.flag_source, Some(FlagSource::Interpretation));
        assert_eq!(newest.date, "20-Oct-2026 08:05");
        assert_eq!(labs.results[1].range, "No range");
        assert_eq!(labs.results[1].flag, None);
        assert_eq!(labs.results[2].flag_source, Some(FlagSource::Range));
        assert_eq!(labs.series.len(), 2);
        let a1c = &labs.series[0];
        assert_eq!(a1c.name, "Hemoglobin A1c");
        assert_eq!(
            a1c.points.iter().map(|p| p.value).collect::<Vec<_>>(),
            [8.4, 7.2]
        );
    }

    #[test]
    fn other_results_panels_inverted_ranges_and_missing_units() {
        let list: Vec<Observation> = serde_json::from_str(
            r#"[{"id":"smoke","status":"final","category":[{"coding":[{"code":"social-history","display":"Social History"}]}],
                 "code":{"text":"Tobacco smoking status"},"valueCodeableConcept":{"text":"Never smoker"}},
                {"id":"odd","status":"final","code":{"text":"Panel"},"hasMember":[{"reference":"Observation/missing"}]},
                {"id":"panel","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"text":"Blood typing"},"hasMember":[{"reference":"Observation/abo"}]},
                {"id":"abo","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"text":"ABO group"},"valueCodeableConcept":{"text":"A"}},
                {"id":"k","status":"final","category":[{"coding":[{"code":"laboratory"}]}],
                 "code":{"text":"Potassium"},"valueQuantity":{"value":4.1,"unit":"mmol/L"},
                 "referenceRange":[{"low":{"value":5.1,"unit":"mmol/L"},"high":{"value":3.5,"unit":"mmol/L"}}],
                 "note":[{"text":"Haemolysed"}]},
                {"id":"bare","status":"final","code":{"text":"Glucose"},"valueQuantity":{"value":7}}]"#,
        )
        .unwrap();
        let labs = labs(&list);
        let names: Vec<&str> = labs.results.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["ABO group", "Glucose", "Potassium"]);
        // The panel is shown through its result, which names it.
        assert_eq!(
            labs.results[0].ids,
            ["Observation/abo", "Observation/panel"]
        );
        let k = &labs.results[2];
        assert_eq!(k.range, "5.1-3.5 (inverted, not used)");
        assert_eq!(k.flag, None);
        assert_eq!(k.note.as_deref(), Some("Haemolysed"));
        assert!(labs.results[1].no_unit);
        assert_eq!(labs.results[1].unit_shown(), "(no unit)");
        let other: Vec<(&str, Option<&str>)> = labs
            .other
            .iter()
            .map(|r| (r.name.as_str(), r.category.as_deref()))
            .collect();
        assert_eq!(
            other,
            [
                ("Panel", None),
                ("Tobacco smoking status", Some("Social History"))
            ]
        );
    }
}
