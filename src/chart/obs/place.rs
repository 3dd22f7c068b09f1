//! Where an observation belongs on the chart: lab results, vital signs, or "Other results".
//!
//! The HL7 `category` decides when it says something rounds knows. When it does not (no
//! category, only a data-absent-reason coding, or codes from a system rounds does not
//! know, such as a vendor's own list), the LOINC code and the value decide: vital-sign
//! codes are a known list, anything else with a value is a result. What still cannot be
//! placed (no value, no known code) goes to "Other results", never nowhere.

use serde::Serialize;

use crate::fhir::Section;
use crate::fhir::model::{CodeableConcept, Observation, ObservationValue};

/// The HL7 observation category code system.
const CATEGORY_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/observation-category";

/// LOINC codes of vital signs and their parts (US Core vital signs, pulse oximetry with
/// inhaled oxygen, paediatric growth percentiles, pain).
pub const VITAL_CODES: [&str; 36] = [
    "85353-1", "85354-9", "55284-4", "35094-2", "8480-6", "8462-4", "96607-7", "96608-5",
    "96609-3", "8867-4", "9279-1", "8310-5", "8331-1", "8332-9", "8333-7", "59408-5", "2708-6",
    "59417-6", "3151-8", "3150-0", "19994-3", "29463-7", "3141-9", "8350-1", "8302-2", "8306-3",
    "8308-9", "39156-5", "9843-4", "8287-5", "59576-9", "77606-2", "8289-1", "72514-3", "38208-5",
    "8478-0",
];

/// Where an observation is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Lab results (category laboratory, or a result with no usable category).
    Lab,
    /// Vital signs (category vital-signs, or a vital-sign LOINC code).
    Vital,
    /// "Other results": social history, surveys, exams, and what could not be placed.
    Other,
}

/// Where `o` is listed, and whether it was placed by its category (`true`) or had to be
/// placed by its code and value.
pub fn place(o: &Observation) -> (Place, bool) {
    if let Some(p) = by_category(&o.category) {
        return (p, true);
    }
    let code = o.code.as_ref();
    let p = if code.is_some_and(is_vital_code) {
        Place::Vital
    } else if has_value(o) {
        Place::Lab
    } else {
        Place::Other
    };
    (p, false)
}

/// The record section an Observation is read with: vital signs where it is placed there,
/// else labs (whose section also holds "Other results").
pub fn observation_section(o: &Observation) -> Section {
    match place(o).0 {
        Place::Vital => Section::Vitals,
        Place::Lab | Place::Other => Section::Labs,
    }
}

/// Whether a concept carries a vital-sign LOINC code.
pub fn is_vital_code(c: &CodeableConcept) -> bool {
    VITAL_CODES.iter().any(|v| c.has_code(v))
}

/// The place the categories give, when one of them is an HL7 category (or an unsystemed
/// code spelled as one). Laboratory wins over vital signs, both over the rest.
fn by_category(categories: &[CodeableConcept]) -> Option<Place> {
    let codes: Vec<&str> = categories
        .iter()
        .flat_map(|c| &c.coding)
        .filter(|c| c.system.as_deref().is_none_or(|s| s == CATEGORY_SYSTEM))
        .filter_map(|c| c.code.as_deref().map(str::trim))
        .collect();
    if codes.contains(&"laboratory") {
        Some(Place::Lab)
    } else if codes.contains(&"vital-signs") {
        Some(Place::Vital)
    } else if codes.iter().any(|c| {
        matches!(
            *c,
            "social-history" | "survey" | "exam" | "imaging" | "procedure" | "therapy" | "activity"
        )
    }) {
        Some(Place::Other)
    } else {
        None
    }
}

/// Whether the observation has a value of its own or in a component (not only a reason
/// it is absent).
pub fn has_value(o: &Observation) -> bool {
    let valued = |v: ObservationValue| {
        ObservationValue {
            data_absent_reason: None,
            ..v
        } != ObservationValue::default()
    };
    valued(o.value()) || o.component.iter().any(|c| valued(c.value()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(json: &str) -> Observation {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn category_first_then_code_and_value() {
        let lab = obs(
            r#"{"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
                "code":{"coding":[{"code":"29463-7"}]}}"#,
        );
        assert_eq!(place(&lab), (Place::Lab, true));
        let social =
            obs(r#"{"category":[{"coding":[{"code":"social-history"}]}],"valueString":"x"}"#);
        assert_eq!(place(&social), (Place::Other, true));
        let weight = obs(
            r#"{"code":{"coding":[{"system":"http://loinc.org","code":"29463-7"}]},"valueQuantity":{"value":68.4}}"#,
        );
        assert_eq!(place(&weight), (Place::Vital, false));
        // Only a data-absent-reason coding, or an unknown system: placed by code and value.
        let absent = obs(
            r#"{"category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"unknown"}]}],
                "code":{"coding":[{"code":"82810-3"}]},"valueCodeableConcept":{"text":"Not pregnant"}}"#,
        );
        assert_eq!(place(&absent), (Place::Lab, false));
        let local = obs(
            r#"{"category":[{"coding":[{"system":"urn:oid:2.999","code":"laboratory"}]}],
                "code":{"text":"Hb"},"valueQuantity":{"value":10.2}}"#,
        );
        assert_eq!(place(&local), (Place::Lab, false));
        let nothing = obs(r#"{"code":{"text":"Panel"},"dataAbsentReason":{"text":"x"}}"#);
        assert_eq!(place(&nothing), (Place::Other, false));
    }
}
