//! Observation: lab results, vital signs and other measurements.

use serde::{Deserialize, Serialize};

use super::datatypes::{Annotation, CodeableConcept, Period, Quantity, Range, Ratio, Reference};

/// A measurement or finding (`Observation`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub effective_date_time: Option<String>,
    #[serde(default)]
    pub effective_period: Option<Period>,
    #[serde(default)]
    pub effective_instant: Option<String>,
    #[serde(default)]
    pub issued: Option<String>,
    #[serde(default)]
    pub performer: Vec<Reference>,
    #[serde(default)]
    pub value_quantity: Option<Quantity>,
    #[serde(default)]
    pub value_codeable_concept: Option<CodeableConcept>,
    #[serde(default)]
    pub value_string: Option<String>,
    #[serde(default)]
    pub value_boolean: Option<bool>,
    #[serde(default)]
    pub value_integer: Option<i64>,
    #[serde(default)]
    pub value_range: Option<Range>,
    #[serde(default)]
    pub value_ratio: Option<Ratio>,
    #[serde(default)]
    pub value_time: Option<String>,
    #[serde(default)]
    pub value_date_time: Option<String>,
    #[serde(default)]
    pub value_period: Option<Period>,
    /// A waveform (`valueSampledData`): kept only to say it is there.
    #[serde(default)]
    pub value_sampled_data: Option<serde_json::Value>,
    #[serde(default)]
    pub data_absent_reason: Option<CodeableConcept>,
    #[serde(default)]
    pub interpretation: Vec<CodeableConcept>,
    #[serde(default)]
    pub note: Vec<Annotation>,
    #[serde(default)]
    pub reference_range: Vec<ReferenceRange>,
    #[serde(default)]
    pub component: Vec<ObservationComponent>,
    /// The results of a panel sent as separate Observations.
    #[serde(default)]
    pub has_member: Vec<Reference>,
}

/// The `value[x]` choice of an Observation or component, plus `dataAbsentReason`, gathered
/// from either by `value()`. (The fields are repeated in both structs rather than flattened:
/// serde's flatten loses the element path that decoding errors report.)
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObservationValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_boolean: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_range: Option<Range>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_ratio: Option<Ratio>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_period: Option<Period>,
    /// A waveform (`valueSampledData`): kept only to say it is there.
    #[serde(default)]
    pub value_sampled_data: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_absent_reason: Option<CodeableConcept>,
}

/// One part of a multi-part observation, such as the systolic half of a blood pressure.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObservationComponent {
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub value_quantity: Option<Quantity>,
    #[serde(default)]
    pub value_codeable_concept: Option<CodeableConcept>,
    #[serde(default)]
    pub value_string: Option<String>,
    #[serde(default)]
    pub value_boolean: Option<bool>,
    #[serde(default)]
    pub value_integer: Option<i64>,
    #[serde(default)]
    pub value_range: Option<Range>,
    #[serde(default)]
    pub value_ratio: Option<Ratio>,
    #[serde(default)]
    pub value_time: Option<String>,
    #[serde(default)]
    pub value_date_time: Option<String>,
    #[serde(default)]
    pub value_period: Option<Period>,
    /// A waveform (`valueSampledData`): kept only to say it is there.
    #[serde(default)]
    pub value_sampled_data: Option<serde_json::Value>,
    #[serde(default)]
    pub data_absent_reason: Option<CodeableConcept>,
    #[serde(default)]
    pub interpretation: Vec<CodeableConcept>,
    #[serde(default)]
    pub reference_range: Vec<ReferenceRange>,
}

/// The normal (or other) range a value is judged against (`Observation.referenceRange`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceRange {
    #[serde(default)]
    pub low: Option<Quantity>,
    #[serde(default)]
    pub high: Option<Quantity>,
    #[serde(default, rename = "type")]
    pub type_: Option<CodeableConcept>,
    #[serde(default)]
    pub applies_to: Vec<CodeableConcept>,
    #[serde(default)]
    pub age: Option<Range>,
    #[serde(default)]
    pub text: Option<String>,
}

macro_rules! value_of {
    ($ty:ty) => {
        impl $ty {
            /// The value (or the reason it is absent).
            pub fn value(&self) -> ObservationValue {
                ObservationValue {
                    value_quantity: self.value_quantity.clone(),
                    value_codeable_concept: self.value_codeable_concept.clone(),
                    value_string: self.value_string.clone(),
                    value_boolean: self.value_boolean.clone(),
                    value_integer: self.value_integer.clone(),
                    value_range: self.value_range.clone(),
                    value_ratio: self.value_ratio.clone(),
                    value_time: self.value_time.clone(),
                    value_date_time: self.value_date_time.clone(),
                    value_period: self.value_period.clone(),
                    value_sampled_data: self.value_sampled_data.clone(),
                    data_absent_reason: self.data_absent_reason.clone(),
                }
            }
        }
    };
}

value_of!(Observation);
value_of!(ObservationComponent);
