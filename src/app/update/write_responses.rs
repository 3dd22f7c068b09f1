//! The worker's answers on the write path: a submission (sent, kept, refused, a conflict),
//! the outbox's list, what sending the queue did, a discard. A write for the open chart's
//! patient that reached the server reloads the chart, so it shows at once. While locked,
//! only the counts change: nothing about a patient is put on screen.

use std::time::Duration;

use chrono::Utc;

use super::writing::show_written;
use crate::app::command::Command;
use crate::app::layers::{Layer, LayerKind};
use crate::app::state::{App, Tab};
use crate::common::{Failure, FailureKind, RequestId};
use crate::outbox::{Item, Outcome, State};
use crate::source::{OutboxView, Submitted};

fn refresh(app: &mut App) -> Command {
    Command::LoadOutbox {
        req: app.next_request(),
    }
}

/// The tab a sent item shows on.
fn tab_of(item: &Item) -> Option<Tab> {
    match item.kind.as_str() {
        "note" | "note-retraction" => Some(Tab::Notes),
        "vitals" => Some(Tab::Vitals),
        _ => None,
    }
}

pub(super) fn on_submitted(
    app: &mut App,
    req: RequestId,
    result: Result<Box<Submitted>, Failure>,
) -> Vec<Command> {
    let in_flight = app
        .writing
        .in_flight
        .take_if(|(r, _)| *r == req)
        .map(|(_, l)| l);
    let mut cmds = Vec::new();
    let s = match result {
        Err(f) => {
            // Not kept, not sent: the layer comes back with what was typed.
            if let (Some(layer), false) = (in_flight, app.lock.is_locked()) {
                app.layers.open(layer);
            }
            if f.kind == FailureKind::AuthExpired && !app.lock.is_locked() {
                app.layers.open(Layer::SessionEnded);
            }
            app.set_error(format!("Not sent: {}", f.message));
            cmds.push(refresh(app));
            return cmds;
        }
        Ok(s) => s,
    };
    let item = &s.item;
    let locked = app.lock.is_locked();
    match item.state {
        State::Sent => {
            if !locked {
                app.set_status(format!("Sent: {}", item.summary));
            }
            cmds.extend(show_written(app, &item.patient_id, tab_of(item)));
        }
        State::Draft => {}
        _ if locked => {}
        _ if item.needs_sign_in => {
            app.layers.open(Layer::SessionEnded);
            app.set_error("Kept in the outbox: sign in again to send it (Enter)");
        }
        state => {
            let why = item.last_error.clone().unwrap_or_default();
            let text = if s.kept {
                format!("Not sent yet ({}), kept in the outbox: {why}", state.name())
            } else {
                format!("Not sent and not kept ({}): {why}", state.name())
            };
            app.set_error(text);
        }
    }
    cmds.push(refresh(app));
    cmds
}

pub(super) fn on_outbox(app: &mut App, result: Result<Box<OutboxView>, Failure>) {
    let view = match result {
        Ok(v) => v,
        Err(f) => {
            if !app.lock.is_locked() {
                app.set_error(format!("The outbox cannot be read: {}", f.message));
            }
            return;
        }
    };
    let listing = view.listing;
    app.writing.counts = listing.counts();
    // The next try: the earliest backoff of what waits (not what waits for a sign-in).
    let now = Utc::now();
    let next = listing
        .items
        .iter()
        .filter(|i| i.state.is_pending() && !i.needs_sign_in)
        .map(|i| {
            i.next_attempt_at.map_or(Duration::ZERO, |t| {
                (t - now).to_std().unwrap_or(Duration::ZERO)
            })
        })
        .min();
    app.writing.next_send = next.map(|d| app.now + d.max(Duration::from_secs(1)));
    app.writing.items = listing.items;
    app.writing.refused = listing.refused;
    app.writing.listed_at = Some(now);
    if let Some(Layer::Outbox(list)) = app.layers.get_mut(LayerKind::Outbox) {
        let n = app.writing.items.len() + app.writing.refused.len();
        list.selected = list.selected.min(n.saturating_sub(1));
    }
}

pub(super) fn on_sent(
    app: &mut App,
    result: Result<Vec<(Item, Outcome)>, Failure>,
) -> Vec<Command> {
    let mut cmds = Vec::new();
    match result {
        Err(f) if !app.lock.is_locked() => {
            app.set_error(format!("The outbox could not be sent: {}", f.message))
        }
        Err(_) => {}
        Ok(list) => {
            let sent: Vec<&Item> = list
                .iter()
                .filter(|(i, _)| i.state == State::Sent)
                .map(|(i, _)| i)
                .collect();
            let paused = list.iter().any(|(i, _)| i.needs_sign_in);
            if paused && !app.lock.is_locked() {
                app.layers.open(Layer::SessionEnded);
            }
            if !app.lock.is_locked() {
                let failed = list.len() - sent.len();
                // Nothing went: the count on the status line says so already (a
                // background try every few minutes must not keep raising an error).
                match (sent.len(), failed) {
                    (0, _) => {}
                    (n, 0) => app.set_status(format!("Sent {n} write(s) from the outbox")),
                    (n, f) => app.set_error(format!(
                        "Sent {n} write(s) from the outbox; {f} not sent (:outbox)"
                    )),
                }
            }
            let open = app.chart.as_ref().map(|c| c.patient_id.clone());
            if let Some(item) = sent.iter().find(|i| Some(&i.patient_id) == open.as_ref()) {
                let item = (*item).clone();
                cmds.extend(show_written(app, &item.patient_id, None));
            }
        }
    }
    cmds.push(refresh(app));
    cmds
}

pub(super) fn on_discarded(app: &mut App, result: Result<bool, Failure>) -> Vec<Command> {
    if let Err(f) = result {
        app.set_error(format!("Not discarded: {}", f.message));
    }
    vec![refresh(app)]
}
