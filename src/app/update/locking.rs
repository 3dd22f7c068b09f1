//! The idle lock's transitions in `update`: the clock, the countdown, locking (every piece
//! of patient data leaves the state), keys on the lock screen, and resuming after the
//! source has authenticated again.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::open_chart;
use crate::app::command::Command;
use crate::app::lock::{ClockEffect, LockReason, Resume};
use crate::app::state::{App, Overlay, Screen, SearchState};

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
    let resume = app.chart.as_ref().map(|c| Resume {
        patient_id: c.patient_id.clone(),
        tab: c.tab,
    });
    app.chart = None;
    app.screen = Screen::Search;
    app.search = SearchState::new();
    app.recent.clear();
    app.overlay = Overlay::None;
    app.status = None;
    app.lock.lock(reason, resume);
    vec![Command::Forget]
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
                return vec![Command::Unlock { req }];
            }
        }
        _ => {}
    }
    vec![]
}

/// The source's answer to an unlock: resume where the user was, or stay locked with the
/// reason shown.
pub(super) fn on_unlocked(
    app: &mut App,
    req: crate::app::RequestId,
    result: Result<(), String>,
) -> Vec<Command> {
    let Some(resume) = app.lock.finish_unlock(req, result, app.now) else {
        return vec![];
    };
    app.set_status("Unlocked", false);
    let Some(resume) = resume else {
        return vec![];
    };
    let cmds = open_chart(app, resume.patient_id, None);
    if let Some(c) = app.chart.as_mut() {
        c.tab = resume.tab;
    }
    cmds
}
