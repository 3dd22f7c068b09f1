#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The FHIR client against a mock HTTP server, for what a real server will not do on
//! demand: 401, 403, 404, 429, 500, OperationOutcomes, timeouts, refused connections,
//! invalid JSON, wrong resource types, refused POST searches and batches, bodies too large,
//! paging links to other hosts, and resources for the wrong patient.
//!
//! `responses`: what the server answers (statuses, broken bodies, timeouts, retries, size
//! limits); `requests`: what rounds sends (gzip, form searches, credentials, paging);
//! `charts`: loading a chart (refused sections and batches, foreign resources).

use std::io::Write;
use std::time::Duration;

use rounds::fhir::{
    BatchMode, ClientConfig, Credentials, FhirClient, FhirError, PatientQuery, Secret, Section,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "../common/mod.rs"]
mod common;

use common::mock::{batch_reply, bundle, by_name, client_for, fhir, outcome, patient};

/// The error a read of `Patient/p1` ends in when the server answers `status` with `body`.
async fn read_error(status: u16, body: Value) -> FhirError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(fhir(status, body))
        .mount(&server)
        .await;
    client_for(&server, |_| {})
        .read("Patient", "p1")
        .await
        .unwrap_err()
}

mod charts;
mod lists;
mod requests;
mod responses;
