//! `update`: the one place the state changes. A message (a key, a paste, a resize, a worker
//! response) goes in; the state changes; commands for the worker come out. No I/O here.

mod actions;
mod command_line;
mod desk;
mod desk_contact;
mod keys;
mod lists;
mod locking;
mod responses;
mod schedule;
mod write_keys;
mod write_responses;
mod writing;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::command::{Command, Response, ResponseResult};
use super::layers::LayerKind;
use super::query::parse_query;
use super::state::{App, ChartState, Remote, Screen};
use crate::chart::PatientSummary;
use crate::common::SourceKind;
use crate::fhir::PatientQuery;

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
    /// Open today's schedule (`--schedule`).
    OpenSchedule,
    /// The time now: sent before every other message, and when the idle lock's next
    /// deadline comes (`IdleLock::next_deadline`).
    Clock(std::time::Instant),
    /// The editor opened by `Command::EditNote` closed at `at`, leaving `text` in its file
    /// (`None`: it failed).
    Edited {
        req: super::state::RequestId,
        text: Option<String>,
        at: std::time::Instant,
    },
}

/// Apply a message; return the work the worker must do.
pub fn update(app: &mut App, msg: Msg) -> Vec<Command> {
    let before = app.chart.as_ref().map(|c| c.patient_id.clone());
    if let Msg::Response(r) = &msg {
        if r.result.data_failure().is_some_and(|f| f.needs_sign_in()) {
            locking::on_session_expired(app);
        }
    }
    let mut commands = dispatch(app, msg);
    // The glances follow the rows in view of a list.
    lists::track_view(app);
    // The idle lock's layers follow the lock's state.
    locking::sync_lock_layers(app);
    commands.extend(crate::app::offline_sync::stop_when_away(app));
    if let Some(chart) = app.chart.as_mut() {
        chart.refresh_widths();
    }
    // Whenever a patient's chart closes or gives way to another patient's, the source
    // drops whatever of that patient it kept for reuse.
    let after = app.chart.as_ref().map(|c| c.patient_id.as_str());
    if before.is_some() && before.as_deref() != after && !commands.contains(&Command::Forget) {
        commands.insert(0, Command::Forget);
    }
    commands
}

fn dispatch(app: &mut App, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Clock(now) => {
            let mut cmds = locking::on_clock(app, now);
            cmds.extend(writing::on_clock(app, now));
            cmds.extend(offline_refresh(app, now));
            cmds.extend(lists::on_clock(app, now));
            cmds.extend(crate::app::offline_sync::on_clock(app, now));
            cmds
        }
        Msg::Edited { req, text, at } => writing::on_edited(app, req, text, at),
        Msg::Key(key) if key.kind == KeyEventKind::Release => vec![],
        Msg::Key(key) => keys::on_key_event(app, key),
        Msg::Paste(text) => {
            keys::on_paste(app, &text);
            vec![]
        }
        Msg::Response(Response {
            req,
            result: ResponseResult::Unlocked(result),
        }) => locking::on_unlocked(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::SignedIn(result),
        }) => locking::on_signed_in(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::Submitted(result),
        }) => write_responses::on_submitted(app, req, result),
        Msg::Response(Response {
            result: ResponseResult::Outbox(result),
            ..
        }) => {
            write_responses::on_outbox(app, result);
            vec![]
        }
        Msg::Response(Response {
            result: ResponseResult::OutboxSent(result),
            ..
        }) => write_responses::on_sent(app, result),
        Msg::Response(Response {
            result: ResponseResult::Discarded(result),
            ..
        }) => write_responses::on_discarded(app, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::Schedule(result),
        }) => schedule::on_schedule(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::CheckedIn(result),
        }) => schedule::on_checked_in(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::RegistrationChecked(result),
        }) => desk::on_checked(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::Registered(result),
        }) => desk::on_registered(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::PatientRead(result),
        }) => desk_contact::on_patient_read(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::DemographicsUpdated(result),
        }) => desk_contact::on_demographics(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::List(result),
        }) => lists::on_list(app, req, result),
        Msg::Response(Response {
            req,
            result: ResponseResult::Glances(result),
        }) => {
            lists::on_glances(app, req, result);
            vec![]
        }
        Msg::Response(Response {
            req,
            result: ResponseResult::OfflineSynced(result),
        }) => {
            crate::app::offline_sync::on_synced(app, req, result);
            vec![]
        }
        Msg::Response(Response {
            result: ResponseResult::Pinned { patient_id, result },
            ..
        }) => {
            crate::app::offline_sync::on_pinned(app, &patient_id, result);
            vec![]
        }
        Msg::Response(Response {
            req,
            result: result @ (ResponseResult::SignInPrompt(_) | ResponseResult::SignInNote(_)),
        }) => {
            locking::on_sign_in_message(app, req, result);
            vec![]
        }
        Msg::OpenPatient(_) | Msg::OpenSchedule if app.lock.is_locked() => vec![],
        Msg::Resize(w, h) => {
            app.size = (w, h);
            vec![]
        }
        Msg::Response(r) => {
            responses::on_response(app, r);
            keep_offline(app)
        }
        Msg::OpenPatient(id) => open_chart(app, id, None),
        Msg::OpenSchedule => schedule::open(app, ""),
    }
}

/// Run the search box entry. An empty box lists every patient of the demo or of local
/// files (a newcomer's first look); a server is never listed whole.
pub(super) fn run_search(app: &mut App) -> Vec<Command> {
    let everyone = PatientQuery {
        all: true,
        ..PatientQuery::default()
    };
    let parsed = match app.source.kind {
        SourceKind::Demo | SourceKind::Files if app.search.input.text().trim().is_empty() => {
            Ok(everyone)
        }
        _ => parse_query(app.search.input.text()),
    };
    match parsed {
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
pub(super) fn open_chart(
    app: &mut App,
    patient_id: String,
    hint: Option<PatientSummary>,
) -> Vec<Command> {
    let req = app.next_request();
    app.chart = Some(ChartState::new(patient_id.clone(), hint, req));
    app.screen = Screen::Chart;
    for kind in [LayerKind::Detail, LayerKind::Help, LayerKind::CommandLine] {
        app.layers.close(kind);
    }
    vec![Command::LoadChart { req, patient_id }]
}

/// Open a chart again on `tab` (after a retry, a sign-in or an unlock): the user stays
/// where they were.
pub(super) fn reopen_chart(
    app: &mut App,
    patient_id: String,
    hint: Option<PatientSummary>,
    tab: super::state::Tab,
) -> Vec<Command> {
    let cmds = open_chart(app, patient_id, hint);
    if let Some(c) = app.chart.as_mut() {
        c.tab = tab;
    }
    cmds
}

pub(super) fn close_chart(app: &mut App) {
    app.layers.close(LayerKind::Detail);
    app.chart = None;
    app.screen = Screen::Search;
}

/// How often a chart shown from its offline copy asks the server again.
const OFFLINE_RETRY: std::time::Duration = crate::app::offline_sync::RECHECK;

/// A chart shown from its offline copy asks the server again now and then; when the link
/// is back the server's chart takes its place (`Refreshed`).
fn offline_refresh(app: &mut App, now: std::time::Instant) -> Vec<Command> {
    let Some(chart) = app.chart.as_ref() else {
        return vec![];
    };
    let offline = matches!(&chart.data, Remote::Loaded(c) if c.offline_as_of.is_some());
    let due = app
        .offline_checked
        .is_none_or(|t| now.saturating_duration_since(t) >= OFFLINE_RETRY);
    if !offline || !due || app.lock.is_locked() {
        return vec![];
    }
    app.offline_checked = Some(now);
    vec![Command::RefreshOffline {
        req: chart.req,
        patient_id: chart.patient_id.clone(),
    }]
}

/// A chart loaded whole from the server, with offline copies on: kept (sealed) in the
/// background, once per opening, so the copy is as fresh as what was last seen.
fn keep_offline(app: &mut App) -> Vec<Command> {
    if !app.offline_keeping || app.lock.is_locked() {
        return vec![];
    }
    let Some(chart) = app.chart.as_ref() else {
        return vec![];
    };
    let from_server = matches!(&chart.data, Remote::Loaded(c) if c.offline_as_of.is_none());
    let Some(record) = chart.record.as_ref() else {
        return vec![];
    };
    if !from_server || !record.pending.is_empty() || app.offline_kept == Some(chart.req) {
        return vec![];
    }
    app.offline_kept = Some(chart.req);
    vec![Command::KeepOffline {
        record: record.clone(),
    }]
}
