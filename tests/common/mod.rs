//! Shared helpers for the integration tests: where the real FHIR server is, the fixture
//! patients, a fixed "today", and JSON normalisation for comparing charts; `tui` is the
//! harness for driving the TUI without a terminal.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod keyring;
pub mod mock;
pub mod tls;
pub mod tmux;
pub mod tui;
pub mod writes;

use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::Value;

/// The base URL of the real FHIR server the tests run against (started and loaded with the
/// fixtures by `scripts/test`).
pub fn server_url() -> String {
    match std::env::var("ROUNDS_TEST_FHIR_URL") {
        Ok(url) if !url.trim().is_empty() => url,
        _ => panic!(
            "ROUNDS_TEST_FHIR_URL is not set. Run the tests with scripts/test, which starts the \
             FHIR server, loads the fixtures and sets it (or start it yourself with \
             scripts/fhir-server start && scripts/fhir-server load)."
        ),
    }
}

/// Which FHIR server the tests run against (`ROUNDS_TEST_FHIR_IMPL`, set by
/// `scripts/test`): `hfs` (the default) or `sekmet`. Tests that rely on a behaviour only
/// one server has say so with this.
pub fn server_impl() -> String {
    std::env::var("ROUNDS_TEST_FHIR_IMPL")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "hfs".to_owned())
}

/// Whether the server compresses its answers (hfs does, gzip and brotli; sekmet never
/// does: rounds asks for compression and copes without it).
pub fn server_compresses() -> bool {
    server_impl() != "sekmet"
}

/// The date the fixtures' expected ages are computed for.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture patient: its Bundle file, Patient id, and name as the manifest gives it.
#[derive(Debug, Clone)]
pub struct FixturePatient {
    pub file: PathBuf,
    pub id: String,
    pub family: String,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
}

/// Every fixture patient loaded into the test server (Synthea and hand-made), read from the
/// Bundles themselves.
pub fn fixture_patients() -> Vec<FixturePatient> {
    let mut out = Vec::new();
    for dir in ["fixtures/synthea", "fixtures/clinical"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let bundle: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            let patient = bundle["entry"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| &e["resource"])
                .find(|r| r["resourceType"] == "Patient")
                .unwrap()
                .clone();
            let family = patient["name"][0]["family"]
                .as_str()
                .or(patient["name"][0]["text"].as_str())
                .unwrap()
                .to_owned();
            out.push(FixturePatient {
                file,
                id: patient["id"].as_str().unwrap().to_owned(),
                family,
                birth_date: patient["birthDate"].as_str().map(str::to_owned),
                gender: patient["gender"].as_str().map(str::to_owned),
            });
        }
    }
    out
}

/// Sort every array of a JSON value by the elements' text, so two charts built from the
/// same resources in a different order compare equal.
pub fn normalize(v: Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut items: Vec<Value> = items.into_iter().map(normalize).collect();
            items.sort_by_key(|i| i.to_string());
            Value::Array(items)
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, normalize(v))).collect())
        }
        other => other,
    }
}
