//! Vital signs: the latest reading of each kind (blood pressure as systolic/diastolic from
//! its components), every reading newest first, and a series per kind for trends.

use serde::Serialize;

use super::date::{show_date_time, sort_key};
use super::format::{NOT_KNOWN, decimal, join_unit, quantity_unit};
use super::labs::{effective, in_category, shown_status};
use super::obs::{Flag, computed_flag, interpretation_flag, pick_range, show_value};
use super::series::{Point, Series, build_series};
use crate::fhir::model::{CodeableConcept, Observation, ObservationComponent};

/// The kinds of vital sign rounds knows by LOINC code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VitalKind {
    BloodPressure,
    HeartRate,
    RespiratoryRate,
    Temperature,
    OxygenSaturation,
    Weight,
    Height,
    BodyMassIndex,
    HeadCircumference,
    Pain,
    Other,
}

impl VitalKind {
    fn from_code(code: &CodeableConcept) -> VitalKind {
        let has = |codes: &[&str]| codes.iter().any(|c| code.has_code(c));
        if has(&["85354-9", "55284-4", "35094-2"]) {
            VitalKind::BloodPressure
        } else if has(&["8867-4"]) {
            VitalKind::HeartRate
        } else if has(&["9279-1"]) {
            VitalKind::RespiratoryRate
        } else if has(&["8310-5", "8331-1", "8332-9", "8333-7"]) {
            VitalKind::Temperature
        } else if has(&["59408-5", "2708-6", "59417-6"]) {
            VitalKind::OxygenSaturation
        } else if has(&["29463-7", "3141-9", "8350-1"]) {
            VitalKind::Weight
        } else if has(&["8302-2", "8306-3", "8308-9"]) {
            VitalKind::Height
        } else if has(&["39156-5"]) {
            VitalKind::BodyMassIndex
        } else if has(&["9843-4", "8287-5"]) {
            VitalKind::HeadCircumference
        } else if has(&["72514-3", "38208-5"]) {
            VitalKind::Pain
        } else {
            VitalKind::Other
        }
    }

    /// The short label clinicians use: `BP`, `HR`, `SpO2`.
    pub fn label(self) -> &'static str {
        match self {
            VitalKind::BloodPressure => "BP",
            VitalKind::HeartRate => "HR",
            VitalKind::RespiratoryRate => "RR",
            VitalKind::Temperature => "Temp",
            VitalKind::OxygenSaturation => "SpO2",
            VitalKind::Weight => "Wt",
            VitalKind::Height => "Ht",
            VitalKind::BodyMassIndex => "BMI",
            VitalKind::HeadCircumference => "HC",
            VitalKind::Pain => "Pain",
            VitalKind::Other => "",
        }
    }
}

/// One vital-sign reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VitalReading {
    pub id: Option<String>,
    pub kind: VitalKind,
    /// `BP`, `HR`...; the test name for other kinds.
    pub label: String,
    pub name: String,
    /// `142/88`, `78`.
    pub value: String,
    pub unit: String,
    /// `142/88 mmHg`.
    pub value_text: String,
    pub date: String,
    pub date_iso: Option<String>,
    pub flag: Option<Flag>,
    pub flag_symbol: String,
    /// The numbers: one, or systolic and diastolic for blood pressure.
    pub numbers: Vec<f64>,
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

/// Build the vitals from all observations (those in category vital-signs).
pub fn vitals(observations: &[Observation]) -> Vitals {
    let mut readings: Vec<VitalReading> = observations
        .iter()
        .filter(|o| in_category(o, "vital-signs") && shown_status(o))
        .map(reading)
        .collect();
    readings.sort_by(|a, b| {
        sort_key(b.date_iso.as_deref())
            .cmp(&sort_key(a.date_iso.as_deref()))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut latest: Vec<VitalReading> = Vec::new();
    for r in &readings {
        if !latest.iter().any(|l| r.same_kind(l)) && !r.numbers.is_empty() {
            latest.push(r.clone());
        }
    }
    latest.sort_by(|a, b| a.kind.cmp(&b.kind).then(a.name.cmp(&b.name)));
    let series = build_series(readings.iter().flat_map(|r| {
        let names: Vec<String> = if r.kind == VitalKind::BloodPressure {
            vec!["Systolic BP".into(), "Diastolic BP".into()]
        } else {
            vec![r.name.clone()]
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

fn reading(o: &Observation) -> VitalReading {
    let code = o.code.clone().unwrap_or_default();
    let kind = VitalKind::from_code(&code);
    let name = code
        .label()
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| "Vital sign".into());
    let date_iso = effective(o);
    let date = show_date_time(date_iso.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned());
    let label = match kind {
        VitalKind::Other => name.clone(),
        k => k.label().to_owned(),
    };
    let when_and_what = VitalReading {
        id: o.id.clone(),
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
    };
    if kind == VitalKind::BloodPressure {
        return blood_pressure(o, when_and_what);
    }
    let shown = show_value(&o.value());
    let flag = interpretation_flag(&o.interpretation).0.or_else(|| {
        pick_range(&o.reference_range)
            .and_then(|r| computed_flag(&shown, r, o.value_quantity.as_ref()))
    });
    VitalReading {
        value_text: shown.text(),
        value: shown.value.clone(),
        unit: shown.unit.clone(),
        flag_symbol: flag.map(|f| f.symbol().to_owned()).unwrap_or_default(),
        flag,
        numbers: shown.number.into_iter().collect(),
        ..when_and_what
    }
}

/// A blood pressure, `142/88 mmHg`, from its systolic and diastolic components, flagged
/// by the most severe interpretation of either (or of the whole); "Not known" unless both
/// numbers are there.
fn blood_pressure(o: &Observation, when_and_what: VitalReading) -> VitalReading {
    let part = |loinc: &str| {
        o.component
            .iter()
            .find(|c| c.code.as_ref().is_some_and(|cc| cc.has_code(loinc)))
    };
    let (sys, dia) = (part("8480-6"), part("8462-4"));
    let num = |c: Option<&ObservationComponent>| {
        c.and_then(|c| c.value_quantity.as_ref())
            .and_then(|q| q.value)
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
    let value = format!(
        "{}/{}",
        s.map(decimal).unwrap_or_else(|| "?".into()),
        d.map(decimal).unwrap_or_else(|| "?".into())
    );
    let known = s.is_some() && d.is_some();
    VitalReading {
        value_text: if known {
            join_unit(&value, &unit)
        } else {
            NOT_KNOWN.to_owned()
        },
        value: if known { value } else { NOT_KNOWN.to_owned() },
        unit,
        flag_symbol: flag.map(|f| f.symbol().to_owned()).unwrap_or_default(),
        flag,
        numbers: if known {
            vec![s.unwrap_or_default(), d.unwrap_or_default()]
        } else {
            vec![]
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_per_kind_with_blood_pressure_from_components() {
        let list: Vec<Observation> = serde_json::from_str(
            r#"[{"id":"bp1","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}],"text":"Blood pressure panel"},
                 "effectiveDateTime":"2025-09-12T09:00:00-05:00",
                 "component":[{"code":{"coding":[{"code":"8480-6"}]},"valueQuantity":{"value":130,"unit":"mm[Hg]"}},
                              {"code":{"coding":[{"code":"8462-4"}]},"valueQuantity":{"value":82,"unit":"mm[Hg]"}}]},
                {"id":"bp2","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
                 "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
                 "effectiveDateTime":"2026-10-20T09:00:00-05:00",
                 "component":[{"code":{"coding":[{"code":"8480-6"}]},"valueQuantity":{"value":142,"unit":"mm[Hg]"},
                               "interpretation":[{"coding":[{"code":"H"}]}]},
                              {"code":{"coding":[{"code":"8462-4"}]},"valueQuantity":{"value":88,"unit":"mm[Hg]"}}]},
                {"id":"t","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
                 "code":{"coding":[{"code":"8310-5"}],"text":"Body temperature"},
                 "effectiveDateTime":"2026-10-20T09:00:00-05:00","valueQuantity":{"value":37.1,"unit":"Cel"}},
                {"id":"hr","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
                 "code":{"coding":[{"code":"8867-4"}],"text":"Heart rate"},
                 "effectiveDateTime":"2026-10-20T09:00:00-05:00","valueQuantity":{"value":78,"unit":"/min"}}]"#,
        )
        .unwrap();
        let v = vitals(&list);
        let latest: Vec<(&str, &str)> = v
            .latest
            .iter()
            .map(|r| (r.label.as_str(), r.value_text.as_str()))
            .collect();
        assert_eq!(
            latest,
            [("BP", "142/88 mmHg"), ("HR", "78/min"), ("Temp", "37.1 °C")]
        );
        assert_eq!(v.latest[0].flag_symbol, "H");
        assert_eq!(v.readings.len(), 4);
        let sys = v.series.iter().find(|s| s.name == "Systolic BP").unwrap();
        assert_eq!(
            sys.points.iter().map(|p| p.value).collect::<Vec<_>>(),
            [130.0, 142.0]
        );
    }
}
