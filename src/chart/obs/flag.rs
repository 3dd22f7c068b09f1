//! The abnormal flag of a value: taken from the `interpretation` the lab sent, or computed
//! from the reference range when the value and the range can be compared; never guessed.

use serde::Serialize;

use super::value::ShownValue;
use crate::chart::format::quantity_unit;
use crate::fhir::model::{CodeableConcept, Quantity, ReferenceRange};

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
    if super::range::inverted(r) {
        return None;
    }
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
