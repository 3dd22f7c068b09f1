//! What every writing command shares: the chart read before a write (the patient must
//! exist, and the checks need it), the write's context (author, visit, time), submitting
//! the item, and reporting how it ended as text or JSON (schema rounds.write/1) with its
//! exit code: 0 sent (or kept as a draft), 4 sign in again, 5 refused by the server, 6 a
//! conflict, 7 kept in the outbox but not sent yet. Validation failures (2) are the
//! commands' own.

use std::io::Write;

use serde_json::{Value, json};

use super::exit::{AUTH, CONFLICT, NETWORK, QUEUED};
use super::{CliError, io_error, today, write_json};
use crate::chart::Chart;
use crate::charting::Context;
use crate::charting::prepare::{Origin, Subject};
use crate::fhir::{PatientRecord, Section};
use crate::outbox::{Item, State};
use crate::source::{DataSource, Submitted, WriteMode, Writer};

/// The schema of a write's JSON.
pub const WRITE_SCHEMA: &str = "rounds.write/1";

/// The writer, or exit 2 when the source is read-only.
pub fn writer(source: &dyn DataSource) -> Result<Writer, CliError> {
    let writer = source.writer();
    if let WriteMode::ReadOnly { why } = &writer.mode {
        return Err(CliError::usage(why.clone()));
    }
    Ok(writer)
}

/// Check a patient id as typed.
pub fn patient_id(id: &str) -> Result<&str, CliError> {
    let id = id.trim();
    if id.is_empty() || id.contains(['/', '?', '#']) || id.len() > 64 {
        return Err(CliError::usage(format!(
            "'{}' is not a patient id; use the ID column of `rounds search`",
            crate::text::clean_line(id)
        )));
    }
    Ok(id)
}

/// The patient's record (the sections asked for) and chart: exit 3 if there is no such
/// patient.
pub async fn load(
    source: &dyn DataSource,
    id: &str,
    sections: &[Section],
) -> Result<(PatientRecord, Chart), CliError> {
    // The banner's allergy flag needs the allergies, whatever else is asked for.
    let mut wanted = vec![Section::Allergies];
    wanted.extend(
        sections
            .iter()
            .copied()
            .filter(|s| *s != Section::Allergies),
    );
    let record = source.record(id, &wanted).await?;
    let chart = Chart::build(&record, today());
    Ok((record, chart))
}

/// What every write starts from: the writer (exit 2 if the source is read-only), the
/// patient's record and chart (the sections asked for; exit 3 if there is no such
/// patient), and the patient as the outbox names them.
pub async fn begin(
    source: &dyn DataSource,
    patient: &str,
    sections: &[Section],
) -> Result<(Writer, PatientRecord, Chart, Subject), CliError> {
    let id = patient_id(patient)?;
    let writer = writer(source)?;
    let (record, chart) = load(source, id, sections).await?;
    let subject = Subject::of(&chart);
    Ok((writer, record, chart, subject))
}

/// Where the item goes and who writes it, and the write's context.
pub fn origin_and_context(
    source: &dyn DataSource,
    writer: &Writer,
    subject: &Subject,
    encounter: Option<String>,
) -> (Origin, Context) {
    let origin = Origin {
        server: source.info().label,
        author: writer.author.clone(),
    };
    let ctx = Context {
        patient_id: subject.id.clone(),
        author: writer.author.fhir_user.clone(),
        encounter,
        now: chrono::Local::now().fixed_offset(),
    };
    (origin, ctx)
}

/// Ask a yes/no question on the terminal; without one, exit 2 saying to add `--yes`.
pub fn confirm(question: &str) -> Result<bool, CliError> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(CliError::usage(format!(
            "{question}: confirm with --yes (no terminal to ask on)"
        )));
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).map_err(io_error)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES"))
}

/// Submit `item` and report how it ended.
pub async fn submit(
    source: &dyn DataSource,
    writer: &Writer,
    item: Item,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if let Some(notice) = writer.mode.notice() {
        eprintln!("rounds: {notice}");
    }
    let submitted = source.submit(item).await?;
    report(&submitted, &writer.mode, json, out)
}

/// Print how a submission ended; the exit code it maps to.
pub fn report(
    s: &Submitted,
    mode: &WriteMode,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let item = &s.item;
    if json {
        write_json(out, &write_json_value(s, mode))?;
    } else {
        let line = match item.state {
            State::Sent => format!("Sent: {} → {}", item.summary, item.references().join(", ")),
            State::Draft => format!("Kept as a draft: {} (item {})", item.summary, item.id),
            _ if s.kept => format!(
                "Kept in the outbox as item {} ({}): {}",
                item.id,
                item.state.name(),
                item.summary
            ),
            _ => format!(
                "Not sent, not kept ({}): {}",
                item.state.name(),
                item.summary
            ),
        };
        writeln!(out, "{}", crate::text::clean_line(&line)).map_err(io_error)?;
        if let Some(c) = &item.conflict {
            for l in conflict_lines(c) {
                writeln!(out, "{l}").map_err(io_error)?;
            }
        }
    }
    exit_for(s)
}

/// The text lines of a conflict: base / theirs / mine of each element that differs.
pub fn conflict_lines(c: &crate::outbox::Conflict) -> Vec<String> {
    let mut lines = vec![format!("Conflict on {}: base / theirs / mine", c.resource)];
    let show = |v: &Option<String>| {
        let t = v.as_deref().unwrap_or("(absent)");
        crate::text::truncate_to(&crate::text::clean_line(t), 60)
    };
    for d in c.differences() {
        lines.push(format!("  {}:", d.element));
        lines.push(format!("    base   {}", show(&d.base)));
        lines.push(format!("    theirs {}", show(&d.theirs)));
        lines.push(format!("    mine   {}", show(&d.mine)));
    }
    lines
}

pub fn exit_for(s: &Submitted) -> Result<(), CliError> {
    let item = &s.item;
    let why = item.last_error.clone().unwrap_or_default();
    let retry = format!("rounds outbox retry {}", item.id);
    let err = match item.state {
        State::Sent | State::Draft => return Ok(()),
        _ if item.needs_sign_in => CliError::new(
            AUTH,
            if s.kept {
                format!(
                    "{why}: kept in the outbox as item {}: sign in again, then {retry}",
                    item.id
                )
            } else {
                format!("{why}: not sent")
            },
        ),
        State::Conflict => CliError::new(
            CONFLICT,
            format!(
                "conflict, nothing was overwritten: {why} (item {}: rounds outbox show {})",
                item.id, item.id
            ),
        ),
        State::Rejected => CliError::new(
            NETWORK,
            format!(
                "the server refused it: {why} (kept as item {}; fix and {retry}, or rounds outbox discard {})",
                item.id, item.id
            ),
        ),
        _ if s.kept => CliError::new(
            QUEUED,
            format!(
                "not sent yet ({why}): kept in the outbox as item {}; {retry} sends it",
                item.id
            ),
        ),
        _ => CliError::new(NETWORK, format!("not sent and not kept: {why}")),
    };
    let failure = s
        .outcome
        .as_ref()
        .and_then(|o| o.failure.as_ref())
        .map(|f| f.kind);
    Err(CliError { failure, ..err })
}

fn write_json_value(s: &Submitted, mode: &WriteMode) -> Value {
    let item = &s.item;
    json!({
        "schema": WRITE_SCHEMA,
        "item": item.id,
        "kind": item.kind,
        "patient_id": item.patient_id,
        "state": item.state.name(),
        "kept": s.kept,
        "write_mode": mode,
        "resources": item.writes.iter().map(|w| json!({
            "resource_type": w.op.resource_type(),
            "identifier": w.op.identifier().map(|i| i.token()),
            "id": w.answer.as_ref().and_then(|a| a.id.clone()),
            "version": w.answer.as_ref().and_then(|a| a.version.clone()),
            "created": w.answer.as_ref().map(|a| a.created()),
        })).collect::<Vec<_>>(),
        "error": item.last_error,
        "conflict": item.conflict.as_ref().map(|c| json!({"resource": c.resource, "differences": c.differences()})),
        "wire": item.wire,
    })
}
