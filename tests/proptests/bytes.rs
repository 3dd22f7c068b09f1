//! Bytes from the network or a file: bundles of hostile resources, damaged (truncated,
//! bytes changed or inserted), parsed as every resource type, as a page, and read by
//! `LocalSource` as a file and as a folder. Nothing may panic.

use std::io::Write;

use proptest::prelude::*;
use rounds::chart::Chart;
use rounds::fhir::model::{
    AllergyIntolerance, Bundle, Condition, DiagnosticReport, DocumentReference, Encounter,
    Immunization, Medication, MedicationRequest, Observation, OperationOutcome, Patient,
};
use rounds::fhir::{RecordBuilder, Section};
use rounds::source::{DataSource as _, LocalSource};
use serde_json::{Value, json};

use super::{config, today};
use crate::strategies::{junk, patient, resource};

/// JSON text of a bundle of hostile resources, then damaged: truncated, bytes changed, or
/// bytes inserted (invalid UTF-8 among them).
fn body() -> impl Strategy<Value = Vec<u8>> {
    let bundle = (patient(), prop::collection::vec(resource(), 0..6), any::<bool>()).prop_map(
        |(p, rs, searchset)| {
            let entry: Vec<Value> = std::iter::once(p)
                .chain(rs)
                .map(|r| json!({"fullUrl": "urn:uuid:x", "resource": r, "search": {"mode": "match"}}))
                .collect();
            let kind = if searchset { "searchset" } else { "collection" };
            serde_json::to_vec(&json!({"resourceType": "Bundle", "type": kind, "total": entry.len(), "entry": entry}))
                .unwrap()
        },
    );
    let edit = prop_oneof![
        (any::<prop::sample::Index>()).prop_map(|i| (0u8, i, 0u8)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| (1u8, i, b)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| (2u8, i, b)),
    ];
    prop_oneof![
        6 => (bundle, prop::collection::vec(edit, 0..4)).prop_map(|(mut bytes, edits)| {
            for (kind, at, b) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes.truncate(i),
                    1 => bytes[i] = b,
                    _ => bytes.insert(i, b),
                }
            }
            bytes
        }),
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => junk().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn response_bodies_never_panic(bytes in body()) {
        let _ = serde_json::from_slice::<Bundle>(&bytes);
        let _ = serde_json::from_slice::<OperationOutcome>(&bytes);
        let _ = serde_json::from_slice::<Patient>(&bytes);
        let _ = serde_json::from_slice::<Observation>(&bytes);
        let _ = serde_json::from_slice::<Condition>(&bytes);
        let _ = serde_json::from_slice::<AllergyIntolerance>(&bytes);
        let _ = serde_json::from_slice::<MedicationRequest>(&bytes);
        let _ = serde_json::from_slice::<Medication>(&bytes);
        let _ = serde_json::from_slice::<Encounter>(&bytes);
        let _ = serde_json::from_slice::<Immunization>(&bytes);
        let _ = serde_json::from_slice::<DiagnosticReport>(&bytes);
        let _ = serde_json::from_slice::<DocumentReference>(&bytes);
        // A page that parses goes on into a record and a chart, as the client does.
        if let Ok(bundle) = serde_json::from_slice::<Bundle>(&bytes) {
            let _ = bundle.next_link();
            let mut resources = bundle.entry.into_iter().filter_map(|e| e.resource);
            if let Some(Ok(mut b)) = resources.next().map(RecordBuilder::new) {
                resources.for_each(|r| b.add(r));
                Section::ALL.into_iter().for_each(|s| b.mark_loaded(s));
                let _ = Chart::build(&b.finish(), today());
            }
        }
    }

    #[test]
    fn files_never_panic(bytes in body()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.json");
        std::fs::File::create(&path).unwrap().write_all(&bytes).unwrap();
        // Raw bytes (invalid UTF-8 included) from disk, as a file and as a folder.
        for target in [path.as_path(), dir.path()] {
            if let Ok(source) = LocalSource::open(target) {
                let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
                let record = rt.block_on(source.record("p", &Section::ALL));
                if let Ok(record) = record {
                    let _ = Chart::build(&record, today());
                }
                let _ = rt.block_on(source.search(
                    &rounds::fhir::PatientQuery { name: Some("a".into()), ..Default::default() },
                    10,
                ));
            }
        }
    }
}
