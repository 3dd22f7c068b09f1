//! `rounds list inpatients` (the ward's census: the visits in progress at a location, with
//! their patients, in one request) and `rounds list mine` (today's appointments of the
//! signed-in practitioner, in one request). Each row names the patient by name and born
//! date and by MRN; a row whose Patient the server did not send says so. JSON schema
//! `rounds.list/1`.

use std::io::Write;

use serde_json::json;

use super::patient_args::{InpatientsArgs, ListArgs, ListCommand, MineArgs};
use super::table::Table;
use super::{CliError, io_error, today, write_json};
use crate::chart::ChartOptions;
use crate::frontdesk::day::ClinicZone;
use crate::frontdesk::lists::ListRow;
use crate::source::DataSource;
use crate::source::lists::{ListQuery, ListRequest, fetch_list};

/// The schema of `rounds list … --json`.
pub const SCHEMA: &str = "rounds.list/1";

pub async fn run(
    source: &dyn DataSource,
    args: &ListArgs,
    timezone: Option<&str>,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match &args.command {
        ListCommand::Inpatients(a) => inpatients(source, a, options, out).await,
        ListCommand::Mine(a) => mine(source, a, timezone, options, out).await,
    }
}

async fn inpatients(
    source: &dyn DataSource,
    args: &InpatientsArgs,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let query = ListQuery::ward(&args.location).map_err(CliError::usage)?;
    show(
        source,
        query,
        options,
        args.json,
        "inpatients",
        "ADMITTED",
        out,
    )
    .await
}

/// Today's appointments of a practitioner, the day being the clinic's (the profile's
/// `timezone`, else the system's zone).
async fn mine(
    source: &dyn DataSource,
    args: &MineArgs,
    timezone: Option<&str>,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let who = args
        .practitioner
        .clone()
        .or_else(|| source.writer().author.fhir_user)
        .ok_or_else(|| {
            CliError::usage(
                "no practitioner: the sign-in names none (fhirUser) and the profile has no \
                 author; give --practitioner ID",
            )
        })?;
    let window = ClinicZone::parse(timezone)
        .and_then(|zone| zone.day(today()))
        .map_err(CliError::usage)?;
    let query = ListQuery::mine(&who, window).map_err(CliError::usage)?;
    show(source, query, options, args.json, "mine", "TIME", out).await
}

async fn show(
    source: &dyn DataSource,
    query: ListQuery,
    options: &ChartOptions,
    json: bool,
    list: &str,
    when: &str,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let title = query.title();
    let request = ListRequest {
        query,
        options: options.clone(),
        today: today(),
    };
    let rows = fetch_list(source, &request).await?;
    print(out, json, list, &title, when, &rows)
}

fn print(
    out: &mut dyn Write,
    json: bool,
    list: &str,
    title: &str,
    when: &str,
    rows: &[ListRow],
) -> Result<(), CliError> {
    if json {
        return write_json(
            out,
            &json!({"schema": SCHEMA, "list": list, "title": title, "rows": rows}),
        );
    }
    writeln!(out, "{}", crate::text::clean_line(title)).map_err(io_error)?;
    if rows.is_empty() {
        writeln!(out, "No patients.").map_err(io_error)?;
        return Ok(());
    }
    let mut table = Table::new(&[when, "NAME", "BORN", "MRN", "WHERE", "STATUS", "PATIENT ID"]);
    for r in rows {
        let (name, born, mrn) = match &r.patient {
            Some(p) => (p.name.clone(), p.born_with_age(), p.mrn.clone()),
            None => (
                "Patient not sent by the server".to_owned(),
                "Not known".to_owned(),
                "Not known".to_owned(),
            ),
        };
        let mut status = r.status.clone();
        if let Some(k) = &r.kind {
            status = format!("{status} ({k})");
        }
        table.row(&[
            r.when.as_str(),
            &name,
            &born,
            &mrn,
            &r.location,
            &status,
            r.patient_id.as_deref().unwrap_or("Not known"),
        ]);
    }
    table.write(out).map_err(io_error)
}
