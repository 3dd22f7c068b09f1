//! `rounds checkin`: an appointment booked → arrived, version-aware and kept in the outbox
//! before it is sent (`source::schedule::check_in`). Already arrived: said, nothing
//! changed, exit 0. Cancelled, no-show or done: said, nothing changed, exit 2. Another
//! desk first: the conflict shown, nothing overwritten, exit 6. JSON: rounds.checkin/1.

use std::io::Write;

use serde_json::json;

use super::schedule::DeskSettings;
use super::schedule_args::CheckinArgs;
use super::write_out::{conflict_lines, exit_for, write_json_value};
use super::{CliError, io_error, write_json};
use crate::frontdesk::schedule::{check_id, status_label};
use crate::outbox::State;
use crate::source::DataSource;
use crate::source::schedule::{CheckInOutcome, check_in};

/// The schema of `rounds checkin --json`.
pub const SCHEMA: &str = "rounds.checkin/1";

pub async fn run(
    source: &dyn DataSource,
    args: &CheckinArgs,
    desk: &DeskSettings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let id =
        check_id(&args.appointment_id, "an appointment", "Appointment").map_err(CliError::usage)?;
    let writer = super::write_out::writer(source)?;
    if let Some(notice) = writer.mode.notice() {
        eprintln!("rounds: {notice}");
    }
    let encounter = args.encounter || desk.checkin_encounter;
    let (outcome, label) = check_in(source, &id, None, encounter).await?;
    let label = crate::text::clean_line(&label);
    let (result, text, status_now) = match &outcome {
        CheckInOutcome::Already { status } => (
            "already-arrived",
            format!(
                "Already {}: {label} (appointment {id}): nothing was changed",
                status_label(status)
            ),
            Some(status.clone()),
        ),
        CheckInOutcome::Refused { status } => (
            "refused",
            format!(
                "Appointment {id} of {label} is {}: it cannot be checked in; nothing was changed",
                status_label(status)
            ),
            Some(status.clone()),
        ),
        CheckInOutcome::Submitted {
            submitted,
            status_now,
        } => {
            let item = &submitted.item;
            let text = match item.state {
                State::Sent => format!("Checked in: {label} (appointment {id}) → arrived"),
                State::Conflict if outcome.arrived_elsewhere() => format!(
                    "Already checked in by another desk: {label} (appointment {id}): nothing was overwritten"
                ),
                State::Conflict => format!(
                    "Conflict: appointment {id} of {label} was changed by someone else first: nothing was overwritten"
                ),
                _ if submitted.kept => format!(
                    "Kept in the outbox as item {} ({}): check-in of {label}",
                    item.id,
                    item.state.name()
                ),
                _ => format!("Not sent ({}): check-in of {label}", item.state.name()),
            };
            let result = match item.state {
                State::Sent => "checked-in",
                State::Conflict => "conflict",
                s => s.name(),
            };
            (result, text, status_now.clone())
        }
    };
    if args.json {
        let write = match &outcome {
            CheckInOutcome::Submitted { submitted, .. } => {
                Some(write_json_value(submitted, &writer.mode))
            }
            _ => None,
        };
        write_json(
            out,
            &json!({
                "schema": SCHEMA,
                "appointment_id": id,
                "patient": label,
                "result": result,
                "status_now": status_now,
                "write": write,
            }),
        )?;
    } else if !matches!(outcome, CheckInOutcome::Refused { .. }) {
        // (A refusal is said once, as the error.)
        writeln!(out, "{}", crate::text::clean_line(&text)).map_err(io_error)?;
        if let CheckInOutcome::Submitted { submitted, .. } = &outcome {
            if let (Some(c), false) = (&submitted.item.conflict, outcome.arrived_elsewhere()) {
                for l in conflict_lines(c) {
                    writeln!(out, "{l}").map_err(io_error)?;
                }
            }
        }
    }
    match &outcome {
        CheckInOutcome::Already { .. } => Ok(()),
        CheckInOutcome::Refused { .. } => Err(CliError::usage(text)),
        CheckInOutcome::Submitted { submitted, .. } => exit_for(submitted),
    }
}
