//! Arguments of the front-desk commands: `rounds schedule` and `rounds checkin`.

use clap::Args;

#[derive(Debug, Default, Args)]
pub struct ScheduleArgs {
    /// The day, YYYY-MM-DD (the clinic's local day); today when not given.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub date: Option<chrono::NaiveDate>,

    /// Only this practitioner's appointments (ID or Practitioner/ID); the profile's
    /// `practitioner` by default.
    #[arg(long, value_name = "ID")]
    pub practitioner: Option<String>,

    /// Only appointments at this location (ID or Location/ID); the profile's `location` by
    /// default.
    #[arg(long, value_name = "ID")]
    pub location: Option<String>,

    /// The clinic's time zone (America/Chicago, UTC, -06:00); the profile's `timezone`, else
    /// the system's.
    #[arg(long, value_name = "ZONE", allow_hyphen_values = true)]
    pub timezone: Option<String>,

    /// Print JSON (schema rounds.schedule/1) instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckinArgs {
    /// The appointment's id (the APPOINTMENT column of `rounds schedule`).
    #[arg(value_name = "APPOINTMENT_ID")]
    pub appointment_id: String,

    /// Also create the visit's Encounter (arrived, linked to the appointment), as the
    /// profile's `checkin_encounter = true` does.
    #[arg(long)]
    pub encounter: bool,

    /// Print JSON (schema rounds.checkin/1).
    #[arg(long)]
    pub json: bool,
}

/// A schedule day: a real date within a century of today.
fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    let date = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; use YYYY-MM-DD, e.g. 2026-12-10"))?;
    let today = crate::config::today();
    if (date - today).num_days().abs() > 36_500 {
        return Err(format!("'{s}' is more than a century away: check the year"));
    }
    Ok(date)
}
