//! rounds: a terminal charting client for FHIR R4 electronic health records.
//!
//! Dependencies point one way (ARCHITECTURE.md; checked by `tests/architecture.rs`):
//! - `common` (shared vocabulary) and `text` (sanitizer, widths) depend on nothing;
//! - `fhir` (R4 model, client, `FhirError`), `chart` (the clinical view model) and `auth`
//!   (SMART, secret stores) know nothing of terminals;
//! - `config` (settings, profiles, keymap, themes) and `source` (a server, files or the demo
//!   behind one trait; `source::profile` opens the one chosen) sit above them;
//! - `app` (state, the mode stack, `update`), `worker` (network tasks) and `ui` (pure panes;
//!   data only through `app` and `chart`) make the interactive screen, which `tui` starts
//!   and runs;
//! - `vault` keeps items encrypted on disk under a key from the profile's secret store;
//!   `charting` turns what a clinician wrote (a note, vital signs, "no known allergies")
//!   into FHIR resources, checked; `outbox` keeps each write in the vault until the server
//!   has it, and sends it; `frontdesk` builds a clinic day's schedule, check-ins,
//!   registrations, demographics changes and lists; `offline` keeps sealed copies of
//!   charts to read when the link is down;
//! - `cli` parses the command line, runs the scripting commands and hands over to `tui`.

pub mod app;
pub mod auth;
pub mod chart;
pub mod charting;
pub mod cli;
pub mod common;
pub mod config;
pub mod fhir;
pub mod files;
pub mod frontdesk;
pub mod offline;
pub mod outbox;
pub mod source;
pub mod text;
pub mod tui;
pub mod ui;
pub mod vault;
pub mod worker;
