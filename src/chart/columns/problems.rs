//! The problem list's columns. The TUI lists active and resolved problems in one table
//! (`TUI`); the CLI prints two tables (`CLI_ACTIVE`, `CLI_RESOLVED`) whose first header
//! names the list, and writes a repeat count as `(x2)` where the TUI shows ` x2`.

use std::borrow::Cow;

use super::{CellText, ColumnDef, Fit, or_blank};
use crate::chart::ProblemRow;

/// A column of the problem list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemColumn {
    /// The name, with ` x2` when it was recorded more than once (TUI).
    Problem,
    /// The name, with ` (x2)` when recorded more than once, under `ACTIVE PROBLEM` (CLI).
    ActiveProblem,
    /// As `ActiveProblem`, under `RESOLVED OR INACTIVE` (CLI).
    ResolvedProblem,
    /// As `ActiveProblem`, under `ENCOUNTER DIAGNOSIS` (CLI).
    EncounterDiagnosis,
    Onset,
    /// The clinical status, and the verification when the diagnosis is not confirmed
    /// (`Active (provisional)`).
    Status,
    /// The clinical status alone.
    ClinicalStatus,
    /// When it resolved; blank for an active problem.
    Resolved,
}

use ProblemColumn::*;

/// The problems tab: active then resolved problems in one table.
pub const TUI: [ProblemColumn; 4] = [Problem, Onset, Status, Resolved];
/// `rounds chart --section problems`: the active problems.
pub const CLI_ACTIVE: [ProblemColumn; 3] = [ActiveProblem, Onset, Status];
/// `rounds chart --section problems`: the resolved or inactive problems.
pub const CLI_RESOLVED: [ProblemColumn; 4] = [ResolvedProblem, Onset, Resolved, ClinicalStatus];
/// `rounds chart --section problems`: diagnoses made at visits, apart from the problem list.
pub const CLI_ENCOUNTER: [ProblemColumn; 3] = [EncounterDiagnosis, Onset, ClinicalStatus];

/// ` x2` after a problem recorded more than once; `None` for a single record.
pub fn repeats(r: &ProblemRow) -> Option<String> {
    (r.episodes > 1).then(|| format!(" x{}", r.episodes))
}

impl ColumnDef for ProblemColumn {
    fn header(self) -> &'static str {
        match self {
            Problem => "PROBLEM",
            ActiveProblem => "ACTIVE PROBLEM",
            ResolvedProblem => "RESOLVED OR INACTIVE",
            EncounterDiagnosis => "ENCOUNTER DIAGNOSIS",
            Onset => "ONSET",
            Status | ClinicalStatus => "STATUS",
            Resolved => "RESOLVED",
        }
    }

    fn fit(self) -> Fit {
        match self {
            Problem | ActiveProblem | ResolvedProblem | EncounterDiagnosis => Fit::new(20, 60, 0),
            Onset => Fit::new(11, 12, 0),
            Status | ClinicalStatus => Fit::new(8, 24, 1),
            Resolved => Fit::new(11, 12, 2),
        }
    }
}

impl CellText<ProblemRow> for ProblemColumn {
    fn cell(self, r: &ProblemRow) -> Cow<'_, str> {
        match self {
            Problem => match repeats(r) {
                Some(x) => Cow::Owned(format!("{}{x}", r.name)),
                None => Cow::Borrowed(&r.name),
            },
            ActiveProblem | ResolvedProblem | EncounterDiagnosis if r.episodes > 1 => {
                Cow::Owned(format!("{} (x{})", r.name, r.episodes))
            }
            ActiveProblem | ResolvedProblem | EncounterDiagnosis => Cow::Borrowed(&r.name),
            Onset => Cow::Borrowed(&r.onset),
            Status if r.unconfirmed => {
                Cow::Owned(format!("{} ({})", r.status, r.verification.to_lowercase()))
            }
            Status | ClinicalStatus => Cow::Borrowed(&r.status),
            Resolved => or_blank(&r.resolved),
        }
    }
}
