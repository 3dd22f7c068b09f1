//! The lab results list's columns: the same on both surfaces, except that the TUI drops
//! the time from the date on a narrower screen (`list(false)`). "Other results" add the
//! category they came with (`OTHER`). A number sent without a unit reads `(no unit)` in
//! the unit column.

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit};
use crate::chart::date::date_part;
use crate::chart::{LabResult, Place};

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
    /// The category as sent (`Social History`), or `Not given`: for other results.
    Category,
    /// The test's name alone, for a table of other results only (`Test` marks an other
    /// result as one, where it follows the lab results).
    Name,
}

use LabColumn::*;

/// The list with each result's time: the CLI, and the TUI 100 columns and wider.
pub const LIST: [LabColumn; 7] = [DateTime, Test, Value, Unit, Range, Flag, Status];
/// The list with the day alone: the TUI below 100 columns.
pub const LIST_BY_DAY: [LabColumn; 7] = [Date, Test, Value, Unit, Range, Flag, Status];

/// `rounds chart --section labs`: the other results.
pub const OTHER: [LabColumn; 6] = [DateTime, Name, Value, Unit, Category, Status];

/// The list's columns, with the time of each result or without.
pub fn list(with_time: bool) -> [LabColumn; 7] {
    if with_time { LIST } else { LIST_BY_DAY }
}

impl ColumnDef for LabColumn {
    fn header(self) -> &'static str {
        match self {
            DateTime | Date => "DATE",
            Test | Name => "TEST",
            Value => "VALUE",
            Unit => "UNIT",
            Range => "RANGE",
            Flag => "FLAG",
            Status => "STATUS",
            Category => "CATEGORY",
        }
    }

    fn fit(self) -> Fit {
        match self {
            DateTime | Date => Fit::new(11, 17, 0),
            Test | Name => Fit::new(12, 40, 0),
            Value => Fit::kept(5, 12, 0),
            Unit => Fit::kept(4, 16, 0),
            Range => Fit::kept(5, 14, 0),
            Flag => Fit::kept(4, 4, 0),
            Status => Fit::new(7, 12, 2),
            Category => Fit::new(8, 20, 1),
        }
    }
}

impl CellText<LabResult> for LabColumn {
    fn cell(self, r: &LabResult) -> Cow<'_, str> {
        if self == Test && r.place == Place::Other {
            // Listed after the lab results on the TUI: said for what it is.
            return Cow::Owned(format!("Other: {}", r.name));
        }
        Cow::Borrowed(match self {
            DateTime => &r.date,
            Date => date_part(&r.date),
            Test | Name => &r.name,
            Value => &r.value,
            Unit => r.unit_shown(),
            Range => &r.range,
            Flag => &r.flag_symbol,
            Status if r.status == "Final" => "",
            Status => &r.status,
            Category => r.category.as_deref().unwrap_or("Not given"),
        })
    }
}
