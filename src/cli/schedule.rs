//! `rounds schedule`: a clinic day's appointments (the local day in the clinic's time zone,
//! by practitioner and/or location; the profile's defaults) as a table or JSON (schema
//! rounds.schedule/1). Every cell is cleaned by the table; rows come sorted by time, and
//! cancelled and no-show visits are listed, not hidden.

use std::io::Write;

use serde::Serialize;

use super::schedule_args::ScheduleArgs;
use super::table::Table;
use super::{CliError, io_error, today, write_json};
use crate::chart::ChartOptions;
use crate::frontdesk::day::ClinicZone;
use crate::frontdesk::schedule::{SCHEMA, Schedule, ScheduleQuery, check_id};
use crate::source::DataSource;
use crate::source::profile::Selected;
use crate::source::schedule::{ScheduleFetch, ScheduleRequest};

/// The front-desk settings of a sign-in profile (none for the demo, files and `--server`).
#[derive(Debug, Clone, Default)]
pub struct DeskSettings {
    pub timezone: Option<String>,
    pub practitioner: Option<String>,
    pub location: Option<String>,
    pub checkin_encounter: bool,
}

impl DeskSettings {
    pub fn of(selected: &Selected) -> DeskSettings {
        match selected {
            Selected::Profile { profile, .. } => DeskSettings::of_profile(profile),
            _ => DeskSettings::default(),
        }
    }

    pub fn of_profile(profile: &crate::config::Profile) -> DeskSettings {
        DeskSettings {
            timezone: profile.timezone.clone(),
            practitioner: profile.practitioner.clone(),
            location: profile.location.clone(),
            checkin_encounter: profile.checkin_encounter,
        }
    }
}

/// The JSON document `rounds schedule --json` prints.
#[derive(Debug, Serialize)]
struct ScheduleOutput<'a> {
    schema: &'static str,
    #[serde(flatten)]
    schedule: &'a Schedule,
    /// Whether the server trimmed the resources to what a row shows (`_elements`).
    trimmed: bool,
}

/// The request the arguments and the profile make.
pub fn request(
    args: &ScheduleArgs,
    desk: &DeskSettings,
    options: &ChartOptions,
) -> Result<ScheduleRequest, CliError> {
    let zone = ClinicZone::parse(args.timezone.as_deref().or(desk.timezone.as_deref()))
        .map_err(CliError::usage)?;
    let date = args.date.unwrap_or_else(|| zone.today());
    let window = zone.day(date).map_err(CliError::usage)?;
    let practitioner = args
        .practitioner
        .as_deref()
        .or(desk.practitioner.as_deref())
        .map(|p| check_id(p, "a practitioner", "Practitioner"))
        .transpose()
        .map_err(CliError::usage)?;
    let location = args
        .location
        .as_deref()
        .or(desk.location.as_deref())
        .map(|l| check_id(l, "a location", "Location"))
        .transpose()
        .map_err(CliError::usage)?;
    Ok(ScheduleRequest {
        query: ScheduleQuery {
            window,
            practitioner,
            location,
        },
        zone,
        options: options.clone(),
        today: today(),
    })
}

pub async fn run(
    source: &dyn DataSource,
    args: &ScheduleArgs,
    desk: &DeskSettings,
    options: &ChartOptions,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let request = request(args, desk, options)?;
    let (schedule, trimmed) = match source.schedule(&request, None).await? {
        ScheduleFetch::Fresh {
            schedule, trimmed, ..
        } => (schedule, trimmed),
        ScheduleFetch::NotModified => {
            return Err(CliError::new(
                super::exit::NETWORK,
                "the server answered 'not modified' to a first request",
            ));
        }
    };
    if schedule.unreadable > 0 {
        eprintln!(
            "rounds: warning: {} appointment(s) could not be read and are not listed",
            schedule.unreadable
        );
    }
    if args.json {
        return write_json(
            out,
            &ScheduleOutput {
                schema: SCHEMA,
                schedule: &schedule,
                trimmed,
            },
        );
    }
    write_table(&schedule, out).map_err(io_error)
}

/// The heading and the table.
fn write_table(s: &Schedule, out: &mut dyn Write) -> std::io::Result<()> {
    let mut who = Vec::new();
    if let Some(p) = &s.practitioner {
        who.push(format!("practitioner {p}"));
    }
    if let Some(l) = &s.location {
        who.push(format!("location {l}"));
    }
    let date = crate::chart::date::FhirDate::Day(s.date).display_date();
    let heading = format!(
        "Schedule for {} {date} ({}){}: {} appointment{}",
        s.date.format("%a"),
        s.time_zone,
        if who.is_empty() {
            String::new()
        } else {
            format!(", {}", who.join(", "))
        },
        s.rows.len(),
        if s.rows.len() == 1 { "" } else { "s" }
    );
    writeln!(out, "{}", crate::text::clean_line(&heading))?;
    if s.rows.is_empty() {
        return writeln!(out, "No appointments.");
    }
    let mut table = Table::new(&[
        "TIME",
        "STATUS",
        "PATIENT",
        "BORN",
        "MRN",
        "VISIT",
        "ALLERGIES",
        "APPOINTMENT",
    ]);
    for r in &s.rows {
        let time = match &r.other_date {
            Some(d) => format!("{} ({d})", r.time),
            None => r.time.clone(),
        };
        let (name, born, mrn) = match &r.patient {
            Some(p) => (p.name.clone(), p.born_with_age(), p.mrn.clone()),
            None => (
                match &r.patient_id {
                    Some(id) => format!("Patient/{id} (not sent)"),
                    None => "No patient named".to_owned(),
                },
                crate::chart::format::NOT_KNOWN.to_owned(),
                crate::chart::format::NOT_KNOWN.to_owned(),
            ),
        };
        table.row(&[
            time.as_str(),
            &r.status_label,
            &name,
            &born,
            &mrn,
            &r.visit_type,
            r.allergies.as_deref().unwrap_or("Not fetched"),
            &r.appointment_id,
        ]);
    }
    table.write(out)?;
    if s.cut_short {
        writeln!(
            out,
            "(more appointments than the {} listed: narrow by --practitioner or --location)",
            s.rows.len()
        )?;
    }
    Ok(())
}
