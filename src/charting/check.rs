//! The three tiers of checking vital signs before they are kept (as OpenMRS does with its
//! absolute, critical and normal ranges):
//!
//! - **impossible**: refused with the reason (systolic not above diastolic, SpO2 over 100,
//!   a time in the future or before birth, a number no living patient has);
//! - **implausible**: kept only after an explicit confirmation (`--yes`, or a second Enter
//!   in the form): systolic < 70 or > 220, heart rate < 40 or > 150, a temperature of
//!   93–108 entered as °C (a °F reading: offered), a weight > 10 % from the last, or
//!   about 2.2 times (or 1/2.2 of) it (a pound/kilogram slip), …;
//! - **abnormal**: flagged H or L as the chart flags them (adult normal ranges), and sent
//!   as the Observation's `interpretation` so every reader sees the same flag.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::vitals::{TempUnit, VitalsEntry};
use crate::chart::Flag;

/// The last values on the chart, to compare a new entry with (kg, cm, °C).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LastValues {
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
}

/// What checking found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Findings {
    /// Refused: each reason.
    pub impossible: Vec<String>,
    /// Needs a confirmation: each reason.
    pub implausible: Vec<String>,
    /// Abnormal values, by label (`BP`, `HR`, …), with their flag.
    #[serde(skip)]
    pub flags: Vec<(&'static str, Flag)>,
}

impl Findings {
    /// The flag of one vital sign, if abnormal.
    pub fn flag(&self, label: &str) -> Option<Flag> {
        self.flags
            .iter()
            .find(|(l, _)| *l == label)
            .map(|(_, f)| *f)
    }

    /// Whether it may be kept: nothing impossible, and nothing implausible unless
    /// `confirmed`.
    pub fn allows(&self, confirmed: bool) -> bool {
        self.impossible.is_empty() && (confirmed || self.implausible.is_empty())
    }
}

fn flag(value: f64, low: f64, high: f64) -> Option<Flag> {
    if value < low {
        Some(Flag::Low)
    } else if value > high {
        Some(Flag::High)
    } else {
        None
    }
}

/// Check `entry`, taken at `at`, against what is possible, plausible and normal.
pub fn check(
    entry: &VitalsEntry,
    at: &DateTime<FixedOffset>,
    now: &DateTime<FixedOffset>,
    birth_date: Option<NaiveDate>,
    last: &LastValues,
) -> Findings {
    let mut f = Findings::default();
    let n = crate::chart::format::decimal;
    if *at > *now + chrono::Duration::minutes(5) {
        f.impossible.push("the time is in the future".into());
    }
    if birth_date.is_some_and(|b| at.date_naive() < b) {
        f.impossible
            .push("the time is before the patient was born".into());
    }
    if let Some((s, d)) = entry.bp {
        if s <= d {
            f.impossible
                .push(format!("systolic {} is not above diastolic {}", n(s), n(d)));
        } else if !(20.0..=300.0).contains(&s) || !(10.0..=200.0).contains(&d) {
            f.impossible.push(format!(
                "blood pressure {}/{} mmHg is not possible",
                n(s),
                n(d)
            ));
        } else {
            if !(70.0..=220.0).contains(&s) {
                f.implausible
                    .push(format!("systolic {} mmHg (usual limits 70-220)", n(s)));
            }
            if !(30.0..=130.0).contains(&d) {
                f.implausible
                    .push(format!("diastolic {} mmHg (usual limits 30-130)", n(d)));
            }
            let worst = flag(s, 90.0, 139.0).or(flag(d, 60.0, 89.0));
            f.flags.extend(worst.map(|w| ("BP", w)));
        }
    }
    rate(
        &mut f,
        "HR",
        "heart rate",
        entry.hr,
        (1.0, 300.0),
        (40.0, 150.0),
        (60.0, 100.0),
    );
    rate(
        &mut f,
        "RR",
        "respiratory rate",
        entry.rr,
        (1.0, 100.0),
        (8.0, 40.0),
        (12.0, 20.0),
    );
    if let Some(t) = entry.temp {
        let c = t.celsius();
        if t.unit == TempUnit::Celsius && (93.0..=108.0).contains(&t.value) {
            f.implausible.push(format!(
                "temperature {} °C looks like a Fahrenheit reading: did you mean {}F?",
                n(t.value),
                n(t.value)
            ));
        } else if !(20.0..=46.0).contains(&c) {
            f.impossible.push(format!(
                "temperature {} {} is not possible",
                n(t.value),
                crate::chart::format::unit(t.ucum())
            ));
        } else {
            if !(34.0..=41.5).contains(&c) {
                f.implausible.push(format!(
                    "temperature {} {} (usual limits 34-41.5 °C)",
                    n(t.value),
                    crate::chart::format::unit(t.ucum())
                ));
            }
            f.flags.extend(flag(c, 36.0, 38.0).map(|w| ("Temp", w)));
        }
    }
    if let Some(s) = entry.spo2 {
        if !(0.0..=100.0).contains(&s) || s < 20.0 {
            f.impossible
                .push(format!("SpO2 {}% is not possible (at most 100)", n(s)));
        } else {
            if s < 80.0 {
                f.implausible.push(format!("SpO2 {}% (below 80)", n(s)));
            }
            f.flags.extend((s < 95.0).then_some(("SpO2", Flag::Low)));
        }
    }
    if let Some(o2) = entry.o2_flow {
        if !(0.0..=80.0).contains(&o2) {
            f.impossible
                .push(format!("oxygen flow {} L/min is not possible", n(o2)));
        } else if entry.spo2.is_none() {
            f.impossible
                .push("oxygen flow is recorded with an SpO2 (--spo2)".into());
        } else if o2 > 15.0 {
            f.implausible
                .push(format!("oxygen flow {} L/min (above 15)", n(o2)));
        }
    }
    if let Some(w) = entry.weight {
        let kg = w.kg();
        if !(0.2..=650.0).contains(&kg) {
            f.impossible.push(format!(
                "weight {} {} is not possible",
                n(w.value),
                crate::chart::format::unit(w.ucum())
            ));
        } else if let Some(last) = last.weight_kg.filter(|l| *l > 0.0) {
            let ratio = kg / last;
            if (2.0..=2.4).contains(&ratio) || (1.0 / 2.4..=1.0 / 2.0).contains(&ratio) {
                f.implausible.push(format!(
                    "weight {} {} is about 2.2 times (or 1/2.2 of) the last, {} kg: a pound/kilogram slip?",
                    n(w.value),
                    crate::chart::format::unit(w.ucum()),
                    n((last * 10.0).round() / 10.0)
                ));
            } else if (ratio - 1.0).abs() > 0.10 {
                f.implausible.push(format!(
                    "weight changed by more than 10% from the last, {} kg",
                    n((last * 10.0).round() / 10.0)
                ));
            }
        }
    }
    if let Some(h) = entry.height {
        let cm = h.cm();
        if !(20.0..=280.0).contains(&cm) {
            f.impossible.push(format!(
                "height {} {} is not possible",
                n(h.value),
                crate::chart::format::unit(h.ucum())
            ));
        } else if last
            .height_cm
            .is_some_and(|l| l > 0.0 && (cm / l - 1.0).abs() > 0.05)
        {
            f.implausible
                .push("height changed by more than 5% from the last".into());
        }
    }
    f
}

/// A rate (heart, respiratory): impossible, implausible and normal limits.
fn rate(
    f: &mut Findings,
    label: &'static str,
    what: &str,
    value: Option<f64>,
    possible: (f64, f64),
    plausible: (f64, f64),
    normal: (f64, f64),
) {
    let Some(v) = value else { return };
    let n = crate::chart::format::decimal;
    if v < possible.0 || v > possible.1 {
        f.impossible
            .push(format!("{what} {}/min is not possible", n(v)));
        return;
    }
    if v < plausible.0 || v > plausible.1 {
        f.implausible.push(format!(
            "{what} {}/min (usual limits {}-{})",
            n(v),
            n(plausible.0),
            n(plausible.1)
        ));
    }
    f.flags
        .extend(flag(v, normal.0, normal.1).map(|w| (label, w)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charting::vitals::{parse_temp, parse_weight};
    use chrono::TimeZone;

    fn now() -> DateTime<FixedOffset> {
        FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
            .unwrap()
    }

    fn run(entry: VitalsEntry, last: LastValues) -> Findings {
        check(
            &entry,
            &now(),
            &now(),
            NaiveDate::from_ymd_opt(1958, 3, 4),
            &last,
        )
    }

    #[test]
    fn three_tiers() {
        let f = run(
            VitalsEntry {
                bp: Some((80.0, 90.0)),
                spo2: Some(101.0),
                ..Default::default()
            },
            LastValues::default(),
        );
        assert_eq!(f.impossible.len(), 2, "{f:?}");
        assert!(!f.allows(true));
        let f = run(
            VitalsEntry {
                bp: Some((230.0, 100.0)),
                hr: Some(35.0),
                ..Default::default()
            },
            LastValues::default(),
        );
        assert!(f.impossible.is_empty());
        assert_eq!(f.implausible.len(), 2, "{f:?}");
        assert!(!f.allows(false) && f.allows(true));
        assert_eq!(f.flag("BP"), Some(Flag::High));
        assert_eq!(f.flag("HR"), Some(Flag::Low));
        let f = run(
            VitalsEntry {
                temp: Some(parse_temp("99.0C").unwrap()),
                ..Default::default()
            },
            LastValues::default(),
        );
        assert!(f.implausible[0].contains("did you mean 99F"), "{f:?}");
        let f = run(
            VitalsEntry {
                temp: Some(parse_temp("38.6C").unwrap()),
                hr: Some(72.0),
                ..Default::default()
            },
            LastValues::default(),
        );
        assert!(f.allows(false));
        assert_eq!(f.flag("Temp"), Some(Flag::High));
        assert_eq!(f.flag("HR"), None);
    }

    #[test]
    fn a_pound_kilogram_slip_and_a_future_time_are_caught() {
        let last = LastValues {
            weight_kg: Some(70.0),
            height_cm: None,
        };
        let f = run(
            VitalsEntry {
                weight: Some(parse_weight("155kg").unwrap()),
                ..Default::default()
            },
            last,
        );
        assert!(f.implausible[0].contains("pound/kilogram"), "{f:?}");
        let f = run(
            VitalsEntry {
                weight: Some(parse_weight("155lb").unwrap()),
                ..Default::default()
            },
            last,
        );
        assert!(f.implausible.is_empty(), "{f:?}");
        let later = now() + chrono::Duration::hours(2);
        let f = check(
            &VitalsEntry {
                hr: Some(70.0),
                ..Default::default()
            },
            &later,
            &now(),
            None,
            &last,
        );
        assert_eq!(f.impossible, ["the time is in the future"]);
        let early = FixedOffset::east_opt(0)
            .unwrap()
            .with_ymd_and_hms(1950, 1, 1, 0, 0, 0)
            .unwrap();
        let f = check(
            &VitalsEntry::default(),
            &early,
            &now(),
            NaiveDate::from_ymd_opt(1958, 3, 4),
            &last,
        );
        assert_eq!(f.impossible, ["the time is before the patient was born"]);
    }
}
