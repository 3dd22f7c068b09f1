//! Use the rounds library without its CLI: open a data source, load one patient's record,
//! build the chart model and print the banner and the cover sheet.
//!
//! ```text
//! cargo run --example cover_sheet                          # a demo patient, offline
//! cargo run --example cover_sheet -- rnd-cora-lastday      # another demo patient
//! cargo run --example cover_sheet -- PATIENT_ID https://ehr.example/fhir/R4
//! ```
//!
//! Every string from the data source is cleaned with `rounds::text::clean_line` before it
//! is printed, as any program showing FHIR data on a terminal must.

use std::process::ExitCode;

use rounds::chart::Chart;
use rounds::fhir::{ClientConfig, FhirClient, Section};
use rounds::source::{DataSource, RemoteSource, demo_source};
use rounds::text::clean_line;

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let patient = args.next().unwrap_or_else(|| "rnd-ada-testwell".to_owned());
    let source: Box<dyn DataSource> = match args.next() {
        Some(url) => match FhirClient::new(ClientConfig::new(url)) {
            Ok(client) => Box::new(RemoteSource::new(client)),
            Err(e) => {
                eprintln!("cover_sheet: {e}");
                return ExitCode::from(2);
            }
        },
        None => match demo_source() {
            Ok(demo) => Box::new(demo),
            Err(e) => {
                eprintln!("cover_sheet: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let sections = [
        Section::Allergies,
        Section::Problems,
        Section::Medications,
        Section::Labs,
        Section::Vitals,
        Section::Encounters,
    ];
    let record = match source.record(&patient, &sections).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cover_sheet: {e}");
            return ExitCode::from(3);
        }
    };
    let chart = Chart::build(&record, chrono::Local::now().date_naive());
    let b = &chart.banner;
    println!(
        "{}  Born {}  {}  MRN {}",
        clean_line(&b.name),
        b.born_with_age(),
        b.sex,
        clean_line(&b.mrn)
    );
    println!("Allergies: {}", clean_line(&b.allergies.summary()));
    let cover = chart.cover_sheet();
    println!("\nActive problems:");
    for p in cover.active_problems.unwrap_or_default() {
        println!("  {} (onset {})", clean_line(&p.name), clean_line(&p.onset));
    }
    println!("\nActive medications:");
    for m in cover.active_medications.unwrap_or_default() {
        println!("  {}: {}", clean_line(&m.name), clean_line(&m.sig));
    }
    println!("\nLatest vitals:");
    for v in cover.latest_vitals.unwrap_or_default() {
        let line = format!(
            "  {} {} {}",
            v.label,
            clean_line(&v.value_text),
            v.flag_symbol
        );
        println!("{}", line.trim_end());
    }
    println!(
        "\nAbnormal results ({} in all, critical first):",
        cover.abnormal_lab_count
    );
    for l in cover.recent_abnormal_labs.unwrap_or_default() {
        println!(
            "  {} {} {} (range {}) {}",
            clean_line(&l.name),
            clean_line(&l.value_text),
            l.flag_symbol,
            clean_line(&l.range),
            l.date
        );
    }
    ExitCode::SUCCESS
}
