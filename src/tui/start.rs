//! Starting the interactive screen: check that there is a terminal, load the themes and
//! the keymap, open the data source the user chose, set the idle lock, and hand over to the
//! event loop (`tui::run`). Read top to bottom, it is everything that happens between
//! `rounds` with no command and the first frame.
//!
//! It takes its inputs as plain values (`StartOptions`), so it knows nothing of the command
//! line's syntax; its failures are a typed `StartError` that the command line turns into an
//! exit code.

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::lock::{DEFAULT_IDLE_LIMIT, parse_idle_limit};
use crate::app::{App, IdleLock, Msg};
use crate::source::DataSource;
use crate::source::profile::{
    NetOptions, OpenError, Selected, SourceChoice, active_profile_name, chart_options, open_source,
    select,
};

/// What the interactive screen starts with.
#[derive(Debug, Clone)]
pub struct StartOptions {
    /// Where the data comes from.
    pub source: SourceChoice,
    pub net: NetOptions,
    /// `--idle-lock` (or `ROUNDS_IDLE_LOCK`): `5m`, `90s`, `off`…; else the profile's
    /// setting, else five minutes.
    pub idle_lock: Option<String>,
    /// The theme's name.
    pub theme: String,
    /// A patient whose chart opens at once.
    pub patient: Option<String>,
    /// Open on today's schedule (`--schedule`).
    pub schedule: bool,
    /// The date ages are counted to.
    pub today: chrono::NaiveDate,
}

/// Why the interactive screen could not start, or ended in error.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A setting is not usable (an idle limit, a theme, a keymap), or there is no terminal.
    #[error("{0}")]
    Usage(String),
    /// The data source could not be opened.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// The terminal failed while the screen was up.
    #[error("terminal error: {0}")]
    Terminal(#[from] io::Error),
    /// A signal stopped the screen (SIGTERM, SIGHUP, SIGQUIT, SIGINT); it was cleared.
    #[error("stopped by {}: the screen was cleared", super::signals::name(*.0))]
    Stopped(i32),
}

/// Start the interactive screen and run it until the user quits.
pub async fn start(options: StartOptions) -> Result<(), StartError> {
    let idle_arg = match &options.idle_lock {
        Some(text) => Some(
            parse_idle_limit(text).map_err(|e| StartError::Usage(format!("--idle-lock: {e}")))?,
        ),
        None => None,
    };
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(StartError::Usage(
            "the interactive screen needs a terminal; for scripts use a command (rounds --help)"
                .into(),
        ));
    }
    if let Some(id) = options.patient.as_deref().map(str::trim) {
        if !crate::fhir::model::is_fhir_id(id) {
            return Err(StartError::Usage(format!(
                "--patient: '{}' is not a patient id (1 to 64 letters, digits, '-' or '.')",
                crate::text::clean_line(id)
            )));
        }
    }
    let (themes, theme_errors) = crate::config::load_themes();
    if let Some(e) = theme_errors.first() {
        return Err(StartError::Usage(e.to_string()));
    }
    let theme = crate::config::find_theme(&themes, &options.theme)
        .map_err(|e| StartError::Usage(e.to_string()))?;
    let keymap = crate::config::load_keymap().map_err(|e| StartError::Usage(e.to_string()))?;
    let selected = select(&options.source)?;
    let source: Arc<dyn DataSource> = Arc::from(open_source(&selected, &options.net, None)?);
    let mut app = App::new(source.info(), options.today, theme, keymap);
    app.themes = themes;
    let idle_limit = idle_arg.unwrap_or_else(|| match &selected {
        Selected::Profile { profile, .. } => (profile.idle_lock_minutes > 0)
            .then(|| Duration::from_secs(60 * u64::from(profile.idle_lock_minutes))),
        _ => Some(DEFAULT_IDLE_LIMIT),
    });
    app.lock = IdleLock::new(idle_limit, Instant::now());
    app.profile = active_profile_name(&selected).map(str::to_owned);
    app.offline_keeping = options.net.offline
        || matches!(&selected, Selected::Profile { profile, .. } if profile.offline);
    // The background sync needs the server (not with --offline) and a durable key (not
    // with --store memory: no copy is kept).
    let keeps = |name: &str, p: &crate::config::Profile| {
        p.offline
            && crate::source::profile::offline_access(name, p)
                .why_not()
                .is_none()
    };
    if !options.net.offline
        && matches!(&selected, Selected::Profile { name, profile } if keeps(name, profile))
    {
        app.offline_sync = crate::app::offline_sync::OfflineSync::start(Instant::now());
    }
    // Files left out of `--open` (unreadable, not R4, too large): said on the first screen.
    let warnings = source.warnings();
    if let Some(first) = warnings.first() {
        let more = match warnings.len() {
            1 => String::new(),
            n => format!(" (and {} more: rounds --open … search shows all)", n - 1),
        };
        app.set_error(format!("{first}{more}"));
    }
    app.chart_options = chart_options(&selected);
    if let crate::source::profile::Selected::Profile { profile, .. } = &selected {
        app.desk = crate::app::schedule::DeskDefaults {
            timezone: profile.timezone.clone(),
            practitioner: profile.practitioner.clone(),
            location: profile.location.clone(),
            checkin_encounter: profile.checkin_encounter,
            list_refresh_seconds: profile.list_refresh_seconds,
        };
    }
    let first = match (&options.patient, options.schedule) {
        (Some(id), _) => Some(Msg::OpenPatient(id.trim().to_owned())),
        (None, true) => Some(Msg::OpenSchedule),
        (None, false) => None,
    };
    match super::run(source, app, first).await? {
        Some(signal) => Err(StartError::Stopped(signal)),
        None => Ok(()),
    }
}
