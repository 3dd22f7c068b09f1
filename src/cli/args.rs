//! Command-line arguments (clap). The commands script the same data the TUI shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::auth_args::{AuthCommand, JsonArgs, LoginArgs};
use super::schedule_args::{CheckinArgs, ScheduleArgs};
use super::sync_args::SyncArgs;
use super::write_args::{AllergiesCommand, NoteCommand, OutboxArgs, VitalsCommand};
use crate::fhir::BatchMode;
use crate::source::profile::{NetOptions, SourceChoice};

/// rounds: a terminal charting client for FHIR R4 electronic health records.
#[derive(Debug, Parser)]
#[command(
    name = "rounds",
    version = env!("ROUNDS_VERSION"),
    about = "A terminal charting client for FHIR R4 electronic health records",
    long_about = "rounds searches patients and shows their charts (banner with flags and advance \
directives, problems, allergies, medications, labs, vitals, encounters, immunizations, notes, \
procedures) from a FHIR R4 server, from FHIR Bundle files, or from built-in synthetic demo \
patients.",
    after_help = "Without a command, rounds opens the interactive screen.\n\nExamples:\n  rounds --demo\n  rounds --demo search --name testwell\n  rounds --demo chart <ID> --section meds\n  \
rounds --server https://ehr.example/fhir search --name smith --birthdate 1980-01-15 --json\n  \
rounds --open export.json chart <ID> --json\n  \
rounds login --profile clinic --server https://ehr.example/fhir --auth basic --user jdoe\n  \
rounds --profile clinic search --name smith\n  rounds --profile clinic schedule\n  \
rounds --profile clinic checkin APPOINTMENT_ID\n  rounds doctor --profile clinic\n\n\
Exit codes: 0 ok, 1 a check of rounds doctor failed, 2 usage or bad input, 3 not found, \
4 authentication, 5 network or server; writes: 6 conflict, 7 kept in the outbox but not sent yet, 8 possible duplicates."
)]
pub struct Cli {
    #[command(flatten)]
    pub source: SourceArgs,

    #[command(flatten)]
    pub net: NetArgs,

    /// Report round trips, bytes and timings on stderr (never patient data).
    #[arg(long, short, global = true)]
    pub verbose: bool,

    /// Colour theme for the interactive screen: default, light, high-contrast, monochrome,
    /// or a file NAME.toml in the rounds config directory's themes folder.
    #[arg(long, value_name = "NAME", default_value = "default")]
    pub theme: String,

    /// Open this patient's chart at once (the interactive screen).
    #[arg(long, value_name = "ID")]
    pub patient: Option<String>,

    /// Open on today's schedule (the interactive screen; `:today` there).
    #[arg(long)]
    pub schedule: bool,

    /// Lock the interactive screen after this long without input, clearing patient data
    /// from screen and memory: 5m (the default), 90s, 1h, or off. `:lock` or Ctrl-L locks
    /// at once.
    #[arg(long, value_name = "DURATION", env = "ROUNDS_IDLE_LOCK")]
    pub idle_lock: Option<String>,

    /// The sign-in profile to use: its server and stored credentials (see rounds login).
    #[arg(long, value_name = "NAME", env = "ROUNDS_PROFILE", global = true)]
    pub profile: Option<String>,

    /// Which of the source arguments came from the command line itself (filled in after
    /// parsing: an environment variable yields to a flag).
    #[arg(skip)]
    pub given: Given,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The data source the arguments name, as plain values.
    pub fn source_choice(&self) -> SourceChoice {
        SourceChoice {
            demo: self.source.demo,
            open: self.source.open.clone(),
            server: self.source.server.clone(),
            profile: self.profile.clone(),
            server_typed: self.given.server,
            profile_typed: self.given.profile,
        }
    }
}

/// Which arguments were typed on the command line, as opposed to taken from the
/// environment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    pub server: bool,
    pub profile: bool,
}

/// Where the data comes from: exactly one of these (or a profile).
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct SourceArgs {
    /// FHIR R4 base URL, e.g. https://ehr.example/fhir/R4.
    #[arg(long, value_name = "URL", env = "ROUNDS_SERVER", global = true)]
    pub server: Option<String>,

    /// Use the built-in synthetic demo patients (no network).
    #[arg(long, global = true)]
    pub demo: bool,

    /// Read FHIR Bundles from a JSON file or a folder of them.
    #[arg(long, value_name = "PATH", global = true)]
    pub open: Option<PathBuf>,
}

/// How to talk to a server.
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// How a chart is fetched: one batch request (when the server supports it), or
    /// concurrent requests.
    #[arg(long, value_enum, default_value_t = BatchArg::Auto, global = true, hide = true)]
    pub batch: BatchArg,

    /// A PEM file of extra certificate authorities to trust (a clinic's private CA).
    #[arg(long, value_name = "PEM", global = true)]
    pub ca_bundle: Option<PathBuf>,

    /// Do NOT check the server's TLS certificate. Only for test servers: anyone between
    /// you and the server could read and change patient data. Every screen says so.
    #[arg(long, global = true)]
    pub insecure_skip_tls_verify: bool,

    /// Seconds to wait for the server before giving up on a request.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, global = true)]
    pub timeout: u64,

    /// Read only the profile's encrypted offline copies (rounds sync); never the server.
    #[arg(long, global = true)]
    pub offline: bool,
}

impl NetArgs {
    /// The network settings as plain values.
    pub fn options(&self) -> NetOptions {
        NetOptions {
            batch: match self.batch {
                BatchArg::Auto => BatchMode::Auto,
                BatchArg::Always => BatchMode::Always,
                BatchArg::Never => BatchMode::Never,
            },
            ca_bundle: self.ca_bundle.clone(),
            insecure_skip_tls_verify: self.insecure_skip_tls_verify,
            timeout: self.timeout,
            offline: self.offline,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Find patients by name, birth date or identifier (MRN).
    #[command(
        after_help = "At least one criterion is needed. Names match by prefix, ignoring case \
and accents. Searches are sent as POST so names and dates stay out of URLs and server logs.\n\n\
Examples:\n  rounds --demo search --name testwell\n  \
rounds --server https://ehr.example/fhir/R4 search --name smith --birthdate 1980-01-15\n  \
rounds --profile clinic search --identifier RND100101 --json"
    )]
    Search(SearchArgs),

    /// Show a patient's chart, or one section of it.
    #[command(
        after_help = "Examples:\n  rounds --demo chart rnd-ada-testwell --section meds\n  \
rounds --profile clinic chart <ID> --section labs\n  \
rounds --open ~/export/patient-bundle.json chart <ID> --json"
    )]
    Chart(ChartArgs),

    /// Show what the server (or file set) supports, in words.
    #[command(after_help = "Examples:\n  \
rounds --server https://ehr.example/fhir/R4 capabilities\n  \
rounds --profile clinic capabilities --json")]
    Capabilities(super::capabilities::CapabilitiesArgs),

    /// Write a clinical note, or mark one entered in error.
    Note {
        #[command(subcommand)]
        command: NoteCommand,
    },

    /// Record vital signs.
    Vitals {
        #[command(subcommand)]
        command: VitalsCommand,
    },

    /// Record "no known allergies".
    Allergies {
        #[command(subcommand)]
        command: AllergiesCommand,
    },

    /// A clinic day's appointments: time, patient (name, born, MRN), visit type, status.
    #[command(
        after_help = "The day is the clinic's local day (the profile's `timezone`, else the \
system's), searched with its UTC offset so evening visits are not lost. Cancelled and no-show \
visits are listed. Profile defaults: `practitioner`, `location`.\n\n\
Examples:\n  rounds --demo schedule\n  \
rounds --profile clinic schedule --date 2026-12-10 --practitioner dr-ng\n  \
rounds --server https://ehr.example/fhir schedule --location main --timezone America/Chicago --json"
    )]
    Schedule(ScheduleArgs),

    /// Check a patient in: their appointment booked → arrived (version-aware, kept in the
    /// outbox until sent).
    #[command(
        after_help = "Already arrived: said, nothing changed (exit 0). Cancelled, no-show or \
done: nothing changed (exit 2). Changed by another desk first: the conflict shown, nothing \
overwritten (exit 6). Not sent yet: kept in the outbox (exit 7).\n\n\
Examples:\n  rounds --demo checkin demo-appt-03\n  \
rounds --profile clinic checkin APPOINTMENT_ID --json"
    )]
    Checkin(CheckinArgs),
    /// Register a patient (with a duplicate check), or change their phone, email, address.
    Patient(super::patient_args::PatientArgs),
    /// The clinician's lists: the ward's census, today's appointments.
    List(super::patient_args::ListArgs),

    /// The writes kept (encrypted) until the server has them: list, show, retry, discard.
    Outbox(OutboxArgs),

    /// Keep encrypted copies of charts on this device (read when the server is down).
    #[command(after_help = super::sync_args::SYNC_HELP)]
    Sync(SyncArgs),

    /// Sign in to a server: create or update a profile and keep its secret in a store.
    Login(LoginArgs),

    /// Remove a profile's stored secret (the profile itself stays).
    #[command(after_help = "Example:\n  rounds logout --profile clinic")]
    Logout,

    /// Sign-in state: `rounds auth status`.
    #[command(after_help = "Example:\n  rounds auth status --profile clinic")]
    Auth {
        #[command(subcommand)]
        command: AuthCommand,
    },

    /// List the sign-in profiles (* marks the default), or remove one.
    #[command(
        visible_alias = "profile",
        after_help = "Examples:\n  rounds profiles\n  rounds profiles --json\n  \
rounds profiles remove old-clinic"
    )]
    Profiles(super::profile_remove::ProfilesArgs),

    /// Check this computer, the secret stores and the server, and say what to do about
    /// what is wrong (exit 1 when a check fails).
    #[command(
        after_help = "Each line is ok, warning or failure, with what was checked, what was \
found, and what to do. Nothing secret is printed. Exit codes: 0 nothing failed (warnings \
allowed), 1 a check failed; 2-5 as for the other commands (e.g. 2 for --demo).\n\n\
Examples:\n  rounds doctor --server https://ehr.example/fhir/R4\n  \
rounds doctor --profile clinic\n  rounds doctor --profile clinic --json > doctor.json"
    )]
    Doctor(JsonArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Install, for example:\n  \
rounds completions bash > ~/.local/share/bash-completion/completions/rounds\n  \
rounds completions zsh > \"${fpath[1]}/_rounds\"\n  \
rounds completions fish > ~/.config/fish/completions/rounds.fish")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the man page (or write one page per command into a folder).
    #[command(after_help = "Example:\n  rounds man --out ~/.local/share/man/man1 && man rounds")]
    Man {
        /// Write rounds.1 and one page per command into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Any part of the name, e.g. 'smith' or 'smith john'.
    #[arg(long)]
    pub name: Option<String>,

    /// Family name (prefix).
    #[arg(long)]
    pub family: Option<String>,

    /// Given name (prefix).
    #[arg(long)]
    pub given: Option<String>,

    /// Birth date, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub birthdate: Option<chrono::NaiveDate>,

    /// male, female, other or unknown.
    #[arg(long, value_parser = ["male", "female", "other", "unknown"])]
    pub gender: Option<String>,

    /// An identifier such as an MRN: VALUE or SYSTEM|VALUE.
    #[arg(long, value_name = "ID")]
    pub identifier: Option<String>,

    /// Most patients to list.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,

    /// Print JSON (schema rounds.search/1) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChartArgs {
    /// The patient's id on the server (the ID column of `rounds search`).
    #[arg(value_name = "PATIENT_ID")]
    pub patient_id: String,

    /// Show only one section (the banner is always shown).
    #[arg(long, value_enum)]
    pub section: Option<SectionArg>,

    /// Print JSON (schema rounds.chart/1) instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SectionArg {
    /// Name, born, sex, MRN, allergy flag.
    Banner,
    /// The one-screen summary.
    Cover,
    Problems,
    Allergies,
    Meds,
    Labs,
    Vitals,
    Encounters,
    Immunizations,
    Notes,
    /// Procedures (surgical history) and implanted devices.
    Procedures,
    /// Flags (every one, active or not) and advance directives.
    #[value(alias = "flags")]
    Postings,
}

/// A birth date to search by: a real date, not before 1850 and not after today.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    let date = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; use YYYY-MM-DD, e.g. 1980-01-15"))?;
    crate::fhir::query::check_birth_date(date, crate::config::today())?;
    Ok(date)
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
