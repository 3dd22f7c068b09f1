//! `rounds chart PATIENT_ID`: the banner, then every section (or the one asked for), as
//! tables or as JSON (schema rounds.chart/1). Only the sections needed are fetched.

use std::io::Write;

use serde_json::Value;

use super::args::{ChartArgs, SectionArg};
use super::{CliError, exit, sections, today, write_json};
use crate::chart::{Chart, ChartOptions};
use crate::fhir::Section;
use crate::source::DataSource;

/// The record sections a chart section needs (the banner always needs allergies).
fn needed(section: Option<SectionArg>) -> Vec<Section> {
    let extra = match section {
        None => return Section::ALL.to_vec(),
        Some(SectionArg::Banner | SectionArg::Allergies) => vec![],
        Some(SectionArg::Cover) => vec![
            Section::Problems,
            Section::Medications,
            Section::Labs,
            Section::Vitals,
            Section::Encounters,
        ],
        Some(SectionArg::Problems) => vec![Section::Problems],
        Some(SectionArg::Meds) => vec![Section::Medications],
        Some(SectionArg::Labs) => vec![Section::Labs],
        Some(SectionArg::Vitals) => vec![Section::Vitals],
        Some(SectionArg::Encounters) => vec![Section::Encounters],
        Some(SectionArg::Immunizations) => vec![Section::Immunizations],
        Some(SectionArg::Notes) => vec![Section::Notes],
    };
    let mut all = vec![Section::Allergies];
    all.extend(extra);
    all
}

/// The JSON key of a section in `Chart`.
fn json_key(section: SectionArg) -> &'static str {
    match section {
        SectionArg::Banner => "banner",
        SectionArg::Cover => "cover_sheet",
        SectionArg::Problems => "problems",
        SectionArg::Allergies => "allergies",
        SectionArg::Meds => "medications",
        SectionArg::Labs => "labs",
        SectionArg::Vitals => "vitals",
        SectionArg::Encounters => "encounters",
        SectionArg::Immunizations => "immunizations",
        SectionArg::Notes => "notes",
    }
}

pub async fn run(
    source: &dyn DataSource,
    args: &ChartArgs,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let id = args.patient_id.trim();
    if id.is_empty() || id.contains(['/', '?', '#']) || id.len() > 64 {
        return Err(CliError::usage(format!(
            "'{}' is not a patient id; use the ID column of `rounds search`",
            crate::text::clean_line(&args.patient_id)
        )));
    }
    let record = source.record(id, &needed(args.section)).await?;
    let chart = Chart::build_with(&record, today(), options);
    if args.json {
        return write_json(out, &chart_json(&chart, args.section)?);
    }
    sections::write_chart(out, &chart, args.section).map_err(super::io_error)
}

/// The chart as JSON, cut to one section when asked.
fn chart_json(chart: &Chart, section: Option<SectionArg>) -> Result<Value, CliError> {
    let mut value = serde_json::to_value(chart)
        .map_err(|e| CliError::new(exit::NETWORK, format!("could not encode the chart: {e}")))?;
    let Some(section) = section else {
        return Ok(value);
    };
    let Value::Object(map) = &mut value else {
        return Ok(value);
    };
    let key = json_key(section);
    if section == SectionArg::Cover {
        let cover = serde_json::to_value(chart.cover_sheet()).unwrap_or(Value::Null);
        map.insert(key.to_owned(), cover);
    }
    map.retain(|k, _| {
        matches!(k.as_str(), "schema" | "banner" | "warnings" | "not_shown") || k == key
    });
    Ok(value)
}
