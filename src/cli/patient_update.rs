//! `rounds patient update`: a new phone, email or home address, added with the old one
//! kept as history (`frontdesk::demographics`), sent through the outbox as a JSON Patch
//! with `If-Match` where the server declares JSON Patch for Patient, else as the record
//! read, changed and PUT with `If-Match`. A conflict (412, 409) exits 6 with base / theirs
//! / mine, nothing overwritten. The new banner line and contact line are printed at once.

use std::io::Write;

use super::patient_args::PatientUpdateArgs;
use super::sections::write_banner;
use super::write_out::{begin, report};
use super::{CliError, io_error, today};
use crate::frontdesk::demographics::{Change, contact_line};
use crate::source::DataSource;
use crate::source::desk::{DemographicsOutcome, update_demographics};

pub async fn run(
    source: &dyn DataSource,
    args: &PatientUpdateArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let change = Change::check(
        args.phone.as_deref(),
        args.email.as_deref(),
        args.address.as_deref(),
    )
    .map_err(CliError::usage)?;
    if source.info().kind != crate::common::SourceKind::Server {
        return Err(CliError::usage(
            "a demographics change is made on a FHIR server's record: the demo and files \
             have none to change (nothing was written)",
        ));
    }
    let (writer, _, chart, subject) = begin(source, &args.patient_id, &[]).await?;
    let outcome = update_demographics(
        source,
        &subject.id,
        &subject.label,
        &change,
        today(),
        writer.author.clone(),
    )
    .await?;
    let DemographicsOutcome::Submitted { submitted, now, .. } = outcome else {
        writeln!(
            out,
            "{}",
            crate::text::clean_line(&format!(
                "Nothing to change: {} already records {}",
                subject.label,
                change.summary()
            ))
        )
        .map_err(io_error)?;
        return Ok(());
    };
    if let Some(notice) = writer.mode.notice() {
        eprintln!("rounds: {notice}");
    }
    if let (Some(now), false) = (&now, args.json) {
        write_banner(out, &chart.banner).map_err(io_error)?;
        writeln!(out, "{}", contact_line(now, today())).map_err(io_error)?;
    }
    report(&submitted, &writer.mode, args.json, out)
}
