//! Sending an item: recorded as `sending` before anything goes on the wire, then each
//! write the server does not have yet is sent (several creates in one transaction where
//! the server takes them), and the answer decides the state:
//!
//! - every write answered → `sent`, and the item leaves the outbox;
//! - the link dropped, timed out, or the answer was lost or unreadable (500, 502, 504) →
//!   `unknown`, tried again later with backoff, only in a way that cannot write twice
//!   (`If-None-Exist` on the client identifier, or a search by it first where the server
//!   has no conditional create);
//! - 408, 429, 503 (the server did not take it) → `queued`, tried again later;
//! - 401 that no renewal helped → stays, paused until the user signs in again;
//! - 409, 412, 422 on an update (and 409, 412 on a create) → `conflict`, with base /
//!   theirs / mine;
//! - any other refusal (400, 403, 404, 422 on a create…) → `rejected`, with the server's
//!   OperationOutcome.
//!
//! An item is only sent as the user who wrote it.

use chrono::Utc;
use serde_json::Value;

use super::conflict::Conflict;
use super::item::{Author, Item, State, Wire};
use super::{Outbox, OutboxError};
use crate::common::{Failure, FailureKind};
use crate::fhir::{Capabilities, FhirClient, FhirError, WriteAnswer, WriteOp};

/// How a sending ended: the item's new state, and what went wrong if it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub state: State,
    pub failure: Option<Failure>,
}

impl Outcome {
    fn ok(state: State) -> Outcome {
        Outcome {
            state,
            failure: None,
        }
    }
}

/// Send `item` now as `current`, keeping each step in `outbox` (none: online only, the
/// item lives in memory). A sent item is removed from the outbox.
pub async fn send_item(
    outbox: Option<&Outbox>,
    item: &mut Item,
    client: &FhirClient,
    current: &Author,
) -> Result<Outcome, OutboxError> {
    let keep = |item: &Item| outbox.map_or(Ok(()), |o| o.save(item));
    if item.state == State::Draft {
        return Ok(Outcome::ok(State::Draft));
    }
    if &item.author != current {
        let who = |a: &Author| {
            a.fhir_user
                .clone()
                .unwrap_or_else(|| format!("profile '{}' (no user identity)", a.profile))
        };
        let message = format!(
            "written by {}, but signed in as {}: it is only sent as the user who wrote it (sign in as them, or discard it)",
            who(&item.author),
            who(current)
        );
        item.last_error = Some(message.clone());
        keep(item)?;
        let failure = Failure::new(FailureKind::Forbidden, message);
        return Ok(Outcome {
            state: item.state,
            failure: Some(failure),
        });
    }
    // After a crash mid-send, or a lost answer, the server may already have it.
    let uncertain = matches!(item.state, State::Unknown | State::Sending);
    item.state = State::Sending;
    item.attempts += 1;
    item.needs_sign_in = false;
    keep(item)?;
    let before = client.stats();
    let result = send_writes(item, client, uncertain).await;
    let after = client.stats().since(&before);
    item.wire = Wire {
        round_trips: after.round_trips,
        bytes_sent: after.bytes_sent,
        bytes_received: after.bytes_received,
    };
    let outcome = match result {
        Ok(()) => {
            item.state = State::Sent;
            item.last_error = None;
            item.next_attempt_at = None;
            if let Some(o) = outbox {
                o.remove(&item.id)?;
            }
            return Ok(Outcome::ok(State::Sent));
        }
        Err((at, e)) => settle(item, client, at, &e, uncertain).await,
    };
    keep(item)?;
    Ok(outcome)
}

/// Send every write the server does not have; on failure, which write and why.
async fn send_writes(
    item: &mut Item,
    client: &FhirClient,
    uncertain: bool,
) -> Result<(), (Option<usize>, FhirError)> {
    let caps = client.capabilities().await.map_err(|e| (None, e))?.clone();
    if uncertain {
        find_lost_creates(item, client, &caps).await?;
    }
    let creates: Vec<usize> = item
        .unanswered()
        .filter(|(_, w)| matches!(w.op, WriteOp::Create { .. }))
        .map(|(i, _)| i)
        .collect();
    let conditional = creates
        .iter()
        .all(|i| caps.supports_conditional_create(item.writes[*i].op.resource_type()));
    if creates.len() > 1 && caps.supports_transaction() {
        let ops: Vec<&WriteOp> = creates.iter().map(|i| &item.writes[*i].op).collect();
        let answers = client
            .create_all(&ops, conditional)
            .await
            .map_err(|e| (None, e))?;
        for (i, a) in creates.iter().zip(answers) {
            item.writes[*i].answer = Some(a);
        }
    }
    let pending: Vec<usize> = item.unanswered().map(|(i, _)| i).collect();
    for i in pending {
        let op = &item.writes[i].op;
        let conditional = caps.supports_conditional_create(op.resource_type());
        let answer = client
            .write(op, conditional)
            .await
            .map_err(|e| (Some(i), e))?;
        item.writes[i].answer = Some(answer);
    }
    Ok(())
}

/// For a server without conditional create: whether creates whose answer was lost were
/// taken after all (found by their identifier); those found are answered.
async fn find_lost_creates(
    item: &mut Item,
    client: &FhirClient,
    caps: &Capabilities,
) -> Result<(), (Option<usize>, FhirError)> {
    let lost: Vec<usize> = item
        .unanswered()
        .filter(|(_, w)| !caps.supports_conditional_create(w.op.resource_type()))
        .filter(|(_, w)| w.op.identifier().is_some())
        .map(|(i, _)| i)
        .collect();
    for i in lost {
        let op = &item.writes[i].op;
        let Some(identifier) = op.identifier() else {
            continue;
        };
        let found = client
            .find_by_identifier(op.resource_type(), identifier)
            .await
            .map_err(|e| (Some(i), e))?;
        if let Some((id, version)) = found.into_iter().next() {
            item.writes[i].answer = Some(WriteAnswer {
                status: 200,
                id: Some(id),
                version,
            });
        }
    }
    Ok(())
}

/// The state a failure leaves the item in.
async fn settle(
    item: &mut Item,
    client: &FhirClient,
    at: Option<usize>,
    e: &FhirError,
    uncertain: bool,
) -> Outcome {
    let failure = e.failure();
    let now = Utc::now();
    let op = at.map(|i| item.writes[i].op.clone());
    let is_create = matches!(op, Some(WriteOp::Create { .. }) | None);
    let state = match (e.kind(), e.status()) {
        (FailureKind::AuthExpired, _) => {
            item.needs_sign_in = true;
            if uncertain {
                State::Unknown
            } else {
                State::Queued
            }
        }
        (FailureKind::Network | FailureKind::Timeout | FailureKind::BadResponse, _) => {
            State::Unknown
        }
        (_, Some(408 | 429 | 503)) if !uncertain => State::Queued,
        (_, Some(408 | 429 | 503)) => State::Unknown,
        (_, Some(500..=599)) => State::Unknown,
        (FailureKind::Conflict, Some(422)) if is_create => State::Rejected,
        (FailureKind::Conflict, _) => State::Conflict,
        _ => State::Rejected,
    };
    item.state = state;
    // The message carries the server's OperationOutcome, when it sent one.
    item.last_error = Some(failure.message.clone());
    if state.is_pending() && !item.needs_sign_in {
        item.schedule_retry(now);
    }
    if state == State::Conflict {
        if let Some(i) = at {
            item.conflict = Some(conflict_view(item, i, client).await);
            if uncertain && conflict_is_mine(item.conflict.as_ref()) {
                // The answer to the first sending was lost, but the server has exactly
                // what this write makes: it was taken.
                item.state = State::Sent;
                return Outcome::ok(State::Sent);
            }
        }
    }
    Outcome {
        state: item.state,
        failure: Some(failure),
    }
}

/// Base / theirs / mine of the write at `i`.
async fn conflict_view(item: &Item, i: usize, client: &FhirClient) -> Conflict {
    let w = &item.writes[i];
    let (resource, theirs) = match &w.op {
        WriteOp::Update {
            resource_type, id, ..
        }
        | WriteOp::Patch {
            resource_type, id, ..
        } => (
            format!("{resource_type}/{id}"),
            client
                .read_current(resource_type, id)
                .await
                .ok()
                .map(|(v, _)| v),
        ),
        WriteOp::Create { resource_type, .. } => (resource_type.clone(), None),
    };
    Conflict {
        resource,
        base: w.base.clone(),
        theirs,
        mine: w.op.body().clone(),
    }
}

/// Whether the server's copy is what this write makes (ignoring `meta` and `id`).
fn conflict_is_mine(conflict: Option<&Conflict>) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(m) = v.as_object_mut() {
            m.remove("meta");
            m.remove("id");
        }
        v
    };
    conflict.is_some_and(|c| {
        c.theirs
            .as_ref()
            .is_some_and(|t| strip(t) == strip(&c.mine))
    })
}

/// Which items to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    /// Those waiting whose time has come (the background queue).
    Due,
    /// Every item waiting, now (the user asked).
    Pending,
    /// This one, whatever its state or time: a conflict or rejection included (the user
    /// asked).
    One(String),
}

/// Send the items `which` names. Stops at the first that needs a new sign-in: the queue
/// is paused until then. Each item with how its sending ended.
pub async fn flush(
    outbox: &Outbox,
    client: &FhirClient,
    current: &Author,
    which: &Which,
) -> Result<Vec<(Item, Outcome)>, OutboxError> {
    let now = Utc::now();
    let items: Vec<Item> = match which {
        Which::One(id) => vec![outbox.load(id)?],
        Which::Due => outbox
            .list()?
            .items
            .into_iter()
            .filter(|i| i.is_due(now))
            .collect(),
        Which::Pending => outbox
            .list()?
            .items
            .into_iter()
            .filter(|i| i.state.is_pending())
            .collect(),
    };
    let one = matches!(which, Which::One(_));
    let mut out = Vec::new();
    for mut item in items {
        if one && item.state.is_failed() {
            item.state = State::Queued;
            item.conflict = None;
        }
        let outcome = send_item(Some(outbox), &mut item, client, current).await?;
        let stop = item.needs_sign_in;
        out.push((item, outcome));
        if stop {
            break;
        }
    }
    Ok(out)
}
