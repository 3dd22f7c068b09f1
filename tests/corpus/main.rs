#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The outside corpus (`fixtures/corpus/`: HL7 IPS and US Core examples, vendor shapes)
//! and every fixture, read through `LocalSource` and built into charts as the CLI and the
//! TUI build them: nothing of a patient's chart-relevant resources is silently dropped
//! (`accounting`), and what `expect.json` says a clinician must see is there (`expect`).

#[path = "../common/mod.rs"]
mod common;

mod accounting;
mod expect;

use std::path::{Path, PathBuf};

use rounds::chart::Chart;
use rounds::fhir::Section;
use rounds::source::{DataSource, LocalSource};
use serde_json::Value;

use common::{repo, today};

/// Every `.json` file under `dir`, sorted, leaving out `expect.json`.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json")
                && p.file_name().is_some_and(|n| n != "expect.json")
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The chart of `patient` from `source`, every section loaded, as the CLI builds it.
fn chart(source: &LocalSource, patient: &str) -> Chart {
    let record = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(source.record(patient, &Section::ALL))
        .unwrap();
    Chart::build(&record, today())
}

/// The chart as JSON (what `--json` prints).
fn chart_json(source: &LocalSource, patient: &str) -> Value {
    serde_json::to_value(chart(source, patient)).unwrap()
}

/// A path relative to the repository, for messages.
fn shown(path: &Path) -> String {
    path.strip_prefix(repo())
        .unwrap_or(path)
        .display()
        .to_string()
}
