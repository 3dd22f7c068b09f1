//! The kinds of vital sign rounds knows by LOINC code, their short labels, the names a
//! known code gives (a paediatric percentile is named as one, whatever `code.text` says),
//! and the precision each is charted to.

use serde::Serialize;

use crate::fhir::model::CodeableConcept;

/// The kinds of vital sign rounds knows by LOINC code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VitalKind {
    BloodPressure,
    /// An average of several blood pressures (LOINC 96607-7).
    AverageBloodPressure,
    HeartRate,
    RespiratoryRate,
    Temperature,
    OxygenSaturation,
    /// Inhaled oxygen: flow (3151-8) or concentration (3150-0, 19994-3).
    InhaledOxygen,
    Weight,
    Height,
    BodyMassIndex,
    HeadCircumference,
    BmiPercentile,
    WeightForLengthPercentile,
    HeadCircumferencePercentile,
    Pain,
    Other,
}

impl VitalKind {
    /// The kind a code names. Specific codes are tested first: an average blood pressure
    /// also carries the plain panel code, a percentile may be sent with the text "BMI".
    pub fn from_code(code: &CodeableConcept) -> VitalKind {
        let has = |codes: &[&str]| codes.iter().any(|c| code.has_code(c));
        if has(&["96607-7"]) {
            VitalKind::AverageBloodPressure
        } else if has(&["85354-9", "55284-4", "35094-2"]) {
            VitalKind::BloodPressure
        } else if has(&["59576-9"]) {
            VitalKind::BmiPercentile
        } else if has(&["77606-2"]) {
            VitalKind::WeightForLengthPercentile
        } else if has(&["8289-1"]) {
            VitalKind::HeadCircumferencePercentile
        } else if has(&["8867-4"]) {
            VitalKind::HeartRate
        } else if has(&["9279-1"]) {
            VitalKind::RespiratoryRate
        } else if has(&["8310-5", "8331-1", "8332-9", "8333-7"]) {
            VitalKind::Temperature
        } else if has(&["59408-5", "2708-6", "59417-6"]) {
            VitalKind::OxygenSaturation
        } else if has(&["3151-8", "3150-0", "19994-3"]) {
            VitalKind::InhaledOxygen
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
            VitalKind::AverageBloodPressure => "BP (average)",
            VitalKind::HeartRate => "HR",
            VitalKind::RespiratoryRate => "RR",
            VitalKind::Temperature => "Temp",
            VitalKind::OxygenSaturation => "SpO2",
            VitalKind::InhaledOxygen => "O2",
            VitalKind::Weight => "Wt",
            VitalKind::Height => "Ht",
            VitalKind::BodyMassIndex => "BMI",
            VitalKind::HeadCircumference => "HC",
            VitalKind::BmiPercentile => "BMI-for-age",
            VitalKind::WeightForLengthPercentile => "Wt-for-length",
            VitalKind::HeadCircumferencePercentile => "HC-for-age",
            VitalKind::Pain => "Pain",
            VitalKind::Other => "",
        }
    }

    /// The name a code gives regardless of `code.text`, where the text is known to mislead
    /// (percentiles sent as "BMI").
    pub fn known_name(self) -> Option<&'static str> {
        match self {
            VitalKind::BmiPercentile => Some("BMI-for-age percentile"),
            VitalKind::WeightForLengthPercentile => Some("Weight-for-length percentile"),
            VitalKind::HeadCircumferencePercentile => Some("Head circumference percentile"),
            _ => None,
        }
    }

    /// Whether the value is a percentile (`65th percentile`, not `65%`).
    pub fn is_percentile(self) -> bool {
        self.known_name().is_some()
    }

    /// The decimal places a measurement is charted to (the JSON keeps the number as
    /// sent): temperature, length and BMI to 0.1, weight to the gram (0.001 kg); `None`
    /// for as sent.
    pub fn places(self) -> Option<usize> {
        match self {
            VitalKind::Temperature
            | VitalKind::Height
            | VitalKind::HeadCircumference
            | VitalKind::BodyMassIndex => Some(1),
            VitalKind::Weight => Some(3),
            _ => None,
        }
    }
}

/// `1st`, `2nd`, `3rd`, `11th`, `65th`, `97.5th`.
pub fn ordinal(n: &str) -> String {
    let whole = n.split('.').next().unwrap_or(n);
    let suffix = if n.contains('.') {
        "th"
    } else {
        let last_two = whole.len().saturating_sub(2);
        match (&whole[last_two..], whole.chars().last()) {
            ("11" | "12" | "13", _) => "th",
            (_, Some('1')) => "st",
            (_, Some('2')) => "nd",
            (_, Some('3')) => "rd",
            _ => "th",
        }
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let all: Vec<String> = ["1", "2", "3", "11", "12", "13", "21", "65", "97.5"]
            .iter()
            .map(|n| ordinal(n))
            .collect();
        assert_eq!(
            all,
            [
                "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "65th", "97.5th"
            ]
        );
    }
}
