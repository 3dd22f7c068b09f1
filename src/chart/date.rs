//! FHIR dates and date-times (which may be partial: `1945`, `1945-07`, `1945-07-14`,
//! `1945-07-14T09:30:00-05:00`), shown unambiguously as `14-Jul-1945`, and ages.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};

/// A parsed FHIR date or dateTime, keeping the precision it was given with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FhirDate {
    Year(i32),
    Month(i32, u32),
    Day(NaiveDate),
    /// A date and time; shown in the offset the server gave (the clinic's local time).
    DateTime(DateTime<FixedOffset>),
    /// A date and time without an offset (invalid in FHIR, but seen in the wild).
    Local(NaiveDateTime),
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl FhirDate {
    /// Parse a FHIR `date`, `dateTime` or `instant`. `None` when it is not one.
    pub fn parse(s: &str) -> Option<FhirDate> {
        let s = s.trim();
        match s.len() {
            4 => s.parse::<i32>().ok().filter(|y| *y > 0).map(FhirDate::Year),
            7 => {
                let (y, m) = s.split_once('-')?;
                let y: i32 = y.parse().ok()?;
                let m: u32 = m.parse().ok()?;
                (1..=12).contains(&m).then_some(FhirDate::Month(y, m))
            }
            10 => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(FhirDate::Day),
            _ if s.len() > 10 => DateTime::parse_from_rfc3339(s)
                .ok()
                .map(FhirDate::DateTime)
                .or_else(|| {
                    let s = s.trim_end_matches('Z');
                    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
                        .ok()
                        .map(FhirDate::Local)
                }),
            _ => None,
        }
    }

    /// The calendar date (the first day of the period for partial dates).
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            FhirDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default(),
            FhirDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default(),
            FhirDate::Day(d) => d,
            FhirDate::DateTime(dt) => dt.date_naive(),
            FhirDate::Local(dt) => dt.date(),
        }
    }

    /// A key that sorts dates in time order (seconds since 1970, UTC where known).
    pub fn sort_key(&self) -> i64 {
        match *self {
            FhirDate::DateTime(dt) => dt.timestamp(),
            FhirDate::Local(dt) => dt.and_utc().timestamp(),
            _ => self
                .first_day()
                .and_time(NaiveTime::MIN)
                .and_utc()
                .timestamp(),
        }
    }

    /// `14-Jul-1945`, `Jul-1945` or `1945`: day, month name, year; never a number-only
    /// date that reads differently in the US and the UK.
    pub fn display_date(&self) -> String {
        match *self {
            FhirDate::Year(y) => format!("{y}"),
            FhirDate::Month(y, m) => format!("{}-{y}", MONTHS[(m as usize).saturating_sub(1) % 12]),
            _ => {
                let d = self.first_day();
                format!(
                    "{:02}-{}-{}",
                    d.day(),
                    MONTHS[d.month0() as usize % 12],
                    d.year()
                )
            }
        }
    }

    /// `14-Jul-1945 09:30` when a time is known, else as `display_date`.
    pub fn display_date_time(&self) -> String {
        match *self {
            FhirDate::DateTime(dt) => format!("{} {}", self.display_date(), dt.format("%H:%M")),
            FhirDate::Local(dt) => format!("{} {}", self.display_date(), dt.format("%H:%M")),
            _ => self.display_date(),
        }
    }
}

/// `display_date` of a FHIR date string, or `None` when absent or unreadable.
pub fn show_date(s: Option<&str>) -> Option<String> {
    s.and_then(FhirDate::parse).map(|d| d.display_date())
}

/// `display_date_time` of a FHIR date string, or `None` when absent or unreadable.
pub fn show_date_time(s: Option<&str>) -> Option<String> {
    s.and_then(FhirDate::parse).map(|d| d.display_date_time())
}

/// Sort key of a FHIR date string; absent or unreadable dates sort oldest.
pub fn sort_key(s: Option<&str>) -> i64 {
    s.and_then(FhirDate::parse)
        .map(|d| d.sort_key())
        .unwrap_or(i64::MIN)
}

/// The date of a display date-time (`20-Oct-2026 09:30` gives `20-Oct-2026`); anything
/// else (`Not known`, `Childhood`) is kept whole rather than cut at its first space.
pub fn date_part(s: &str) -> &str {
    match s.split_once(' ') {
        Some((date, time)) if time.contains(':') => date,
        _ => s,
    }
}

/// Age on `on` of someone born on `born`, as clinicians write it: days under two weeks,
/// weeks under three months, months under two years, years after. `None` when `on` is
/// before `born` or the birth date is only a year or month (too coarse for an infant).
pub fn age(born: &FhirDate, on: NaiveDate) -> Option<String> {
    // For a year or month of birth count from its last possible day: the youngest the
    // person can be, never older than they are.
    let b = match *born {
        FhirDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or_default(),
        FhirDate::Month(y, m) => NaiveDate::from_ymd_opt(y + i32::from(m == 12), m % 12 + 1, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or_default(),
        _ => born.first_day(),
    };
    if on < b {
        return None;
    }
    let days = (on - b).num_days();
    let mut months = (on.year() - b.year()) * 12 + on.month() as i32 - b.month() as i32;
    if on.day() < b.day() {
        months -= 1;
    }
    let years = months / 12;
    let precise = matches!(
        born,
        FhirDate::Day(_) | FhirDate::DateTime(_) | FhirDate::Local(_)
    );
    if !precise {
        // A year or month of birth: years only, and only when clearly past infancy.
        return (years >= 2).then(|| format!("{years}y"));
    }
    Some(if days < 14 {
        format!("{days}d")
    } else if days < 91 {
        format!("{}w", days / 7)
    } else if months < 24 {
        format!("{months}m")
    } else {
        format!("{years}y")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_show_day_month_name_year() {
        assert_eq!(show_date(Some("1945-07-14")).unwrap(), "14-Jul-1945");
        assert_eq!(show_date(Some("1945-07")).unwrap(), "Jul-1945");
        assert_eq!(show_date(Some("1945")).unwrap(), "1945");
        assert_eq!(
            show_date_time(Some("2019-06-17T14:10:10-04:00")).unwrap(),
            "17-Jun-2019 14:10"
        );
        assert_eq!(
            show_date_time(Some("2026-10-20T08:05:00Z")).unwrap(),
            "20-Oct-2026 08:05"
        );
        assert_eq!(
            show_date(Some("2026-10-20T08:05:00.123+10:00")).unwrap(),
            "20-Oct-2026"
        );
        assert_eq!(
            show_date_time(Some("2020-01-02T03:04:05")).unwrap(),
            "02-Jan-2020 03:04"
        );
        for bad in [
            "",
            "yesterday",
            "1945-13",
            "1945-02-30",
            "0000",
            "2020-01-01T99:00:00Z",
        ] {
            assert_eq!(show_date(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn date_part_keeps_text_that_is_not_a_date_time() {
        assert_eq!(date_part("20-Oct-2026 09:30"), "20-Oct-2026");
        assert_eq!(date_part("20-Oct-2026"), "20-Oct-2026");
        assert_eq!(date_part("Not known"), "Not known");
    }

    #[test]
    fn sort_keys_order_mixed_precision() {
        let keys: Vec<i64> = ["2019", "2019-06-17", "2019-06-17T14:10:10-04:00", "2020-01"]
            .iter()
            .map(|s| sort_key(Some(s)))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(sort_key(None), i64::MIN);
    }

    #[test]
    fn ages_in_days_weeks_months_years() {
        let born = FhirDate::parse("2025-12-01").unwrap();
        assert_eq!(age(&born, d(2025, 12, 5)).unwrap(), "4d");
        assert_eq!(age(&born, d(2026, 1, 20)).unwrap(), "7w");
        assert_eq!(age(&born, d(2026, 11, 22)).unwrap(), "11m");
        assert_eq!(age(&born, d(2027, 11, 30)).unwrap(), "23m");
        assert_eq!(age(&born, d(2027, 12, 1)).unwrap(), "2y");
        let old = FhirDate::parse("1945-07-14").unwrap();
        assert_eq!(age(&old, d(2026, 7, 13)).unwrap(), "80y");
        assert_eq!(age(&old, d(2026, 7, 14)).unwrap(), "81y");
        assert_eq!(age(&old, d(1900, 1, 1)), None);
        assert_eq!(age(&FhirDate::Year(1945), d(2026, 1, 1)).unwrap(), "80y");
        assert_eq!(age(&FhirDate::Year(2026), d(2026, 6, 1)), None);
        let leap = FhirDate::parse("2000-02-29").unwrap();
        assert_eq!(age(&leap, d(2026, 2, 28)).unwrap(), "25y");
        assert_eq!(age(&leap, d(2026, 3, 1)).unwrap(), "26y");
    }
}
