//! The Procedures tab's columns: procedures (`PROCEDURE_TUI`, `PROCEDURE_CLI`), then
//! implanted devices (`DEVICE_TUI`, `DEVICE_CLI`) in a table of their own below them. A
//! procedure not done says so in its status; the TUI dims it.

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit, or_blank};
use crate::chart::{DeviceRow, ProcedureRow};

/// A column of the procedure list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureColumn {
    Date,
    Procedure,
    Status,
    BodySite,
    Outcome,
}

/// A column of the device list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceColumn {
    Device,
    Udi,
    Status,
    Implanted,
    Name,
}

/// The procedures tab: date first, as the notes and encounters.
pub const PROCEDURE_TUI: [ProcedureColumn; 5] = [
    ProcedureColumn::Date,
    ProcedureColumn::Procedure,
    ProcedureColumn::Status,
    ProcedureColumn::BodySite,
    ProcedureColumn::Outcome,
];
/// `rounds chart --section procedures`.
pub const PROCEDURE_CLI: [ProcedureColumn; 5] = [
    ProcedureColumn::Procedure,
    ProcedureColumn::Date,
    ProcedureColumn::Status,
    ProcedureColumn::BodySite,
    ProcedureColumn::Outcome,
];
/// The implanted devices under the procedures (TUI).
pub const DEVICE_TUI: [DeviceColumn; 4] = [
    DeviceColumn::Device,
    DeviceColumn::Status,
    DeviceColumn::Implanted,
    DeviceColumn::Udi,
];
/// `rounds chart --section procedures`: the devices.
pub const DEVICE_CLI: [DeviceColumn; 5] = [
    DeviceColumn::Device,
    DeviceColumn::Name,
    DeviceColumn::Status,
    DeviceColumn::Implanted,
    DeviceColumn::Udi,
];

impl ColumnDef for ProcedureColumn {
    fn header(self) -> &'static str {
        match self {
            ProcedureColumn::Date => "DATE",
            ProcedureColumn::Procedure => "PROCEDURE",
            ProcedureColumn::Status => "STATUS",
            ProcedureColumn::BodySite => "BODY SITE",
            ProcedureColumn::Outcome => "OUTCOME",
        }
    }

    fn fit(self) -> Fit {
        match self {
            ProcedureColumn::Date => Fit::new(11, 17, 0),
            ProcedureColumn::Procedure => Fit::new(20, 60, 0),
            ProcedureColumn::Status => Fit::new(8, 12, 1),
            ProcedureColumn::BodySite => Fit::new(8, 24, 2),
            ProcedureColumn::Outcome => Fit::new(8, 30, 3),
        }
    }
}

impl CellText<ProcedureRow> for ProcedureColumn {
    fn cell(self, r: &ProcedureRow) -> Cow<'_, str> {
        match self {
            ProcedureColumn::Date => Cow::Borrowed(&r.date),
            ProcedureColumn::Procedure => Cow::Borrowed(&r.name),
            ProcedureColumn::Status => Cow::Borrowed(&r.status),
            ProcedureColumn::BodySite => or_blank(&r.body_site),
            ProcedureColumn::Outcome => or_blank(&r.outcome),
        }
    }
}

impl ColumnDef for DeviceColumn {
    fn header(self) -> &'static str {
        match self {
            DeviceColumn::Device => "IMPLANTED DEVICE",
            DeviceColumn::Udi => "UDI",
            DeviceColumn::Status => "STATUS",
            DeviceColumn::Implanted => "IMPLANTED",
            DeviceColumn::Name => "NAME",
        }
    }

    fn fit(self) -> Fit {
        match self {
            DeviceColumn::Device => Fit::new(20, 40, 0),
            // The UDI is the device's identity: never cut (up to its length).
            DeviceColumn::Udi => Fit::kept(14, 60, 2),
            DeviceColumn::Status => Fit::new(6, 10, 1),
            DeviceColumn::Implanted => Fit::new(11, 11, 0),
            DeviceColumn::Name => Fit::new(12, 40, 3),
        }
    }
}

impl CellText<DeviceRow> for DeviceColumn {
    fn cell(self, r: &DeviceRow) -> Cow<'_, str> {
        match self {
            DeviceColumn::Device => Cow::Borrowed(&r.name),
            DeviceColumn::Udi => or_blank(&r.udi),
            DeviceColumn::Status => Cow::Borrowed(&r.status),
            DeviceColumn::Implanted => Cow::Borrowed(r.implanted.as_deref().unwrap_or("")),
            DeviceColumn::Name => or_blank(&r.device_name),
        }
    }
}
