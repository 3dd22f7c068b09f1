//! MedicationRequest, MedicationStatement, Medication and Dosage: what is prescribed, what
//! the patient (or a record) says is taken, and how to take it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::datatypes::{Annotation, CodeableConcept, Period, Quantity, Range, Ratio, Reference};

/// An order or plan for a medication (`MedicationRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicationRequest {
    #[serde(default)]
    pub id: Option<String>,
    /// Contained resources, kept raw: a contained `Medication` is decoded when a
    /// `medicationReference` of `#id` points at it.
    #[serde(default)]
    pub contained: Vec<Value>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub intent: Option<String>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub medication_codeable_concept: Option<CodeableConcept>,
    #[serde(default)]
    pub medication_reference: Option<Reference>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub authored_on: Option<String>,
    /// Reported rather than ordered here (a patient's own medicine, or an outside order).
    #[serde(default)]
    pub reported_boolean: Option<bool>,
    /// Who reported it, when it was reported rather than ordered here.
    #[serde(default)]
    pub reported_reference: Option<Reference>,
    #[serde(default)]
    pub requester: Option<Reference>,
    #[serde(default)]
    pub reason_code: Vec<CodeableConcept>,
    /// The Condition or Observation it is for.
    #[serde(default)]
    pub reason_reference: Vec<Reference>,
    #[serde(default)]
    pub note: Vec<Annotation>,
    #[serde(default)]
    pub dosage_instruction: Vec<Dosage>,
    #[serde(default)]
    pub dispense_request: Option<DispenseRequest>,
}

/// A medication the patient is taking, has taken or will take, as recorded or reported
/// (`MedicationStatement`): the way International Patient Summaries and many exports list
/// current medicines.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicationStatement {
    #[serde(default)]
    pub id: Option<String>,
    /// Contained resources, kept raw (a contained `Medication`, as for requests).
    #[serde(default)]
    pub contained: Vec<Value>,
    /// `active`, `completed`, `entered-in-error`, `intended`, `stopped`, `on-hold`,
    /// `unknown`, `not-taken`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_reason: Vec<CodeableConcept>,
    #[serde(default)]
    pub medication_codeable_concept: Option<CodeableConcept>,
    #[serde(default)]
    pub medication_reference: Option<Reference>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub effective_date_time: Option<String>,
    #[serde(default)]
    pub effective_period: Option<Period>,
    #[serde(default)]
    pub date_asserted: Option<String>,
    /// Who said so: the patient, a relative, a practitioner.
    #[serde(default)]
    pub information_source: Option<Reference>,
    #[serde(default)]
    pub reason_code: Vec<CodeableConcept>,
    #[serde(default)]
    pub reason_reference: Vec<Reference>,
    #[serde(default)]
    pub note: Vec<Annotation>,
    #[serde(default)]
    pub dosage: Vec<Dosage>,
}

/// How much may be dispensed and how often (`MedicationRequest.dispenseRequest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DispenseRequest {
    #[serde(default)]
    pub validity_period: Option<Period>,
    #[serde(default)]
    pub number_of_repeats_allowed: Option<u32>,
    #[serde(default)]
    pub quantity: Option<Quantity>,
    #[serde(default)]
    pub expected_supply_duration: Option<Quantity>,
}

/// A drug product (`Medication`), referenced from a request.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Medication {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub form: Option<CodeableConcept>,
    #[serde(default)]
    pub ingredient: Vec<MedicationIngredient>,
}

/// One active or inactive ingredient of a `Medication`, with its strength.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MedicationIngredient {
    #[serde(default)]
    pub item_codeable_concept: Option<CodeableConcept>,
    #[serde(default)]
    pub item_reference: Option<Reference>,
    #[serde(default)]
    pub is_active: Option<bool>,
    #[serde(default)]
    pub strength: Option<Ratio>,
}

/// How a medication is to be taken (`Dosage`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dosage {
    #[serde(default)]
    pub sequence: Option<i64>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub additional_instruction: Vec<CodeableConcept>,
    #[serde(default)]
    pub patient_instruction: Option<String>,
    #[serde(default)]
    pub timing: Option<Timing>,
    #[serde(default)]
    pub as_needed_boolean: Option<bool>,
    #[serde(default)]
    pub as_needed_codeable_concept: Option<CodeableConcept>,
    #[serde(default)]
    pub site: Option<CodeableConcept>,
    #[serde(default)]
    pub route: Option<CodeableConcept>,
    #[serde(default)]
    pub method: Option<CodeableConcept>,
    #[serde(default)]
    pub dose_and_rate: Vec<DoseAndRate>,
    #[serde(default)]
    pub max_dose_per_period: Option<Ratio>,
}

/// The amount per dose, and for infusions the rate (`Dosage.doseAndRate`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DoseAndRate {
    #[serde(default)]
    pub dose_quantity: Option<Quantity>,
    #[serde(default)]
    pub dose_range: Option<Range>,
    #[serde(default)]
    pub rate_quantity: Option<Quantity>,
    #[serde(default)]
    pub rate_ratio: Option<Ratio>,
}

/// When something happens (`Timing`): coded (`BID`) and/or a repeat rule.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    #[serde(default)]
    pub event: Vec<String>,
    #[serde(default)]
    pub repeat: Option<TimingRepeat>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
}

/// The repeat rule of a `Timing`: `frequency` times per `period` `periodUnit`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimingRepeat {
    #[serde(default)]
    pub bounds_period: Option<Period>,
    #[serde(default)]
    pub bounds_duration: Option<Quantity>,
    #[serde(default)]
    pub count: Option<u32>,
    #[serde(default)]
    pub duration: Option<f64>,
    #[serde(default)]
    pub duration_unit: Option<String>,
    #[serde(default)]
    pub frequency: Option<u32>,
    #[serde(default)]
    pub frequency_max: Option<u32>,
    #[serde(default)]
    pub period: Option<f64>,
    #[serde(default)]
    pub period_max: Option<f64>,
    #[serde(default)]
    pub period_unit: Option<String>,
    #[serde(default)]
    pub day_of_week: Vec<String>,
    #[serde(default)]
    pub time_of_day: Vec<String>,
    #[serde(default)]
    pub when: Vec<String>,
    #[serde(default)]
    pub offset: Option<u32>,
}
