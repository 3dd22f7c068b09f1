//! `rounds sync`: keep encrypted copies of charts on this device (`offline`), to read when
//! the server cannot be reached. Which patients: those named with `--patient`, those
//! opened in the last `offline_hours` (the profile's setting), and with `--today` those
//! booked today. Each chart is fetched as `rounds chart` fetches it (the same query plan),
//! asking "changed?" (`If-None-Match`) with the validators kept from the last sync, so an
//! answer the server can say is unchanged costs a 304. `--clear` deletes every copy.
//! Prints patients, bytes and round trips (schema rounds.sync/1 with `--json`).

use std::io::Write;

use chrono::Utc;

use serde::Serialize;

use super::sync_args::SyncArgs;
use super::{CliError, exit, io_error, write_json};
use crate::config::{DEFAULT_OFFLINE_HOURS, Profile};
use crate::fhir::model::is_fhir_id;
use crate::fhir::{FhirClient, Section};
use crate::offline::{OfflineStore, Pruned};
use crate::source::SourceError;
use crate::source::profile::{self, Selected};

#[derive(Debug, Serialize)]
struct PatientOutcome {
    id: String,
    kept: bool,
    /// Size of the sealed copy on disk.
    bytes: u64,
    error: Option<String>,
}

/// The JSON document `rounds sync --json` prints.
#[derive(Debug, Serialize)]
struct SyncOutput {
    schema: &'static str,
    profile: String,
    as_of: chrono::DateTime<Utc>,
    patients: Vec<PatientOutcome>,
    kept: usize,
    failed: usize,
    round_trips: u64,
    bytes_sent: u64,
    bytes_received: u64,
    /// Answers the server said were unchanged (304 Not Modified): their kept body was used.
    not_modified: u64,
    /// Copies and bytes kept on disk after the sync.
    stored_copies: usize,
    stored_bytes: u64,
    pruned: Pruned,
}

fn source_error(e: SourceError) -> CliError {
    CliError::from(e)
}

/// The profile a sync works on, and why it cannot when it cannot.
fn profile_of(selected: &Selected) -> Result<(&str, &Profile), CliError> {
    match selected {
        Selected::Profile { name, profile } => Ok((name, profile)),
        _ => Err(CliError::usage(
            "offline copies belong to a sign-in profile: rounds --profile NAME sync",
        )),
    }
}

pub async fn run(cli: &super::Cli, args: &SyncArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let selected = super::select(cli)?;
    let (name, profile) = profile_of(&selected)?;
    let access = profile::offline_access(name, profile);
    if let Some(why) = access.why_not() {
        return Err(CliError::usage(why));
    }
    if args.clear {
        let removed = crate::offline::remove_profile(
            &crate::config::state_dir().unwrap_or_default(),
            name,
            None,
        )
        .map_err(|e| CliError::new(exit::NETWORK, e.to_string()))?;
        return writeln!(
            out,
            "Deleted the offline copies of profile '{name}' ({removed} file(s))."
        )
        .map_err(io_error);
    }
    if !profile.offline {
        return Err(CliError::usage(format!(
            "profile '{name}' keeps no offline copies; turn it on with: rounds login --profile {name} --offline"
        )));
    }
    for id in &args.patients {
        if !is_fhir_id(id) {
            return Err(CliError::usage(format!(
                "'{}' is not a patient id",
                crate::text::clean_line(id)
            )));
        }
    }
    let store = access.store(true).await.map_err(source_error)?;
    let config = profile::profile_config(name, profile, &cli.net.options())?;
    let client = FhirClient::new(config).map_err(|e| source_error(e.into()))?;
    let hours = profile.offline_hours.unwrap_or(DEFAULT_OFFLINE_HOURS);
    let mut ids: Vec<String> = args.patients.clone();
    ids.extend(store.opened_within(hours, Utc::now()));
    if args.today {
        // The day's list as the schedule shows it: the clinic's local day (the profile's
        // `timezone`), its practitioner and location when the profile names them.
        let desk = super::schedule::DeskSettings::of_profile(profile);
        let request = super::schedule::request(
            &super::schedule_args::ScheduleArgs::default(),
            &desk,
            &crate::chart::ChartOptions::default(),
        )?;
        let booked = crate::source::schedule::patients_of_day(&client, &request)
            .await
            .map_err(source_error)?;
        ids.extend(booked);
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let outcomes = keep_all(&client, &store, &ids).await;
    let stats = client.stats();
    let pruned = store.prune(Utc::now()).unwrap_or_default();
    let (copies, stored, _) = store.usage().unwrap_or((0, 0, None));
    let failed = outcomes.iter().filter(|o| !o.kept).count();
    let report = SyncOutput {
        schema: "rounds.sync/1",
        profile: name.to_owned(),
        as_of: Utc::now(),
        kept: outcomes.len() - failed,
        failed,
        patients: outcomes,
        round_trips: stats.round_trips,
        bytes_sent: stats.bytes_sent,
        bytes_received: stats.bytes_received,
        not_modified: client.not_modified(),
        stored_copies: copies,
        stored_bytes: stored,
        pruned,
    };
    if args.json {
        write_json(out, &report)?;
    } else {
        write_text(out, &report, store.as_ref()).map_err(io_error)?;
    }
    if failed > 0 {
        return Err(CliError::new(
            exit::NETWORK,
            format!("{failed} patient(s) could not be kept offline"),
        ));
    }
    Ok(())
}

/// Fetch and keep each patient's chart, one after another (each revalidated against its
/// own kept answers, then its answers kept for next time).
async fn keep_all(
    client: &FhirClient,
    store: &OfflineStore,
    ids: &[String],
) -> Vec<PatientOutcome> {
    let mut outcomes = Vec::new();
    for id in ids {
        client.forget();
        client.revalidation_import(store.answers(id));
        let outcome = match client.fetch_record(id, &Section::ALL).await {
            Ok(record) => {
                let answers = client.revalidation_export();
                match store.put(id, &record, answers, Utc::now()) {
                    Ok(bytes) => PatientOutcome {
                        id: id.clone(),
                        kept: true,
                        bytes,
                        error: None,
                    },
                    Err(e) => failed(id, e.to_string()),
                }
            }
            Err(e) => failed(id, e.to_string()),
        };
        outcomes.push(outcome);
    }
    // Nothing of the last patient stays in memory.
    client.forget();
    outcomes
}

fn failed(id: &str, message: String) -> PatientOutcome {
    PatientOutcome {
        id: id.to_owned(),
        kept: false,
        bytes: 0,
        error: Some(crate::text::clean_line(&message)),
    }
}

fn write_text(out: &mut dyn Write, r: &SyncOutput, store: &OfflineStore) -> std::io::Result<()> {
    let limits = store.limits();
    if r.patients.is_empty() {
        writeln!(
            out,
            "No patients to keep: none opened lately, none named with --patient, none booked today (--today)."
        )?;
    } else {
        writeln!(
            out,
            "Kept {} of {} patient(s) offline for profile '{}', encrypted.",
            r.kept,
            r.patients.len(),
            r.profile
        )?;
    }
    for p in r.patients.iter().filter(|p| !p.kept) {
        writeln!(
            out,
            "  {}: not kept ({})",
            crate::text::clean_line(&p.id),
            p.error.as_deref().unwrap_or("")
        )?;
    }
    writeln!(
        out,
        "Network: {} round trip(s), {} sent, {} received, {} answered 304 Not Modified.",
        r.round_trips,
        bytes(r.bytes_sent),
        bytes(r.bytes_received),
        r.not_modified
    )?;
    writeln!(
        out,
        "On this device: {} cop{} in {} (at most {}; each deleted after {} h).",
        r.stored_copies,
        if r.stored_copies == 1 { "y" } else { "ies" },
        bytes(r.stored_bytes),
        bytes(limits.max_bytes),
        limits.max_age_hours
    )?;
    let p = &r.pruned;
    if p.expired + p.over_size + p.refused + p.orphans > 0 {
        writeln!(
            out,
            "Deleted: {} too old, {} over the size cap, {} that failed their integrity check.",
            p.expired,
            p.over_size,
            p.refused + p.orphans
        )?;
    }
    Ok(())
}

/// Bytes in words: 512 B, 12.5 KB, 3.2 MB.
fn bytes(n: u64) -> String {
    match n {
        n if n < 1024 => format!("{n} B"),
        n if n < 1024 * 1024 => format!(
            "{} KB",
            crate::chart::format::decimal_places(n as f64 / 1024.0, 1)
        ),
        n => format!(
            "{} MB",
            crate::chart::format::decimal_places(n as f64 / (1024.0 * 1024.0), 1)
        ),
    }
}
