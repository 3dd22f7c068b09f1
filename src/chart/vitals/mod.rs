//! Vital signs: the latest reading of each kind (blood pressure as systolic/diastolic from
//! its components), every reading newest first, and a series per kind for trends. An
//! observation is a vital sign by its category, or by its LOINC code when the category
//! does not say (`obs::place`). SpO2 carries the oxygen it was taken on (`oxygen`).

mod bp;
mod kind;
mod oxygen;

use serde::Serialize;

use super::codes::notes;
use super::date::{show_date_time, sort_key};
use super::format::{NOT_KNOWN, decimal_places};
use super::labs::{effective, shown_status};
use super::obs::show_value;
use super::obs::{Flag, Panels, Place, computed_flag, interpretation_flag, pick_range, place};
use super::series::{Point, Series, build_series};
use crate::fhir::model::Observation;

pub use kind::VitalKind;

/// One vital-sign reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VitalReading {
    pub id: Option<String>,
    /// `Type/id` of the resources it was built from (an SpO2 and the separate inhaled
    /// oxygen observation taken with it; a panel that lists it).
    pub ids: Vec<String>,
    pub kind: VitalKind,
    /// `BP`, `HR`...; the test name for other kinds.
    pub label: String,
    pub name: String,
    /// `142/88`, `78`, `109/--`.
    pub value: String,
    pub unit: String,
    /// `142/88 mmHg`, `95% on 6 L/min`, `65th percentile`.
    pub value_text: String,
    pub date: String,
    pub date_iso: Option<String>,
    pub flag: Option<Flag>,
    pub flag_symbol: String,
    /// The numbers: one, or systolic and diastolic for blood pressure.
    pub numbers: Vec<f64>,
    /// The oxygen an SpO2 was taken on (`on 6 L/min, FiO2 44%`); `None` when not sent.
    pub oxygen: Option<String>,
    /// The observation's `note`s, and what is missing from a blood pressure.
    pub note: Option<String>,
}

/// The vital signs of a chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Vitals {
    /// The newest reading of each kind, in the usual order (BP, HR, RR, Temp, SpO2...).
    pub latest: Vec<VitalReading>,
    /// All readings, newest first.
    pub readings: Vec<VitalReading>,
    /// Series per kind (blood pressure as two: systolic and diastolic), oldest point first.
    pub series: Vec<Series>,
}

impl VitalReading {
    /// Whether `other` is a reading of the same kind (readings of no known kind are told
    /// apart by their name).
    pub fn same_kind(&self, other: &VitalReading) -> bool {
        other.kind == self.kind && (self.kind != VitalKind::Other || other.name == self.name)
    }

    /// Whether it has a value to show as the latest of its kind.
    fn has_value(&self) -> bool {
        !self.numbers.is_empty() || (self.value != NOT_KNOWN && self.value.contains('/'))
    }
}

/// The latest reading of a kind, with how many readings of that kind the chart holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatestVital<'a> {
    pub reading: &'a VitalReading,
    pub readings: usize,
}

impl Vitals {
    /// The latest reading of each kind, with how many readings of that kind there are.
    pub fn latest_with_counts(&self) -> Vec<LatestVital<'_>> {
        self.latest
            .iter()
            .map(|r| LatestVital {
                reading: r,
                readings: self.readings.iter().filter(|x| r.same_kind(x)).count(),
            })
            .collect()
    }
}

/// Build the vitals from all observations (those placed with the vital signs).
pub fn vitals(observations: &[Observation]) -> Vitals {
    let panels = Panels::new(observations);
    let mut readings: Vec<VitalReading> = observations
        .iter()
        .filter(|o| place(o).0 == Place::Vital && shown_status(o) && !panels.absorbed(o))
        .map(|o| reading(o, observations, &panels))
        .collect();
    readings.sort_by(|a, b| {
        sort_key(b.date_iso.as_deref())
            .cmp(&sort_key(a.date_iso.as_deref()))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut latest: Vec<VitalReading> = Vec::new();
    for r in &readings {
        if !latest.iter().any(|l| r.same_kind(l)) && r.has_value() {
            latest.push(r.clone());
        }
    }
    latest.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.name.cmp(&b.name)));
    let series = build_series(readings.iter().flat_map(|r| {
        let names: Vec<String> = match r.kind {
            VitalKind::BloodPressure => vec!["Systolic BP".into(), "Diastolic BP".into()],
            VitalKind::AverageBloodPressure => vec![
                "Systolic BP (average)".into(),
                "Diastolic BP (average)".into(),
            ],
            _ => vec![r.name.clone()],
        };
        names
            .into_iter()
            .zip(r.numbers.clone())
            .map(|(name, value)| {
                (
                    format!("{:?}:{name}", r.kind),
                    name,
                    r.unit.clone(),
                    Point {
                        date: r.date.clone(),
                        date_iso: r.date_iso.clone(),
                        value,
                        flag: r.flag,
                    },
                )
            })
            .collect::<Vec<_>>()
    }));
    Vitals {
        latest,
        readings,
        series,
    }
}

fn reading(o: &Observation, all: &[Observation], panels: &Panels) -> VitalReading {
    let code = o.code.clone().unwrap_or_default();
    let kind = VitalKind::from_code(&code);
    let name = kind
        .known_name()
        .map(str::to_owned)
        .or_else(|| code.label().map(|s| s.trim().to_owned()))
        .unwrap_or_else(|| "Vital sign".into());
    let date_iso = effective(o);
    let date = show_date_time(date_iso.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned());
    let label = match kind {
        VitalKind::Other => name.clone(),
        k => k.label().to_owned(),
    };
    let base = VitalReading {
        id: o.id.clone(),
        ids: panels.ids(o),
        kind,
        label,
        name,
        value: String::new(),
        unit: String::new(),
        value_text: String::new(),
        date,
        date_iso,
        flag: None,
        flag_symbol: String::new(),
        numbers: Vec::new(),
        oxygen: None,
        note: notes(&o.note),
    };
    if matches!(
        kind,
        VitalKind::BloodPressure | VitalKind::AverageBloodPressure
    ) {
        return bp::blood_pressure(o, base);
    }
    let mut shown = show_value(&o.value());
    if let (Some(n), Some(places)) = (shown.number, kind.places()) {
        let comparator = shown.comparator.clone().unwrap_or_default();
        shown.value = format!("{comparator}{}", decimal_places(n, places));
    }
    let flag = interpretation_flag(&o.interpretation).0.or_else(|| {
        pick_range(&o.reference_range)
            .and_then(|r| computed_flag(&shown, r, o.value_quantity.as_ref()))
    });
    let mut value_text = match (kind.is_percentile(), shown.number) {
        (true, Some(_)) => format!("{} percentile", kind::ordinal(&shown.value)),
        _ => shown.text(),
    };
    let mut ids = base.ids.clone();
    let oxygen = (kind == VitalKind::OxygenSaturation)
        .then(|| oxygen::oxygen(o, all))
        .flatten()
        .map(|(text, more)| {
            value_text = format!("{value_text} {text}");
            ids.extend(more);
            text
        });
    VitalReading {
        value_text,
        value: shown.value.clone(),
        unit: shown.unit.clone(),
        flag_symbol: flag.map(|f| f.symbol().to_owned()).unwrap_or_default(),
        flag,
        numbers: shown.number.into_iter().collect(),
        oxygen,
        ids,
        ..base
    }
}

#[cfg(test)]
mod tests;
