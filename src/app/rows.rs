//! The rows each chart tab lists, after its filter: one definition shared by `update` (to
//! bound the selection) and the panes (to draw), so they always agree.

use crate::chart::{
    Chart, DeviceRow, EncounterRow, ImmunizationRow, LabResult, MedRow, NoteRow, ProblemRow,
    ProcedureRow, VitalReading,
};
use crate::common::{ResultsView, Tab};
use crate::text::fold;

/// Whether any of `fields` contains `filter` (case- and accent-insensitive).
pub fn matches(filter: &str, fields: &[&str]) -> bool {
    Filter::new(filter).keeps(fields)
}

/// A row filter, folded once for a whole list (not once a row).
struct Filter(String);

impl Filter {
    fn new(filter: &str) -> Filter {
        Filter(fold(filter.trim()))
    }

    /// Whether any of `fields` contains the filter (an empty filter keeps every row).
    fn keeps(&self, fields: &[&str]) -> bool {
        self.0.is_empty() || fields.iter().any(|x| fold(x).contains(&self.0))
    }
}

/// Which list of the problems tab a row is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemGroup {
    Active,
    Resolved,
    /// A diagnosis made at a visit, not on the problem list.
    Encounter,
}

/// Active problems, then resolved ones, then encounter diagnoses, each with its group.
pub fn problems<'a>(chart: &'a Chart, filter: &str) -> Vec<(&'a ProblemRow, ProblemGroup)> {
    let f = Filter::new(filter);
    let Some(p) = chart.problems.data() else {
        return vec![];
    };
    let group = |rows: &'a [ProblemRow], g: ProblemGroup| rows.iter().map(move |r| (r, g));
    group(&p.active, ProblemGroup::Active)
        .chain(group(&p.resolved, ProblemGroup::Resolved))
        .chain(group(&p.encounter_diagnoses, ProblemGroup::Encounter))
        .filter(|(r, _)| f.keeps(&[&r.name, &r.status, &r.onset, &r.verification]))
        .collect()
}

pub fn medications<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a MedRow> {
    let f = Filter::new(filter);
    chart
        .medications
        .data()
        .map(|m| {
            m.iter()
                .filter(|r| f.keeps(&[&r.name, &r.sig, &r.status, &r.prescriber]))
                .collect()
        })
        .unwrap_or_default()
}

/// The lab results, then the other results (social history, surveys, what could not be
/// placed), each list newest first.
pub fn labs<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a LabResult> {
    results(chart, filter, true)
}

/// The lab results (and the other results after them, with `other`) that pass `filter`.
fn results<'a>(chart: &'a Chart, filter: &str, other: bool) -> Vec<&'a LabResult> {
    let f = Filter::new(filter);
    chart
        .labs
        .data()
        .map(|l| {
            let other: &[LabResult] = if other { &l.other } else { &[] };
            l.results
                .iter()
                .chain(other)
                .filter(|r| f.keeps(&[&r.name, &r.value_text, &r.date, &r.flag_symbol]))
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

/// The cumulative view: lab results only (the other results are not tests by date).
pub fn cumulative<'a>(chart: &'a Chart, filter: &str) -> Cumulative<'a> {
    use std::collections::HashMap;
    let results = results(chart, filter, false);
    let day = |r: &'a LabResult| crate::chart::date::date_part(&r.date);
    // Each day once, newest first (its sort key from its first result).
    let mut days: Vec<(i64, &str)> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for r in &results {
        if seen.insert(day(r)) {
            days.push((crate::chart::date::sort_key(r.date_iso.as_deref()), day(r)));
        }
    }
    days.sort_by_key(|d| std::cmp::Reverse(d.0));
    let column: HashMap<&str, usize> = days.iter().enumerate().map(|(i, d)| (d.1, i)).collect();
    let mut tests: Vec<CumulativeRow<'a>> = Vec::new();
    let mut row_of: HashMap<(&str, &str), usize> = HashMap::new();
    for r in &results {
        let row = *row_of
            .entry((r.name.as_str(), r.unit_shown()))
            .or_insert_with(|| {
                tests.push(CumulativeRow {
                    name: &r.name,
                    unit: r.unit_shown(),
                    range: &r.range,
                    cells: vec![None; days.len()],
                });
                tests.len() - 1
            });
        if let Some(c) = column.get(day(r)) {
            // The newest result of the day (results come newest first).
            if tests[row].cells[*c].is_none() {
                tests[row].cells[*c] = Some(r);
            }
        }
    }
    tests.sort_by_key(|t| t.name.to_lowercase());
    Cumulative {
        days: days.into_iter().map(|(_, d)| d.to_owned()).collect(),
        tests,
    }
}

pub fn vitals<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a VitalReading> {
    let f = Filter::new(filter);
    chart
        .vitals
        .data()
        .map(|v| {
            v.readings
                .iter()
                .filter(|r| f.keeps(&[&r.label, &r.name, &r.value_text, &r.date]))
                .collect()
        })
        .unwrap_or_default()
}

pub fn encounters<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a EncounterRow> {
    let f = Filter::new(filter);
    chart
        .encounters
        .data()
        .map(|e| {
            e.iter()
                .filter(|r| {
                    f.keeps(&[
                        &r.date,
                        &r.class,
                        &r.kind,
                        &r.clinician,
                        &r.location,
                        r.reason.as_deref().unwrap_or(""),
                    ])
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn immunizations<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a ImmunizationRow> {
    let f = Filter::new(filter);
    chart
        .immunizations
        .data()
        .map(|i| {
            i.iter()
                .filter(|r| f.keeps(&[&r.vaccine, &r.date, &r.status]))
                .collect()
        })
        .unwrap_or_default()
}

pub fn notes<'a>(chart: &'a Chart, filter: &str) -> Vec<&'a NoteRow> {
    let f = Filter::new(filter);
    chart
        .notes
        .data()
        .map(|n| {
            n.iter()
                .filter(|r| {
                    f.keeps(&[
                        &r.title,
                        &r.author,
                        &r.date,
                        r.text.as_deref().unwrap_or(""),
                    ])
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A row of the Procedures tab: a procedure, or an implanted device (listed after them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SurgeryRow<'a> {
    Procedure(&'a ProcedureRow),
    Device(&'a DeviceRow),
}

/// The procedures, newest first, then the implanted devices.
pub fn procedures<'a>(chart: &'a Chart, filter: &str) -> Vec<SurgeryRow<'a>> {
    let f = Filter::new(filter);
    let Some(p) = chart.procedures.data() else {
        return vec![];
    };
    let opt = |o: &'a Option<String>| o.as_deref().unwrap_or("");
    let procedures = p
        .procedures
        .iter()
        .filter(|r| {
            f.keeps(&[
                &r.name,
                &r.date,
                &r.status,
                opt(&r.body_site),
                opt(&r.outcome),
            ])
        })
        .map(SurgeryRow::Procedure);
    let devices = p
        .devices
        .iter()
        .filter(|d| f.keeps(&[&d.name, opt(&d.device_name), opt(&d.udi), &d.status]))
        .map(SurgeryRow::Device);
    procedures.chain(devices).collect()
}

/// How many selectable rows a tab of `chart` has after filter `f`.
pub fn row_count(chart: &Chart, tab: Tab, view: ResultsView, f: &str) -> usize {
    match tab {
        Tab::Cover => 0,
        Tab::Problems => problems(chart, f).len(),
        Tab::Medications => medications(chart, f).len(),
        Tab::Results => match view {
            ResultsView::List => labs(chart, f).len(),
            ResultsView::Cumulative => cumulative(chart, f).tests.len(),
        },
        Tab::Vitals => vitals(chart, f).len(),
        Tab::Encounters => encounters(chart, f).len(),
        Tab::Immunizations => immunizations(chart, f).len(),
        Tab::Notes => notes(chart, f).len(),
        Tab::Procedures => procedures(chart, f).len(),
    }
}
