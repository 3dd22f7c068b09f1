//! `rounds outbox [list|show ID|retry [ID]|discard ID]`: the writes kept until the server
//! has them. Listing and showing need no network; `retry` sends what is waiting (or one
//! item, whatever its state); `discard` asks first, naming the patient. An item may be
//! named by the start of its id when that is unique.

use std::io::Write;

use chrono::Utc;
use serde_json::{Value, json};

use super::exit::{AUTH, CONFLICT, NETWORK, QUEUED};
use super::write_args::{OutboxArgs, OutboxCommand};
use super::write_out::{confirm, conflict_lines};
use super::{CliError, io_error, write_json};
use crate::common::FailureKind;
use crate::outbox::{Item, Outcome, State, Which};
use crate::source::{DataSource, OutboxView, WriteMode};

/// The schema of the outbox's JSON.
pub const OUTBOX_SCHEMA: &str = "rounds.outbox/1";

pub async fn run(
    source: &dyn DataSource,
    args: &OutboxArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mode = source.writer().mode;
    if mode != WriteMode::Outbox {
        let why = mode.notice().unwrap_or_default();
        return Err(CliError::usage(format!("there is no outbox here: {why}")));
    }
    let view = source.outbox().await?;
    match &args.command {
        None | Some(OutboxCommand::List) => list(&view, args.json, out),
        Some(OutboxCommand::Show { id }) => {
            let item = find(&view, id)?;
            show(item, args.json, out)
        }
        Some(OutboxCommand::Retry { id }) => {
            let which = match id.as_deref() {
                Some(i) => Which::One(find(&view, i)?.id.clone()),
                None => Which::Pending,
            };
            let sent = source.send_pending(which).await?;
            retry_report(&sent, args.json, out)
        }
        Some(OutboxCommand::Discard { id, yes }) => {
            let (id, label) = match find(&view, id) {
                Ok(item) => (
                    item.id.clone(),
                    format!("{} for {}", item.summary, item.patient_label),
                ),
                Err(e) => match view
                    .listing
                    .refused
                    .iter()
                    .find(|r| r.id.starts_with(id.as_str()))
                {
                    Some(r) => (r.id.clone(), "an item that cannot be read".to_owned()),
                    None => return Err(e),
                },
            };
            let question = crate::text::clean_line(&format!(
                "Discard {label} (item {id}) without sending it?"
            ));
            if !yes && !confirm(&question)? {
                return Err(CliError::usage("not confirmed: nothing was discarded"));
            }
            source.discard(&id).await?;
            if args.json {
                return write_json(out, &json!({"schema": OUTBOX_SCHEMA, "discarded": id}));
            }
            writeln!(out, "Discarded item {id}").map_err(io_error)
        }
    }
}

/// The item whose id is `id` or starts with it (at least 8 characters, unique).
fn find<'a>(view: &'a OutboxView, id: &str) -> Result<&'a Item, CliError> {
    let id = id.trim();
    let matches: Vec<&Item> = view
        .listing
        .items
        .iter()
        .filter(|i| i.id == id || (id.len() >= 8 && i.id.starts_with(id)))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError::new(
            super::exit::NOT_FOUND,
            format!("no item '{}' in the outbox", crate::text::clean_line(id)),
        )),
        _ => Err(CliError::usage(format!(
            "'{}' names several items: give more of the id",
            crate::text::clean_line(id)
        ))),
    }
}

fn item_json(i: &Item) -> Value {
    json!({
        "id": i.id,
        "kind": i.kind,
        "patient_id": i.patient_id,
        "patient": i.patient_label,
        "summary": i.summary,
        "state": i.state.name(),
        "created_at": i.created_at.to_rfc3339(),
        "attempts": i.attempts,
        "next_attempt_at": i.next_attempt_at.map(|t| t.to_rfc3339()),
        "last_error": i.last_error,
        "needs_sign_in": i.needs_sign_in,
        "author": i.author.fhir_user,
        "resources": i.references(),
        "conflict": i.conflict.as_ref().map(|c| json!({"resource": c.resource, "differences": c.differences()})),
    })
}

fn list(view: &OutboxView, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    let l = &view.listing;
    if json {
        return write_json(
            out,
            &json!({
                "schema": OUTBOX_SCHEMA,
                "folder": view.folder,
                "counts": l.counts(),
                "items": l.items.iter().map(item_json).collect::<Vec<_>>(),
                "refused": l.refused,
            }),
        );
    }
    let now = Utc::now();
    let mut w = |s: String| writeln!(out, "{}", crate::text::clean_line(&s)).map_err(io_error);
    if l.items.is_empty() && l.refused.is_empty() {
        return w("The outbox is empty: everything written has been sent.".into());
    }
    for i in &l.items {
        w(format!(
            "{}  {:<9} {:<16} {:>4}  {}",
            i.id,
            i.state.name(),
            i.kind,
            i.age(now),
            i.summary
        ))?;
        w(format!("    {}", i.patient_label))?;
        if let Some(e) = &i.last_error {
            w(format!("    last error: {e}"))?;
        }
    }
    for r in &l.refused {
        w(format!("{}  REFUSED   {}", r.id, r.why))?;
    }
    let c = l.counts();
    w(format!(
        "{} waiting, {} needing you, {} draft(s)",
        c.pending, c.failed, c.drafts
    ))
}

fn show(item: &Item, json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    if json {
        let mut v = item_json(item);
        v["schema"] = json!(OUTBOX_SCHEMA);
        return write_json(out, &v);
    }
    let mut lines = vec![
        format!("Item     {}", item.id),
        format!("Patient  {}", item.patient_label),
        format!("What     {} ({})", item.summary, item.kind),
        format!(
            "State    {}{}",
            item.state.name(),
            if item.needs_sign_in {
                " (waiting for a new sign-in)"
            } else {
                ""
            }
        ),
        format!(
            "Written  {} by {}",
            item.created_at.to_rfc3339(),
            item.author
                .fhir_user
                .as_deref()
                .unwrap_or("(no user identity)")
        ),
        format!("Tries    {}", item.attempts),
    ];
    if let Some(e) = &item.last_error {
        lines.push(format!("Error    {e}"));
    }
    for r in item.references() {
        lines.push(format!("Written  {r}"));
    }
    if let Some(c) = &item.conflict {
        lines.extend(conflict_lines(c));
    }
    for l in lines {
        writeln!(out, "{}", crate::text::clean_line(&l)).map_err(io_error)?;
    }
    Ok(())
}

fn retry_report(sent: &[(Item, Outcome)], json: bool, out: &mut dyn Write) -> Result<(), CliError> {
    if json {
        write_json(
            out,
            &json!({
                "schema": OUTBOX_SCHEMA,
                "sent": sent.iter().map(|(i, _)| item_json(i)).collect::<Vec<_>>(),
            }),
        )?;
    } else if sent.is_empty() {
        writeln!(out, "Nothing is due to be sent.").map_err(io_error)?;
    }
    if !json {
        for (i, o) in sent {
            let line = match o.state {
                State::Sent => format!("Sent: {} → {}", i.summary, i.references().join(", ")),
                s => format!(
                    "{}: {} ({})",
                    s.name(),
                    i.summary,
                    i.last_error.as_deref().unwrap_or("")
                ),
            };
            writeln!(out, "{}  {}", i.id, crate::text::clean_line(&line)).map_err(io_error)?;
        }
    }
    let worst = |pred: fn(&Item) -> bool| sent.iter().any(|(i, _)| pred(i));
    let refused_user = sent.iter().any(|(i, o)| {
        i.needs_sign_in
            || o.failure.as_ref().is_some_and(|f| {
                matches!(f.kind, FailureKind::AuthExpired | FailureKind::Forbidden)
                    && i.state.is_pending()
            })
    });
    if refused_user {
        return Err(CliError::new(
            AUTH,
            "sign in again to send what is waiting: rounds login",
        ));
    }
    if worst(|i| i.state == State::Conflict) {
        return Err(CliError::new(
            CONFLICT,
            "a conflict: nothing was overwritten (rounds outbox show ID)",
        ));
    }
    if worst(|i| i.state == State::Rejected) {
        return Err(CliError::new(
            NETWORK,
            "the server refused an item (rounds outbox show ID)",
        ));
    }
    if worst(|i| i.state.is_pending()) {
        return Err(CliError::new(
            QUEUED,
            "some items are still waiting to be sent",
        ));
    }
    Ok(())
}
