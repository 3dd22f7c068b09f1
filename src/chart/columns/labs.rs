//! The lab results list's columns: the same on both surfaces, except that the TUI drops
//! the time from the date on a narrower screen (`list(false)`).

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit};
use crate::chart::LabResult;
use crate::chart::date::date_part;

/// A column of the lab results list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabColumn {
    /// `20-Oct-2026 08:05`.
    DateTime,
    /// `20-Oct-2026`.
    Date,
    Test,
    /// The value without its unit: `5.4`, `<0.3`, `Positive`.
    Value,
    Unit,
    Range,
    /// `H`, `LL`, `!`…, blank when normal.
    Flag,
    /// The status only when it is not plain final: preliminary and corrected results must
    /// not pass for final ones.
    Status,
}

use LabColumn::*;

/// The list with each result's time: the CLI, and the TUI 100 columns and wider.
pub const LIST: [LabColumn; 7] = [DateTime, Test, Value, Unit, Range, Flag, Status];
/// The list with the day alone: the TUI below 100 columns.
pub const LIST_BY_DAY: [LabColumn; 7] = [Date, Test, Value, Unit, Range, Flag, Status];

/// The list's columns, with the time of each result or without.
pub fn list(with_time: bool) -> [LabColumn; 7] {
    if with_time { LIST } else { LIST_BY_DAY }
}

impl ColumnDef for LabColumn {
    fn header(self) -> &'static str {
        match self {
            DateTime | Date => "DATE",
            Test => "TEST",
            Value => "VALUE",
            Unit => "UNIT",
            Range => "RANGE",
            Flag => "FLAG",
            Status => "STATUS",
        }
    }

    fn fit(self) -> Fit {
        match self {
            DateTime | Date => Fit::new(11, 17, 0),
            Test => Fit::new(12, 40, 0),
            Value => Fit::kept(5, 12, 0),
            Unit => Fit::kept(4, 16, 0),
            Range => Fit::kept(5, 14, 0),
            Flag => Fit::kept(4, 4, 0),
            Status => Fit::new(7, 12, 2),
        }
    }
}

impl CellText<LabResult> for LabColumn {
    fn cell(self, r: &LabResult) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            DateTime => &r.date,
            Date => date_part(&r.date),
            Test => &r.name,
            Value => &r.value,
            Unit => &r.unit,
            Range => &r.range,
            Flag => &r.flag_symbol,
            Status if r.status == "Final" => "",
            Status => &r.status,
        })
    }
}
