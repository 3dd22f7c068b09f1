//! The scripting CLI: `rounds search`, `rounds chart`, `rounds capabilities`. Each renders
//! the same `chart` model the TUI shows, as aligned tables (every server string sanitized)
//! or as stable JSON. Exit codes: 0 ok, 2 usage, 3 not found, 4 authentication, 5 network.

mod args;
mod capabilities;
mod chart;
mod exit;
mod json;
mod search;
mod sections;
mod table;
mod verbose;

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;

pub use args::{BatchArg, Cli, Command, SectionArg};
pub use exit::CliError;

use crate::fhir::{BatchMode, ClientConfig, FhirClient};
use crate::source::{DataSource, DemoSource, LocalSource, RemoteSource};

/// Parse the command line and run; the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
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

/// Today's date for ages: `ROUNDS_TODAY` (YYYY-MM-DD) when set, for reproducible output.
pub fn today() -> chrono::NaiveDate {
    std::env::var("ROUNDS_TODAY")
        .ok()
        .and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

/// Run a parsed command line.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let Some(command) = cli.command else {
        return run_tui(&cli).await;
    };
    let started = Instant::now();
    let source = open_source(&cli.source, &cli.net, cli.verbose)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = match command {
        Command::Search(args) => search::run(source.as_ref(), &args, &mut out).await,
        Command::Chart(args) => chart::run(source.as_ref(), &args, &mut out).await,
        Command::Capabilities(args) => capabilities::run(source.as_ref(), &args, &mut out).await,
    };
    if cli.verbose {
        verbose::summary(source.as_ref(), started.elapsed());
    }
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

/// The interactive screen.
async fn run_tui(cli: &Cli) -> Result<(), CliError> {
    use std::io::IsTerminal;
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
    let source: Arc<dyn DataSource> = Arc::from(open_source(&cli.source, &cli.net, false)?);
    let mut app = crate::app::App::new(source.info(), today(), theme, keymap);
    app.themes = themes;
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

/// Build the data source the arguments name.
pub fn open_source(
    args: &args::SourceArgs,
    net: &args::NetArgs,
    verbose: bool,
) -> Result<Box<dyn DataSource>, CliError> {
    if args.demo {
        // Read on first use: the first frame does not wait for the demo data.
        return Ok(Box::new(DemoSource::new()));
    }
    if let Some(path) = &args.open {
        return Ok(Box::new(LocalSource::open(path)?));
    }
    let Some(server) = args.server.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Err(CliError::usage(
            "no data source: give --server URL (or set ROUNDS_SERVER), --demo, or --open PATH",
        ));
    };
    let mut config = ClientConfig::new(server);
    config.capability_cache = crate::config::cache_dir();
    config.ca_bundle = net.ca_bundle.clone();
    config.insecure_skip_tls_verify = net.insecure_skip_tls_verify;
    if net.insecure_skip_tls_verify {
        eprintln!(
            "rounds: WARNING: TLS certificates are NOT checked (--insecure-skip-tls-verify): \
             use this only with a test server"
        );
    }
    config.request_timeout = Duration::from_secs(net.timeout.max(1));
    config.batch = match net.batch {
        BatchArg::Auto => BatchMode::Auto,
        BatchArg::Always => BatchMode::Always,
        BatchArg::Never => BatchMode::Never,
    };
    let observer =
        verbose.then(|| Arc::new(verbose::log_request) as crate::fhir::client::RequestObserver);
    let client = FhirClient::with_observer(config, observer)?;
    Ok(Box::new(RemoteSource::new(client)))
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
