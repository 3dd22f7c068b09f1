//! `rounds allergies nka`: "no known allergies", only where the chart says allergies are
//! not known, after a confirmation that names the patient.

use std::io::Write;

use super::CliError;
use super::write_args::NkaArgs;
use super::write_out::{confirm, load, origin_and_context, patient_id, submit, writer};
use crate::charting::nka::may_record;
use crate::charting::prepare::{self, Subject};
use crate::source::DataSource;

pub async fn nka(
    source: &dyn DataSource,
    args: &NkaArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let id = patient_id(&args.patient_id)?;
    let writer = writer(source)?;
    let (_, chart) = load(source, id, &[]).await?;
    let subject = Subject::of(&chart);
    may_record(&chart.banner.allergies)
        .map_err(|why| CliError::usage(format!("{why}: nothing was recorded")))?;
    let question = format!("Record NO KNOWN ALLERGIES for {}?", subject.label);
    if !args.yes && !confirm(&crate::text::clean_line(&question))? {
        return Err(CliError::usage("not confirmed: nothing was recorded"));
    }
    let (origin, ctx) = origin_and_context(source, &writer, &subject, None);
    let item = prepare::nka_item(&ctx, &subject, &origin);
    submit(source, &writer, item, args.json, out).await
}
