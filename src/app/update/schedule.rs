//! The schedule layer (`:today`, `:schedule DATE`): open it and fetch the day, move, open a
//! chart from a row (its banner's identity drawn from the row at once: `open_chart`'s
//! hint), check a row in (`i`), refresh (`r`: `If-None-Match`, a 304 keeps the list), and
//! take the answers, only for the request still current.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::open_chart;
use crate::app::command::Command;
use crate::app::layers::{Layer, LayerKind};
use crate::app::schedule::ScheduleList;
use crate::app::state::App;
use crate::common::{Failure, RequestId};
use crate::frontdesk::day::ClinicZone;
use crate::frontdesk::schedule::ScheduleQuery;
use crate::outbox::State;
use crate::source::schedule::{CheckInOutcome, KnownAppointment, ScheduleFetch, ScheduleRequest};

/// `:today` or `:schedule YYYY-MM-DD`: the day in the profile's zone (else the system's),
/// of its practitioner and location when it names them.
pub(super) fn open(app: &mut App, arg: &str) -> Vec<Command> {
    let zone = match ClinicZone::parse(app.desk.timezone.as_deref()) {
        Ok(z) => z,
        Err(e) => {
            app.set_error(format!("The profile's timezone: {e}"));
            return vec![];
        }
    };
    let id = |v: &Option<String>, what, ty| {
        v.as_deref()
            .and_then(|v| crate::frontdesk::schedule::check_id(v, what, ty).ok())
    };
    let practitioner = id(&app.desk.practitioner, "a practitioner", "Practitioner");
    let location = id(&app.desk.location, "a location", "Location");
    let date = match arg.trim() {
        "" | "today" => zone.today(),
        d => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                app.set_error(format!(
                    "'{}' is not a date: :schedule YYYY-MM-DD",
                    crate::text::clean_line(d)
                ));
                return vec![];
            }
        },
    };
    let window = match zone.day(date) {
        Ok(w) => w,
        Err(e) => {
            app.set_error(e);
            return vec![];
        }
    };
    let request = ScheduleRequest {
        query: ScheduleQuery {
            window,
            practitioner,
            location,
        },
        zone,
        options: app.chart_options.clone(),
        today: app.today,
    };
    app.back_to = None;
    app.layers
        .open(Layer::Schedule(Box::new(ScheduleList::new(request))));
    refresh(app)
}

fn list(app: &mut App) -> Option<&mut ScheduleList> {
    match app.layers.get_mut(LayerKind::Schedule) {
        Some(Layer::Schedule(l)) => Some(l),
        _ => None,
    }
}

/// Fetch the day again (with the list's validators).
pub(super) fn refresh(app: &mut App) -> Vec<Command> {
    let req = app.next_request();
    let Some(l) = list(app) else { return vec![] };
    l.loading = Some(req);
    vec![Command::LoadSchedule {
        req,
        request: Box::new(l.request.clone()),
        known: l.validators.clone(),
    }]
}

pub(super) fn on_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    use super::lists::{ListKey, list_key};
    let action = list_key(&key, None);
    if matches!(action, ListKey::HandDown) {
        return super::keys::on_key(app, key);
    }
    let Some(l) = list(app) else { return vec![] };
    match action {
        ListKey::Move(n) => l.step(n),
        ListKey::Close => {
            app.layers.close(LayerKind::Schedule);
        }
        ListKey::Refresh => return refresh(app),
        ListKey::Open => {
            let Some(row) = l.row().cloned() else {
                return vec![];
            };
            let Some(id) = row.patient_id.clone() else {
                app.set_error("This appointment names no patient");
                return vec![];
            };
            // The banner's identity is drawn from the row at once (the hint); `:today`
            // brings the day back.
            app.back_to = app.layers.close(LayerKind::Schedule);
            return open_chart(app, id, row.patient.clone());
        }
        ListKey::Other if key.code == KeyCode::Char('i') => return check_in(app),
        ListKey::HandDown | ListKey::Other => {}
    }
    vec![]
}

fn check_in(app: &mut App) -> Vec<Command> {
    let req = app.next_request();
    let encounter = app.desk.checkin_encounter;
    let Some(l) = list(app) else { return vec![] };
    let Some(row) = l.row().cloned() else {
        return vec![];
    };
    let (Some(patient_id), Some(p)) = (row.patient_id.clone(), row.patient.as_ref()) else {
        l.notice = Some((
            "This appointment's patient was not sent: not checked in".into(),
            true,
        ));
        return vec![];
    };
    l.checking = Some(req);
    l.notice = Some((format!("Checking in {}…", p.name), false));
    vec![Command::CheckIn {
        req,
        id: row.appointment_id.clone(),
        known: Box::new(KnownAppointment {
            status: row.status.clone(),
            version: row.version.clone(),
            patient_id,
            patient_label: format!("{}, born {}, MRN {}", p.name, p.born, p.mrn),
            summary: format!("Check-in {} {}", row.time, row.visit_type),
        }),
        encounter,
    }]
}

pub(super) fn on_schedule(
    app: &mut App,
    req: RequestId,
    result: Result<Box<ScheduleFetch>, Failure>,
) -> Vec<Command> {
    let now = app.now;
    app.glances.retry_failed();
    let Some(l) = list(app) else { return vec![] };
    if l.loading != Some(req) {
        return vec![];
    }
    l.loading = None;
    l.fetched_at = Some(now);
    match result.map(|b| *b) {
        Ok(ScheduleFetch::NotModified) => {
            l.as_of = super::lists::clinic_now(&l.request.zone);
            l.error = None;
        }
        Ok(ScheduleFetch::Fresh {
            schedule,
            validators,
            ..
        }) => {
            // The selection stays on the same appointment where it is still listed.
            let was = l.row().map(|r| r.appointment_id.clone());
            let n = schedule.rows.len();
            l.selected = was
                .and_then(|id| schedule.rows.iter().position(|r| r.appointment_id == id))
                .unwrap_or(l.selected)
                .min(n.saturating_sub(1));
            l.schedule = Some(schedule);
            l.validators = (!validators.is_empty()).then_some(validators);
            l.error = None;
            l.as_of = super::lists::clinic_now(&l.request.zone);
        }
        Err(e) => l.error = Some(e.message),
    }
    vec![]
}

pub(super) fn on_checked_in(
    app: &mut App,
    req: RequestId,
    result: Result<Box<CheckInOutcome>, Failure>,
) -> Vec<Command> {
    let Some(l) = list(app) else { return vec![] };
    if l.checking != Some(req) {
        return vec![];
    }
    l.checking = None;
    let result = result.map(|b| *b);
    let conflict = result
        .as_ref()
        .ok()
        .and_then(super::desk_contact::checkin_conflict);
    let notice = match result {
        Ok(CheckInOutcome::Already { .. }) => ("Already arrived: nothing was changed".into(), false),
        Ok(CheckInOutcome::Refused { status }) => (
            format!(
                "Not checked in: the visit is {}",
                crate::frontdesk::schedule::status_label(&status)
            ),
            true,
        ),
        Ok(o) if o.arrived_elsewhere() => (
            "CONFLICT: another desk checked this patient in first; nothing was overwritten".into(),
            true,
        ),
        Ok(CheckInOutcome::Submitted { submitted, .. }) => match submitted.item.state {
            State::Sent => ("Checked in: arrived".into(), false),
            State::Conflict => (
                "CONFLICT: the appointment was changed by someone else first; nothing was overwritten"
                    .into(),
                true,
            ),
            s => (
                format!(
                    "Not sent yet ({}): {}",
                    s.name(),
                    submitted.item.last_error.clone().unwrap_or_default()
                ),
                true,
            ),
        },
        Err(e) => (format!("Not checked in: {}", e.message), true),
    };
    l.notice = Some(notice);
    if let Some(view) = conflict {
        app.layers.open(Layer::Conflict(Box::new(view)));
    }
    refresh(app)
}
