//! `rounds chart PATIENT_ID`: the banner, then every section (or the one asked for), as
//! tables or as JSON (schema rounds.chart/1). Only the sections needed are fetched.

use std::io::Write;

use serde_json::Value;

use super::args::{ChartArgs, SectionArg};
use super::{CliError, exit, sections, today, write_json};
use crate::chart::{Chart, ChartOptions};
use crate::fhir::Section;
use crate::fhir::model::is_fhir_id;
use crate::source::DataSource;

/// The record sections a chart section needs (the banner always needs allergies; the
/// banner and cover sheet shown alone also their postings: flags and advance directives).
fn needed(section: Option<SectionArg>) -> Vec<Section> {
    let extra = match section {
        None => return Section::ALL.to_vec(),
        Some(SectionArg::Allergies) => vec![],
        Some(SectionArg::Banner | SectionArg::Postings) => vec![Section::Postings],
        Some(SectionArg::Cover) => vec![
            Section::Postings,
            Section::Problems,
            Section::Medications,
            Section::MedicationStatements,
            Section::Labs,
            Section::Vitals,
            Section::OtherObservations,
            Section::Encounters,
        ],
        Some(SectionArg::Problems) => vec![Section::Problems],
        Some(SectionArg::Meds) => vec![Section::Medications, Section::MedicationStatements],
        Some(SectionArg::Procedures) => vec![Section::Procedures],
        // Observations with no lab or vital-sign category are placed by their code: either.
        Some(SectionArg::Labs) => vec![Section::Labs, Section::OtherObservations],
        Some(SectionArg::Vitals) => vec![Section::Vitals, Section::OtherObservations],
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
        SectionArg::Procedures => "procedures",
        SectionArg::Postings => "flags",
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
    if !is_fhir_id(id) {
        return Err(CliError::usage(format!(
            "'{}' is not a patient id (1 to 64 letters, digits, '-' or '.'); use the ID \
             column of `rounds search`",
            crate::text::clean_line(&args.patient_id)
        )));
    }
    let record = source.record(id, &needed(args.section)).await?;
    let mut chart = Chart::build_with(&record, today(), options);
    // What was left out of the files read belongs with the chart: it may be this patient's.
    chart.warnings.extend(source.warnings());
    let failed: Vec<FailedSection> = record
        .failed
        .iter()
        .map(|(section, message)| FailedSection {
            section: section.name(),
            message: message.clone(),
        })
        .collect();
    if args.json {
        write_json(out, &chart_json(&chart, args.section, &failed)?)?;
    } else {
        // A kept copy is said first, on stdout and stderr: nobody takes it for the live record.
        if let Some(as_of) = chart.offline_as_of {
            let line = crate::chart::offline::offline_line(as_of, chrono::Utc::now());
            writeln!(out, "{line}").map_err(super::io_error)?;
            eprintln!("rounds: {line}");
        }
        sections::write_chart(out, &chart, args.section).map_err(super::io_error)?;
    }
    incomplete(&failed)
}

/// A section asked for that could not be loaded, in the JSON's `failed` list.
#[derive(Debug, serde::Serialize)]
struct FailedSection {
    section: &'static str,
    message: String,
}

/// Exit 5 when any section asked for (the banner's allergies included) failed: the chart
/// is printed, but a script must not take it for the whole chart.
fn incomplete(failed: &[FailedSection]) -> Result<(), CliError> {
    if failed.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = failed
        .iter()
        .map(|f| format!("{} ({})", f.section, f.message))
        .collect();
    Err(CliError::new(
        exit::NETWORK,
        format!(
            "the chart is incomplete: {} could not be loaded",
            list.join("; ")
        ),
    ))
}

/// The chart as JSON, cut to one section when asked, with the sections that failed.
fn chart_json(
    chart: &Chart,
    section: Option<SectionArg>,
    failed: &[FailedSection],
) -> Result<Value, CliError> {
    let mut value = serde_json::to_value(chart)
        .map_err(|e| CliError::new(exit::NETWORK, format!("could not encode the chart: {e}")))?;
    let Value::Object(map) = &mut value else {
        return Ok(value);
    };
    map.insert(
        "failed".into(),
        serde_json::to_value(failed).unwrap_or_default(),
    );
    let Some(section) = section else {
        return Ok(value);
    };
    let key = json_key(section);
    if section == SectionArg::Cover {
        let cover = serde_json::to_value(chart.cover_sheet()).unwrap_or(Value::Null);
        map.insert(key.to_owned(), cover);
    }
    // The postings go with the banner where they were loaded; what the record says of no
    // medications, with them.
    let postings = needed(Some(section)).contains(&Section::Postings);
    map.retain(|k, _| {
        matches!(
            k.as_str(),
            "schema" | "banner" | "warnings" | "failed" | "not_shown" | "offline_as_of"
        ) || k == key
            || (k == "postings" && postings)
            || (key == "medications" && k == "no_medications")
    });
    Ok(value)
}
