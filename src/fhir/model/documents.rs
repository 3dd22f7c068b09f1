//! DiagnosticReport and DocumentReference: reports and clinical notes.

use serde::{Deserialize, Serialize};

use super::datatypes::{Attachment, CodeableConcept, Narrative, Period, Reference};

/// A report of results with an interpretation (`DiagnosticReport`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticReport {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub text: Option<Narrative>,
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
    pub issued: Option<String>,
    #[serde(default)]
    pub performer: Vec<Reference>,
    #[serde(default)]
    pub result: Vec<Reference>,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub conclusion_code: Vec<CodeableConcept>,
    #[serde(default)]
    pub presented_form: Vec<Attachment>,
}

/// A document, such as a clinical note, with its content (`DocumentReference`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentReference {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub text: Option<Narrative>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub doc_status: Option<String>,
    #[serde(default, rename = "type")]
    pub type_: Option<CodeableConcept>,
    #[serde(default)]
    pub category: Vec<CodeableConcept>,
    #[serde(default)]
    pub subject: Option<Reference>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub author: Vec<Reference>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub content: Vec<DocumentContent>,
    #[serde(default)]
    pub context: Option<DocumentContext>,
}

/// One rendition of a document's content (`DocumentReference.content`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentContent {
    #[serde(default)]
    pub attachment: Option<Attachment>,
}

/// The clinical context of a document (`DocumentReference.context`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentContext {
    #[serde(default)]
    pub encounter: Vec<Reference>,
    #[serde(default)]
    pub period: Option<Period>,
}
