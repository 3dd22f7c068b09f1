//! Patient, Practitioner and Organization: the people and places a chart names; and the
//! simple extensions and links a Patient carries, read item by item so that one odd item
//! never makes the Patient unreadable.

use serde::{Deserialize, Serialize};

use super::datatypes::{
    CodeableConcept, Coding, HumanName, Identifier, Meta, Reference, non_empty,
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

/// An extension with a simple value (`Extension`), such as US Core's `us-core-sex`.
/// Nested extensions (race, ethnicity) are not read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_coding: Option<Coding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
}

/// A list whose items are read one by one, leaving out those that do not decode: for
/// elements a chart can do without (extensions, links), so that one odd item never makes
/// the whole resource unreadable.
pub fn lenient_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let items = match serde_json::Value::deserialize(d)? {
        serde_json::Value::Array(items) => items,
        _ => Vec::new(),
    };
    Ok(items
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}
