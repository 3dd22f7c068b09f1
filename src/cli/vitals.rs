//! `rounds vitals add`: vital signs parsed with their units, checked in three tiers
//! against the chart (impossible: refused; implausible: `--yes`; abnormal: flagged), and
//! sent as US Core vital-sign Observations.

use std::io::Write;

use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, NaiveTime, TimeZone};

use super::write_args::VitalsAddArgs;
use super::write_out::{begin, origin_and_context, patient_id, submit};
use super::{CliError, io_error, today};
use crate::charting::check::check;
use crate::charting::encounter_reference;
use crate::charting::prepare;
use crate::charting::vitals::{self, VitalsEntry, number};
use crate::fhir::Section;
use crate::source::DataSource;

/// When the signs were taken: RFC 3339, `YYYY-MM-DDTHH:MM` or `HH:MM` in local time.
pub fn parse_at(text: &str, now: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, String> {
    let t = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(t) {
        return Ok(at);
    }
    let local = |naive: NaiveDateTime| {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|d| d.fixed_offset())
            .ok_or_else(|| format!("'{t}' does not exist in the local time zone"))
    };
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return local(n);
        }
    }
    if let Ok(time) = NaiveTime::parse_from_str(t, "%H:%M") {
        return local(now.date_naive().and_time(time));
    }
    Err(format!(
        "--at '{}' is not a time: use 2026-11-22T09:30:00-06:00, 2026-11-22T09:30 or 09:30",
        crate::text::clean_line(t)
    ))
}

/// The entry as typed; the first value that cannot be read refuses it.
fn entry(a: &VitalsAddArgs) -> Result<VitalsEntry, String> {
    let num = |what: &str, v: &Option<String>| v.as_deref().map(|t| number(what, t)).transpose();
    Ok(VitalsEntry {
        bp: a.bp.as_deref().map(vitals::parse_bp).transpose()?,
        hr: num("heart rate", &a.hr)?,
        rr: num("respiratory rate", &a.rr)?,
        temp: a.temp.as_deref().map(vitals::parse_temp).transpose()?,
        spo2: num("SpO2", &a.spo2)?,
        o2_flow: num("oxygen flow", &a.o2_flow)?,
        weight: a.weight.as_deref().map(vitals::parse_weight).transpose()?,
        height: a.height.as_deref().map(vitals::parse_height).transpose()?,
    })
}

pub async fn add(
    source: &dyn DataSource,
    args: &VitalsAddArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let id = patient_id(&args.patient_id)?;
    let entry = entry(args).map_err(CliError::usage)?;
    if entry.is_empty() {
        return Err(CliError::usage(
            "give at least one vital sign (--bp, --hr, --rr, --temp, --spo2, --weight, --height)",
        ));
    }
    let now = Local::now().fixed_offset();
    let at = match &args.at {
        Some(t) => parse_at(t, now).map_err(CliError::usage)?,
        None => now,
    };
    let (writer, record, chart, subject) =
        begin(source, id, &[Section::Vitals, Section::Encounters]).await?;
    let findings = check(
        &entry,
        &at,
        &now,
        subject.birth_date,
        &prepare::last_values(&chart),
    );
    if !findings.impossible.is_empty() {
        return Err(CliError::usage(format!(
            "refused, nothing was kept: {}",
            findings.impossible.join("; ")
        )));
    }
    if !findings.implausible.is_empty() && !args.yes {
        return Err(CliError::usage(format!(
            "implausible, nothing was kept: {} (check the values; --yes records them as they are)",
            findings.implausible.join("; ")
        )));
    }
    for i in &findings.implausible {
        eprintln!("rounds: recorded as confirmed (--yes): {i}");
    }
    let flags: Vec<String> = findings
        .flags
        .iter()
        .map(|(l, f)| format!("{l} {}", f.symbol()))
        .collect();
    if !flags.is_empty() && !args.json {
        writeln!(out, "Abnormal: {}", flags.join("  ")).map_err(io_error)?;
    }
    let encounter = match &args.encounter {
        Some(e) => Some(encounter_reference(e)),
        None => prepare::open_encounter_today(&record.encounters, today()),
    };
    let (origin, ctx) = origin_and_context(source, &writer, &subject, encounter);
    let item = prepare::vitals_item(&entry, &at, &findings, &ctx, &subject, &origin);
    submit(source, &writer, item, args.json, out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_with_or_without_an_offset() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00-06:00").unwrap();
        assert_eq!(
            parse_at("2026-11-22T09:30:00-06:00", now)
                .unwrap()
                .to_rfc3339(),
            "2026-11-22T09:30:00-06:00"
        );
        assert!(parse_at("09:30", now).is_ok());
        assert!(parse_at("2026-11-22T09:30", now).is_ok());
        assert!(
            parse_at("yesterday", now)
                .unwrap_err()
                .contains("is not a time")
        );
    }
}
