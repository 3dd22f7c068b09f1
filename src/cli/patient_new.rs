//! `rounds patient new`: registration with a duplicate check. The server's
//! `Patient/$match` where it declares it, else the searches of
//! `frontdesk::patient_new::Registration::searches`; candidates are listed with two
//! identifiers (name and born, MRN) and why each was found. With candidates and without
//! `--not-a-duplicate`: exit 8, nothing created. Otherwise the create goes through the
//! outbox (kept, then sent with `If-None-Exist` on its own identifier). JSON schema
//! `rounds.patient_new/1`.

use std::io::Write;

use serde_json::json;

use super::exit::CANDIDATES;
use super::patient_args::PatientNewArgs;
use super::table::Table;
use super::write_out::{exit_for, writer};
use super::{CliError, io_error, today, write_json};
use crate::chart::ChartOptions;
use crate::frontdesk::patient_new::{
    Candidate, Registration, RegistrationInput, registration_id, registration_item,
};
use crate::source::{DataSource, Submitted};

/// The schema of `rounds patient new --json`.
pub const SCHEMA: &str = "rounds.patient_new/1";

pub async fn run(
    source: &dyn DataSource,
    args: &PatientNewArgs,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let input = RegistrationInput {
        family: args.family.clone(),
        given: args.given.clone(),
        birthdate: args.birthdate.clone(),
        gender: args.gender.clone(),
        phone: args.phone.clone(),
        email: args.email.clone(),
        mrn: args.mrn.clone(),
    };
    let reg = Registration::check(&input, today()).map_err(CliError::usage)?;
    let writer = writer(source)?;
    let id = registration_id();
    let resource = reg.resource(&id, options.mrn_system.as_deref(), today());
    let dups = crate::source::desk::find_duplicates(source, &reg, &resource).await?;
    for w in &dups.warnings {
        eprintln!("rounds: warning: {w}");
    }
    let method = dups.method.clone();
    let cands = dups.candidates(&reg, today(), options);
    if let Some(first) = cands.iter().find(|c| c.repeat) {
        let text = format!(
            "Already registered: {} is Patient/{} (the same names, born date, sex and contact details); nothing was created",
            reg.label(),
            first.row.id
        );
        return answer(
            out,
            args.json,
            "already_registered",
            &method,
            &cands,
            None,
            &text,
        );
    }
    if !cands.is_empty() && !args.not_a_duplicate {
        let text = format!(
            "Possible duplicates of {}: nothing was created. Open one of them, or if none of \
             these is this person, register again with --not-a-duplicate",
            reg.label()
        );
        answer(out, args.json, "candidates", &method, &cands, None, &text)?;
        return Err(CliError::new(
            CANDIDATES,
            format!(
                "{} possible duplicate(s) found: nothing was created",
                cands.len()
            ),
        ));
    }
    if let Some(notice) = writer.mode.notice() {
        eprintln!("rounds: {notice}");
    }
    let item = registration_item(&reg, resource, id, &source.info().label, writer.author);
    let submitted = source.submit(item).await?;
    let state = submitted.item.state.name();
    let text = match submitted.item.references().first() {
        Some(r) if state == "sent" && !cands.is_empty() => format!(
            "Registered: {} → {r} ({} possible duplicate(s) set aside with --not-a-duplicate)",
            reg.label(),
            cands.len()
        ),
        Some(r) if state == "sent" => format!("Registered: {} → {r}", reg.label()),
        _ => format!("Not registered yet ({state}): {}", reg.label()),
    };
    answer(
        out,
        args.json,
        state,
        &method,
        &cands,
        Some(&submitted),
        &text,
    )?;
    exit_for(&submitted)
}

/// Print the answer (text or JSON).
fn answer(
    out: &mut dyn Write,
    json: bool,
    state: &str,
    method: &str,
    cands: &[Candidate],
    submitted: Option<&Submitted>,
    text: &str,
) -> Result<(), CliError> {
    if json {
        let item = submitted.map(|s| &s.item);
        let write = item.and_then(|i| i.writes.first());
        return write_json(
            out,
            &json!({
                "schema": SCHEMA,
                "state": state,
                "duplicate_check": method,
                "candidates": cands,
                "patient_id": write.and_then(|w| w.answer.as_ref()).and_then(|a| a.id.clone())
                    .or_else(|| cands.iter().find(|c| c.repeat).map(|c| c.row.id.clone())),
                "created": write.and_then(|w| w.answer.as_ref()).map(|a| a.created()),
                "identifier": write.and_then(|w| w.op.identifier()).map(|i| i.token()),
                "item": item.map(|i| i.id.clone()),
                "kept": submitted.map(|s| s.kept),
                "error": item.and_then(|i| i.last_error.clone()),
            }),
        );
    }
    writeln!(out, "{}", crate::text::clean_line(text)).map_err(io_error)?;
    if !cands.is_empty() {
        candidate_table(cands, out)?;
    }
    Ok(())
}

/// The candidates as a table: name, born (age), sex, MRN, id, and why each was found.
fn candidate_table(cands: &[Candidate], out: &mut dyn Write) -> Result<(), CliError> {
    let mut table = Table::new(&["NAME", "BORN", "SEX", "MRN", "ID", "FOUND BY"]);
    for c in cands {
        let mut why = c.found_by.join("; ");
        if let Some(s) = c.row.standing() {
            why = format!("{s}; {why}");
        }
        if c.row.deceased {
            why = format!("deceased; {why}");
        }
        table.row(&[
            c.row.name.as_str(),
            &c.row.born_with_age(),
            &c.row.sex,
            &c.row.mrn,
            &c.row.id,
            &why,
        ]);
    }
    table.write(out).map_err(io_error)
}
