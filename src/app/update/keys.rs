//! Keys: the top layer gets them (a layer with no use for a key hands it down), then the
//! text box that has the focus, or the keymap's `Action` for the screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::actions::apply;
use super::command_line::run_command_line;
use super::locking;
use super::run_search;
use crate::app::Action;
use crate::app::command::Command;
use crate::app::desk::RegisterStage;
use crate::app::input::LineInput;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::{App, Screen};
use crate::config::{Context, Key};

/// A key: to the top layer, down the stack to the base screen.
pub(super) fn on_key_event(app: &mut App, key: KeyEvent) -> Vec<Command> {
    match app.layers.top().map(Layer::kind) {
        Some(LayerKind::SignIn) => {
            app.lock.on_input(app.now);
            locking::on_sign_in_key(app, key)
        }
        Some(LayerKind::Locked) => locking::on_locked_key(app, key),
        Some(LayerKind::Countdown) => {
            // The key only says "still here": it cancels the countdown, nothing else.
            app.lock.on_input(app.now);
            app.set_status("Still here: the lock was put off");
            vec![]
        }
        Some(LayerKind::SessionEnded) => {
            app.lock.on_input(app.now);
            locking::on_expired_key(app, key).unwrap_or_else(|| on_key(app, key))
        }
        Some(LayerKind::Schedule) => {
            app.lock.on_input(app.now);
            super::schedule::on_key(app, key)
        }
        Some(LayerKind::Register | LayerKind::Demographics | LayerKind::Conflict) => {
            app.lock.on_input(app.now);
            super::desk::on_key(app, key)
        }
        Some(LayerKind::List) => {
            app.lock.on_input(app.now);
            super::lists::on_key(app, key)
        }
        Some(LayerKind::Note | LayerKind::Vitals | LayerKind::Outbox | LayerKind::Confirm) => {
            app.lock.on_input(app.now);
            super::write_keys::on_key(app, key)
        }
        // The open row takes the chart's keys (moving scrolls it, Esc closes it).
        Some(LayerKind::Detail | LayerKind::Help | LayerKind::CommandLine) | None => {
            app.lock.on_input(app.now);
            on_key(app, key)
        }
    }
}

/// Pasted text: into the sign-in's hidden box, else the text box that has the focus (not
/// on the lock screen).
pub(super) fn on_paste(app: &mut App, text: &str) {
    if app.layers.sign_in().is_some() {
        locking::on_sign_in_paste(app, text);
        return;
    }
    if app.lock.is_locked() {
        return;
    }
    app.lock.on_input(app.now);
    if let Some(input) = text_target(app) {
        input.insert_str(&text.replace(['\n', '\r'], " "));
    }
}

/// The text box keys currently go into, if any.
pub(super) fn text_target(app: &mut App) -> Option<&mut LineInput> {
    match app.layers.top_mut() {
        Some(Layer::CommandLine(input)) => return Some(input),
        Some(Layer::Help {
            filter,
            editing: true,
            ..
        }) => return Some(filter),
        Some(Layer::Help { .. }) => return None,
        Some(Layer::Register(f)) if f.stage == RegisterStage::Editing => {
            let i = f.focus;
            return Some(&mut f.fields[i]);
        }
        Some(Layer::Demographics(f)) if f.reading.is_none() => {
            let i = f.focus;
            return Some(&mut f.fields[i]);
        }
        _ => {}
    }
    match app.screen {
        Screen::Search if app.search.editing => Some(&mut app.search.input),
        Screen::Chart => app.chart.as_mut().and_then(|c| c.filter_input.as_mut()),
        Screen::Search => None,
    }
}

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    app.status = app.status.take().filter(|s| s.error);
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && key.code == KeyCode::Char('c') {
        app.quit = true;
        return vec![];
    }
    if key.code == KeyCode::F(1) && !app.layers.has(LayerKind::Help) {
        return apply(app, Action::Help);
    }
    if text_target(app).is_some() {
        return on_text_key(app, key);
    }
    let Some(k) = Key::from_event(&key) else {
        return vec![];
    };
    let context = match (app.layers.top().map(Layer::kind), app.screen) {
        (Some(LayerKind::Help), _) => Context::Help,
        (_, Screen::Search) => Context::Search,
        (_, Screen::Chart) => Context::Chart,
    };
    match app.keymap.action(context, &k) {
        Some(action) => apply(app, action),
        None => vec![],
    }
}

/// Keys while a text box has the focus: editing keys edit, Enter and Esc finish.
fn on_text_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    match key.code {
        KeyCode::Enter => return submit_text(app),
        KeyCode::Esc => return cancel_text(app),
        KeyCode::Down | KeyCode::Tab if app.screen == Screen::Search && !over_base_text(app) => {
            if app.search.results.loaded().is_some_and(|r| !r.is_empty()) {
                app.search.editing = false;
            }
            return vec![];
        }
        _ => {}
    }
    let Some(input) = text_target(app) else {
        return vec![];
    };
    edit_line(input, key);
    if let Some(chart) = app.chart.as_mut().filter(|_| app.screen == Screen::Chart) {
        // Live filtering: keep the selection inside the shrinking list.
        let n = chart.row_count();
        let i = chart.tab.index();
        chart.selected[i] = chart.selected[i].min(n.saturating_sub(1));
    }
    vec![]
}

/// An editing key into `input` (typing, Backspace, Ctrl-W/U/A/E, moving); whether it was
/// one.
pub(super) fn edit_line(input: &mut LineInput, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('w') if ctrl => input.delete_word(),
        KeyCode::Char('u') if ctrl => input.clear(),
        KeyCode::Char('a') if ctrl => input.home(),
        KeyCode::Char('e') if ctrl => input.end(),
        KeyCode::Char(c) if !ctrl => input.insert(c),
        KeyCode::Backspace => input.backspace(),
        KeyCode::Delete => input.delete(),
        KeyCode::Left => input.left(),
        KeyCode::Right => input.right(),
        KeyCode::Home => input.home(),
        KeyCode::End => input.end(),
        _ => return false,
    }
    true
}

/// Whether the text box with the focus is a layer's (help's filter, the command line)
/// rather than the base screen's.
fn over_base_text(app: &App) -> bool {
    matches!(
        app.layers.top().map(Layer::kind),
        Some(LayerKind::Help | LayerKind::CommandLine)
    )
}

fn submit_text(app: &mut App) -> Vec<Command> {
    match app.layers.top_mut() {
        Some(Layer::CommandLine(input)) => {
            let text = input.text().to_owned();
            app.layers.close(LayerKind::CommandLine);
            return run_command_line(app, &text);
        }
        Some(Layer::Help { editing, .. }) => {
            *editing = false;
            return vec![];
        }
        _ => {}
    }
    match app.screen {
        // `:today` typed in the search box (the start screen) is a command, not a name.
        Screen::Search if app.search.input.text().starts_with(':') => {
            let text = app.search.input.text()[1..].to_owned();
            app.search.input.clear();
            run_command_line(app, &text)
        }
        Screen::Search => run_search(app),
        Screen::Chart => {
            if let Some(chart) = app.chart.as_mut() {
                if let Some(input) = chart.filter_input.take() {
                    chart.filters[chart.tab.index()] = input.text().to_owned();
                }
            }
            vec![]
        }
    }
}

fn cancel_text(app: &mut App) -> Vec<Command> {
    match app.layers.top_mut() {
        Some(Layer::CommandLine(_)) => {
            app.layers.close(LayerKind::CommandLine);
            return vec![];
        }
        Some(Layer::Help {
            editing, filter, ..
        }) => {
            filter.clear();
            *editing = false;
            return vec![];
        }
        _ => {}
    }
    match app.screen {
        Screen::Search => {
            if !app.search.input.is_empty() {
                app.search.input.clear();
            } else if app.search.results.loaded().is_some_and(|r| !r.is_empty()) {
                app.search.editing = false;
            }
        }
        Screen::Chart => {
            if let Some(chart) = app.chart.as_mut() {
                chart.filter_input = None;
                chart.filters[chart.tab.index()].clear();
            }
        }
    }
    vec![]
}
