//! The immunization list's columns. Both surfaces list the same columns; the dose number
//! is written `#5` in the TUI's narrow column (`Dose`) and `(dose 5)` by the CLI
//! (`DoseInWords`).

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit, or_blank};
use crate::chart::ImmunizationRow;

/// A column of the immunization list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImmunizationColumn {
    Date,
    Vaccine,
    /// `Completed`, or `Not done` with the reason.
    Status,
    /// `0.5 mL #5` (TUI).
    Dose,
    /// `0.5 mL (dose 5)` (CLI).
    DoseInWords,
    Lot,
}

use ImmunizationColumn::*;

/// The immunizations tab.
pub const TUI: [ImmunizationColumn; 5] = [Date, Vaccine, Status, Dose, Lot];
/// `rounds chart --section immunizations`.
pub const CLI: [ImmunizationColumn; 5] = [Date, Vaccine, Status, DoseInWords, Lot];

impl ColumnDef for ImmunizationColumn {
    fn header(self) -> &'static str {
        match self {
            Date => "DATE",
            Vaccine => "VACCINE",
            Status => "STATUS",
            Dose | DoseInWords => "DOSE",
            Lot => "LOT",
        }
    }

    fn fit(self) -> Fit {
        match self {
            Date => Fit::new(11, 11, 0),
            Vaccine => Fit::new(20, 60, 0),
            Status => Fit::new(9, 36, 0),
            Dose => Fit::kept(6, 16, 1),
            DoseInWords => Fit::kept(6, 24, 1),
            Lot => Fit::new(6, 18, 2),
        }
    }
}

impl CellText<ImmunizationRow> for ImmunizationColumn {
    fn cell(self, r: &ImmunizationRow) -> Cow<'_, str> {
        match self {
            Date => Cow::Borrowed(&r.date),
            Vaccine => Cow::Borrowed(&r.vaccine),
            Status => Cow::Borrowed(&r.status),
            Dose => Cow::Owned(match (&r.dose, &r.dose_number) {
                (Some(d), Some(n)) => format!("{d} #{n}"),
                (Some(d), None) => d.clone(),
                (None, Some(n)) => format!("#{n}"),
                (None, None) => String::new(),
            }),
            DoseInWords => Cow::Owned(match (&r.dose, &r.dose_number) {
                (Some(d), Some(n)) => format!("{d} (dose {n})"),
                (Some(d), None) => d.clone(),
                (None, Some(n)) => format!("dose {n}"),
                (None, None) => String::new(),
            }),
            Lot => or_blank(&r.lot),
        }
    }
}
