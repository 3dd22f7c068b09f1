//! The clinic's day: its time zone (a profile's `timezone`, else the system zone), the
//! search window of one local day with its UTC offsets, and an appointment's instant shown
//! as the clinic's local time.
//!
//! Why the offset matters: a bare `date=2026-12-10` is read as a UTC day by some servers
//! (hfs), which loses a 21:30 visit at -06:00 (03:30 UTC the next day). The window is
//! therefore always sent as two instants with the clinic's own offset, taken at each end
//! (a day that changes to or from summer time has two).

use chrono::NaiveDate;
use jiff::tz::{Offset, TimeZone};

/// The clinic's time zone, as configured.
#[derive(Debug, Clone)]
pub struct ClinicZone {
    tz: TimeZone,
    /// What it is called: an IANA name, an offset, `UTC`, or `system`.
    name: String,
}

/// Two zones are the same when they are configured the same.
impl PartialEq for ClinicZone {
    fn eq(&self, other: &ClinicZone) -> bool {
        self.name == other.name
    }
}

/// One local day as a search window: `[start, end)` as instants with their offsets
/// (`2026-12-10T00:00:00-06:00`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayWindow {
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
}

impl ClinicZone {
    /// The zone a profile's `timezone` names: an IANA name (`America/Chicago`), `UTC`, a
    /// fixed offset (`+05:30`, `-06:00`), or `local`/nothing for the system's zone.
    pub fn parse(setting: Option<&str>) -> Result<ClinicZone, String> {
        let Some(raw) = setting.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(ClinicZone::system());
        };
        if raw.eq_ignore_ascii_case("local") || raw.eq_ignore_ascii_case("system") {
            return Ok(ClinicZone::system());
        }
        if raw.eq_ignore_ascii_case("utc") || raw == "Z" {
            return Ok(ClinicZone {
                tz: TimeZone::UTC,
                name: "UTC".into(),
            });
        }
        if let Some(offset) = parse_offset(raw) {
            return Ok(ClinicZone {
                tz: offset.to_time_zone(),
                name: raw.to_owned(),
            });
        }
        let bad = || {
            format!(
                "'{}' is not a time zone: use an IANA name such as America/Chicago, UTC, or an offset such as -06:00",
                crate::text::clean_line(raw)
            )
        };
        if raw.len() > 64 {
            return Err(bad());
        }
        TimeZone::get(raw)
            .map(|tz| ClinicZone {
                tz,
                name: raw.to_owned(),
            })
            .map_err(|_| bad())
    }

    /// The system's zone (UTC when it cannot be found).
    pub fn system() -> ClinicZone {
        let tz = TimeZone::system();
        let name = tz.iana_name().unwrap_or("system").to_owned();
        ClinicZone { tz, name }
    }

    /// What the zone is called.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Today in this zone (`ROUNDS_TODAY` when set, for reproducible tests).
    pub fn today(&self) -> NaiveDate {
        if let Some(d) = std::env::var("ROUNDS_TODAY")
            .ok()
            .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
        {
            return d;
        }
        let now = jiff::Timestamp::now().to_zoned_datetime(self.tz.clone());
        to_chrono(now.date()).unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The search window of the local day `date`.
    pub fn day(&self, date: NaiveDate) -> Result<DayWindow, String> {
        let start = self.midnight(date)?;
        let next = date
            .succ_opt()
            .ok_or_else(|| format!("{date} is the last day there is"))?;
        let end = self.midnight(next)?;
        Ok(DayWindow { date, start, end })
    }

    /// Local midnight (or the first instant) of `date`, with its offset.
    fn midnight(&self, date: NaiveDate) -> Result<String, String> {
        use chrono::Datelike;
        let bad = || format!("{date} cannot be placed in time zone {}", self.name);
        let y = i16::try_from(date.year()).map_err(|_| bad())?;
        let m = i8::try_from(date.month()).map_err(|_| bad())?;
        let d = i8::try_from(date.day()).map_err(|_| bad())?;
        let civil = jiff::civil::Date::new(y, m, d).map_err(|_| bad())?;
        let zoned = civil
            .to_zoned_datetime(self.tz.clone())
            .map_err(|_| bad())?;
        Ok(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
    }

    /// A FHIR instant (`2026-12-10T21:30:00-06:00`, or `…Z`) in this zone: its local date
    /// and `HH:MM`. `None` for what is not an instant with an offset (a bare date or a
    /// time without a zone names no moment).
    pub fn local(&self, instant: &str) -> Option<(NaiveDate, String)> {
        let ts: jiff::Timestamp = instant.trim().parse().ok()?;
        let zoned = ts.to_zoned_datetime(self.tz.clone());
        let date = to_chrono(zoned.date())?;
        Some((date, format!("{:02}:{:02}", zoned.hour(), zoned.minute())))
    }

    /// The instant of local `hour:minute` on `date`, as FHIR writes it (with the offset).
    pub fn instant(&self, date: NaiveDate, hour: i8, minute: i8) -> Option<String> {
        use chrono::Datelike;
        let civil = jiff::civil::DateTime::new(
            i16::try_from(date.year()).ok()?,
            i8::try_from(date.month()).ok()?,
            i8::try_from(date.day()).ok()?,
            hour,
            minute,
            0,
            0,
        )
        .ok()?;
        let zoned = civil.to_zoned_datetime(self.tz.clone()).ok()?;
        Some(zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
    }

    /// Seconds since the epoch of a FHIR instant, for sorting.
    pub fn sort_key(instant: &str) -> Option<i64> {
        let ts: jiff::Timestamp = instant.trim().parse().ok()?;
        Some(ts.as_second())
    }
}

fn to_chrono(d: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(d.year()),
        u32::try_from(d.month()).ok()?,
        u32::try_from(d.day()).ok()?,
    )
}

/// `+05:30`, `-06:00`, `+0530`, `-6`: a fixed offset within ±18 hours.
fn parse_offset(s: &str) -> Option<Offset> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() > 2
        || !(h.chars().chain(m.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 18 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_local_day_carries_its_offsets() {
        let z = ClinicZone::parse(Some("America/Chicago")).unwrap();
        let w = z.day(date("2026-12-10")).unwrap();
        assert_eq!(w.start, "2026-12-10T00:00:00-06:00");
        assert_eq!(w.end, "2026-12-11T00:00:00-06:00");
        // The day summer time starts has two offsets.
        let w = z.day(date("2026-03-08")).unwrap();
        assert_eq!(w.start, "2026-03-08T00:00:00-06:00");
        assert_eq!(w.end, "2026-03-09T00:00:00-05:00");
        let w = ClinicZone::parse(Some("+05:30"))
            .unwrap()
            .day(date("2026-12-10"))
            .unwrap();
        assert_eq!(w.start, "2026-12-10T00:00:00+05:30");
        let w = ClinicZone::parse(Some("utc"))
            .unwrap()
            .day(date("2026-12-10"))
            .unwrap();
        assert_eq!(w.end, "2026-12-11T00:00:00+00:00");
    }

    #[test]
    fn an_evening_visit_stays_on_its_local_day() {
        let z = ClinicZone::parse(Some("-06:00")).unwrap();
        assert_eq!(
            z.local("2026-12-11T03:30:00Z"),
            Some((date("2026-12-10"), "21:30".into()))
        );
        assert_eq!(z.local("2026-12-10"), None);
        assert_eq!(z.local("not a time"), None);
    }

    #[test]
    fn bad_zones_are_explained() {
        for bad in [
            "Mars/Olympus",
            "+25:00",
            "+5:3x",
            "America/Chicago\u{1b}[2J",
        ] {
            let e = ClinicZone::parse(Some(bad)).unwrap_err();
            assert!(e.contains("is not a time zone"), "{e}");
            assert!(!e.contains('\u{1b}'));
        }
        assert!(ClinicZone::parse(None).is_ok());
        assert!(ClinicZone::parse(Some("local")).is_ok());
        assert_eq!(ClinicZone::parse(Some("-0600")).unwrap().name(), "-0600");
    }
}
