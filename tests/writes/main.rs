#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Writing back to the real FHIR server (`ROUNDS_TEST_FHIR_URL`, hfs or sekmet): what was
//! written reads back identically through the chart (a note, vital signs, NKA), a create
//! sent again makes nothing new (`If-None-Exist`, in a transaction too), a stale
//! `If-Match` is a conflict shown as base / theirs / mine, and the command line end to end
//! with its exit codes and the encrypted outbox (`outbox.rs`). Each test writes to a
//! patient of its own (tests/common/writes.rs) and removes what it wrote.

#[path = "../common/mod.rs"]
mod common;

mod notes_by_url;
mod outbox_cli;
mod round_trip;

use chrono::{FixedOffset, TimeZone};
use rounds::charting::Context;
use rounds::charting::prepare::{Origin, Subject};
use rounds::outbox::{Author, Outbox};
use rounds::vault::VaultKey;

/// Who the tests write as.
fn author() -> Author {
    Author {
        profile: "w".into(),
        fhir_user: Some("Practitioner/rnd-wt-clinician".into()),
    }
}

fn origin(server: &str) -> Origin {
    Origin {
        server: server.into(),
        author: author(),
    }
}

fn subject(id: &str) -> Subject {
    Subject {
        id: id.into(),
        label: format!("QXWRITE, Pat  Born 05-May-1970  MRN {id}"),
        birth_date: chrono::NaiveDate::from_ymd_opt(1970, 5, 5),
    }
}

/// 09:30 at UTC-06:00 on the test day: a time with an offset, in the past.
fn at() -> chrono::DateTime<FixedOffset> {
    FixedOffset::west_opt(6 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 22, 9, 30, 0)
        .unwrap()
}

fn context(patient: &str) -> Context {
    Context {
        patient_id: patient.into(),
        author: author().fhir_user,
        encounter: None,
        now: at(),
    }
}

/// An outbox in a folder of its own, under a new key.
fn outbox(server: &str) -> (tempfile::TempDir, Outbox) {
    let dir = tempfile::tempdir().unwrap();
    let folder = Outbox::dir(dir.path(), "w", server);
    let o = Outbox::open(folder, VaultKey::generate(), "w", server).unwrap();
    (dir, o)
}
