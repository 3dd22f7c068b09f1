//! Command-line arguments (clap). The commands script the same data the TUI shows.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::auth_args::{AuthCommand, JsonArgs, LoginArgs};
use super::write_args::{AllergiesCommand, NoteCommand, OutboxArgs, VitalsCommand};
use crate::fhir::BatchMode;
use crate::source::profile::{NetOptions, SourceChoice};

/// rounds: a terminal charting client for FHIR R4 electronic health records.
#[derive(Debug, Parser)]
#[command(
    name = "rounds",
    version = env!("ROUNDS_VERSION"),
    about = "A terminal charting client for FHIR R4 electronic health records",
    long_about = "rounds searches patients and shows their charts (banner, problems, allergies, \
medications, labs, vitals, encounters, immunizations, notes) from a FHIR R4 server, from \
FHIR Bundle files, or from built-in synthetic demo patients.",
    after_help = "Without a command, rounds opens the interactive screen.\n\nExamples:\n  rounds --demo\n  rounds --demo search --name testwell\n  rounds --demo chart <ID> --section meds\n  \
rounds --server https://ehr.example/fhir search --name smith --birthdate 1980-01-15 --json\n  \
rounds --open export.json chart <ID> --json\n  \
rounds login --profile clinic --server https://ehr.example/fhir --auth basic --user jdoe\n  \
rounds --profile clinic search --name smith\n\nExit codes: 0 ok, 2 usage or bad input, 3 not found, \
4 authentication, 5 network or server; writes: 6 conflict, 7 kept in the outbox but not sent yet."
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
and accents. Searches are sent as POST so names and dates stay out of URLs and server logs."
    )]
    Search(SearchArgs),

    /// Show a patient's chart, or one section of it.
    Chart(ChartArgs),

    /// Show what the server (or file set) supports, in words.
    Capabilities(CapabilitiesArgs),

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

    /// The writes kept (encrypted) until the server has them: list, show, retry, discard.
    Outbox(OutboxArgs),

    /// Sign in to a server: create or update a profile and keep its secret in a store.
    Login(LoginArgs),

    /// Remove a profile's stored secret (the profile itself stays).
    Logout,

    /// Sign-in state: `rounds auth status`.
    Auth {
        #[command(subcommand)]
        command: AuthCommand,
    },

    /// List the sign-in profiles (* marks the default).
    Profiles(JsonArgs),

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
}

#[derive(Debug, Args)]
pub struct CapabilitiesArgs {
    /// Print JSON (schema rounds.capabilities/1).
    #[arg(long)]
    pub json: bool,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; use YYYY-MM-DD, e.g. 1980-01-15"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bad_dates_are_explained() {
        assert_eq!(
            parse_date("1980-13-01").unwrap_err(),
            "'1980-13-01' is not a date; use YYYY-MM-DD, e.g. 1980-01-15"
        );
        assert!(parse_date("1980-01-15").is_ok());
    }
}
