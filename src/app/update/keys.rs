//! Keys: to the text box that has the focus, or through the keymap to an `Action`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::actions::apply;
use super::command_line::run_command_line;
use super::run_search;
use crate::app::Action;
use crate::app::command::Command;
use crate::app::input::LineInput;
use crate::app::state::{App, Overlay, Screen};
use crate::config::{Context, Key};

/// The text box keys currently go into, if any.
pub(super) fn text_target(app: &mut App) -> Option<&mut LineInput> {
    match &mut app.overlay {
        Overlay::Command(input) => return Some(input),
        Overlay::Help {
            filter,
            editing: true,
            ..
        } => return Some(filter),
        Overlay::Help { .. } => return None,
        Overlay::None => {}
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
    if key.code == KeyCode::F(1) && !matches!(app.overlay, Overlay::Help { .. }) {
        return apply(app, Action::Help);
    }
    if text_target(app).is_some() {
        return on_text_key(app, key);
    }
    let Some(k) = Key::from_event(&key) else {
        return vec![];
    };
    let context = match (&app.overlay, app.screen) {
        (Overlay::Help { .. }, _) => Context::Help,
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
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => return submit_text(app),
        KeyCode::Esc => return cancel_text(app),
        KeyCode::Down | KeyCode::Tab
            if app.screen == Screen::Search && matches!(app.overlay, Overlay::None) =>
        {
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
        _ => {}
    }
    if let Some(chart) = app.chart.as_mut().filter(|_| app.screen == Screen::Chart) {
        // Live filtering: keep the selection inside the shrinking list.
        let n = chart.row_count();
        let i = chart.tab.index();
        chart.selected[i] = chart.selected[i].min(n.saturating_sub(1));
    }
    vec![]
}

fn submit_text(app: &mut App) -> Vec<Command> {
    match std::mem::replace(&mut app.overlay, Overlay::None) {
        Overlay::Command(input) => return run_command_line(app, input.text()),
        Overlay::Help { filter, scroll, .. } => {
            app.overlay = Overlay::Help {
                filter,
                editing: false,
                scroll,
            };
            return vec![];
        }
        Overlay::None => {}
    }
    match app.screen {
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
    match &mut app.overlay {
        Overlay::Command(_) => {
            app.overlay = Overlay::None;
            return vec![];
        }
        Overlay::Help {
            editing, filter, ..
        } => {
            filter.clear();
            *editing = false;
            return vec![];
        }
        Overlay::None => {}
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
