//! `rounds sync`: keep encrypted copies of charts on this device (`offline`), to read when
//! the server cannot be reached. Which patients (`source::offline_sync`): those named with
//! `--patient`, those pinned (`--pin`, `--unpin`; `--list` in `sync_list.rs`), those
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
use crate::config::Profile;
use crate::fhir::FhirClient;
use crate::fhir::model::is_fhir_id;
use crate::offline::{OfflineStore, Pruned};
use crate::source::SourceError;
use crate::source::offline_sync::{KeepOutcome, keep_each, patients_to_keep};
use crate::source::profile::{self, Selected};

/// The JSON document `rounds sync --json` prints.
#[derive(Debug, Serialize)]
struct SyncOutput {
    schema: &'static str,
    profile: String,
    as_of: chrono::DateTime<Utc>,
    patients: Vec<KeepOutcome>,
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
pub(super) fn profile_of(selected: &Selected) -> Result<(&str, &Profile), CliError> {
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
    for id in args.patients.iter().chain(&args.pin).chain(&args.unpin) {
        if !is_fhir_id(id) {
            return Err(CliError::usage(format!(
                "'{}' is not a patient id",
                crate::text::clean_line(id)
            )));
        }
    }
    let store = access.store(true).await.map_err(source_error)?;
    if args.list {
        return super::sync_list::list(
            name,
            &store,
            &profile::chart_options(&selected),
            args.json,
            out,
        );
    }
    if !args.pin.is_empty() || !args.unpin.is_empty() {
        // With --json the document alone goes to stdout: the words go to stderr.
        let mut stderr = std::io::stderr();
        let words: &mut dyn Write = if args.json { &mut stderr } else { &mut *out };
        change_pins(&store, args, words)?;
        if args.pin.is_empty() && args.patients.is_empty() && !args.today {
            return Ok(());
        }
    }
    let config = profile::profile_config(name, profile, &cli.net.options())?;
    let client = FhirClient::new(config).map_err(|e| source_error(e.into()))?;
    let ids = patients_to_keep(&client, &store, access.keep(), &args.patients, args.today)
        .await
        .map_err(source_error)?;
    let (outcomes, pruned) = keep_each(&client, &store, &ids, &|| false).await;
    let stats = client.stats();
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

/// Pin and unpin as asked, and say so (a pin past the most kept is said too).
fn change_pins(store: &OfflineStore, args: &SyncArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let failed = |e: crate::offline::OfflineError| CliError::new(exit::NETWORK, e.to_string());
    let pinned = store.set_pins(&args.pin, true).map_err(failed)?;
    let unpinned = store.set_pins(&args.unpin, false).map_err(failed)?;
    let pins = store.pins().map_err(failed)?;
    let missing = args.pin.iter().filter(|p| !pins.contains(p)).count();
    if missing > 0 {
        return Err(CliError::usage(format!(
            "{missing} patient(s) could not be pinned: at most {} are pinned (rounds sync --unpin ID)",
            crate::offline::index::MAX_PINS
        )));
    }
    if !args.pin.is_empty() {
        writeln!(
            out,
            "Pinned {pinned} patient(s) ({} already were): kept offline by every sync.",
            args.pin.len() - pinned
        )
        .map_err(io_error)?;
    }
    if !args.unpin.is_empty() {
        writeln!(
            out,
            "Unpinned {unpinned} patient(s): their copies stay until they are older than the \
             maximum age, unless opened again or booked today."
        )
        .map_err(io_error)?;
    }
    Ok(())
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
    let pinned = r.patients.iter().filter(|p| p.pinned).count();
    if pinned > 0 {
        writeln!(out, "  {pinned} of them pinned.")?;
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
