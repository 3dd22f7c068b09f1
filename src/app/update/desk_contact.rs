//! The demographics form and the conflict modal in `update`: `D` (or `:demographics`)
//! on a chart reads the record and prefills phone, email and address; Enter sends the
//! change version-aware (`source::desk::update_demographics`); the line under the banner
//! shows the answer, only over the chart of the patient it is about. A conflict (of this
//! change, or of a check-in on the schedule) opens the conflict modal: theirs against mine,
//! nothing overwritten; Esc closes it and the list or chart is read again.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::desk::{capitalized, edit_field, move_focus};
use crate::app::command::Command;
use crate::app::desk::{CONTACT_FIELDS, ConflictView, DemographicsForm, current_contact};
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::{App, Screen};
use crate::common::{Failure, RequestId};
use crate::frontdesk::demographics::contact_line;
use crate::outbox::State;
use crate::source::desk::DemographicsOutcome;

/// `D` (or `:demographics`): the demographics form for the chart's patient; its current
/// values are read first.
pub(super) fn open_demographics(app: &mut App) -> Vec<Command> {
    if !super::writing::writable(app) {
        return vec![];
    }
    let Some((subject, _)) = super::writing::subject(app) else {
        return vec![];
    };
    let req = app.next_request();
    app.layers
        .open(Layer::Demographics(Box::new(DemographicsForm::new(
            subject.id.clone(),
            subject.label,
            req,
        ))));
    vec![Command::ReadPatient {
        req,
        patient_id: subject.id,
    }]
}

fn demographics_form(app: &mut App) -> Option<&mut DemographicsForm> {
    match app.layers.get_mut(LayerKind::Demographics) {
        Some(Layer::Demographics(f)) => Some(f),
        _ => None,
    }
}

pub(super) fn demographics_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    let Some(form) = demographics_form(app) else {
        return vec![];
    };
    if key.code == KeyCode::Esc {
        app.layers.close(LayerKind::Demographics);
        return vec![];
    }
    if form.reading.is_some() || form.sending.is_some() {
        return vec![];
    }
    if move_focus(&mut form.focus, CONTACT_FIELDS.len(), key) {
        return vec![];
    }
    if key.code == KeyCode::Enter {
        return send_demographics(app);
    }
    let focus = form.focus;
    if edit_field(&mut form.fields[focus], key) {
        form.problem = None;
    }
    vec![]
}

fn send_demographics(app: &mut App) -> Vec<Command> {
    let today = app.today;
    let author = super::writing::author(app);
    let req = app.next_request();
    let Some(form) = demographics_form(app) else {
        return vec![];
    };
    let change = match form.change() {
        Ok(c) => c,
        Err(e) => {
            form.problem = Some(capitalized(&e));
            return vec![];
        }
    };
    form.sending = Some(req);
    form.problem = None;
    vec![Command::UpdateDemographics {
        req,
        patient_id: form.patient_id.clone(),
        label: form.label.clone(),
        change: Box::new(change),
        today,
        author,
    }]
}

/// The record's current values, for the form (only the form's patient's).
pub(super) fn on_patient_read(
    app: &mut App,
    req: RequestId,
    result: Result<Box<serde_json::Value>, Failure>,
) -> Vec<Command> {
    let today = app.today;
    let Some(form) = demographics_form(app) else {
        return vec![];
    };
    if form.reading != Some(req) {
        return vec![];
    }
    form.reading = None;
    match result {
        Ok(p) if p["id"].as_str() == Some(form.patient_id.as_str()) => {
            form.prefill(current_contact(&p, today));
            let id = form.patient_id.clone();
            let line = contact_line(&p, today);
            if let Some(c) = app.chart.as_mut().filter(|c| c.patient_id == id) {
                c.contact = Some(line);
            }
        }
        Ok(_) => {
            app.layers.close(LayerKind::Demographics);
            app.set_error(
                "The server answered another record than the one asked for: nothing was changed",
            );
        }
        Err(e) => {
            app.layers.close(LayerKind::Demographics);
            app.set_error(format!(
                "The contact details could not be read: {}",
                e.message
            ));
        }
    }
    vec![]
}

/// The change's answer: the line under the banner shows it at once (only over the chart
/// of the patient it is about); a conflict opens the conflict modal.
pub(super) fn on_demographics(
    app: &mut App,
    req: RequestId,
    result: Result<Box<DemographicsOutcome>, Failure>,
) -> Vec<Command> {
    let today = app.today;
    let chart_id = app
        .chart
        .as_ref()
        .filter(|_| app.screen == Screen::Chart)
        .map(|c| c.patient_id.clone());
    let Some(form) = demographics_form(app) else {
        return vec![];
    };
    if form.sending != Some(req) {
        return vec![];
    }
    form.sending = None;
    let outcome = match result {
        Ok(o) => *o,
        Err(e) => {
            form.problem = Some(format!("Not changed: {}", e.message));
            return vec![];
        }
    };
    if outcome.patient_id() != form.patient_id || chart_id.as_deref() != Some(outcome.patient_id())
    {
        // Never one patient's details under another's banner.
        app.layers.close(LayerKind::Demographics);
        app.set_error("The answer was for another patient than the chart on screen: not shown");
        return vec![];
    }
    let DemographicsOutcome::Submitted { submitted, now, .. } = outcome else {
        app.layers.close(LayerKind::Demographics);
        app.set_status("Nothing to change: the record already holds these details");
        return vec![];
    };
    let item = &submitted.item;
    match item.state {
        State::Sent => {
            app.layers.close(LayerKind::Demographics);
            if let (Some(p), Some(c)) = (now.as_ref(), app.chart.as_mut()) {
                c.contact = Some(contact_line(p, today));
            }
            app.set_status(format!("Contact details changed: {}", item.summary));
            vec![]
        }
        State::Conflict => {
            app.layers.close(LayerKind::Demographics);
            let view = ConflictView::of(
                "Contact details",
                item,
                vec![
                    "Someone else changed this patient's record after it was read here.".into(),
                    "Nothing was overwritten: your change was not made.".into(),
                ],
            );
            app.layers.open(Layer::Conflict(Box::new(view)));
            vec![]
        }
        State::Queued | State::Unknown if submitted.kept => {
            app.layers.close(LayerKind::Demographics);
            app.set_status(format!(
                "Contact details kept in the outbox, not sent yet: {}",
                item.summary
            ));
            vec![]
        }
        state => {
            form.problem = Some(format!(
                "Not changed ({}): {}",
                state.name(),
                item.last_error.clone().unwrap_or_default()
            ));
            vec![]
        }
    }
}

/// Esc (or Enter, q) closes the conflict; what it was about is read again.
pub(super) fn conflict_key(app: &mut App, key: KeyEvent) -> Vec<Command> {
    if !matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) {
        return vec![];
    }
    app.layers.close(LayerKind::Conflict);
    if app.layers.has(LayerKind::Schedule) {
        return super::schedule::refresh(app);
    }
    // The chart below is read again, on the same tab (the banner as the server has it).
    if let Some(c) = app.chart.as_ref().filter(|_| app.screen == Screen::Chart) {
        let (id, hint, tab) = (c.patient_id.clone(), c.hint.clone(), c.tab);
        return super::reopen_chart(app, id, hint, tab);
    }
    vec![]
}

/// The conflict modal of a check-in another desk got to first (none for any other end).
pub(super) fn checkin_conflict(
    outcome: &crate::source::schedule::CheckInOutcome,
) -> Option<ConflictView> {
    let crate::source::schedule::CheckInOutcome::Submitted {
        submitted,
        status_now,
    } = outcome
    else {
        return None;
    };
    if submitted.item.state != State::Conflict {
        return None;
    }
    let now = status_now
        .as_deref()
        .map(crate::frontdesk::schedule::status_label);
    let mut lines = vec![match (&now, outcome.arrived_elsewhere()) {
        (Some(s), true) => format!("Status now {s}: another desk checked this patient in first."),
        (Some(s), false) => format!("Status now {s}: someone else changed the appointment first."),
        (None, _) => "Someone else changed the appointment first.".to_owned(),
    }];
    lines.push("Nothing was overwritten: this check-in was not made.".into());
    Some(ConflictView::of("Check-in", &submitted.item, lines))
}
