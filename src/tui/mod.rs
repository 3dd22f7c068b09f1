//! The terminal: raw mode, the alternate screen, bracketed paste, and putting all of it
//! back on exit, on error, on panic (a `Drop` guard plus a panic hook that restores the
//! terminal before the previous hook prints) and on a stopping signal (`signals.rs`:
//! SIGTERM, SIGHUP, SIGQUIT, SIGINT clear the screen first). Runs the event loop: input and worker
//! responses go through `update`; the screen is redrawn only when something changed, and
//! ratatui writes only the cells that differ, after the terminal has scrolled the rows
//! that moved (`scroll`). The user's editor gets the terminal while it runs (`input`,
//! `editor`): input is paused, the screen put back and drawn anew afterwards.

use std::io::{self, Stdout};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use tokio::sync::mpsc;

use crate::app::{App, Msg, update};

pub mod editor;
mod input;
mod scroll;
mod signals;
mod start;
pub use scroll::{Scroll, ScrollingBackend, apply_scroll, find_scroll};
pub use start::{StartError, StartOptions, start};

/// The terminal the TUI draws on: crossterm's, letting the terminal scroll moved rows.
type Term = Terminal<ScrollingBackend<CrosstermBackend<Stdout>>>;
use crate::source::DataSource;
use crate::worker::Worker;

/// Restores the terminal when dropped.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back the way it was. Safe to call more than once; errors are ignored
/// because there is nothing better to do while exiting.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
}

/// Clear the screen and its scrollback, then put the terminal back: leaving with nothing of
/// the patient on it (a quit, a stopping signal).
pub fn clear_and_restore() {
    let _ = execute!(io::stdout(), Clear(ClearType::All), Clear(ClearType::Purge));
    restore();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

fn setup() -> io::Result<Term> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    Terminal::new(ScrollingBackend::new(CrosstermBackend::new(io::stdout())))
}

/// Run the TUI until the user quits, or a signal stops it (`Some` of that signal). `first`
/// is a message to start with (e.g. open a patient given on the command line).
pub async fn run(
    source: Arc<dyn DataSource>,
    mut app: App,
    first: Option<Msg>,
) -> io::Result<Option<i32>> {
    install_panic_hook();
    let (_listener, mut stop) = signals::listen()?;
    let mut stopped = None;
    let _guard = TerminalGuard;
    let mut terminal = setup()?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);

    let (key_tx, mut key_rx) = mpsc::unbounded_channel::<Event>();
    // Terminal input is read on a plain thread (crossterm's read blocks), paused while the
    // user's editor has the terminal; it ends with the process.
    let input = input::Input::spawn(key_tx);
    let (resp_tx, mut resp_rx) = mpsc::unbounded_channel();
    app.writing.writer = Some(source.writer());
    app.writing.server = source.info().label;
    let worker = Worker::new(source, resp_tx);
    // The editor runs here, not on the worker: it needs the terminal.
    let mut edits = Vec::new();

    input::dispatch(
        &worker,
        update(&mut app, Msg::Clock(Instant::now())),
        &mut edits,
    );
    if let Some(msg) = first {
        input::dispatch(&worker, update(&mut app, msg), &mut edits);
    }
    terminal.draw(|f| crate::ui::render(f, &app))?;
    let bench_exit = std::env::var("ROUNDS_BENCH_EXIT").ok();
    while !bench_exit_reached(bench_exit.as_deref(), &app) {
        // The idle lock's next moment (its countdown, or the lock): the only timer. An
        // unlocked screen far from its limit, or a locked one, is never woken.
        let deadline = app.next_deadline(Instant::now());
        let wake = tokio::time::Instant::from_std(
            deadline.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600)),
        );
        let msg = tokio::select! {
            Some(signal) = stop.recv() => {
                stopped = Some(signal);
                break;
            }
            Some(ev) = key_rx.recv() => match ev {
                Event::Key(k) => Msg::Key(k),
                Event::Paste(p) => Msg::Paste(p),
                Event::Resize(w, h) => {
                    terminal.autoresize()?;
                    Msg::Resize(w, h)
                }
                _ => continue,
            },
            Some(resp) = resp_rx.recv() => Msg::Response(resp),
            () = tokio::time::sleep_until(wake), if deadline.is_some() => Msg::Clock(Instant::now()),
            else => break,
        };
        // Every message first sets the clock, so input is timed and a late wake (a
        // suspended laptop) locks before the key is used.
        if !matches!(msg, Msg::Clock(_)) {
            input::dispatch(
                &worker,
                update(&mut app, Msg::Clock(Instant::now())),
                &mut edits,
            );
        }
        input::dispatch(&worker, update(&mut app, msg), &mut edits);
        for (req, text) in std::mem::take(&mut edits) {
            let text = input.edit(&mut terminal, &text);
            let at = Instant::now();
            input::dispatch(
                &worker,
                update(&mut app, Msg::Edited { req, text, at }),
                &mut edits,
            );
        }
        if app.quit {
            break;
        }
        terminal.draw(|f| crate::ui::render(f, &app))?;
    }
    // Leave nothing of the patient on screen or in the scrollback: clear before leaving.
    // (Not `Terminal::clear`, which asks the terminal for the cursor position while the
    // input thread holds the reader, and waits two seconds for an answer.)
    let _ = execute!(
        terminal.backend_mut(),
        Clear(ClearType::All),
        Clear(ClearType::Purge)
    );
    Ok(stopped)
}

/// A hidden hook for `benches/slow_link`: `ROUNDS_BENCH_EXIT=first-frame` leaves after the
/// first frame is drawn (cold start), `chart-loaded` after the first frame of a chart that
/// has finished loading or failed (peak memory). Unset, it never fires.
fn bench_exit_reached(when: Option<&str>, app: &App) -> bool {
    match when {
        Some("first-frame") => true,
        Some("chart-loaded") => app.chart.as_ref().is_some_and(|c| {
            matches!(c.data, crate::app::Remote::Failed(_))
                || (c.data.loaded().is_some() && !c.loading_rest())
        }),
        _ => false,
    }
}
