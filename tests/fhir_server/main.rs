//! The FHIR client and the remote data source against a real FHIR server (Helios hfs,
//! started and loaded with the fixtures by scripts/test). Values are asserted against the
//! fixtures: the same chart must come out of the server as out of the Bundle files.
//!
//! `search`: capabilities and patient search; `charts`: chart values against the fixtures;
//! `loading`: round trips, batches, paging and the first screen.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;

use common::{fixture_patients, normalize, server_compresses, server_url, today};
use rounds::chart::{AllergyFlag, Chart, Flag};
use rounds::fhir::{BatchMode, ClientConfig, FhirClient, FhirError, PatientQuery, Section};
use rounds::source::{DataSource, LocalSource, RemoteSource, SourceError};

fn client(batch: BatchMode) -> FhirClient {
    let mut config = ClientConfig::new(server_url());
    config.batch = batch;
    FhirClient::new(config).unwrap()
}

fn query(f: impl FnOnce(&mut PatientQuery)) -> PatientQuery {
    let mut q = PatientQuery::default();
    f(&mut q);
    q
}

async fn found_ids(q: PatientQuery) -> Vec<String> {
    let page = client(BatchMode::Auto)
        .search_patients(&q, 50)
        .await
        .unwrap();
    assert!(!page.used_get, "the server should take POST _search");
    let mut ids: Vec<String> = page.patients.into_iter().filter_map(|p| p.id).collect();
    ids.sort();
    ids
}

mod charts;
mod corpus;
mod loading;
mod resources;
mod search;
