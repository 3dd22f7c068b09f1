//! Requests `update` hands to the worker, and the answers it gets back.

use super::state::RequestId;
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
    /// Load a patient's whole chart.
    LoadChart { req: RequestId, patient_id: String },
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
    Chart(Result<Box<PatientRecord>, String>),
}
