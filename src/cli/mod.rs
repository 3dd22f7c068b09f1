//! The scripting CLI: `rounds search`, `rounds chart`, `rounds capabilities`, the sign-in
//! commands `login`, `logout`, `auth status`, `profiles`, and `rounds doctor`. Each data
//! command renders the same `chart` model the TUI shows, as aligned tables (every server
//! string sanitized) or as stable JSON. Exit codes: 0 ok, 1 a doctor check failed, 2 usage,
//! 3 not found, 4 authentication, 5 network (writes: 6 conflict, 7 queued, 8 possible
//! duplicates of a registration).
//!
//! It parses the command line; with no command it hands over to `tui::start` (the
//! interactive screen), and data sources are opened by `source::profile` for both.

mod args;
mod auth_args;
mod auth_status;
mod capabilities;
mod chart;
mod checkin;
mod doctor;
mod exit;
mod json;
mod lists;
mod login;
mod nka;
mod note;
mod outbox;
mod patient_args;
mod patient_new;
mod patient_update;
mod profile_remove;
mod progress;
mod schedule;
mod schedule_args;
mod search;
mod sections;
mod shell;
mod smart_login;
mod sync;
mod sync_args;
mod sync_list;
mod table;
mod verbose;
mod vitals;
mod write_args;
mod write_out;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, parser::ValueSource};

pub use args::{BatchArg, Cli, Command, Given, SectionArg};
pub use auth_args::{AuthArg, AuthCommand, StoreArg};
pub use exit::CliError;
pub use patient_args::{ListArgs, ListCommand, PatientArgs, PatientCommand};
pub use write_args::{AllergiesCommand, NoteCommand, OutboxArgs, OutboxCommand, VitalsCommand};

use crate::common::FailureKind;
use crate::source::DataSource;
use crate::source::profile::{self, Selected};
use crate::tui::{StartError, StartOptions};

/// Parse the command line and run; the process exit code.
pub fn main() -> ExitCode {
    let cli = match parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("rounds: error: could not start: {e}");
            return ExitCode::from(exit::NETWORK);
        }
    };
    let result = runtime.block_on(run(cli));
    // Leave without waiting for work still going on in the background (the demo data being
    // read, a chart still loading when the user quit): the terminal is already restored, and
    // the one file rounds writes (the capability cache) is replaced atomically.
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rounds: error: {}", crate::text::clean_line(&e.message));
            e.exit_code()
        }
    }
}

/// Parse a command line, noting which source arguments were typed (not from the
/// environment).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = Cli::command().try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    let typed = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    cli.given = Given {
        server: typed("server"),
        profile: typed("profile"),
    };
    Ok(cli)
}

/// Today's date for ages: `ROUNDS_TODAY` (YYYY-MM-DD) when set, for reproducible output.
pub fn today() -> chrono::NaiveDate {
    crate::config::today()
}

/// Run a parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let Some(command) = &cli.command else {
        return run_tui(&cli).await;
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match command {
        Command::Login(args) => login::run(&cli, args, &mut out).await,
        Command::Logout => login::logout(&cli, &mut out).await,
        Command::Auth {
            command: AuthCommand::Status(args),
        } => auth_status::status(&cli, args, &mut out),
        Command::Profiles(args) => match &args.command {
            Some(profile_remove::ProfilesCommand::Remove(remove)) => {
                profile_remove::remove(remove, &mut out)
            }
            None => auth_status::list(&args.list, &mut out),
        },
        Command::Completions { shell } => shell::completions(*shell, &mut out),
        Command::Man { out: dir } => shell::man(dir.as_deref(), &mut out),
        Command::Doctor(args) => doctor::run(&cli, args, &mut out).await,
        Command::Sync(args) => sync::run(&cli, args, &mut out).await,
        Command::Search(_)
        | Command::Chart(_)
        | Command::Capabilities(_)
        | Command::Note { .. }
        | Command::Vitals { .. }
        | Command::Allergies { .. }
        | Command::Outbox(_)
        | Command::Schedule(_)
        | Command::Checkin(_)
        | Command::Patient(_)
        | Command::List(_) => run_data_command(&cli, command, &mut out).await,
    };
    match result {
        Err(e) if e.output_closed => Ok(()),
        other => other,
    }
}

/// A command that reads data from the source the arguments name.
async fn run_data_command(
    cli: &Cli,
    command: &Command,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let started = Instant::now();
    let selected = select(cli)?;
    // Progress for the long ones, on a terminal's stderr, not for scripts.
    let (what, json) = match command {
        Command::Search(args) => ("searching", args.json),
        Command::Chart(args) => ("loading the chart", args.json),
        Command::Schedule(args) => ("loading the schedule", args.json),
        _ => ("asking the server", true),
    };
    let progress = progress::Progress::start(what, !json && !cli.verbose);
    let observer = if cli.verbose {
        Some(Arc::new(verbose::log_request) as crate::fhir::client::RequestObserver)
    } else {
        progress.observer(what)
    };
    let source = open_source(&selected, &cli.net, observer)?;
    // Files left out, lines that could not be read: said before anything else (cleaned).
    for w in source.warnings() {
        progress.warn(&format!("rounds: warning: {w}"));
    }
    let out = &mut progress.clearing(out);
    let options = profile::chart_options(&selected);
    let mut result = match command {
        Command::Search(args) => search::run(source.as_ref(), args, &options, out).await,
        Command::Chart(args) => chart::run(source.as_ref(), args, &options, out).await,
        Command::Capabilities(args) => capabilities::run(source.as_ref(), args, out).await,
        Command::Note {
            command: NoteCommand::Add(args),
        } => note::add(source.as_ref(), args, out).await,
        Command::Note {
            command: NoteCommand::Retract(args),
        } => note::retract(source.as_ref(), args, out).await,
        Command::Vitals {
            command: VitalsCommand::Add(args),
        } => vitals::add(source.as_ref(), args, out).await,
        Command::Allergies {
            command: AllergiesCommand::Nka(args),
        } => nka::nka(source.as_ref(), args, out).await,
        Command::Outbox(args) => outbox::run(source.as_ref(), args, out).await,
        Command::Schedule(args) => {
            let desk = schedule::DeskSettings::of(&selected);
            schedule::run(source.as_ref(), args, &desk, &options, out).await
        }
        Command::Checkin(args) => {
            let desk = schedule::DeskSettings::of(&selected);
            checkin::run(source.as_ref(), args, &desk, out).await
        }
        Command::Patient(PatientArgs {
            command: PatientCommand::New(args),
        }) => patient_new::run(source.as_ref(), args, &options, out).await,
        Command::Patient(PatientArgs {
            command: PatientCommand::Update(args),
        }) => patient_update::run(source.as_ref(), args, out).await,
        Command::List(args) => {
            let desk = schedule::DeskSettings::of(&selected);
            lists::run(
                source.as_ref(),
                args,
                desk.timezone.as_deref(),
                &options,
                out,
            )
            .await
        }
        _ => Ok(()),
    };
    progress.clear();
    if cli.verbose {
        verbose::summary(source.as_ref(), started.elapsed());
    }
    // A SMART or backend session that could not renew itself needs a new login.
    if let (Err(e), Selected::Profile { name, profile }) = (&mut result, &selected) {
        let renewable = matches!(
            profile.auth,
            crate::config::AuthKind::Smart | crate::config::AuthKind::Backend
        );
        let refused = matches!(
            e.failure,
            Some(FailureKind::AuthExpired | FailureKind::Forbidden)
        );
        if refused && renewable {
            e.message = format!(
                "{}: sign in again: rounds login --profile {name}",
                e.message
            );
        }
    }
    result
}

/// The interactive screen.
async fn run_tui(cli: &Cli) -> Result<(), CliError> {
    let options = StartOptions {
        source: cli.source_choice(),
        net: cli.net.options(),
        idle_lock: cli.idle_lock.clone(),
        theme: cli.theme.clone(),
        patient: cli.patient.clone(),
        schedule: cli.schedule,
        today: today(),
    };
    crate::tui::start(options).await.map_err(|e| match e {
        StartError::Usage(message) => CliError::usage(message),
        StartError::Open(e) => CliError::from(e),
        StartError::Terminal(_) => CliError::new(exit::NETWORK, e.to_string()),
        // As a shell reports a process a signal ended: 128 + its number.
        StartError::Stopped(signal) => {
            CliError::new(u8::try_from(128 + signal).unwrap_or(128), e.to_string())
        }
    })
}

/// The data source the arguments name.
pub fn select(cli: &Cli) -> Result<Selected, CliError> {
    Ok(profile::select(&cli.source_choice())?)
}

/// Build the data source `selected` names (see `source::profile::open_source`);
/// `observer` sees every request (for `--verbose` and progress).
pub fn open_source(
    selected: &Selected,
    net: &args::NetArgs,
    observer: Option<crate::fhir::client::RequestObserver>,
) -> Result<Box<dyn DataSource>, CliError> {
    Ok(profile::open_source(selected, &net.options(), observer)?)
}

/// Write JSON followed by a newline.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    json::to_writer(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => CliError::output(&io::Error::from(kind)),
        None => CliError::new(exit::NETWORK, format!("could not write the output: {e}")),
    })?;
    writeln!(out).map_err(io_error)
}

fn io_error(e: io::Error) -> CliError {
    CliError::output(&e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selected(args: &[&str]) -> Result<Selected, CliError> {
        select(&parse(args.iter().copied()).unwrap())
    }

    #[test]
    fn flags_typed_after_the_command_count_as_typed() {
        let cli = parse(["rounds", "login", "--profile", "p", "--server", "http://a"]).unwrap();
        assert_eq!(
            cli.given,
            Given {
                server: true,
                profile: true
            }
        );
    }

    #[test]
    fn sources_are_chosen_in_order() {
        assert!(matches!(
            selected(&["rounds", "--demo", "search", "--name", "x"]),
            Ok(Selected::Demo)
        ));
        assert!(matches!(
            selected(&["rounds", "search", "--server", "http://a", "--name", "x"]),
            Ok(Selected::Server(url)) if url == "http://a"
        ));
        let both = selected(&["rounds", "--profile", "p", "--server", "http://a", "search"]);
        assert_eq!(both.unwrap_err().code, 2);
        let demo = selected(&["rounds", "--profile", "p", "--demo", "search"]);
        assert!(
            demo.unwrap_err()
                .message
                .contains("cannot be used with --demo")
        );
    }
}
