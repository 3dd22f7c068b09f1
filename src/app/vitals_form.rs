//! The vital-signs form: one screen, one field per sign (Tab and Shift-Tab between them),
//! the last value on the chart beside each, the unit of temperature, weight and height
//! switchable (F2), and the three tiers of checking shown as the values are typed:
//! impossible values refuse, implausible ones need Enter a second time, abnormal ones are
//! flagged H or L.

use chrono::{DateTime, FixedOffset};

use super::input::LineInput;
use crate::chart::Chart;
use crate::chart::VitalKind;
use crate::charting::check::{Findings, LastValues, check};
use crate::charting::prepare::Subject;
use crate::charting::vitals::{
    LengthUnit, MassUnit, Measured, TempUnit, VitalsEntry, number, parse_bp,
};

/// The fields, in order: label, what the chart calls the latest reading.
pub const FIELDS: [(&str, VitalKind); 8] = [
    ("BP", VitalKind::BloodPressure),
    ("HR", VitalKind::HeartRate),
    ("RR", VitalKind::RespiratoryRate),
    ("Temp", VitalKind::Temperature),
    ("SpO2", VitalKind::OxygenSaturation),
    ("O2 flow", VitalKind::Other),
    ("Wt", VitalKind::Weight),
    ("Ht", VitalKind::Height),
];

/// The form's state.
#[derive(Debug, Clone, PartialEq)]
pub struct VitalsForm {
    pub subject: Subject,
    pub encounter: Option<String>,
    /// What is typed in each field (numbers only; units are chosen, not typed).
    pub fields: [LineInput; 8],
    pub focus: usize,
    pub temp: TempUnit,
    pub weight: MassUnit,
    pub height: LengthUnit,
    /// The latest reading of each kind on the chart (`128/82 mmHg`, `3 days ago`).
    pub last: [Option<String>; 8],
    pub last_values: LastValues,
    /// Checking the values as they are now; set when Enter is pressed.
    pub findings: Option<Findings>,
    /// Enter was pressed over implausible values: a second Enter records them.
    pub armed: bool,
    /// Why the values cannot be read (a field that is not a number).
    pub problem: Option<String>,
    /// The draft this form was reopened from, if any.
    pub draft_id: Option<String>,
}

impl VitalsForm {
    /// An empty form for the chart's patient, with the last values beside the fields.
    pub fn new(chart: &Chart, encounter: Option<String>) -> VitalsForm {
        let latest = chart
            .vitals
            .data()
            .map(|v| v.latest.clone())
            .unwrap_or_default();
        let last = FIELDS.map(|(_, kind)| {
            latest
                .iter()
                .find(|r| r.kind == kind && kind != VitalKind::Other)
                .map(|r| format!("{} ({})", r.value_text, r.date))
        });
        VitalsForm {
            subject: Subject::of(chart),
            encounter,
            fields: Default::default(),
            focus: 0,
            temp: TempUnit::Celsius,
            weight: MassUnit::Kg,
            height: LengthUnit::Cm,
            last,
            last_values: crate::charting::prepare::last_values(chart),
            findings: None,
            armed: false,
            problem: None,
            draft_id: None,
        }
    }

    /// The unit shown after field `i`.
    pub fn unit(&self, i: usize) -> &'static str {
        match i {
            0 => "mmHg",
            1 | 2 => "/min",
            3 => match self.temp {
                TempUnit::Celsius => "°C",
                TempUnit::Fahrenheit => "°F",
            },
            4 => "%",
            5 => "L/min",
            6 => match self.weight {
                MassUnit::Kg => "kg",
                MassUnit::Lb => "lb",
            },
            _ => match self.height {
                LengthUnit::Cm => "cm",
                LengthUnit::In => "in",
            },
        }
    }

    /// Whether the unit of field `i` can be switched.
    pub fn switchable(i: usize) -> bool {
        matches!(i, 3 | 6 | 7)
    }

    /// Switch the unit of the focused field (temperature, weight, height).
    pub fn switch_unit(&mut self) {
        match self.focus {
            3 => {
                self.temp = match self.temp {
                    TempUnit::Celsius => TempUnit::Fahrenheit,
                    TempUnit::Fahrenheit => TempUnit::Celsius,
                }
            }
            6 => {
                self.weight = match self.weight {
                    MassUnit::Kg => MassUnit::Lb,
                    MassUnit::Lb => MassUnit::Kg,
                }
            }
            7 => {
                self.height = match self.height {
                    LengthUnit::Cm => LengthUnit::In,
                    LengthUnit::In => LengthUnit::Cm,
                }
            }
            _ => {}
        }
        self.changed();
    }

    /// Something was typed or switched: an armed confirmation no longer holds.
    pub fn changed(&mut self) {
        self.armed = false;
        self.findings = None;
        self.problem = None;
    }

    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.fields.iter().all(LineInput::is_empty)
    }

    /// The entry the fields make, or why they cannot be read.
    pub fn entry(&self) -> Result<VitalsEntry, String> {
        let text = |i: usize| Some(self.fields[i].text().trim()).filter(|t| !t.is_empty());
        let num = |i: usize, what: &str| text(i).map(|t| number(what, t)).transpose();
        Ok(VitalsEntry {
            bp: text(0).map(parse_bp).transpose()?,
            hr: num(1, "heart rate")?,
            rr: num(2, "respiratory rate")?,
            temp: num(3, "temperature")?.map(|value| Measured {
                value,
                unit: self.temp,
            }),
            spo2: num(4, "SpO2")?,
            o2_flow: num(5, "oxygen flow")?,
            weight: num(6, "weight")?.map(|value| Measured {
                value,
                unit: self.weight,
            }),
            height: num(7, "height")?.map(|value| Measured {
                value,
                unit: self.height,
            }),
        })
    }

    /// Check the values as they are, taken at `now`.
    pub fn check(&mut self, now: &DateTime<FixedOffset>) -> Option<(VitalsEntry, Findings)> {
        match self.entry() {
            Err(e) => {
                self.problem = Some(e);
                self.findings = None;
                None
            }
            Ok(entry) => {
                let f = check(&entry, now, now, self.subject.birth_date, &self.last_values);
                self.problem = None;
                self.findings = Some(f.clone());
                Some((entry, f))
            }
        }
    }

    /// The entry as a draft's content (to reopen it after a lock).
    pub fn draft(&self) -> serde_json::Value {
        serde_json::json!({
            "vitals": self.fields.iter().map(|f| f.text().to_owned()).collect::<Vec<_>>(),
            "units": [format!("{:?}", self.temp), format!("{:?}", self.weight), format!("{:?}", self.height)],
            "encounter": self.encounter,
        })
    }

    /// Fill the fields from a draft's content.
    pub fn restore(&mut self, draft: &serde_json::Value) {
        if let Some(list) = draft["vitals"].as_array() {
            for (field, v) in self.fields.iter_mut().zip(list) {
                *field = LineInput::new(v.as_str().unwrap_or(""));
            }
        }
        let unit = |i: usize| draft["units"][i].as_str().unwrap_or("");
        self.temp = if unit(0) == "Fahrenheit" {
            TempUnit::Fahrenheit
        } else {
            TempUnit::Celsius
        };
        self.weight = if unit(1) == "Lb" {
            MassUnit::Lb
        } else {
            MassUnit::Kg
        };
        self.height = if unit(2) == "In" {
            LengthUnit::In
        } else {
            LengthUnit::Cm
        };
        self.encounter = draft["encounter"].as_str().map(str::to_owned);
    }
}
