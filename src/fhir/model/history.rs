//! Procedure, Device and Flag: what was done to the patient (surgical history), what is
//! implanted in them, and the alerts a chart must post (CPRS "postings").

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::datatypes::{Annotation, CodeableConcept, Period, Quantity, Range, Reference};

/// Something done to the patient: an operation, a therapy, a diagnostic procedure
/// (`Procedure`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Procedure {
    #[serde(default)]
    pub id: Option<String>,
    /// `preparation`, `in-progress`, `not-done`, `on-hold`, `stopped`, `completed`,
    /// `entered-in-error`, `unknown`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_reason: Option<CodeableConcept>,
    #[serde(default)]
    pub category: Option<CodeableConcept>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub performed_date_time: Option<String>,
    #[serde(default)]
    pub performed_period: Option<Period>,
    #[serde(default)]
    pub performed_string: Option<String>,
    #[serde(default)]
    pub performed_age: Option<Quantity>,
    #[serde(default)]
    pub performed_range: Option<Range>,
    #[serde(default)]
    pub performer: Vec<ProcedurePerformer>,
    #[serde(default)]
    pub location: Option<Reference>,
    #[serde(default)]
    pub reason_code: Vec<CodeableConcept>,
    #[serde(default)]
    pub body_site: Vec<CodeableConcept>,
    #[serde(default)]
    pub outcome: Option<CodeableConcept>,
    #[serde(default)]
    pub complication: Vec<CodeableConcept>,
    #[serde(default)]
    pub note: Vec<Annotation>,
    #[serde(default)]
    pub focal_device: Vec<FocalDevice>,
}

/// Who performed a procedure (`Procedure.performer`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProcedurePerformer {
    #[serde(default)]
    pub actor: Option<Reference>,
}

/// A device implanted, removed or changed by a procedure (`Procedure.focalDevice`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FocalDevice {
    #[serde(default)]
    pub action: Option<CodeableConcept>,
    #[serde(default)]
    pub manipulated: Option<Reference>,
}

/// A device, here one implanted in the patient (`Device`, US Core Implantable Device).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub udi_carrier: Vec<UdiCarrier>,
    /// `active`, `inactive`, `entered-in-error`, `unknown`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub distinct_identifier: Option<String>,
    #[serde(default)]
    pub manufacturer: Option<String>,
    #[serde(default)]
    pub manufacture_date: Option<String>,
    #[serde(default)]
    pub expiration_date: Option<String>,
    #[serde(default)]
    pub lot_number: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
    #[serde(default)]
    pub device_name: Vec<DeviceName>,
    #[serde(default)]
    pub model_number: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<CodeableConcept>,
    #[serde(default)]
    pub patient: Option<Reference>,
    #[serde(default)]
    pub note: Vec<Annotation>,
}

/// A device's Unique Device Identifier as printed on its label (`Device.udiCarrier`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UdiCarrier {
    #[serde(default)]
    pub device_identifier: Option<String>,
    #[serde(default, rename = "carrierHRF")]
    pub carrier_hrf: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
}

/// A name of a device (`Device.deviceName`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceName {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
}

/// An alert about the patient for whoever opens the chart (`Flag`): "Patient
/// immunocompromised", "Violent behaviour", "DNR".
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    #[serde(default)]
    pub id: Option<String>,
    /// Extensions, kept raw: the `flag-priority` extension says how urgent it is.
    #[serde(default)]
    pub extension: Vec<Value>,
    /// `active`, `inactive`, `entered-in-error`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    #[serde(default)]
    pub code: Option<CodeableConcept>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub author: Option<Reference>,
}
