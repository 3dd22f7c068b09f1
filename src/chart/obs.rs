//! What labs and vitals share: an observation's value in words, its reference range, and
//! its abnormal flag, taken from `interpretation` when the lab sent one and otherwise
//! computed from the reference range (never guessed when neither exists).

use serde::Serialize;

use super::date::show_date_time;
use super::format::{NOT_KNOWN, decimal, join_unit, quantity_unit, range, ratio};
use crate::fhir::model::{CodeableConcept, ObservationValue, Quantity, ReferenceRange};

/// An abnormal (or normal) flag. The symbol is always shown beside any colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    CriticalLow,
    Low,
    Normal,
    High,
    CriticalHigh,
    Abnormal,
    CriticalAbnormal,
}

impl Flag {
    /// `LL`, `L`, `H`, `HH`, `!`, `!!`, or "" for normal.
    pub fn symbol(self) -> &'static str {
        match self {
            Flag::CriticalLow => "LL",
            Flag::Low => "L",
            Flag::Normal => "",
            Flag::High => "H",
            Flag::CriticalHigh => "HH",
            Flag::Abnormal => "!",
            Flag::CriticalAbnormal => "!!",
        }
    }

    /// Whether the value is outside normal.
    pub fn is_abnormal(self) -> bool {
        self != Flag::Normal
    }

    /// Whether the value is critical (panic) and needs action now.
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            Flag::CriticalLow | Flag::CriticalHigh | Flag::CriticalAbnormal
        )
    }
}

/// Where a flag came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagSource {
    /// The `interpretation` the lab sent.
    Interpretation,
    /// Computed by rounds from the value and the reference range.
    Range,
}

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
    comparator: Option<String>,
    unit_code: Option<String>,
}

impl ShownValue {
    /// `5.4 mmol/L`, `96%`, `Positive`; a quantity without unit is marked `(no unit)`.
    pub fn text(&self) -> String {
        if self.absent || self.number.is_none() || !self.unit.is_empty() {
            return join_unit(&self.value, &self.unit);
        }
        if self.unit_code.as_deref() == Some("1") {
            return self.value.clone();
        }
        format!("{} (no unit)", self.value)
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
    let reason = v.data_absent_reason.as_ref().and_then(|c| c.label());
    let mut shown = ShownValue::plain(match reason {
        Some(r) => format!("No result ({})", r.trim()),
        None => NOT_KNOWN.to_owned(),
    });
    shown.absent = true;
    shown
}

/// The flag a lab sent in `interpretation` (HL7 v3 ObservationInterpretation), and the
/// interpretation's own words.
pub fn interpretation_flag(list: &[CodeableConcept]) -> (Option<Flag>, Option<String>) {
    for c in list {
        let flag = c.coding.iter().find_map(|cd| {
            Some(match cd.code.as_deref()?.trim() {
                "HH" | ">" => Flag::CriticalHigh,
                "H" | "HU" | "H>" => Flag::High,
                "LL" | "<" => Flag::CriticalLow,
                "L" | "LU" | "L<" => Flag::Low,
                "AA" => Flag::CriticalAbnormal,
                "A" | "POS" | "DET" | "R" | "W" => Flag::Abnormal,
                "N" | "NEG" | "ND" | "S" => Flag::Normal,
                _ => return None,
            })
        });
        let text = c.label().map(|s| s.trim().to_owned());
        if flag.is_some() || text.is_some() {
            return (flag, text);
        }
    }
    (None, None)
}

/// The reference range to judge by: the first "normal" (or untyped) range.
pub fn pick_range(ranges: &[ReferenceRange]) -> Option<&ReferenceRange> {
    ranges
        .iter()
        .find(|r| {
            r.type_.as_ref().is_none_or(|t| t.has_code("normal"))
                && (r.low.is_some() || r.high.is_some() || r.text.is_some())
        })
        .or_else(|| ranges.first())
}

/// The range in words: `3.5-5.1`, `>=60`, `<=5`, or its text. The unit is added only when
/// it differs from the value's.
pub fn range_text(r: &ReferenceRange, value_unit: &str) -> Option<String> {
    let numeric = range(&crate::fhir::model::Range {
        low: r.low.clone(),
        high: r.high.clone(),
    });
    let numeric = numeric.map(|s| {
        let unit = r
            .low
            .as_ref()
            .or(r.high.as_ref())
            .map(quantity_unit)
            .unwrap_or_default();
        if !unit.is_empty() && unit == value_unit {
            strip_unit(&s, &unit)
        } else {
            s
        }
    });
    numeric.or_else(|| {
        r.text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    })
}

fn strip_unit(s: &str, unit: &str) -> String {
    s.strip_suffix(unit)
        .map(|t| t.trim_end().to_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// High, low or normal from the range, when the value is a number in the range's unit.
/// A value with a comparator (`<0.3`) is judged only where the answer is certain: `<0.3`
/// against an upper limit of 5 is normal, against a lower limit of 1 it is low.
/// `None` when they cannot be compared (other units, no bounds, an uncertain comparator).
pub fn computed_flag(
    v: &ShownValue,
    r: &ReferenceRange,
    q_unit: Option<&Quantity>,
) -> Option<Flag> {
    let n = v.number?;
    let same_unit = |b: &Quantity| {
        let b_unit = quantity_unit(b);
        b_unit.is_empty()
            || b_unit == v.unit
            || (b.code.is_some() && b.code.as_deref() == q_unit.and_then(|q| q.code.as_deref()))
    };
    let low = r
        .low
        .as_ref()
        .filter(|b| same_unit(b))
        .and_then(|b| b.value);
    let high = r
        .high
        .as_ref()
        .filter(|b| same_unit(b))
        .and_then(|b| b.value);
    if r.low.is_some() && low.is_none() || r.high.is_some() && high.is_none() {
        return None;
    }
    match v.comparator.as_deref().map(str::trim) {
        None => match (low, high) {
            (None, None) => None,
            (Some(l), _) if n < l => Some(Flag::Low),
            (_, Some(h)) if n > h => Some(Flag::High),
            _ => Some(Flag::Normal),
        },
        Some("<" | "<=") => match (low, high) {
            (Some(l), _) if n <= l => Some(Flag::Low),
            (None, Some(h)) if n <= h => Some(Flag::Normal),
            _ => None,
        },
        Some(">" | ">=") => match (low, high) {
            (_, Some(h)) if n >= h => Some(Flag::High),
            (Some(l), None) if n >= l => Some(Flag::Normal),
            _ => None,
        },
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::model::Observation;

    fn obs(json: &str) -> Observation {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn values_in_words() {
        let o = obs(r#"{"valueQuantity":{"value":5.0,"unit":"mmol/L"}}"#);
        assert_eq!(show_value(&o.value()).text(), "5 mmol/L");
        let o = obs(r#"{"valueQuantity":{"value":0.3,"comparator":"<","unit":"mg/L"}}"#);
        assert_eq!(show_value(&o.value()).text(), "<0.3 mg/L");
        let o = obs(r#"{"valueQuantity":{"value":7}}"#);
        assert_eq!(show_value(&o.value()).text(), "7 (no unit)");
        let o = obs(r#"{"valueCodeableConcept":{"text":"E. coli >100,000 CFU/mL"}}"#);
        assert_eq!(show_value(&o.value()).text(), "E. coli >100,000 CFU/mL");
        let o = obs(r#"{"dataAbsentReason":{"text":"Specimen hemolyzed"}}"#);
        let v = show_value(&o.value());
        assert!(v.absent);
        assert_eq!(v.text(), "No result (Specimen hemolyzed)");
        assert_eq!(show_value(&obs("{}").value()).text(), "Not known");
        assert_eq!(
            show_value(&obs(r#"{"valueBoolean":false}"#).value()).text(),
            "No"
        );
    }

    #[test]
    fn flags_from_interpretation_then_range() {
        let o = obs(r#"{"valueQuantity":{"value":6.8,"unit":"mmol/L"},
            "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"HH"}]}],
            "referenceRange":[{"low":{"value":3.5,"unit":"mmol/L"},"high":{"value":5.1,"unit":"mmol/L"}}]}"#);
        assert_eq!(
            interpretation_flag(&o.interpretation).0,
            Some(Flag::CriticalHigh)
        );
        let r = pick_range(&o.reference_range).unwrap();
        assert_eq!(range_text(r, "mmol/L").unwrap(), "3.5-5.1");
        let v = show_value(&o.value());
        assert_eq!(
            computed_flag(&v, r, o.value_quantity.as_ref()),
            Some(Flag::High)
        );

        let low = obs(
            r#"{"valueQuantity":{"value":52,"unit":"mL/min"},"referenceRange":[{"low":{"value":60,"unit":"mL/min"}}]}"#,
        );
        let r = pick_range(&low.reference_range).unwrap();
        assert_eq!(range_text(r, "mL/min").unwrap(), ">=60");
        assert_eq!(
            computed_flag(&show_value(&low.value()), r, None),
            Some(Flag::Low)
        );

        let text = obs(
            r#"{"valueQuantity":{"value":0.02,"unit":"ng/mL"},"referenceRange":[{"text":"<0.04 ng/mL"}]}"#,
        );
        let r = pick_range(&text.reference_range).unwrap();
        assert_eq!(range_text(r, "ng/mL").unwrap(), "<0.04 ng/mL");
        assert_eq!(computed_flag(&show_value(&text.value()), r, None), None);

        let other_unit = obs(
            r#"{"valueQuantity":{"value":100,"unit":"mg/dL"},"referenceRange":[{"low":{"value":3,"unit":"mmol/L"},"high":{"value":6,"unit":"mmol/L"}}]}"#,
        );
        let r = pick_range(&other_unit.reference_range).unwrap();
        assert_eq!(
            computed_flag(&show_value(&other_unit.value()), r, None),
            None
        );
        assert_eq!(range_text(r, "mg/dL").unwrap(), "3-6 mmol/L");

        let judge = |value: &str, range: &str| {
            let o = obs(&format!(
                r#"{{"valueQuantity":{value},"referenceRange":[{range}]}}"#
            ));
            computed_flag(
                &show_value(&o.value()),
                pick_range(&o.reference_range).unwrap(),
                None,
            )
        };
        let high5 = r#"{"high":{"value":5,"unit":"mg/L"}}"#;
        let low1 = r#"{"low":{"value":1,"unit":"mg/L"}}"#;
        let both = r#"{"low":{"value":1,"unit":"mg/L"},"high":{"value":5,"unit":"mg/L"}}"#;
        assert_eq!(
            judge(r#"{"value":0.3,"comparator":"<","unit":"mg/L"}"#, high5),
            Some(Flag::Normal)
        );
        assert_eq!(
            judge(r#"{"value":0.3,"comparator":"<","unit":"mg/L"}"#, low1),
            Some(Flag::Low)
        );
        assert_eq!(
            judge(r#"{"value":3,"comparator":"<","unit":"mg/L"}"#, both),
            None
        );
        assert_eq!(
            judge(r#"{"value":90,"comparator":">","unit":"mg/L"}"#, both),
            Some(Flag::High)
        );
        assert_eq!(
            judge(r#"{"value":2,"comparator":">=","unit":"mg/L"}"#, low1),
            Some(Flag::Normal)
        );
    }

    #[test]
    fn flag_symbols() {
        let all = [
            Flag::CriticalLow,
            Flag::Low,
            Flag::Normal,
            Flag::High,
            Flag::CriticalHigh,
            Flag::Abnormal,
            Flag::CriticalAbnormal,
        ];
        let symbols: Vec<&str> = all.iter().map(|f| f.symbol()).collect();
        assert_eq!(symbols, ["LL", "L", "", "H", "HH", "!", "!!"]);
        assert!(Flag::CriticalHigh.is_critical() && !Flag::High.is_critical());
    }
}
