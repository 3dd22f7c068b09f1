//! `update`: the one place the state changes. A message (a key, a paste, a resize, a worker
//! response) goes in; the state changes; commands for the worker come out. No I/O here.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::command::{Command, Response, ResponseResult};
use super::input::LineInput;
use super::query::parse_query;
use super::rows::row_count;
use super::state::{App, ChartState, Overlay, Remote, ResultsView, Screen, Tab};
use crate::chart::{Chart, PatientSummary};
use crate::config::{Context, Key, find_theme};

/// Most patients a search lists.
pub const SEARCH_LIMIT: usize = 50;

/// Something that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Response(Response),
    /// Open a patient's chart directly (`--patient ID`, `:patient ID`).
    OpenPatient(String),
}

/// Apply a message; return the work the worker must do.
pub fn update(app: &mut App, msg: Msg) -> Vec<Command> {
    let before = app.chart.as_ref().map(|c| c.patient_id.clone());
    let mut commands = dispatch(app, msg);
    // Whenever a patient's chart closes or gives way to another patient's, the source
    // drops whatever of that patient it kept for reuse.
    let after = app.chart.as_ref().map(|c| c.patient_id.as_str());
    if before.is_some() && before.as_deref() != after {
        commands.insert(0, Command::Forget);
    }
    commands
}

fn dispatch(app: &mut App, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) if key.kind != KeyEventKind::Release => on_key(app, key),
        Msg::Key(_) => vec![],
        Msg::Paste(text) => {
            if let Some(input) = text_target(app) {
                input.insert_str(&text.replace(['\n', '\r'], " "));
            }
            vec![]
        }
        Msg::Resize(w, h) => {
            app.size = (w, h);
            vec![]
        }
        Msg::Response(r) => {
            on_response(app, r);
            vec![]
        }
        Msg::OpenPatient(id) => open_chart(app, id, None),
    }
}

/// The text box keys currently go into, if any.
fn text_target(app: &mut App) -> Option<&mut LineInput> {
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

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
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
        let n = row_count(chart);
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

/// Run the search box entry.
fn run_search(app: &mut App) -> Vec<Command> {
    match parse_query(app.search.input.text()) {
        Err(e) => {
            app.search.problem = Some(e.0);
            vec![]
        }
        Ok(query) => {
            let req = app.next_request();
            app.search.problem = None;
            app.search.results = Remote::Loading(req);
            app.search.showing_recent = false;
            app.search.selected = 0;
            vec![Command::Search {
                req,
                query,
                limit: SEARCH_LIMIT,
            }]
        }
    }
}

/// Open a chart, dropping whatever chart was open (its data leaves memory and screen).
fn open_chart(app: &mut App, patient_id: String, hint: Option<PatientSummary>) -> Vec<Command> {
    let req = app.next_request();
    app.chart = Some(ChartState::new(patient_id.clone(), hint, req));
    app.screen = Screen::Chart;
    app.overlay = Overlay::None;
    vec![Command::LoadChart { req, patient_id }]
}

fn close_chart(app: &mut App) {
    app.chart = None;
    app.screen = Screen::Search;
}

fn run_command_line(app: &mut App, line: &str) -> Vec<Command> {
    let line = line.trim().trim_start_matches(':');
    let (cmd, arg) = match line.split_once(char::is_whitespace) {
        Some((c, a)) => (c, a.trim()),
        None => (line, ""),
    };
    match cmd {
        "q" | "quit" | "exit" => {
            app.quit = true;
            vec![]
        }
        "patient" | "p" | "open" if !arg.is_empty() => open_chart(app, arg.to_owned(), None),
        "search" | "s" | "find" => {
            close_chart(app);
            app.search.input = LineInput::new(arg);
            app.search.editing = true;
            if arg.is_empty() {
                vec![]
            } else {
                run_search(app)
            }
        }
        "theme" if !arg.is_empty() => {
            match find_theme(&app.themes, arg) {
                Ok(theme) => {
                    app.theme = theme;
                    app.set_status(format!("Theme '{arg}'"), false);
                }
                Err(e) => app.set_status(e.to_string(), true),
            }
            vec![]
        }
        "help" | "h" => apply(app, Action::Help),
        "recent" => {
            close_chart(app);
            apply(app, Action::Recent)
        }
        "" => vec![],
        "patient" | "p" | "open" => {
            app.set_status("Give a patient id: :patient ID", true);
            vec![]
        }
        "theme" => {
            app.set_status(
                format!(
                    "Give a theme: :theme {}",
                    crate::config::Theme::names().join("|")
                ),
                true,
            );
            vec![]
        }
        other => {
            app.set_status(
                format!(
                    "Unknown command ':{}' (try :patient, :search, :theme, :recent, :help, :quit)",
                    crate::text::clean_line(other)
                ),
                true,
            );
            vec![]
        }
    }
}

/// Carry out an action.
fn apply(app: &mut App, action: Action) -> Vec<Command> {
    // The help screen takes few actions; everything else closes it first.
    let help_last = match &app.overlay {
        Overlay::Help { filter, .. } => {
            let lines = super::help::help_lines(&app.keymap, app.screen, filter.text()).len();
            // The help box shows the terminal height less its border and margins (and,
            // over a chart, less the banner it leaves in view).
            let chrome = if app.screen == Screen::Chart { 6 } else { 4 };
            let visible = usize::from(app.size.1.saturating_sub(chrome)).max(1);
            u16::try_from(lines.saturating_sub(visible)).unwrap_or(u16::MAX)
        }
        _ => 0,
    };
    if let Overlay::Help {
        scroll, editing, ..
    } = &mut app.overlay
    {
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1).min(help_last),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll = scroll.saturating_add(10).min(help_last),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = help_last,
            Action::Filter => *editing = true,
            Action::Quit if app.screen == Screen::Chart || !app.search.editing => {
                app.overlay = Overlay::None
            }
            Action::Quit => app.quit = true,
            _ => app.overlay = Overlay::None,
        }
        return vec![];
    }
    match action {
        Action::Quit => app.quit = true,
        Action::Help => {
            app.overlay = Overlay::Help {
                filter: LineInput::default(),
                editing: false,
                scroll: 0,
            };
        }
        Action::CommandLine => app.overlay = Overlay::Command(LineInput::default()),
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
                app.set_status("No patients opened yet in this session", false);
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
                cmds.extend(open_chart(app, id, hint));
                if let Some(c) = app.chart.as_mut() {
                    c.tab = tab;
                }
                return cmds;
            }
        }
        Action::Filter => {
            if let Some(chart) = app.chart.as_mut().filter(|_| app.screen == Screen::Chart) {
                if chart.tab != Tab::Cover {
                    chart.filter_input = Some(LineInput::new(&chart.filters[chart.tab.index()]));
                    chart.detail = false;
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
                    app.set_status("The cumulative view is on the Results tab (4)", false);
                }
            }
        }
        Action::NextTab | Action::PrevTab => {
            if let Some(chart) = app.chart.as_mut() {
                let i = chart.tab.index();
                let next = if action == Action::NextTab {
                    i + 1
                } else {
                    i + Tab::ALL.len() - 1
                };
                set_tab(chart, Tab::from_index(next));
            }
        }
        Action::Tab1
        | Action::Tab2
        | Action::Tab3
        | Action::Tab4
        | Action::Tab5
        | Action::Tab6
        | Action::Tab7
        | Action::Tab8 => {
            if let Some(chart) = app.chart.as_mut() {
                let n = [
                    Action::Tab1,
                    Action::Tab2,
                    Action::Tab3,
                    Action::Tab4,
                    Action::Tab5,
                    Action::Tab6,
                    Action::Tab7,
                    Action::Tab8,
                ]
                .iter()
                .position(|a| *a == action)
                .unwrap_or(0);
                set_tab(chart, Tab::from_index(n));
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

fn set_tab(chart: &mut ChartState, tab: Tab) {
    chart.tab = tab;
    chart.detail = false;
    chart.scroll = 0;
    chart.filter_input = None;
}

fn back(app: &mut App) {
    match app.screen {
        Screen::Search => app.search.editing = true,
        Screen::Chart => {
            let Some(chart) = app.chart.as_mut() else {
                close_chart(app);
                return;
            };
            if chart.detail {
                chart.detail = false;
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
                if chart.tab != Tab::Cover && row_count(chart) > 0 {
                    chart.detail = !chart.detail;
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
            if chart.detail || chart.tab == Tab::Cover {
                // Scroll the detail view (or nothing to select on the cover sheet).
                let s = usize::from(chart.scroll);
                chart.scroll = u16::try_from(step(s, usize::from(u16::MAX))).unwrap_or(u16::MAX);
                return;
            }
            let len = row_count(chart);
            let i = chart.tab.index();
            chart.selected[i] = step(chart.selected[i], len);
        }
    }
}

fn on_response(app: &mut App, r: Response) {
    match r.result {
        ResponseResult::Search(result) => {
            if app.search.results != Remote::Loading(r.req) {
                return; // An older search, or the user moved on.
            }
            match result {
                Ok(found) => {
                    let rows = PatientSummary::list(&found.patients, app.today);
                    app.search.more = found.more;
                    app.search.editing = rows.is_empty();
                    if found.unreadable > 0 {
                        app.set_status(
                            format!(
                                "{} result(s) could not be read and are not listed",
                                found.unreadable
                            ),
                            true,
                        );
                    }
                    app.search.results = Remote::Loaded(rows);
                }
                Err(e) => app.search.results = Remote::Failed(e),
            }
        }
        ResponseResult::ChartRest(result) => {
            let Some(chart) = app.chart.as_mut() else {
                return;
            };
            if chart.req != r.req || chart.record.is_none() {
                return; // For a chart that is no longer open: never shown.
            }
            match result {
                Ok(rest) if rest.patient_id() == chart.patient_id => {
                    if let Some(record) = chart.record.as_mut() {
                        record.merge(*rest);
                        chart.data = Remote::Loaded(Box::new(Chart::build(record, app.today)));
                    }
                }
                Ok(_) => app.set_status(
                    "The server returned another patient's data; it was not shown.",
                    true,
                ),
                Err(e) => {
                    if let Some(record) = chart.record.as_mut() {
                        // What did not come is shown as failed, with the way to retry.
                        for s in std::mem::take(&mut record.pending) {
                            if !record.loaded.contains(&s) {
                                record.failed.insert(s, e.clone());
                                record.loaded.insert(s);
                            }
                        }
                        chart.data = Remote::Loaded(Box::new(Chart::build(record, app.today)));
                    }
                    // After a refused login, retrying would only fail again.
                    let hint = if e.contains("log in again") {
                        ""
                    } else {
                        " (r retries)"
                    };
                    app.set_status(
                        format!("Part of the chart could not be loaded: {e}{hint}"),
                        true,
                    );
                }
            }
        }
        ResponseResult::Chart(result) => {
            let Some(chart) = app.chart.as_mut() else {
                return;
            };
            if chart.data != Remote::Loading(r.req) {
                return; // For a chart that is no longer open: never shown.
            }
            match result {
                Ok(record) if record.patient_id() == chart.patient_id => {
                    let built = Chart::build(&record, app.today);
                    let summary = summary_of(&built, chart.hint.as_ref());
                    chart.data = Remote::Loaded(Box::new(built));
                    chart.record = Some(record);
                    app.recent.retain(|p| p.id != summary.id);
                    app.recent.insert(0, summary);
                    app.recent.truncate(20);
                }
                Ok(_) => {
                    chart.data = Remote::Failed("The server returned a different patient than the one asked for; nothing is shown.".into());
                }
                Err(e) => chart.data = Remote::Failed(e),
            }
        }
    }
}

/// A search-row summary of a loaded chart, for the recent list.
fn summary_of(chart: &Chart, hint: Option<&PatientSummary>) -> PatientSummary {
    let b = &chart.banner;
    PatientSummary {
        id: b.patient_id.clone(),
        name: b.name.clone(),
        born: b.born.clone(),
        birth_date: b.birth_date.clone(),
        age: b.age.clone(),
        sex: b.sex.clone(),
        mrn: b.mrn.clone(),
        deceased: b.deceased.is_some(),
        lookalike: hint.is_some_and(|h| h.lookalike),
    }
}
