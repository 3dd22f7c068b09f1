//! Requests `update` hands to the worker, and the answers it gets back.

use super::state::RequestId;
use crate::fhir::model::Patient;
use crate::fhir::{PatientQuery, PatientRecord};
use crate::source::SearchResults;

/// Work for the network worker. `update` returns these instead of doing I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Search for patients.
    Search {
        req: RequestId,
        query: PatientQuery,
        limit: usize,
    },
    /// Load a patient's chart: the first screen, then (same request id) the rest.
    LoadChart { req: RequestId, patient_id: String },
    /// Drop patient data the source keeps for reuse (the chart closed).
    Forget,
}

/// The worker's answer to a command.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub req: RequestId,
    pub result: ResponseResult,
}

/// What came back. Errors are messages for the user.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseResult {
    Search(Result<SearchResults, String>),
    /// The chart, or its first screen (sections still coming are marked pending).
    Chart(Result<Box<PatientRecord>, String>),
    /// The Patient of a chart whose first screen is on its way (for the banner).
    Patient(Box<Patient>),
    /// The rest of a chart whose first screen came earlier under the same request id.
    ChartRest(Result<Box<PatientRecord>, String>),
}
