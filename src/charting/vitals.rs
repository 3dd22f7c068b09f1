//! Vital signs as typed: `128/82`, `72`, `37.2C` or `99.0F`, `70.5kg` or `155lb`, `170cm`
//! or `67in`, parsed into numbers with their units (UCUM), each with its US Core code. A
//! value that cannot be read is refused with the reason; what it means clinically is
//! `check`'s business.

use serde::{Deserialize, Serialize};

/// A temperature unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TempUnit {
    Celsius,
    Fahrenheit,
}

/// A weight unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MassUnit {
    Kg,
    Lb,
}

/// A length unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LengthUnit {
    Cm,
    In,
}

/// A number with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measured<U> {
    pub value: f64,
    pub unit: U,
}

impl Measured<TempUnit> {
    pub fn celsius(&self) -> f64 {
        match self.unit {
            TempUnit::Celsius => self.value,
            TempUnit::Fahrenheit => (self.value - 32.0) * 5.0 / 9.0,
        }
    }
    pub fn ucum(&self) -> &'static str {
        match self.unit {
            TempUnit::Celsius => "Cel",
            TempUnit::Fahrenheit => "[degF]",
        }
    }
}

impl Measured<MassUnit> {
    pub fn kg(&self) -> f64 {
        match self.unit {
            MassUnit::Kg => self.value,
            MassUnit::Lb => self.value * 0.453_592_37,
        }
    }
    pub fn ucum(&self) -> &'static str {
        match self.unit {
            MassUnit::Kg => "kg",
            MassUnit::Lb => "[lb_av]",
        }
    }
}

impl Measured<LengthUnit> {
    pub fn cm(&self) -> f64 {
        match self.unit {
            LengthUnit::Cm => self.value,
            LengthUnit::In => self.value * 2.54,
        }
    }
    pub fn ucum(&self) -> &'static str {
        match self.unit {
            LengthUnit::Cm => "cm",
            LengthUnit::In => "[in_i]",
        }
    }
}

/// The vital signs taken at one time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VitalsEntry {
    /// Systolic and diastolic, mmHg.
    pub bp: Option<(f64, f64)>,
    /// Heart rate, /min.
    pub hr: Option<f64>,
    /// Respiratory rate, /min.
    pub rr: Option<f64>,
    pub temp: Option<Measured<TempUnit>>,
    /// Oxygen saturation, %.
    pub spo2: Option<f64>,
    /// Inhaled oxygen flow, L/min (with SpO2).
    pub o2_flow: Option<f64>,
    pub weight: Option<Measured<MassUnit>>,
    pub height: Option<Measured<LengthUnit>>,
}

impl VitalsEntry {
    /// Whether nothing was entered.
    pub fn is_empty(&self) -> bool {
        self == &VitalsEntry::default()
    }

    /// The entry in a few words: `BP 128/82  HR 72  Temp 37.2 °C`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        let n = crate::chart::format::decimal;
        if let Some((s, d)) = self.bp {
            parts.push(format!("BP {}/{}", n(s), n(d)));
        }
        if let Some(v) = self.hr {
            parts.push(format!("HR {}", n(v)));
        }
        if let Some(v) = self.rr {
            parts.push(format!("RR {}", n(v)));
        }
        if let Some(t) = self.temp {
            parts.push(format!(
                "Temp {} {}",
                n(t.value),
                crate::chart::format::unit(t.ucum())
            ));
        }
        if let Some(v) = self.spo2 {
            parts.push(format!("SpO2 {}%", n(v)));
        }
        if let Some(v) = self.o2_flow {
            parts.push(format!("O2 {} L/min", n(v)));
        }
        if let Some(w) = self.weight {
            parts.push(format!(
                "Wt {} {}",
                n(w.value),
                crate::chart::format::unit(w.ucum())
            ));
        }
        if let Some(h) = self.height {
            parts.push(format!(
                "Ht {} {}",
                n(h.value),
                crate::chart::format::unit(h.ucum())
            ));
        }
        parts.join("  ")
    }
}

/// A number as typed (`72`, `37.2`, `0.5`); refused with the reason otherwise.
pub fn number(what: &str, text: &str) -> Result<f64, String> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && !t.starts_with('+') => Ok(v),
        _ => Err(format!(
            "{what} '{}' is not a number",
            crate::text::clean_line(text)
        )),
    }
}

/// `128/82`.
pub fn parse_bp(text: &str) -> Result<(f64, f64), String> {
    let (s, d) = text.split_once('/').ok_or_else(|| {
        format!(
            "blood pressure '{}' must be SYSTOLIC/DIASTOLIC, e.g. 128/82",
            crate::text::clean_line(text)
        )
    })?;
    Ok((number("systolic", s)?, number("diastolic", d)?))
}

/// A number followed by one of `units` (case-insensitive); the first unit when none is
/// given and `default` allows it.
fn with_unit<U: Copy>(
    what: &str,
    text: &str,
    units: &[(&str, U)],
    default: Option<U>,
) -> Result<Measured<U>, String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_end_matches('.');
    for (suffix, unit) in units {
        if let Some(num) = t.strip_suffix(suffix) {
            return Ok(Measured {
                value: number(what, num.trim().trim_end_matches('°'))?,
                unit: *unit,
            });
        }
    }
    match default {
        Some(unit) => Ok(Measured {
            value: number(what, t)?,
            unit,
        }),
        None => Err(format!(
            "{what} '{}' needs a unit: {}",
            crate::text::clean_line(text),
            units.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// `37.2C`, `99.0F` (a unit is required: a wrong guess is a 2-degree error).
pub fn parse_temp(text: &str) -> Result<Measured<TempUnit>, String> {
    with_unit(
        "temperature",
        text,
        &[("c", TempUnit::Celsius), ("f", TempUnit::Fahrenheit)],
        None,
    )
}

/// `70.5kg`, `155lb`.
pub fn parse_weight(text: &str) -> Result<Measured<MassUnit>, String> {
    with_unit(
        "weight",
        text,
        &[
            ("kg", MassUnit::Kg),
            ("lbs", MassUnit::Lb),
            ("lb", MassUnit::Lb),
        ],
        None,
    )
}

/// `170cm`, `67in`.
pub fn parse_height(text: &str) -> Result<Measured<LengthUnit>, String> {
    with_unit(
        "height",
        text,
        &[("cm", LengthUnit::Cm), ("in", LengthUnit::In)],
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_with_their_units_or_refused_with_the_reason() {
        assert_eq!(parse_bp("128/82"), Ok((128.0, 82.0)));
        assert!(parse_bp("128").unwrap_err().contains("SYSTOLIC/DIASTOLIC"));
        assert!(
            parse_bp("a/82")
                .unwrap_err()
                .contains("'a' is not a number")
        );
        let t = parse_temp("99.0F").unwrap();
        assert_eq!(t.unit, TempUnit::Fahrenheit);
        assert!((t.celsius() - 37.222).abs() < 0.01);
        assert_eq!(parse_temp("37.2 c").unwrap().unit, TempUnit::Celsius);
        assert!(parse_temp("37.2").unwrap_err().contains("needs a unit"));
        assert!((parse_weight("155lb").unwrap().kg() - 70.3).abs() < 0.1);
        assert_eq!(parse_height("170cm").unwrap().cm(), 170.0);
        assert!((parse_height("67in").unwrap().cm() - 170.18).abs() < 0.01);
        assert!(number("hr", "NaN").is_err());
        let e = VitalsEntry {
            bp: Some((128.0, 82.0)),
            hr: Some(72.0),
            temp: Some(parse_temp("37.2C").unwrap()),
            ..VitalsEntry::default()
        };
        assert_eq!(e.summary(), "BP 128/82  HR 72  Temp 37.2 °C");
    }
}
