//! `rounds search`: patients as a table (name, born with age, sex, MRN, id) or JSON.

use std::io::Write;

use serde::Serialize;

use super::args::SearchArgs;
use super::table::Table;
use super::{CliError, io_error, today, write_json};
use crate::chart::{ChartOptions, PatientSummary};
use crate::fhir::PatientQuery;
use crate::source::DataSource;

/// The JSON document `rounds search --json` prints.
#[derive(Debug, Serialize)]
struct SearchOutput {
    schema: &'static str,
    patients: Vec<PatientSummary>,
    /// The total number of matches, when known.
    total: Option<u64>,
    /// Whether more matches exist than are listed (raise --limit).
    more: bool,
    /// What could not be read (files of a folder left out) and other things to know.
    warnings: Vec<String>,
}

pub async fn run(
    source: &dyn DataSource,
    args: &SearchArgs,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut query = PatientQuery {
        name: args.name.clone(),
        family: args.family.clone(),
        given: args.given.clone(),
        birthdate: args.birthdate,
        gender: args.gender.clone(),
        identifier: args.identifier.clone(),
        name_as_phrase: false,
        all: false,
    };
    // The demo and local files may be listed whole; a server never is.
    if query.is_empty() && source.info().kind != crate::common::SourceKind::Server {
        query.all = true;
    }
    if query.is_empty() && !query.all {
        return Err(CliError::usage(
            "give at least one of --name, --family, --given, --birthdate, --gender, --identifier",
        ));
    }
    let found = source.search(&query, args.limit as usize).await?;
    if found.used_get {
        eprintln!(
            "rounds: warning: the server refused POST searches; the search terms were sent in the URL"
        );
    }
    if found.unreadable > 0 {
        eprintln!(
            "rounds: warning: {} result(s) could not be read and are not listed",
            found.unreadable
        );
    }
    let mut warnings = source.warnings();
    if let Some(kept) = found.offline_kept {
        let note = format!(
            "OFFLINE: searched only the {kept} patient(s) kept on this device, not the server"
        );
        eprintln!("rounds: {note}");
        warnings.push(note);
    }
    let rows = PatientSummary::list(&found.patients, today(), options);
    if args.json {
        return write_json(
            out,
            &SearchOutput {
                schema: "rounds.search/1",
                patients: rows,
                total: found.total,
                more: found.more,
                warnings,
            },
        );
    }
    if rows.is_empty() {
        match source.skipped_files() {
            0 => writeln!(out, "No patients found."),
            n => writeln!(
                out,
                "No patients found in what could be read: {n} file(s) were left out (see the \
                 warnings above), and the patient may be in one of them."
            ),
        }
        .map_err(io_error)?;
        return Ok(());
    }
    let mut table = Table::new(&["NAME", "BORN", "SEX", "MRN", "ID", ""]);
    for r in &rows {
        let mut marks = Vec::new();
        if r.deceased {
            marks.push("deceased".to_owned());
        }
        if r.lookalike {
            marks.push("LOOK-ALIKE: same name and birth date".to_owned());
        }
        if let Some(standing) = r.standing() {
            marks.push(standing);
        }
        table.row(&[
            r.name.as_str(),
            &r.born_with_age(),
            &r.sex,
            &r.mrn,
            &r.id,
            &marks.join(", "),
        ]);
    }
    table.write(out).map_err(io_error)?;
    if found.more {
        writeln!(
            out,
            "(more patients match; narrow the search or raise --limit above {})",
            args.limit
        )
        .map_err(io_error)?;
    }
    Ok(())
}
