//! The encounter list's columns. The TUI shows the start and the end of a stay in two
//! columns (`Date`, `Until`) and the reason before the location; the CLI writes one
//! `DATE` column (`Period`: `01-Mar-2026 to 04-Mar-2026`) and the location first.

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit, or_blank};
use crate::chart::EncounterRow;

/// A column of the encounter list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncounterColumn {
    /// When it started.
    Date,
    /// When a stay that spans days ended; blank otherwise.
    Until,
    /// The start, and ` to` the end for a stay that spans days, under `DATE`.
    Period,
    Class,
    /// The kind of visit, under `TYPE`.
    Type,
    Clinician,
    Reason,
    Location,
}

use EncounterColumn::*;

/// The encounters tab.
pub const TUI: [EncounterColumn; 7] = [Date, Until, Class, Type, Clinician, Reason, Location];
/// `rounds chart --section encounters`.
pub const CLI: [EncounterColumn; 6] = [Period, Class, Type, Clinician, Location, Reason];

impl ColumnDef for EncounterColumn {
    fn header(self) -> &'static str {
        match self {
            Date | Period => "DATE",
            Until => "UNTIL",
            Class => "CLASS",
            Type => "TYPE",
            Clinician => "CLINICIAN",
            Reason => "REASON",
            Location => "LOCATION",
        }
    }

    fn fit(self) -> Fit {
        match self {
            Date => Fit::new(11, 17, 0),
            Until => Fit::new(11, 11, 2),
            Period => Fit::new(11, 32, 0),
            Class => Fit::new(9, 12, 0),
            Type => Fit::new(14, 40, 0),
            Clinician => Fit::new(12, 28, 1),
            Reason => Fit::new(12, 40, 2),
            Location => Fit::new(12, 60, 3),
        }
    }
}

impl CellText<EncounterRow> for EncounterColumn {
    fn cell(self, r: &EncounterRow) -> Cow<'_, str> {
        match self {
            Date => Cow::Borrowed(&r.date),
            Until => or_blank(&r.end),
            Period => match &r.end {
                Some(end) => Cow::Owned(format!("{} to {end}", r.date)),
                None => Cow::Borrowed(&r.date),
            },
            Class => Cow::Borrowed(&r.class),
            Type => Cow::Borrowed(&r.kind),
            Clinician => Cow::Borrowed(&r.clinician),
            Reason => or_blank(&r.reason),
            Location => Cow::Borrowed(&r.location),
        }
    }
}
