//! Encounter and Immunization: visits and vaccinations.

use serde::{Deserialize, Serialize};

use super::datatypes::{Annotation, CodeableConcept, Coding, Period, Quantity, Reference};

/// A visit or stay (`Encounter`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Encounter {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub class: Option<Coding>,
    #[serde(default, rename = "type")]
    pub type_: Vec<CodeableConcept>,
    #[serde(default)]
    pub service_type: Option<CodeableConcept>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub participant: Vec<EncounterParticipant>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub reason_code: Vec<CodeableConcept>,
    #[serde(default)]
    pub location: Vec<EncounterLocation>,
    #[serde(default)]
    pub service_provider: Option<Reference>,
}

/// Someone involved in an encounter (`Encounter.participant`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncounterParticipant {
    #[serde(default, rename = "type")]
    pub type_: Vec<CodeableConcept>,
    #[serde(default)]
    pub individual: Option<Reference>,
}

/// A place an encounter happened (`Encounter.location`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EncounterLocation {
    #[serde(default)]
    pub location: Option<Reference>,
}

/// A vaccination given, or recorded as not given (`Immunization`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Immunization {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_reason: Option<CodeableConcept>,
    #[serde(default)]
    pub vaccine_code: Option<CodeableConcept>,
    #[serde(default)]
    pub patient: Option<Reference>,
    #[serde(default)]
    pub occurrence_date_time: Option<String>,
    #[serde(default)]
    pub occurrence_string: Option<String>,
    #[serde(default)]
    pub primary_source: Option<bool>,
    #[serde(default)]
    pub lot_number: Option<String>,
    #[serde(default)]
    pub site: Option<CodeableConcept>,
    #[serde(default)]
    pub route: Option<CodeableConcept>,
    #[serde(default)]
    pub dose_quantity: Option<Quantity>,
    #[serde(default)]
    pub note: Vec<Annotation>,
    #[serde(default)]
    pub protocol_applied: Vec<ProtocolApplied>,
}

/// Which dose in a series this was (`Immunization.protocolApplied`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProtocolApplied {
    #[serde(default)]
    pub series: Option<String>,
    #[serde(default)]
    pub dose_number_positive_int: Option<u32>,
    #[serde(default)]
    pub dose_number_string: Option<String>,
}
