//! The rows each chart tab lists, after its filter: one definition shared by `update` (to
//! bound the selection) and the panes (to draw), so they always agree.

use super::state::{ChartState, ResultsView, Tab};
use crate::chart::{
    Chart, EncounterRow, ImmunizationRow, LabResult, MedRow, NoteRow, ProblemRow, VitalReading,
};
use crate::source::fold;

/// Whether any of `fields` contains `filter` (case- and accent-insensitive).
pub fn matches(filter: &str, fields: &[&str]) -> bool {
    let f = fold(filter.trim());
    f.is_empty() || fields.iter().any(|x| fold(x).contains(&f))
}

/// Active problems then resolved ones, each with whether it is active.
pub fn problems<'a>(chart: &'a Chart, filter: &str) -> Vec<(&'a ProblemRow, bool)> {
    let Some(p) = chart.problems.data() else {
        return vec![];
    };
    p.active
        .iter()
        .map(|r| (r, true))
        .chain(p.resolved.iter().map(|r| (r, false)))
        .filter(|(r, _)| matches(filter, &[&r.name, &r.status, &r.onset, &r.verification]))
        .collect()
}

pub fn medications<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a MedRow> {
    chart
        .medications
        .data()
        .map(|m| {
            m.iter()
                .filter(|r| matches(filter, &[&r.name, &r.sig, &r.status, &r.prescriber]))
                .collect()
        })
        .unwrap_or_default()
}

pub fn labs<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a LabResult> {
    chart
        .labs
        .data()
        .map(|l| {
            l.results
                .iter()
                .filter(|r| matches(filter, &[&r.name, &r.value_text, &r.date, &r.flag_symbol]))
                .collect()
        })
        .unwrap_or_default()
}

/// The cumulative view: tests down, result days across (newest first).
#[derive(Debug, Clone, PartialEq)]
pub struct Cumulative<'a> {
    /// Display days (`20-Oct-2026`), newest first.
    pub days: Vec<String>,
    /// Test name, unit, range, and the result on each day (the newest that day).
    pub tests: Vec<CumulativeRow<'a>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CumulativeRow<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub range: &'a str,
    pub cells: Vec<Option<&'a LabResult>>,
}

pub fn cumulative<'a>(chart: &'a Chart, filter: &str) -> Cumulative<'a> {
    let results = labs(chart, filter);
    let day = |r: &LabResult| crate::chart::date::date_part(&r.date).to_owned();
    let mut days: Vec<(i64, String)> = Vec::new();
    for r in &results {
        let d = day(r);
        if !days.iter().any(|(_, x)| *x == d) {
            days.push((crate::chart::date::sort_key(r.date_iso.as_deref()), d));
        }
    }
    days.sort_by_key(|d| std::cmp::Reverse(d.0));
    let days: Vec<String> = days.into_iter().map(|(_, d)| d).collect();
    let mut tests: Vec<CumulativeRow<'a>> = Vec::new();
    for r in &results {
        let col = days.iter().position(|d| *d == day(r));
        let row = match tests
            .iter_mut()
            .find(|t| t.name == r.name && t.unit == r.unit)
        {
            Some(t) => t,
            None => {
                tests.push(CumulativeRow {
                    name: &r.name,
                    unit: &r.unit,
                    range: &r.range,
                    cells: vec![None; days.len()],
                });
                let last = tests.len() - 1;
                &mut tests[last]
            }
        };
        if let Some(c) = col {
            if row.cells[c].is_none() {
                row.cells[c] = Some(r);
            }
        }
    }
    tests.sort_by_key(|t| t.name.to_lowercase());
    Cumulative { days, tests }
}

pub fn vitals<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a VitalReading> {
    chart
        .vitals
        .data()
        .map(|v| {
            v.readings
                .iter()
                .filter(|r| matches(filter, &[&r.label, &r.name, &r.value_text, &r.date]))
                .collect()
        })
        .unwrap_or_default()
}

pub fn encounters<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a EncounterRow> {
    chart
        .encounters
        .data()
        .map(|e| {
            e.iter()
                .filter(|r| {
                    matches(
                        filter,
                        &[
                            &r.date,
                            &r.class,
                            &r.kind,
                            &r.clinician,
                            &r.location,
                            r.reason.as_deref().unwrap_or(""),
                        ],
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn immunizations<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a ImmunizationRow> {
    chart
        .immunizations
        .data()
        .map(|i| {
            i.iter()
                .filter(|r| matches(filter, &[&r.vaccine, &r.date, &r.status]))
                .collect()
        })
        .unwrap_or_default()
}

pub fn notes<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a NoteRow> {
    chart
        .notes
        .data()
        .map(|n| {
            n.iter()
                .filter(|r| {
                    matches(
                        filter,
                        &[
                            &r.title,
                            &r.author,
                            &r.date,
                            r.text.as_deref().unwrap_or(""),
                        ],
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How many selectable rows the current tab has.
pub fn row_count(state: &ChartState) -> usize {
    let Some(chart) = state.data.loaded() else {
        return 0;
    };
    let f = state.filter();
    match state.tab {
        Tab::Cover => 0,
        Tab::Problems => problems(chart, f).len(),
        Tab::Medications => medications(chart, f).len(),
        Tab::Results => match state.results_view {
            ResultsView::List => labs(chart, f).len(),
            ResultsView::Cumulative => cumulative(chart, f).tests.len(),
        },
        Tab::Vitals => vitals(chart, f).len(),
        Tab::Encounters => encounters(chart, f).len(),
        Tab::Immunizations => immunizations(chart, f).len(),
        Tab::Notes => notes(chart, f).len(),
    }
}
