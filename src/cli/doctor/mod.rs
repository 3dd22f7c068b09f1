//! `rounds doctor`: one screen clinic IT can read and paste, saying what works and what to
//! do about what does not. Sections: the config files, the secret stores, the server (from
//! DNS to the SMART configuration), the terminal, the offline copies, and the outbox (not set
//! up yet: its line keeps the report's shape stable). Each check is `ok`, `warning` or
//! `failure` in words; `--json` prints the same as `rounds.doctor/1`.
//!
//! Exit 0 when nothing failed (warnings allowed), 1 when something failed; 2-5 keep their
//! meaning for errors of the command itself (e.g. 2 for `--demo`). It never prints a
//! secret, a token or patient data, and it changes nothing but a probe entry in the kernel
//! keyring (written and removed, as `rounds login` does).

mod cert;
mod config;
mod metadata;
mod offline;
mod report;
mod server;
mod smart;
mod store;
mod terminal;
mod tls;

use std::io::Write;

use super::args::Cli;
use super::auth_args::JsonArgs;
use super::{CliError, exit, io_error, write_json};
use crate::config::{Profile, Profiles};
use crate::source::profile::{self, OpenError, Selected};
use report::{Checks, Report, Section};

/// What the doctor was asked to look at.
#[derive(Debug)]
// One value per command run: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub(super) enum Target {
    /// A server without sign-in (`--server URL`).
    Server(String),
    /// A sign-in profile.
    Profile { name: String, profile: Profile },
    /// No server: none was chosen (`failed` false), or the choice cannot be used.
    Nothing { why: String, failed: bool },
}

/// `rounds doctor`.
pub async fn run(cli: &Cli, args: &JsonArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let target = target(cli)?;
    let sections = vec![
        config::checks(&target),
        store::checks(&target),
        server::checks(&target, &cli.net.options()).await,
        terminal::checks(),
        offline::checks(&target).await,
        not_yet(Section::Outbox, "outbox"),
    ];
    let report = Report::new(sections);
    if args.json {
        write_json(out, &report)?;
    } else {
        report.write_text(out).map_err(io_error)?;
    }
    if report.failures > 0 {
        return Err(CliError::new(
            exit::CHECK_FAILED,
            format!("doctor: {}", report.summary()),
        ));
    }
    Ok(())
}

/// The server or profile to check, as the other commands choose it.
fn target(cli: &Cli) -> Result<Target, CliError> {
    let choice = cli.source_choice();
    if choice.demo || choice.open.is_some() {
        return Err(CliError::usage(
            "rounds doctor checks a server: give --server URL or --profile NAME, not --demo \
             or --open",
        ));
    }
    match profile::select(&choice) {
        Ok(Selected::Server(url)) => Ok(Target::Server(url)),
        Ok(Selected::Profile { name, profile }) => Ok(Target::Profile { name, profile }),
        Ok(Selected::Demo | Selected::Open(_)) => Err(CliError::usage("no server to check")),
        Err(OpenError::Usage(why)) if choice.profile_typed && choice.server_typed => {
            Err(CliError::usage(why))
        }
        Err(e) => {
            let nothing_named = choice.profile.is_none()
                && choice.server.as_deref().is_none_or(|s| s.trim().is_empty());
            // With nothing named and a readable profiles file, the only failure left is
            // "no default profile": a fresh install, not a fault.
            let failed = !(nothing_named && Profiles::load().is_ok());
            Ok(Target::Nothing {
                why: e.to_string(),
                failed,
            })
        }
    }
}

/// The line of a part of rounds that does not exist yet.
fn not_yet(section: Section, name: &'static str) -> Checks {
    let mut c = Checks::new(section);
    c.ok(name, "not set up (arrives with the offline/charting work)");
    c
}
