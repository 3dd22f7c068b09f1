//! The vital signs' columns. The two surfaces list different rows: the TUI every reading,
//! newest first (`VitalColumn`, `TUI`); the CLI the latest reading of each kind with how
//! many readings there are (`LatestVitalColumn`, `CLI`).

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit};
use crate::chart::{LatestVital, VitalReading};

/// A column of the list of readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VitalColumn {
    Date,
    /// `BP`, `HR`…; the test name for other kinds.
    Vital,
    /// Value and unit: `142/88 mmHg`.
    Value,
    Flag,
    /// The name the server gave the reading.
    Name,
}

/// The vitals tab: every reading.
pub const TUI: [VitalColumn; 5] = [
    VitalColumn::Date,
    VitalColumn::Vital,
    VitalColumn::Value,
    VitalColumn::Flag,
    VitalColumn::Name,
];

impl ColumnDef for VitalColumn {
    fn header(self) -> &'static str {
        match self {
            VitalColumn::Date => "DATE",
            VitalColumn::Vital => "VITAL",
            VitalColumn::Value => "VALUE",
            VitalColumn::Flag => "FLAG",
            VitalColumn::Name => "NAME",
        }
    }

    fn fit(self) -> Fit {
        match self {
            VitalColumn::Date => Fit::new(11, 17, 1),
            VitalColumn::Vital => Fit::new(4, 36, 0),
            VitalColumn::Value => Fit::kept(8, 24, 0),
            VitalColumn::Flag => Fit::kept(4, 4, 0),
            VitalColumn::Name => Fit::new(12, 50, 2),
        }
    }
}

impl CellText<VitalReading> for VitalColumn {
    fn cell(self, r: &VitalReading) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            VitalColumn::Date => &r.date,
            VitalColumn::Vital => &r.label,
            VitalColumn::Value => &r.value_text,
            VitalColumn::Flag => &r.flag_symbol,
            VitalColumn::Name => &r.name,
        })
    }
}

/// A column of the latest reading of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatestVitalColumn {
    Vital,
    /// The latest value and unit.
    Latest,
    Flag,
    Date,
    /// How many readings of this kind the chart holds.
    Readings,
}

/// `rounds chart --section vitals`.
pub const CLI: [LatestVitalColumn; 5] = [
    LatestVitalColumn::Vital,
    LatestVitalColumn::Latest,
    LatestVitalColumn::Flag,
    LatestVitalColumn::Date,
    LatestVitalColumn::Readings,
];

impl ColumnDef for LatestVitalColumn {
    fn header(self) -> &'static str {
        match self {
            LatestVitalColumn::Vital => "VITAL",
            LatestVitalColumn::Latest => "LATEST",
            LatestVitalColumn::Flag => "FLAG",
            LatestVitalColumn::Date => "DATE",
            LatestVitalColumn::Readings => "READINGS",
        }
    }

    fn fit(self) -> Fit {
        match self {
            LatestVitalColumn::Vital => Fit::new(4, 36, 0),
            LatestVitalColumn::Latest => Fit::kept(8, 24, 0),
            LatestVitalColumn::Flag => Fit::kept(4, 4, 0),
            LatestVitalColumn::Date => Fit::new(11, 17, 1),
            LatestVitalColumn::Readings => Fit::kept(8, 8, 2),
        }
    }
}

impl CellText<LatestVital<'_>> for LatestVitalColumn {
    fn cell<'r>(self, l: &'r LatestVital<'_>) -> Cow<'r, str> {
        let r = l.reading;
        match self {
            LatestVitalColumn::Vital => Cow::Borrowed(&r.label),
            LatestVitalColumn::Latest => Cow::Borrowed(&r.value_text),
            LatestVitalColumn::Flag => Cow::Borrowed(&r.flag_symbol),
            LatestVitalColumn::Date => Cow::Borrowed(&r.date),
            LatestVitalColumn::Readings => Cow::Owned(l.readings.to_string()),
        }
    }
}
