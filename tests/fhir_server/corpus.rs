//! The outside corpus through the real server (issue 11): every patient of
//! `fixtures/corpus-server/` (the corpus with prefixed ids, loaded by `scripts/fhir-server
//! load`) charts the same from the server, with batch and without, as from its file, and
//! nothing the server holds for it is left unaccounted for (`not_shown` or a row's `ids`).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use super::*;
use common::repo;
use rounds::chart::NOT_PLACED;

/// Each corpus-server file with the ids of the patients in it.
fn corpus_patients() -> Vec<(PathBuf, Vec<String>)> {
    let dir = repo().join("fixtures/corpus-server");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("MANIFEST.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for f in manifest["files"].as_array().unwrap() {
        let file = dir.join(f["file"].as_str().unwrap());
        let text = std::fs::read_to_string(&file).unwrap();
        let bundle: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        let ids: Vec<String> = bundle["entry"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == "Patient")
            .filter_map(|r| r["id"].as_str().map(str::to_owned))
            .collect();
        if !ids.is_empty() {
            out.push((file, ids));
        }
    }
    out
}

/// What legitimately differs between a file and a server, made equal:
/// - a document's Composition says which of its sections are empty and why ("Problems not
///   known", "Medications not known"): that is read from a document (a file); a server's
///   chart is made of the patient's resources and does not search Compositions, so its
///   statement is `null`;
/// - a report's result that is not loaded (`(result not loaded)` on both) keeps the
///   reference as the server sent it, while a file drops a reference that names nothing
///   in that file (`id: null`).
fn same_footing(file: &mut Value, server: &mut Value) {
    if server["problems"]["data"]["statement"].is_null() {
        file["problems"]["data"]["statement"] = Value::Null;
    }
    // The same for the medication section (a document's statement names no resource).
    if server["no_medications"].is_null() && file["no_medications"]["ids"] == Value::Array(vec![]) {
        file["no_medications"] = Value::Null;
    }
    for chart in [file, server] {
        for n in chart["notes"]["data"].as_array_mut().into_iter().flatten() {
            for r in n["results"].as_array_mut().into_iter().flatten() {
                if r["value"].is_null() {
                    r["id"] = Value::Null;
                }
            }
        }
    }
}

#[tokio::test]
async fn every_corpus_patient_charts_the_same_from_the_server_as_from_its_file() {
    let batch = RemoteSource::new(client(BatchMode::Always));
    let concurrent = RemoteSource::new(client(BatchMode::Never));
    let mut compared = 0;
    let mut differ = Vec::new();
    for (file, ids) in corpus_patients() {
        let local = LocalSource::open(&file).unwrap();
        for id in ids {
            let record = local.record(&id, &Section::ALL).await.unwrap();
            let want = serde_json::to_value(Chart::build(&record, today())).unwrap();
            for (how, src) in [("batch", &batch), ("concurrent", &concurrent)] {
                let record = src.record(&id, &Section::ALL).await.unwrap();
                let got = Chart::build(&record, today());
                // Nothing of this patient the server sent is unaccounted for.
                let named: BTreeSet<&str> =
                    got.not_shown.iter().map(|n| n.resource.as_str()).collect();
                assert!(
                    got.not_shown.iter().all(|n| n.reason != NOT_PLACED),
                    "{} {id} via {how}: not placed: {named:?}",
                    file.display()
                );
                let mut got = serde_json::to_value(&got).unwrap();
                let mut want = want.clone();
                same_footing(&mut want, &mut got);
                // Warnings may name what only one side resolved (a shared Medication).
                got["warnings"] = want["warnings"].clone();
                let (got, want) = (normalize(got), normalize(want));
                compared += 1;
                if got != want {
                    let keys: Vec<String> = want
                        .as_object()
                        .into_iter()
                        .flatten()
                        .filter(|(k, v)| got.get(k.as_str()) != Some(*v))
                        .map(|(k, v)| format!("{k}: file {v} server {}", got[k.as_str()]))
                        .collect();
                    differ.push(format!(
                        "{} {id} via {how}: {}",
                        file.display(),
                        keys.join("; ")
                    ));
                }
            }
        }
    }
    assert!(compared >= 30, "only {compared} charts compared");
    assert!(
        differ.is_empty(),
        "charts differ between server and file:\n{}",
        differ.join("\n")
    );
}
