//! The reference range of an observation: which one to judge by, and how to write it
//! (`3.5-5.1`, `>=60`, or the lab's own text).

use crate::chart::format::{quantity_unit, range};
use crate::fhir::model::ReferenceRange;

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

/// Whether the range is upside down as sent (low above high): it is shown as sent, marked,
/// and never used to flag a value.
pub fn inverted(r: &ReferenceRange) -> bool {
    match (
        r.low.as_ref().and_then(|q| q.value),
        r.high.as_ref().and_then(|q| q.value),
    ) {
        (Some(low), Some(high)) => {
            let (lu, hu) = (
                r.low.as_ref().map(quantity_unit),
                r.high.as_ref().map(quantity_unit),
            );
            low > high && (lu == hu || lu.as_deref() == Some("") || hu.as_deref() == Some(""))
        }
        _ => false,
    }
}

/// The range in words: `3.5-5.1`, `>=60`, `<=5`, or its text; an inverted one says so
/// (`5.1-3.5 (inverted, not used)`). The unit is added only when it differs from the
/// value's.
pub fn range_text(r: &ReferenceRange, value_unit: &str) -> Option<String> {
    let text = range_words(r, value_unit)?;
    Some(if inverted(r) {
        format!("{text} (inverted, not used)")
    } else {
        text
    })
}

fn range_words(r: &ReferenceRange, value_unit: &str) -> Option<String> {
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
