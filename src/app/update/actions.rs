//! Carrying out an `Action`: tabs, movement, opening, going back, filters, help.

use super::{close_chart, open_chart, reopen_chart};
use crate::app::Action;
use crate::app::command::Command;
use crate::app::input::LineInput;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::{App, Remote, ResultsView, Screen, Tab};

/// Carry out an action.
pub(super) fn apply(app: &mut App, action: Action) -> Vec<Command> {
    // The help screen takes few actions; everything else closes it first.
    let help_last = match app.layers.help() {
        Some((filter, _, _)) => {
            let lines = crate::app::help_lines(&app.keymap, app.screen, filter.text()).len();
            // The help box shows the terminal height less its border and margins (and,
            // over a chart, less the banner it leaves in view).
            let chrome = if app.screen == Screen::Chart { 6 } else { 4 };
            let visible = usize::from(app.size.1.saturating_sub(chrome)).max(1);
            u16::try_from(lines.saturating_sub(visible)).unwrap_or(u16::MAX)
        }
        None => 0,
    };
    let (screen, search_editing) = (app.screen, app.search.editing);
    if let Some(Layer::Help {
        scroll, editing, ..
    }) = app.layers.get_mut(LayerKind::Help)
    {
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1).min(help_last),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll = scroll.saturating_add(10).min(help_last),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = help_last,
            Action::Filter => *editing = true,
            Action::Quit if screen == Screen::Chart || !search_editing => {
                app.layers.close(LayerKind::Help);
            }
            Action::Quit => app.quit = true,
            _ => {
                app.layers.close(LayerKind::Help);
            }
        }
        return vec![];
    }
    match action {
        Action::Quit => app.quit = true,
        Action::Lock => return super::locking::lock_now(app, crate::app::LockReason::Asked),
        Action::Help => app.layers.open(Layer::Help {
            filter: LineInput::default(),
            editing: false,
            scroll: 0,
        }),
        Action::CommandLine => app.layers.open(Layer::CommandLine(LineInput::default())),
        Action::Back => back(app),
        Action::Search => {
            close_chart(app);
            app.search.editing = true;
        }
        Action::Recent => {
            app.search.results = Remote::Loaded(app.recent.clone());
            app.search.showing_recent = true;
            app.search.more = false;
            app.search.selected = 0;
            app.search.editing = app.recent.is_empty();
            if app.recent.is_empty() {
                app.set_status("No patients opened yet in this session");
            }
        }
        Action::Open => return open(app),
        Action::Retry => {
            if let Some(id) = app.chart.as_ref().map(|c| c.patient_id.clone()) {
                let hint = app.chart.as_ref().and_then(|c| c.hint.clone());
                let tab = app.chart.as_ref().map(|c| c.tab).unwrap_or(Tab::Cover);
                // Start clean: nothing kept for revalidation is reused (a body that was
                // cut short must not come back from a cache).
                let mut cmds = vec![Command::Forget];
                cmds.extend(reopen_chart(app, id, hint, tab));
                return cmds;
            }
        }
        Action::Filter => {
            if let Some(chart) = app.chart.as_mut().filter(|_| app.screen == Screen::Chart) {
                if chart.tab != Tab::Cover {
                    chart.filter_input = Some(LineInput::new(&chart.filters[chart.tab.index()]));
                    app.layers.close(LayerKind::Detail);
                }
            }
        }
        Action::ToggleView => {
            if let Some(chart) = app.chart.as_mut() {
                if chart.tab == Tab::Results {
                    chart.results_view = match chart.results_view {
                        ResultsView::List => ResultsView::Cumulative,
                        ResultsView::Cumulative => ResultsView::List,
                    };
                    chart.selected[Tab::Results.index()] = 0;
                } else {
                    app.set_status("The cumulative view is on the Results tab (4)");
                }
            }
        }
        Action::NextTab | Action::PrevTab => {
            if let Some(chart) = app.chart.as_ref() {
                let i = chart.tab.index();
                let next = if action == Action::NextTab {
                    i + 1
                } else {
                    i + Tab::ALL.len() - 1
                };
                set_tab(app, Tab::from_index(next));
            }
        }
        Action::TabCover
        | Action::TabProblems
        | Action::TabMedications
        | Action::TabResults
        | Action::TabVitals
        | Action::TabEncounters
        | Action::TabImmunizations
        | Action::TabNotes => {
            if app.chart.is_some() {
                let n = [
                    Action::TabCover,
                    Action::TabProblems,
                    Action::TabMedications,
                    Action::TabResults,
                    Action::TabVitals,
                    Action::TabEncounters,
                    Action::TabImmunizations,
                    Action::TabNotes,
                ]
                .iter()
                .position(|a| *a == action)
                .unwrap_or(0);
                set_tab(app, Tab::from_index(n));
            }
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => move_selection(app, action),
    }
    vec![]
}

fn set_tab(app: &mut App, tab: Tab) {
    app.layers.close(LayerKind::Detail);
    if let Some(chart) = app.chart.as_mut() {
        chart.tab = tab;
        chart.scroll = 0;
        chart.filter_input = None;
    }
}

fn back(app: &mut App) {
    match app.screen {
        Screen::Search => app.search.editing = true,
        Screen::Chart => {
            let Some(chart) = app.chart.as_mut() else {
                close_chart(app);
                return;
            };
            if app.layers.close(LayerKind::Detail).is_some() {
                chart.scroll = 0;
            } else if !chart.filters[chart.tab.index()].is_empty() {
                chart.filters[chart.tab.index()].clear();
            } else {
                close_chart(app);
                app.search.editing = app.search.results.loaded().is_none_or(|r| r.is_empty());
            }
        }
    }
}

fn open(app: &mut App) -> Vec<Command> {
    match app.screen {
        Screen::Search => {
            let picked = app
                .search
                .results
                .loaded()
                .and_then(|r| r.get(app.search.selected))
                .cloned();
            match picked {
                Some(p) => open_chart(app, p.id.clone(), Some(p)),
                None => vec![],
            }
        }
        Screen::Chart => {
            if let Some(chart) = app.chart.as_mut() {
                if chart.tab != Tab::Cover && chart.row_count() > 0 {
                    if app.layers.close(LayerKind::Detail).is_none() {
                        app.layers.open(Layer::Detail);
                    }
                    chart.scroll = 0;
                }
            }
            vec![]
        }
    }
}

fn move_selection(app: &mut App, action: Action) {
    let page = app.page();
    let step = |current: usize, len: usize| -> usize {
        if len == 0 {
            return 0;
        }
        let last = len - 1;
        match action {
            Action::Up => current.saturating_sub(1),
            Action::Down => (current + 1).min(last),
            Action::PageUp => current.saturating_sub(page),
            Action::PageDown => (current + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => current,
        }
    };
    match app.screen {
        Screen::Search => {
            let len = app.search.results.loaded().map_or(0, Vec::len);
            app.search.selected = step(app.search.selected, len);
        }
        Screen::Chart => {
            let Some(chart) = app.chart.as_mut() else {
                return;
            };
            if app.layers.has(LayerKind::Detail) || chart.tab == Tab::Cover {
                // Scroll the detail view (or nothing to select on the cover sheet).
                let s = usize::from(chart.scroll);
                chart.scroll = u16::try_from(step(s, usize::from(u16::MAX))).unwrap_or(u16::MAX);
                return;
            }
            let len = chart.row_count();
            let i = chart.tab.index();
            chart.selected[i] = step(chart.selected[i], len);
        }
    }
}
