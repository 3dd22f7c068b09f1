//! Blood pressure from its systolic and diastolic components, `142/88 mmHg`, flagged by the
//! most severe interpretation of either (or of the whole). What is known is kept: a
//! systolic with a data-absent diastolic is `109/-- mmHg`, never "Not known" and never
//! `109/0`. An average blood pressure (LOINC 96607-7, components 96608-5 and 96609-3) reads
//! the same way under its own label.

use super::VitalReading;
use crate::chart::codes::label_or;
use crate::chart::format::{NOT_KNOWN, decimal, join_unit, quantity_unit};
use crate::chart::obs::{Flag, interpretation_flag};
use crate::fhir::model::{Observation, ObservationComponent};

/// Systolic codes: plain and average.
const SYSTOLIC: [&str; 2] = ["8480-6", "96608-5"];
/// Diastolic codes: plain and average.
const DIASTOLIC: [&str; 2] = ["8462-4", "96609-3"];

/// A blood pressure reading from the observation's components.
pub fn blood_pressure(o: &Observation, when_and_what: VitalReading) -> VitalReading {
    let part = |codes: &[&str]| {
        o.component.iter().find(|c| {
            c.code
                .as_ref()
                .is_some_and(|cc| codes.iter().any(|code| cc.has_code(code)))
        })
    };
    let (sys, dia) = (part(&SYSTOLIC), part(&DIASTOLIC));
    let num = |c: Option<&ObservationComponent>| {
        c.and_then(|c| c.value_quantity.as_ref())
            .and_then(|q| q.value)
            .filter(|v| v.is_finite())
    };
    let unit = sys
        .or(dia)
        .and_then(|c| c.value_quantity.as_ref())
        .map(quantity_unit)
        .unwrap_or_default();
    let flag = [sys, dia]
        .into_iter()
        .flatten()
        .filter_map(|c| interpretation_flag(&c.interpretation).0)
        .chain(interpretation_flag(&o.interpretation).0)
        .max_by_key(|f| flag_rank(*f));
    let (s, d) = (num(sys), num(dia));
    let side = |n: Option<f64>| n.map(decimal).unwrap_or_else(|| "--".into());
    let value = format!("{}/{}", side(s), side(d));
    let known = s.is_some() || d.is_some();
    let value_text = match (known, unit.is_empty()) {
        (false, _) => NOT_KNOWN.to_owned(),
        (true, false) => join_unit(&value, &unit),
        (true, true) => format!("{value} (no unit)"),
    };
    let absent: Vec<String> = [("Systolic", sys, s), ("Diastolic", dia, d)]
        .into_iter()
        .filter(|(_, _, n)| n.is_none())
        .map(|(what, c, _)| {
            let why = c.and_then(|c| c.data_absent_reason.as_ref());
            format!("{what} not known ({})", label_or(why, "not sent"))
        })
        .collect();
    let note = match (known && !absent.is_empty(), when_and_what.note.clone()) {
        (true, Some(n)) => Some(format!("{}; {n}", absent.join("; "))),
        (true, None) => Some(absent.join("; ")),
        (false, n) => n,
    };
    VitalReading {
        value_text,
        value: if known { value } else { NOT_KNOWN.to_owned() },
        unit,
        flag_symbol: flag.map(|f| f.symbol().to_owned()).unwrap_or_default(),
        flag,
        // Systolic then diastolic, as far as known in that order (a series never takes a
        // diastolic for a systolic).
        numbers: match (s, d) {
            (Some(s), Some(d)) => vec![s, d],
            (Some(s), None) => vec![s],
            _ => vec![],
        },
        note,
        ..when_and_what
    }
}

fn flag_rank(f: Flag) -> u8 {
    match f {
        Flag::Normal => 0,
        Flag::Low | Flag::High | Flag::Abnormal => 1,
        _ => 2,
    }
}
