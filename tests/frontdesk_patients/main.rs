#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The front desk and the clinician's lists against the real FHIR server
//! (`ROUNDS_TEST_FHIR_URL`, hfs or sekmet): registration with its duplicate check
//! (`registration.rs`), a demographics change keeping the old address and a concurrent
//! change met as a conflict (`demographics.rs`), the ward's census and a practitioner's
//! day (`census.rs`), and `Patient/$match` against a mock server that declares it
//! (`match_op.rs`). Every test makes its own patients with names and ids unique to the run,
//! and removes them before checking anything.

#[path = "../common/mod.rs"]
mod common;

mod census;
mod demographics;
mod match_op;
mod registration;
mod ward_screen;

use rounds::fhir::FhirClient;
use serde_json::Value;

/// A tag unique to this run and test (`a1b2c3d4`).
fn tag() -> String {
    rounds::fhir::write::new_uuid()[..8].to_owned()
}

/// The Patients whose family name is exactly `family` (a form search, as rounds does).
async fn patients_named(client: &FhirClient, family: &str) -> Vec<Value> {
    let params = vec![("family".to_owned(), family.to_owned())];
    client
        .search_form("Patient", &params, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e["resource"].clone())
        .filter(|r| r["resourceType"] == "Patient")
        .filter(|r| r["name"][0]["family"].as_str() == Some(family))
        .collect()
}

/// Delete `Type/id` (best effort).
async fn delete(client: &FhirClient, resource_type: &str, id: &str) {
    let _ = reqwest::Client::new()
        .delete(format!("{}/{resource_type}/{id}", client.base_url()))
        .send()
        .await;
}
