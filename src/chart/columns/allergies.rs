//! The allergy list's columns. Only the CLI lists allergies as a table (`CLI`); the TUI
//! shows them on the cover sheet and in the banner, so the fits here are not yet used.

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit};
use crate::chart::AllergyRow;

/// A column of the allergy list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllergyColumn {
    Substance,
    Criticality,
    Reactions,
    Category,
    Status,
    /// Confirmed, unconfirmed, presumed (`verificationStatus`): an unconfirmed allergy is
    /// still listed, and says so.
    Verification,
    /// When it began (`onsetDateTime`).
    Onset,
    /// When it was recorded (`recordedDate`): not the onset.
    Recorded,
}

use AllergyColumn::*;

/// `rounds chart --section allergies`.
pub const CLI: [AllergyColumn; 8] = [
    Substance,
    Criticality,
    Reactions,
    Category,
    Status,
    Verification,
    Onset,
    Recorded,
];

impl ColumnDef for AllergyColumn {
    fn header(self) -> &'static str {
        match self {
            Substance => "SUBSTANCE",
            Criticality => "CRITICALITY",
            Reactions => "REACTIONS",
            Category => "CATEGORY",
            Status => "STATUS",
            Verification => "VERIFIED",
            Onset => "ONSET",
            Recorded => "RECORDED",
        }
    }

    fn fit(self) -> Fit {
        match self {
            Substance => Fit::new(16, 40, 0),
            Criticality => Fit::new(8, 16, 0),
            Reactions => Fit::new(12, 60, 0),
            Category => Fit::new(8, 12, 2),
            Status => Fit::new(6, 10, 1),
            Verification => Fit::new(8, 12, 1),
            Onset | Recorded => Fit::new(11, 11, 2),
        }
    }
}

impl CellText<AllergyRow> for AllergyColumn {
    fn cell(self, r: &AllergyRow) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Substance => &r.substance,
            Criticality => &r.criticality,
            Reactions => &r.reactions,
            Category => &r.category,
            Status => &r.status,
            Verification => &r.verification,
            Onset => &r.onset,
            Recorded => &r.recorded,
        })
    }
}
