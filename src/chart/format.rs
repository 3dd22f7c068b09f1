//! Clinical number and unit formatting: no trailing zeros (`5 mg`, never `5.0 mg`), a
//! leading zero (`0.5`), a unit on every value, and readable forms of UCUM unit codes.

use crate::fhir::model::{Quantity, Range, Ratio};

/// What the chart shows where a value is missing: never a blank.
pub const NOT_KNOWN: &str = "Not known";

/// A decimal as a clinician reads it: shortest form, no trailing zeros, a leading zero, no
/// exponent. Machine-noise precision (more than 6 significant digits, as some generators
/// and unit conversions produce) is rounded to 4 significant digits, keeping every integer
/// digit; the JSON output keeps the value as sent.
pub fn decimal(v: f64) -> String {
    if !v.is_finite() {
        return NOT_KNOWN.to_owned();
    }
    if v == 0.0 {
        // Also -0, which a server may send: never "-0".
        return "0".to_owned();
    }
    let plain = trim_zeros(format!("{v}"));
    let digits = plain
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    let significant = digits.trim_start_matches('0').len();
    if significant <= 6 {
        return plain;
    }
    let int_digits = format!("{}", v.abs().trunc()).trim_start_matches('0').len();
    let decimals = if int_digits >= 4 {
        0
    } else if int_digits > 0 {
        4 - int_digits
    } else {
        // Below 1: keep 4 significant digits after the leading zeros.
        let lead = (-v.abs().log10().floor()) as usize;
        lead + 3
    };
    let rounded = trim_zeros(format!("{v:.decimals$}"));
    if rounded == "-0" {
        "0".to_owned()
    } else {
        rounded
    }
}

/// `decimal`, with at most `places` decimal places: for measurements charted to a set
/// precision (a height of 111.506 cm is shown as 111.5 cm; the JSON keeps the number).
/// Never more digits than `decimal` gives.
pub fn decimal_places(v: f64, places: usize) -> String {
    let plain = decimal(v);
    if !v.is_finite() {
        return plain;
    }
    let rounded = trim_zeros(format!("{v:.places$}"));
    let rounded = if rounded == "-0" {
        "0".to_owned()
    } else {
        rounded
    };
    if rounded.len() < plain.len() {
        rounded
    } else {
        plain
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A readable form of a unit given as a UCUM code or free text. Annotations in braces are
/// unwrapped (`{score}` gives `score`), the dimensionless `1` gives an empty unit.
pub fn unit(u: &str) -> String {
    let u = u.trim();
    let mapped = match u {
        "Cel" | "degC" | "°C" => "°C",
        "[degF]" | "degF" | "°F" => "°F",
        "mm[Hg]" => "mmHg",
        "[lb_av]" => "lb",
        "[in_i]" => "in",
        "[iU]" | "[IU]" => "units",
        "[iU]/L" => "units/L",
        "1" => "",
        "/min" => "/min",
        "mL/min/{1.73_m2}" => "mL/min/1.73m²",
        "kg/m2" => "kg/m²",
        _ => "",
    };
    if !mapped.is_empty() || u == "1" {
        return mapped.to_owned();
    }
    let mut out = u.replace("10*", "10^");
    if out.starts_with('{') && out.ends_with('}') && out.len() > 2 {
        out = out[1..out.len() - 1].to_owned();
    }
    out
}

/// The unit of a quantity: its `unit` text, else its `code`; empty when neither is given.
pub fn quantity_unit(q: &Quantity) -> String {
    q.unit
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .or(q.code.as_deref())
        .map(unit)
        .unwrap_or_default()
}

/// Whether a quantity's unit says only that it is not known (`unknown`, `UNK`): a
/// placeholder such as a migrated dose of `0 unknown`, not a measurement.
pub fn unit_unknown(q: &Quantity) -> bool {
    [q.unit.as_deref(), q.code.as_deref()]
        .into_iter()
        .flatten()
        .map(|u| u.trim().to_ascii_lowercase())
        .any(|u| {
            matches!(
                u.as_str(),
                "unknown" | "unk" | "unknown unit" | "nullflavor"
            )
        })
}

/// `5 mg`, `<0.3 mg/L`, `0.5 tablet`. A value without a unit is marked `(no unit)` so a
/// missing unit is never mistaken for a unitless number. `Not known` without a value, and
/// for a placeholder whose unit is "unknown" (a zero then is no dose at all; any other
/// number says its unit is not known).
pub fn quantity(q: &Quantity) -> String {
    let Some(v) = q.value else {
        return NOT_KNOWN.to_owned();
    };
    if unit_unknown(q) {
        return if v == 0.0 {
            NOT_KNOWN.to_owned()
        } else {
            format!("{} (unit not known)", decimal(v))
        };
    }
    let comparator = q.comparator.as_deref().unwrap_or("").trim();
    let u = quantity_unit(q);
    let dimensionless = matches!(q.code.as_deref(), Some("1")) && q.system.is_some();
    if u.is_empty() && !dimensionless {
        return format!("{comparator}{} (no unit)", decimal(v));
    }
    join_unit(&format!("{comparator}{}", decimal(v)), &u)
}

/// `value unit`, or `value` alone when the unit is empty; `%` and per-units (`/min`) are
/// written without a space.
pub fn join_unit(value: &str, unit: &str) -> String {
    if unit.is_empty() {
        value.to_owned()
    } else if unit == "%" || unit.starts_with('/') {
        format!("{value}{unit}")
    } else {
        format!("{value} {unit}")
    }
}

/// `1-2 tablets` style: `low-high unit`, with the unit once when both ends share it.
pub fn range(r: &Range) -> Option<String> {
    match (&r.low, &r.high) {
        (Some(lo), Some(hi)) if lo.value.is_some() && hi.value.is_some() => {
            let (lu, hu) = (quantity_unit(lo), quantity_unit(hi));
            let lo_v = lo.value.map(decimal).unwrap_or_default();
            let hi_v = hi.value.map(decimal).unwrap_or_default();
            Some(if lu == hu || lu.is_empty() {
                join_unit(&format!("{lo_v}-{hi_v}"), &hu)
            } else {
                format!("{}-{}", join_unit(&lo_v, &lu), join_unit(&hi_v, &hu))
            })
        }
        (Some(lo), _) if lo.value.is_some() => Some(format!(">={}", quantity(lo))),
        (_, Some(hi)) if hi.value.is_some() => Some(format!("<={}", quantity(hi))),
        _ => None,
    }
}

/// `1:128` or `500 mg/1 tablet`.
pub fn ratio(r: &Ratio) -> Option<String> {
    let n = r.numerator.as_ref()?;
    let d = r.denominator.as_ref()?;
    let (nu, du) = (quantity_unit(n), quantity_unit(d));
    let nv = decimal(n.value?);
    let dv = decimal(d.value?);
    Some(if nu.is_empty() && du.is_empty() {
        format!("{nv}:{dv}")
    } else if dv == "1" {
        format!(
            "{}/{}",
            join_unit(&nv, &nu),
            if du.is_empty() { "1".to_owned() } else { du }
        )
    } else {
        format!("{}/{}", join_unit(&nv, &nu), join_unit(&dv, &du))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(v: f64, u: &str) -> Quantity {
        Quantity {
            value: Some(v),
            unit: Some(u.into()),
            ..Quantity::default()
        }
    }

    #[test]
    fn decimals_have_no_trailing_zeros_and_a_leading_zero() {
        assert_eq!(decimal(5.0), "5");
        assert_eq!(decimal(0.5), "0.5");
        assert_eq!(decimal(-0.25), "-0.25");
        assert_eq!(decimal(12.345), "12.345");
        assert_eq!(decimal(0.005), "0.005");
        assert_eq!(decimal(1_000_000.0), "1000000");
        assert_eq!(decimal(1e-7), "0.0000001");
        assert_eq!(decimal(f64::NAN), "Not known");
        assert_eq!(decimal(-0.0), "0");
    }

    #[test]
    fn set_precision_rounds_only_what_has_more_places() {
        assert_eq!(decimal_places(111.506, 1), "111.5");
        assert_eq!(decimal_places(68.4, 1), "68.4");
        assert_eq!(decimal_places(3.4567, 3), "3.457");
        assert_eq!(decimal_places(37.0, 1), "37");
        assert_eq!(decimal_places(-0.01, 1), "0");
        // Machine noise is still cut to 4 significant digits.
        assert_eq!(decimal_places(64.593_036_917_411_3, 3), "64.59");
    }

    #[test]
    fn machine_noise_is_rounded_to_four_significant_digits() {
        assert_eq!(decimal(177.94489581723397), "177.9");
        assert_eq!(decimal(5.403_000_000_001), "5.403");
        assert_eq!(decimal(0.921_738_815_031_466_7), "0.9217");
        assert_eq!(decimal(0.000_123_456_789), "0.0001235");
        assert_eq!(decimal(518.970_334_891_628_7), "519");
        assert_eq!(decimal(144_297.732_011_631_58), "144298");
        assert_eq!(decimal(1.999_999_999_9), "2");
    }

    #[test]
    fn quantities_always_carry_a_unit() {
        assert_eq!(quantity(&q(5.0, "mg")), "5 mg");
        assert_eq!(quantity(&q(0.5, "tablet")), "0.5 tablet");
        assert_eq!(quantity(&q(37.1, "Cel")), "37.1 °C");
        assert_eq!(quantity(&q(96.0, "%")), "96%");
        assert_eq!(quantity(&q(6.0, "10*3/uL")), "6 10^3/uL");
        assert_eq!(quantity(&q(2.0, "{score}")), "2 score");
        let bare = Quantity {
            value: Some(7.0),
            ..Quantity::default()
        };
        assert_eq!(quantity(&bare), "7 (no unit)");
        let lt = Quantity {
            comparator: Some("<".into()),
            ..q(0.3, "mg/L")
        };
        assert_eq!(quantity(&lt), "<0.3 mg/L");
        assert_eq!(quantity(&Quantity::default()), "Not known");
        let coded = Quantity {
            value: Some(1.1),
            system: Some("http://unitsofmeasure.org".into()),
            code: Some("1".into()),
            ..Quantity::default()
        };
        assert_eq!(quantity(&coded), "1.1");
        assert_eq!(quantity(&q(0.0, "unknown")), "Not known");
        assert_eq!(quantity(&q(2.0, "UNK")), "2 (unit not known)");
        assert_eq!(quantity(&q(38.2, "degC")), "38.2 °C");
    }

    #[test]
    fn ranges_and_ratios() {
        let r = Range {
            low: Some(q(3.5, "mmol/L")),
            high: Some(q(5.1, "mmol/L")),
        };
        assert_eq!(range(&r).unwrap(), "3.5-5.1 mmol/L");
        let hi = Range {
            low: None,
            high: Some(q(5.0, "mg/L")),
        };
        assert_eq!(range(&hi).unwrap(), "<=5 mg/L");
        assert_eq!(range(&Range::default()), None);
        let strength = Ratio {
            numerator: Some(q(500.0, "mg")),
            denominator: Some(q(1.0, "tablet")),
        };
        assert_eq!(ratio(&strength).unwrap(), "500 mg/tablet");
        let titre = Ratio {
            numerator: Some(Quantity {
                value: Some(1.0),
                ..Quantity::default()
            }),
            denominator: Some(Quantity {
                value: Some(128.0),
                ..Quantity::default()
            }),
        };
        assert_eq!(ratio(&titre).unwrap(), "1:128");
    }
}
