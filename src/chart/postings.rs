//! Postings (CPRS "CWAD"): what every patient screen must show beside the allergies, on the
//! banner's second line and at the top of the cover sheet: active `Flag`s ("Patient
//! immunocompromised"), and advance directives and code status (DNR, POLST).
//!
//! Built from the record like every other part of the chart; rows carry the ids of the
//! resources they came from.

use serde::Serialize;

use crate::fhir::PatientRecord;

/// What kind of posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    /// An active clinical flag (`Flag`), high priority or not.
    Flag { high_priority: bool },
    /// An advance directive or code status (DNR, POLST, living will).
    Directive,
}

/// One posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posting {
    pub kind: PostingKind,
    /// Short words for the banner, e.g. "Immunocompromised", "DNR".
    pub text: String,
    /// `Type/id` of the resources it was built from.
    pub ids: Vec<String>,
}

/// The postings of a record. The resources they come from (`Flag`, advance-directive
/// documents and observations) are read by the resources work of issue 11; until the
/// record holds them there are none to show.
pub fn postings(_record: &PatientRecord) -> Vec<Posting> {
    Vec::new()
}
