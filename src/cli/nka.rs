//! `rounds allergies nka`: "no known allergies", only where the chart says allergies are
//! not known, after a confirmation that names the patient.

use std::io::Write;

use super::CliError;
use super::write_args::NkaArgs;
use super::write_out::{begin, confirm, origin_and_context, submit};
use crate::charting::nka::may_record;
use crate::charting::prepare;
use crate::source::DataSource;

pub async fn nka(
    source: &dyn DataSource,
    args: &NkaArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (writer, _, chart, subject) = begin(source, &args.patient_id, &[]).await?;
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
