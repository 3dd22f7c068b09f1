//! The idle lock's transitions in `update`: the clock, the countdown, locking (every piece
//! of patient data leaves the state), keys on the lock screen, and resuming after the
//! source has authenticated again.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::reopen_chart;
use crate::app::command::{Command, ResponseResult};
use crate::app::input::LineInput;
use crate::app::layers::{Layer, LayerKind};
use crate::app::lock::{ClockEffect, LockPhase, LockReason, Resume, SignInView};
use crate::app::state::{App, Remote, RequestId, Screen, SearchState};
use crate::common::{Failure, SourceKind};

/// The clock reads `now`.
pub(super) fn on_clock(app: &mut App, now: Instant) -> Vec<Command> {
    app.now = now;
    match app.lock.on_clock(now) {
        ClockEffect::Lock => lock_now(app, LockReason::Idle),
        ClockEffect::Warn | ClockEffect::None => vec![],
    }
}

/// Lock: remember where the user was (an id and a tab), then drop every patient's data
/// from the state (chart, search results and the typed query, recent patients, overlays,
/// status text) and tell the source to drop what it keeps.
pub(super) fn lock_now(app: &mut App, reason: LockReason) -> Vec<Command> {
    if app.lock.is_locked() {
        return vec![];
    }
    // A form with values typed is kept (as a draft) before the screen goes.
    let kept = super::writing::keep_on_lock(app);
    let resume = app.chart.as_ref().map(|c| Resume {
        patient_id: c.patient_id.clone(),
        tab: c.tab,
    });
    app.chart = None;
    app.screen = Screen::Search;
    app.search = SearchState::new();
    app.recent.clear();
    app.status = None;
    app.lock.lock(reason, resume);
    let mut cmds = kept;
    cmds.push(Command::Forget);
    // A sign-in running for the session (after a 401) stops: the lock asks again.
    if app.layers.sign_in().is_some() {
        cmds.push(Command::CancelSignIn);
    }
    // Every layer goes with what it showed; the lock's own layer follows the lock.
    app.layers.retain(|_| false);
    app.back_to = None;
    cmds
}

/// A key while locked: Enter asks the source to authenticate again; `q` or Ctrl-C quits;
/// nothing else does anything.
pub(super) fn on_locked_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => app.quit = true,
        KeyCode::Char('q') => app.quit = true,
        KeyCode::Enter => {
            let req = app.next_request();
            if app.lock.begin_unlock(req) {
                app.layers.open(Layer::SignIn(SignInView::new(req)));
                return vec![Command::Unlock { req }];
            }
        }
        _ => {}
    }
    vec![]
}

/// Keys while a sign-in runs: what is typed (or pasted) goes into the hidden box for the
/// redirect address; Enter hands it to the login; Esc stops the sign-in.
pub(super) fn on_sign_in_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(view) = app.layers.sign_in_mut() else {
        return vec![];
    };
    match key.code {
        KeyCode::Char('c') if ctrl => app.quit = true,
        KeyCode::Char('u') if ctrl => view.paste = LineInput::default(),
        KeyCode::Esc => {
            app.layers.close(LayerKind::SignIn);
            app.lock.cancel_unlock("Sign-in cancelled");
            if !app.lock.is_locked() {
                app.set_error("Sign-in cancelled");
            }
            return vec![Command::CancelSignIn];
        }
        KeyCode::Enter if !view.paste.is_empty() => {
            let text = view.paste.text().trim().to_owned();
            view.paste = LineInput::default();
            view.note = Some("Checking the address…".into());
            return vec![Command::PasteRedirect { text }];
        }
        KeyCode::Backspace => view.paste.backspace(),
        KeyCode::Char(c) if !ctrl => view.paste.insert(c),
        _ => {}
    }
    vec![]
}

/// Text pasted while a sign-in runs: into the hidden box.
pub(super) fn on_sign_in_paste(app: &mut App, text: &str) {
    if let Some(view) = app.layers.sign_in_mut() {
        view.paste.insert_str(text.trim());
    }
}

/// The server no longer accepts the session and no silent refresh helped: the screen
/// stays as it is, and the user is asked to sign in again (a server source only; while
/// locked, unlocking signs in anyway).
pub(super) fn on_session_expired(app: &mut App) {
    if !app.lock.is_locked() && app.source.kind == SourceKind::Server {
        app.layers.open(Layer::SessionEnded);
    }
}

/// The idle lock's layers follow its state: the countdown while it counts down, the lock
/// screen while locked (a sign-in to unlock goes above it).
pub(super) fn sync_lock_layers(app: &mut App) {
    if matches!(app.lock.phase, LockPhase::Warning { .. }) {
        app.layers.open(Layer::Countdown);
    } else {
        app.layers.close(LayerKind::Countdown);
    }
    if app.lock.is_locked() {
        app.layers.open(Layer::Locked);
    } else {
        app.layers.close(LayerKind::Locked);
    }
}

/// Start signing in again after the session ended (`Enter` on the notice, `:signin`).
pub(super) fn start_sign_in(app: &mut App) -> Vec<Command> {
    if app.lock.is_locked() || app.layers.sign_in().is_some() {
        return vec![];
    }
    let req = app.next_request();
    app.layers.open(Layer::SignIn(SignInView::new(req)));
    vec![Command::SignIn { req }]
}

/// A key while the session-ended notice shows: Enter signs in, Esc puts the notice away
/// (the screen stays usable for what is already loaded); other keys work as usual.
pub(super) fn on_expired_key(app: &mut App, key: KeyEvent) -> Option<Vec<Command>> {
    match key.code {
        KeyCode::Enter => Some(start_sign_in(app)),
        KeyCode::Esc => {
            app.layers.close(LayerKind::SessionEnded);
            app.set_error("Signed out by the server: :signin to sign in again");
            Some(vec![])
        }
        _ => None,
    }
}

/// What the login running for `req` says: instructions for the user, or a note.
pub(super) fn on_sign_in_message(app: &mut App, req: RequestId, result: ResponseResult) {
    let Some(view) = app.layers.sign_in_mut().filter(|v| v.req == req) else {
        return;
    };
    match result {
        ResponseResult::SignInPrompt(lines) => view.instructions = lines,
        ResponseResult::SignInNote(note) => view.note = Some(note),
        _ => {}
    }
}

/// The answer to a sign-in after a 401: on success, load again what failed.
pub(super) fn on_signed_in(
    app: &mut App,
    req: RequestId,
    result: Result<(), Failure>,
) -> Vec<Command> {
    if app.layers.sign_in().is_none_or(|v| v.req != req) {
        return vec![];
    }
    app.layers.close(LayerKind::SignIn);
    match result {
        Err(e) => {
            app.set_error(format!("Sign-in failed: {e}"));
            vec![]
        }
        Ok(()) => {
            app.layers.close(LayerKind::SessionEnded);
            app.set_status("Signed in again");
            // What waited for the sign-in is sent now.
            let mut cmds = super::writing::resume_queue(app);
            if matches!(app.search.results, Remote::Failed(_)) && !app.search.input.is_empty() {
                cmds.extend(super::run_search(app));
            }
            let failed = app
                .chart
                .as_ref()
                .filter(|c| matches!(c.data, Remote::Failed(_)) || c.rest_failed())
                .map(|c| (c.patient_id.clone(), c.hint.clone(), c.tab));
            if let Some((id, hint, tab)) = failed {
                cmds.extend(reopen_chart(app, id, hint, tab));
            }
            cmds
        }
    }
}

/// The source's answer to an unlock: resume where the user was, or stay locked with the
/// reason shown.
pub(super) fn on_unlocked(
    app: &mut App,
    req: RequestId,
    result: Result<(), Failure>,
) -> Vec<Command> {
    if app.layers.sign_in().is_some_and(|v| v.req == req) {
        app.layers.close(LayerKind::SignIn);
    }
    let result = result.map_err(|f| f.message);
    let Some(resume) = app.lock.finish_unlock(req, result, app.now) else {
        return vec![];
    };
    app.layers.close(LayerKind::SessionEnded);
    app.set_status("Unlocked");
    let Some(resume) = resume else {
        return vec![];
    };
    reopen_chart(app, resume.patient_id, None, resume.tab)
}
