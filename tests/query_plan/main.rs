//! What rounds asks a server for, against a mock server, where the real test server cannot
//! show it: `_elements` on patient searches (and what happens when a server refuses it), and
//! `Observation/$lastn` for the first screen when a server declares it (hfs does not), and
//! chart searches by typed reference with a fallback to the bare id.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rounds::fhir::capability::ResourceCapabilities;
use rounds::fhir::{BatchMode, Capabilities, FhirClient, FhirError, Section};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "../common/mod.rs"]
mod common;
use common::mock::{
    batch_reply, bundle, by_name, client_for, fhir, outcome, patient, serve_patient,
};

mod elements;
mod lastn;
mod typed_reference;
