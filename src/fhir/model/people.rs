//! Patient, Practitioner and Organization: the people and places a chart names.

use serde::{Deserialize, Serialize};

use super::datatypes::{CodeableConcept, HumanName, Identifier, Meta, non_empty};

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
