//! AllergyIntolerance and Condition: what a patient reacts to and what they have.

use serde::{Deserialize, Serialize};

use super::datatypes::{Annotation, CodeableConcept, Period, Quantity, Range, Reference};

/// An allergy or intolerance, or a recorded absence of one (`AllergyIntolerance`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllergyIntolerance {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub clinical_status: Option<CodeableConcept>,
    #[serde(default)]
    pub verification_status: Option<CodeableConcept>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
    #[serde(default)]
    pub category: Vec<String>,
    #[serde(default)]
    pub criticality: Option<String>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub patient: Option<Reference>,
    #[serde(default)]
    pub onset_date_time: Option<String>,
    #[serde(default)]
    pub recorded_date: Option<String>,
    #[serde(default)]
    pub reaction: Vec<AllergyReaction>,
    #[serde(default)]
    pub note: Vec<Annotation>,
}

/// One reaction an allergy caused (`AllergyIntolerance.reaction`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllergyReaction {
    #[serde(default)]
    pub substance: Option<CodeableConcept>,
    #[serde(default)]
    pub manifestation: Vec<CodeableConcept>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A problem, diagnosis or health concern (`Condition`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub clinical_status: Option<CodeableConcept>,
    #[serde(default)]
    pub verification_status: Option<CodeableConcept>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    #[serde(default)]
    pub severity: Option<CodeableConcept>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub onset_date_time: Option<String>,
    #[serde(default)]
    pub onset_age: Option<Quantity>,
    #[serde(default)]
    pub onset_period: Option<Period>,
    #[serde(default)]
    pub onset_range: Option<Range>,
    #[serde(default)]
    pub onset_string: Option<String>,
    #[serde(default)]
    pub abatement_date_time: Option<String>,
    #[serde(default)]
    pub abatement_age: Option<Quantity>,
    #[serde(default)]
    pub abatement_period: Option<Period>,
    #[serde(default)]
    pub abatement_string: Option<String>,
    #[serde(default)]
    pub recorded_date: Option<String>,
    #[serde(default)]
    pub note: Vec<Annotation>,
}
