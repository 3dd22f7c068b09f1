//! The medication list's columns. Both surfaces list the same columns and mark a name that
//! is not a plain order: ` (statement)`, ` (reported)`, ` (order + statement)`; the TUI
//! also marks a name whose Medication record could not be found with ` ?` (Enter says
//! why), the CLI says it in a note under the table (`UNRESOLVED_NOTE`).

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit};
use crate::chart::{MedKind, MedRow};

/// A column of the medication list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MedicationColumn {
    /// The drug name, with where it comes from when not a plain order (CLI).
    Medication,
    /// As `Medication`, and ` ?` when the Medication it names could not be found (TUI).
    MedicationMarked,
    Status,
    Start,
    Prescriber,
    Sig,
}

use MedicationColumn::*;

/// The medications tab, 120 columns and wider (narrower, each order takes two lines).
pub const TUI: [MedicationColumn; 5] = [MedicationMarked, Status, Start, Prescriber, Sig];
/// `rounds chart --section meds`.
pub const CLI: [MedicationColumn; 5] = [Medication, Status, Start, Prescriber, Sig];

/// Where a medication comes from, after its name, when it is not a plain order here:
/// ` (statement)`, ` (reported)`, ` (order + statement)`.
pub fn source_mark(r: &MedRow) -> Option<&'static str> {
    match (r.kind, r.reported) {
        (MedKind::Request, false) => None,
        (MedKind::Request, true) => Some(" (reported)"),
        (MedKind::Statement, _) => Some(" (statement)"),
        (MedKind::RequestAndStatement, _) => Some(" (order + statement)"),
    }
}

/// What the ` ?` means: said in the TUI's detail view and in a note under the CLI's table.
pub const UNRESOLVED_NOTE: &str =
    "The medication record could not be found; the name is as the order gave it.";

/// ` ?` after a name taken from a reference that could not be resolved.
pub fn unresolved_mark(r: &MedRow) -> Option<&'static str> {
    r.unresolved_reference.then_some(" ?")
}

impl ColumnDef for MedicationColumn {
    fn header(self) -> &'static str {
        match self {
            Medication | MedicationMarked => "MEDICATION",
            Status => "STATUS",
            Start => "START",
            Prescriber => "PRESCRIBER",
            Sig => "SIG",
        }
    }

    fn fit(self) -> Fit {
        match self {
            Medication | MedicationMarked => Fit::new(20, 44, 0),
            Status => Fit::new(7, 9, 1),
            // The start date stays whenever it fits at all (the two-line form has it).
            Start => Fit::new(11, 11, 1),
            Prescriber => Fit::new(12, 26, 3),
            Sig => Fit::new(16, 200, 0),
        }
    }
}

impl CellText<MedRow> for MedicationColumn {
    fn cell(self, r: &MedRow) -> Cow<'_, str> {
        match self {
            MedicationMarked | Medication => {
                let unresolved = unresolved_mark(r).filter(|_| self == MedicationMarked);
                match (source_mark(r), unresolved) {
                    (None, None) => Cow::Borrowed(&r.name),
                    (source, unresolved) => Cow::Owned(format!(
                        "{}{}{}",
                        r.name,
                        source.unwrap_or(""),
                        unresolved.unwrap_or("")
                    )),
                }
            }
            Status => Cow::Borrowed(&r.status),
            Start => Cow::Borrowed(&r.start),
            Prescriber => Cow::Borrowed(&r.prescriber),
            Sig => Cow::Borrowed(&r.sig),
        }
    }
}
