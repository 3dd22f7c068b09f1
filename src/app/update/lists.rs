//! The clinician's lists (`:ward LOCATION`, `:mine`): open one and fetch it, move, open a
//! chart from a row (the banner's identity drawn from the row at once, as from the
//! schedule), refresh (`r`), and take the answers, only for the request still current.
//! Also what every list screen shares: the background refresh (every 60 s or the
//! profile's `list_refresh_seconds`, only while the list is the top layer, nothing loading
//! and no check-in in flight; the schedule sends its validators, so an unchanged day costs
//! a 304), the "as of" time, and the glances at the visible rows (one batch, debounced, per
//! patient).

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::open_chart;
use crate::app::command::Command;
use crate::app::layers::{Layer, LayerKind};
use crate::app::lists::{PatientList, refresh_every, rows_room, visible};
use crate::app::state::App;
use crate::common::{Failure, RequestId};
use crate::frontdesk::day::ClinicZone;
use crate::frontdesk::glance::Glance;
use crate::frontdesk::lists::ListRow;
use crate::source::lists::{ListQuery, ListRequest};

/// `:ward LOCATION` (else the profile's location).
pub(super) fn open_ward(app: &mut App, arg: &str) -> Vec<Command> {
    let location = match (arg.trim(), app.desk.location.as_deref()) {
        ("", Some(l)) => l.to_owned(),
        ("", None) => {
            app.set_error("Give a location: :ward LOCATION (a Location id, e.g. :ward ward-4b)");
            return vec![];
        }
        (a, _) => a.to_owned(),
    };
    match ListQuery::ward(&location) {
        Ok(query) => open(app, query),
        Err(e) => {
            app.set_error(e);
            vec![]
        }
    }
}

/// `:mine` (or `:mine PRACTITIONER`): today's appointments of the profile's practitioner,
/// else of the signed-in user (fhirUser), the day being the clinic's.
pub(super) fn open_mine(app: &mut App, arg: &str) -> Vec<Command> {
    let who = match arg.trim() {
        "" => app.desk.practitioner.clone().or_else(|| {
            app.writing
                .writer
                .as_ref()
                .and_then(|w| w.author.fhir_user.clone())
                .filter(|u| u.starts_with("Practitioner/"))
        }),
        a => Some(a.to_owned()),
    };
    let Some(who) = who else {
        app.set_error(
            "No practitioner known for :mine: the sign-in names none (fhirUser) and the \
             profile sets none (practitioner = \"ID\"); try :mine PRACTITIONER_ID",
        );
        return vec![];
    };
    let day = ClinicZone::parse(app.desk.timezone.as_deref())
        .map_err(|e| format!("The profile's timezone: {e}"))
        .and_then(|zone| zone.day(zone.today()));
    match day.and_then(|day| ListQuery::mine(&who, day)) {
        Ok(query) => open(app, query),
        Err(e) => {
            app.set_error(e);
            vec![]
        }
    }
}

fn open(app: &mut App, query: ListQuery) -> Vec<Command> {
    let request = ListRequest {
        query,
        options: app.chart_options.clone(),
        today: app.today,
    };
    app.layers
        .open(Layer::List(Box::new(PatientList::new(request))));
    refresh(app)
}

fn list(app: &mut App) -> Option<&mut PatientList> {
    match app.layers.get_mut(LayerKind::List) {
        Some(Layer::List(l)) => Some(l),
        _ => None,
    }
}

pub(super) fn refresh(app: &mut App) -> Vec<Command> {
    let req = app.next_request();
    let Some(l) = list(app) else { return vec![] };
    l.loading = Some(req);
    vec![Command::LoadList {
        req,
        request: Box::new(l.request.clone()),
    }]
}

/// What a key means on a list layer (the schedule's and the clinicians' lists).
pub(super) enum ListKey {
    /// Move the selection by this many rows.
    Move(isize),
    Close,
    Refresh,
    Open,
    /// Ctrl-C, Ctrl-L, F1…: the chart's keys, handed down.
    HandDown,
    /// The layer's own, or nothing.
    Other,
}

/// The keys every list shares; `page`: how far PageUp/PageDown move (none: not taken).
pub(super) fn list_key(key: &KeyEvent, page: Option<isize>) -> ListKey {
    if key.modifiers.contains(KeyModifiers::CONTROL) || matches!(key.code, KeyCode::F(_)) {
        return ListKey::HandDown;
    }
    match (key.code, page) {
        (KeyCode::Down | KeyCode::Char('j'), _) => ListKey::Move(1),
        (KeyCode::Up | KeyCode::Char('k'), _) => ListKey::Move(-1),
        (KeyCode::PageDown, Some(p)) => ListKey::Move(p),
        (KeyCode::PageUp, Some(p)) => ListKey::Move(-p),
        (KeyCode::Esc | KeyCode::Char('q'), _) => ListKey::Close,
        (KeyCode::Char('r'), _) => ListKey::Refresh,
        (KeyCode::Enter, _) => ListKey::Open,
        _ => ListKey::Other,
    }
}

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let page = isize::try_from(rows_room(app.size.1)).unwrap_or(1);
    let action = list_key(&key, Some(page));
    if matches!(action, ListKey::HandDown) {
        return super::keys::on_key(app, key);
    }
    let Some(l) = list(app) else { return vec![] };
    match action {
        ListKey::Move(n) => l.step(n),
        ListKey::Close => {
            app.layers.close(LayerKind::List);
        }
        ListKey::Refresh => return refresh(app),
        ListKey::Open => {
            let Some(row) = l.row().cloned() else {
                return vec![];
            };
            let Some(id) = row.patient_id.clone() else {
                app.set_error("This row names no patient");
                return vec![];
            };
            // Esc on the chart brings the list back (`desk::back_to_list`).
            app.back_to = app.layers.close(LayerKind::List);
            return open_chart(app, id, row.patient.clone());
        }
        ListKey::HandDown | ListKey::Other => {}
    }
    vec![]
}

/// The time now in the clinic's zone, `HH:MM` (for "as of").
pub(super) fn clinic_now(zone: &ClinicZone) -> Option<String> {
    zone.local(&chrono::Utc::now().to_rfc3339())
        .map(|(_, hm)| hm)
}

pub(super) fn on_list(
    app: &mut App,
    req: RequestId,
    result: Result<Vec<ListRow>, Failure>,
) -> Vec<Command> {
    let zone =
        ClinicZone::parse(app.desk.timezone.as_deref()).unwrap_or_else(|_| ClinicZone::system());
    let now = app.now;
    app.glances.retry_failed();
    let Some(l) = list(app) else { return vec![] };
    if l.loading != Some(req) {
        return vec![];
    }
    l.loading = None;
    l.fetched_at = Some(now);
    match result {
        Ok(rows) => {
            l.take_rows(rows);
            l.error = None;
            l.as_of = clinic_now(&zone);
        }
        Err(e) => l.error = Some(e.message),
    }
    vec![]
}

pub(super) fn on_glances(app: &mut App, req: RequestId, result: Result<Vec<Glance>, Failure>) {
    app.glances.answer(req, result.map_err(|f| f.message));
}

/// The patients of the rows in view of the list on top (none when no list is open);
/// `None` while a modal (help, the command line) is over a list: the view is as it was.
fn in_view(app: &App) -> Option<Vec<String>> {
    let room = rows_room(app.size.1);
    let ids = |selected: usize, ids: Vec<Option<&String>>| -> Vec<String> {
        let range = visible(selected, ids.len(), room);
        ids[range].iter().flatten().map(|s| (*s).clone()).collect()
    };
    match app.layers.top() {
        Some(Layer::List(l)) => Some(l.rows.as_ref().map_or(vec![], |rows| {
            ids(
                l.selected,
                rows.iter().map(|r| r.patient_id.as_ref()).collect(),
            )
        })),
        Some(Layer::Schedule(l)) => Some(l.schedule.as_ref().map_or(vec![], |s| {
            ids(
                l.selected,
                s.rows.iter().map(|r| r.patient_id.as_ref()).collect(),
            )
        })),
        _ if app.layers.has(LayerKind::List) || app.layers.has(LayerKind::Schedule) => None,
        _ => Some(vec![]),
    }
}

/// After every message: the glances follow the rows in view.
pub(super) fn track_view(app: &mut App) {
    if app.lock.is_locked() {
        app.glances.clear();
        return;
    }
    if let Some(ids) = in_view(app) {
        let now = app.now;
        app.glances.view(&ids, now);
    }
}

/// On the clock: the glances due, and the list on top fetched again when due.
pub(super) fn on_clock(app: &mut App, now: Instant) -> Vec<Command> {
    if app.lock.is_locked() {
        return vec![];
    }
    let mut cmds = Vec::new();
    if app.glances.due.is_some_and(|d| now >= d) {
        let req = app.next_request();
        let patient_ids = app.glances.take_due(now, req);
        if !patient_ids.is_empty() {
            cmds.push(Command::LoadGlances {
                req,
                patient_ids,
                today: app.today,
            });
        }
    }
    let every = refresh_every(app.desk.list_refresh_seconds);
    let due = |at: Option<Instant>| match (at, every) {
        (Some(t), Some(every)) => now.saturating_duration_since(t) >= every,
        _ => false,
    };
    match app.layers.top() {
        Some(Layer::List(l)) if l.loading.is_none() && due(l.fetched_at) => {
            cmds.extend(refresh(app));
        }
        Some(Layer::Schedule(l))
            if l.loading.is_none() && l.checking.is_none() && due(l.fetched_at) =>
        {
            cmds.extend(super::schedule::refresh(app));
        }
        _ => {}
    }
    cmds
}
