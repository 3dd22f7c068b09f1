//! Patient, Practitioner and Organization: the people and places a chart names.

use serde::{Deserialize, Serialize};

use super::datatypes::{
    CodeableConcept, Extension, HumanName, Identifier, Meta, Reference, lenient_list, non_empty,
};

/// A person receiving care (`Patient`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub meta: Option<Meta>,
    #[serde(default)]
    pub identifier: Vec<Identifier>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub name: Vec<HumanName>,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub birth_date: Option<String>,
    #[serde(default)]
    pub deceased_boolean: Option<bool>,
    #[serde(default)]
    pub deceased_date_time: Option<String>,
    #[serde(default)]
    pub marital_status: Option<CodeableConcept>,
    /// Sex for clinical use, birth sex and the like (US Core 6+ sends no `gender`).
    #[serde(default, deserialize_with = "lenient_list")]
    pub extension: Vec<Extension>,
    /// Other records of the same person: `replaced-by`, `replaces`, `seealso`, `refer`.
    #[serde(default, deserialize_with = "lenient_list")]
    pub link: Vec<PatientLink>,
}

/// A link from a Patient record to another record of the same person (`Patient.link`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientLink {
    #[serde(default)]
    pub other: Option<Reference>,
    #[serde(default, rename = "type")]
    pub type_: Option<String>,
}

/// A clinician (`Practitioner`); rounds shows only the name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Practitioner {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Vec<HumanName>,
}

/// A clinic, hospital or other organisation (`Organization`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl Organization {
    /// The organisation's name, if it has a non-blank one.
    pub fn display(&self) -> Option<&str> {
        non_empty(self.name.as_deref())
    }
}
