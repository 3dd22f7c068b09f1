//! Carrying out an `Action`: tabs, movement, opening, going back, filters, help.

use super::{close_chart, open_chart, reopen_chart};
use crate::app::Action;
use crate::app::command::Command;
use crate::app::input::LineInput;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::{App, Remote, ResultsView, Screen, Tab};

/// Carry out an action: the help screen takes its few first; then the actions of the
/// screens, the chart's views, and moving.
pub(super) fn apply(app: &mut App, action: Action) -> Vec<Command> {
    if app.layers.has(LayerKind::Help) {
        help_action(app, action);
        return vec![];
    }
    match action {
        Action::Retry => retry(app),
        Action::Filter | Action::ToggleView | Action::NextTab | Action::PrevTab => {
            view_action(app, action);
            vec![]
        }
        a if tab_of(a).is_some() => {
            if let Some(tab) = tab_of(a) {
                set_tab(app, tab);
            }
            vec![]
        }
        _ => screen_action(app, action),
    }
}

/// An action while the help screen is open: it scrolls and filters; anything else
/// closes it (q over the search box quits).
fn help_action(app: &mut App, action: Action) {
    let last = help_last_line(app);
    let (screen, search_editing) = (app.screen, app.search.editing);
    let Some(Layer::Help {
        scroll, editing, ..
    }) = app.layers.get_mut(LayerKind::Help)
    else {
        return;
    };
    match action {
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = scroll.saturating_add(1).min(last),
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::PageDown => *scroll = scroll.saturating_add(10).min(last),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = last,
        Action::Filter => *editing = true,
        Action::Quit if screen != Screen::Chart && search_editing => app.quit = true,
        _ => {
            app.layers.close(LayerKind::Help);
        }
    }
}

/// The furthest the help can scroll: its lines less what the box shows (the terminal
/// height less its border and margins, and over a chart less the banner left in view).
fn help_last_line(app: &App) -> u16 {
    let Some((filter, _, _)) = app.layers.help() else {
        return 0;
    };
    let lines = crate::app::help_lines(&app.keymap, app.screen, filter.text()).len();
    let chrome = if app.screen == Screen::Chart { 6 } else { 4 };
    let visible = usize::from(app.size.1.saturating_sub(chrome)).max(1);
    u16::try_from(lines.saturating_sub(visible)).unwrap_or(u16::MAX)
}

/// The tab a tab action goes to.
fn tab_of(action: Action) -> Option<Tab> {
    let tab = match action {
        Action::TabCover => Tab::Cover,
        Action::TabProblems => Tab::Problems,
        Action::TabMedications => Tab::Medications,
        Action::TabResults => Tab::Results,
        Action::TabVitals => Tab::Vitals,
        Action::TabEncounters => Tab::Encounters,
        Action::TabImmunizations => Tab::Immunizations,
        Action::TabNotes => Tab::Notes,
        Action::TabProcedures => Tab::Procedures,
        _ => return None,
    };
    Some(tab)
}

/// Load the open chart again, on the same tab.
fn retry(app: &mut App) -> Vec<Command> {
    let Some(chart) = app.chart.as_ref() else {
        return vec![];
    };
    let (id, hint, tab) = (chart.patient_id.clone(), chart.hint.clone(), chart.tab);
    // Start clean: nothing kept for revalidation is reused (a body that was cut short
    // must not come back from a cache).
    let mut cmds = vec![Command::Forget];
    cmds.extend(reopen_chart(app, id, hint, tab));
    cmds
}

/// An action of the screens: quitting, locking, the layers, going back and forth between
/// search and chart, opening, moving.
fn screen_action(app: &mut App, action: Action) -> Vec<Command> {
    match action {
        Action::Quit => super::writing::quit(app),
        Action::NewNote => return super::writing::new_note(app),
        Action::Vitals => return super::writing::vitals_form(app),
        Action::Demographics => return super::desk_contact::open_demographics(app),
        Action::PinOffline => return crate::app::offline_sync::toggle_pin(app),
        Action::Lock => return super::locking::lock_now(app, crate::app::LockReason::Asked),
        Action::Help => app.layers.open(Layer::Help {
            filter: LineInput::default(),
            editing: false,
            scroll: 0,
        }),
        Action::CommandLine => app.layers.open(Layer::CommandLine(LineInput::default())),
        Action::Back => return back(app),
        Action::Search => {
            app.back_to = None;
            close_chart(app);
            app.search.editing = true;
        }
        Action::Recent => show_recent(app),
        Action::Open => return open(app),
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => move_selection(app, action),
        // Handled by `apply`.
        Action::Retry
        | Action::Filter
        | Action::ToggleView
        | Action::NextTab
        | Action::PrevTab
        | Action::TabCover
        | Action::TabProblems
        | Action::TabMedications
        | Action::TabResults
        | Action::TabVitals
        | Action::TabEncounters
        | Action::TabImmunizations
        | Action::TabNotes
        | Action::TabProcedures => {}
    }
    vec![]
}

/// The patients opened in this session, in the search screen's list.
fn show_recent(app: &mut App) {
    app.search.results = Remote::Loaded(app.recent.clone());
    app.search.showing_recent = true;
    app.search.more = false;
    app.search.selected = 0;
    app.search.editing = app.recent.is_empty();
    if app.recent.is_empty() {
        app.set_status("No patients opened yet in this session");
    }
}

/// An action on how the chart is viewed: its row filter, the results view, the next or
/// previous tab.
fn view_action(app: &mut App, action: Action) {
    match action {
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
        _ => {}
    }
}

/// Show `tab` of the open chart (a row open on the old tab closes).
fn set_tab(app: &mut App, tab: Tab) {
    let Some(chart) = app.chart.as_mut() else {
        return;
    };
    app.layers.close(LayerKind::Detail);
    chart.tab = tab;
    chart.scroll = 0;
    chart.filter_input = None;
}

fn back(app: &mut App) -> Vec<Command> {
    match app.screen {
        Screen::Search => app.search.editing = true,
        Screen::Chart => {
            let Some(chart) = app.chart.as_mut() else {
                close_chart(app);
                return vec![];
            };
            if app.layers.close(LayerKind::Detail).is_some() {
                chart.scroll = 0;
            } else if !chart.filters[chart.tab.index()].is_empty() {
                chart.filters[chart.tab.index()].clear();
            } else {
                close_chart(app);
                app.search.editing = app.search.results.loaded().is_none_or(|r| r.is_empty());
                // A chart opened from a list goes back to that list.
                return super::desk::back_to_list(app);
            }
        }
    }
    vec![]
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
