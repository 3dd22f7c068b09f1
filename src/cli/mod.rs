//! The scripting CLI: `rounds search`, `rounds chart`, `rounds capabilities`, and the
//! sign-in commands `login`, `logout`, `auth status`, `profiles`. Each data command renders
//! the same `chart` model the TUI shows, as aligned tables (every server string sanitized)
//! or as stable JSON. Exit codes: 0 ok, 2 usage, 3 not found, 4 authentication, 5 network.

mod args;
mod auth_args;
mod auth_status;
mod capabilities;
mod chart;
mod exit;
mod json;
mod login;
mod profile_sign_in;
mod profile_source;
mod search;
mod secret_input;
mod sections;
mod smart_login;
mod smart_session;
mod table;
mod verbose;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{CommandFactory, FromArgMatches, parser::ValueSource};

pub use args::{BatchArg, Cli, Command, Given, SectionArg};
pub use auth_args::{AuthArg, AuthCommand, StoreArg};
pub use exit::CliError;
pub use profile_source::{Selected, active_profile_name, select};

use crate::fhir::FhirClient;
use crate::source::{DataSource, DemoSource, LocalSource, RemoteSource};

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
    std::env::var("ROUNDS_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
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
        Command::Profiles(args) => auth_status::list(args, &mut out),
        Command::Search(_) | Command::Chart(_) | Command::Capabilities(_) => {
            run_data_command(&cli, command, &mut out).await
        }
    };
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(()),
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
    let source = open_source(&selected, &cli.net, cli.verbose)?;
    let mut result = match command {
        Command::Search(args) => search::run(source.as_ref(), args, out).await,
        Command::Chart(args) => chart::run(source.as_ref(), args, out).await,
        Command::Capabilities(args) => capabilities::run(source.as_ref(), args, out).await,
        _ => Ok(()),
    };
    if cli.verbose {
        verbose::summary(source.as_ref(), started.elapsed());
    }
    // A SMART or backend session that could not renew itself needs a new login.
    if let (Err(e), Selected::Profile { name, profile }) = (&mut result, &selected) {
        let renewable = matches!(
            profile.auth,
            crate::config::AuthKind::Smart | crate::config::AuthKind::Backend
        );
        if e.code == exit::AUTH && renewable && !e.message.contains("rounds login") {
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
    use std::io::IsTerminal;
    // `--idle-lock` (or ROUNDS_IDLE_LOCK), else the profile's minutes, else 5 minutes.
    let idle_arg = match &cli.idle_lock {
        Some(text) => Some(
            crate::app::lock::parse_idle_limit(text)
                .map_err(|e| CliError::usage(format!("--idle-lock: {e}")))?,
        ),
        None => None,
    };
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(CliError::usage(
            "the interactive screen needs a terminal; for scripts use a command (rounds --help)",
        ));
    }
    let (themes, theme_errors) = crate::config::load_themes();
    if let Some(e) = theme_errors.first() {
        return Err(CliError::usage(e.to_string()));
    }
    let theme = crate::config::find_theme(&themes, &cli.theme)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let keymap = crate::config::load_keymap().map_err(|e| CliError::usage(e.to_string()))?;
    let selected = select(cli)?;
    let source: Arc<dyn DataSource> = Arc::from(open_source(&selected, &cli.net, false)?);
    let mut app = crate::app::App::new(source.info(), today(), theme, keymap);
    app.themes = themes;
    let idle_limit = idle_arg.unwrap_or_else(|| match &selected {
        Selected::Profile { profile, .. } => (profile.idle_lock_minutes > 0)
            .then(|| Duration::from_secs(60 * u64::from(profile.idle_lock_minutes))),
        _ => Some(crate::app::lock::DEFAULT_IDLE_LIMIT),
    });
    app.lock = crate::app::IdleLock::new(idle_limit, Instant::now());
    app.profile = active_profile_name(&selected).map(str::to_owned);
    let first = cli
        .patient
        .as_ref()
        .map(|id| crate::app::Msg::OpenPatient(id.trim().to_owned()));
    crate::tui::run(source, app, first)
        .await
        .map_err(|e| CliError {
            code: exit::NETWORK,
            message: format!("terminal error: {e}"),
        })
}

fn is_broken_pipe(e: &CliError) -> bool {
    e.message.contains("Broken pipe")
}

/// Build the data source `selected` names: a profile's server gets the profile's stored
/// credentials; `--server` alone gets none.
pub fn open_source(
    selected: &Selected,
    net: &args::NetArgs,
    verbose: bool,
) -> Result<Box<dyn DataSource>, CliError> {
    let config = match selected {
        // Read on first use: the first frame does not wait for the demo data.
        Selected::Demo => return Ok(Box::new(DemoSource::new())),
        Selected::Open(path) => return Ok(Box::new(LocalSource::open(path)?)),
        Selected::Server(url) => profile_source::client_config(url, net.ca_bundle.clone(), net),
        Selected::Profile { name, profile } => profile_source::profile_config(name, profile, net)?,
    };
    let observer =
        verbose.then(|| Arc::new(verbose::log_request) as crate::fhir::client::RequestObserver);
    let client = FhirClient::with_observer(config, observer)?;
    let source = RemoteSource::new(client);
    Ok(Box::new(match selected {
        Selected::Profile { name, profile } => {
            source.with_sign_in(Arc::new(profile_sign_in::ProfileSignIn {
                name: name.clone(),
                profile: profile.clone(),
                net: net.clone(),
            }))
        }
        _ => source,
    }))
}

/// Write JSON followed by a newline.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> Result<(), CliError> {
    json::to_writer(&mut *out, value).map_err(|e| CliError {
        code: exit::NETWORK,
        message: format!("could not write the output: {e}"),
    })?;
    writeln!(out).map_err(io_error)
}

fn io_error(e: io::Error) -> CliError {
    CliError {
        code: exit::NETWORK,
        message: format!("could not write the output: {e}"),
    }
}
