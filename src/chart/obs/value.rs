//! An observation's value in words: `5.4 mmol/L`, `<0.3 mg/L`, `Positive`, `No result
//! (Specimen hemolyzed)`, with the number kept for trends and flags. A quantity without a
//! unit says so rather than pass for a count.

use serde::Serialize;

use crate::chart::date::show_date_time;
use crate::chart::format::{NOT_KNOWN, decimal, join_unit, quantity_unit, range, ratio};
use crate::fhir::model::ObservationValue;

/// An observation value ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownValue {
    /// The value without its unit: `5.4`, `<0.3`, `Positive`, `120/80`.
    pub value: String,
    /// The unit, empty for text values.
    pub unit: String,
    /// The number, for quantities and integers (for trends and flag computation).
    pub number: Option<f64>,
    /// Whether the value is missing (`dataAbsentReason` or nothing at all).
    pub absent: bool,
    pub(crate) comparator: Option<String>,
    unit_code: Option<String>,
}

impl ShownValue {
    /// `5.4 mmol/L`, `96%`, `Positive`; a quantity without unit is marked `(no unit)`.
    pub fn text(&self) -> String {
        if self.absent || self.number.is_none() || !self.unit.is_empty() {
            return join_unit(&self.value, &self.unit);
        }
        if self.no_unit() {
            format!("{} (no unit)", self.value)
        } else {
            self.value.clone()
        }
    }

    /// Whether this is a number sent without a unit (not a dimensionless count).
    pub fn no_unit(&self) -> bool {
        !self.absent
            && self.number.is_some()
            && self.unit.is_empty()
            && self.unit_code.as_deref() != Some("1")
    }

    fn plain(value: String) -> ShownValue {
        ShownValue {
            value,
            unit: String::new(),
            number: None,
            absent: false,
            comparator: None,
            unit_code: None,
        }
    }
}

/// The value of an observation or component in words.
pub fn show_value(v: &ObservationValue) -> ShownValue {
    if let Some(q) = &v.value_quantity {
        if let Some(n) = q.value.filter(|n| n.is_finite()) {
            let comparator = q.comparator.clone().filter(|c| !c.trim().is_empty());
            return ShownValue {
                value: format!("{}{}", comparator.as_deref().unwrap_or(""), decimal(n)),
                unit: quantity_unit(q),
                number: Some(n),
                absent: false,
                comparator,
                unit_code: q.code.clone(),
            };
        }
    }
    if let Some(c) = v.value_codeable_concept.as_ref().and_then(|c| c.label()) {
        return ShownValue::plain(c.trim().to_owned());
    }
    if let Some(s) = v
        .value_string
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return ShownValue::plain(s.to_owned());
    }
    if let Some(b) = v.value_boolean {
        return ShownValue::plain(if b { "Yes" } else { "No" }.to_owned());
    }
    if let Some(i) = v.value_integer {
        let mut shown = ShownValue::plain(i.to_string());
        shown.number = Some(i as f64);
        shown.unit_code = Some("1".into());
        return shown;
    }
    if let Some(r) = v.value_range.as_ref().and_then(range) {
        return ShownValue::plain(r);
    }
    if let Some(r) = v.value_ratio.as_ref().and_then(ratio) {
        return ShownValue::plain(r);
    }
    if let Some(t) = v.value_date_time.as_deref() {
        return ShownValue::plain(show_date_time(Some(t)).unwrap_or_else(|| t.trim().to_owned()));
    }
    if let Some(t) = v.value_time.as_deref() {
        return ShownValue::plain(t.trim().to_owned());
    }
    if let Some(p) = v.value_period.as_ref() {
        let at = |d: Option<&String>| show_date_time(d.map(String::as_str));
        match (at(p.start.as_ref()), at(p.end.as_ref())) {
            (Some(a), Some(b)) => return ShownValue::plain(format!("{a} to {b}")),
            (Some(a), None) => return ShownValue::plain(format!("from {a}")),
            (None, Some(b)) => return ShownValue::plain(format!("until {b}")),
            (None, None) => {}
        }
    }
    if v.value_sampled_data.is_some() {
        return ShownValue::plain("Sampled data (a waveform: not shown here)".to_owned());
    }
    let reason = v.data_absent_reason.as_ref().and_then(|c| c.label());
    let mut shown = ShownValue::plain(match reason {
        Some(r) => format!("No result ({})", r.trim()),
        None => NOT_KNOWN.to_owned(),
    });
    shown.absent = true;
    shown
}
