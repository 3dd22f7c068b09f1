//! The line an offline copy is shown under, on every screen and every output of the chart,
//! so that nobody takes a kept copy for the live record: `OFFLINE COPY — as of 04-Dec 07:12
//! (3 h ago)`. One builder for the command line and the interactive screen.

use chrono::{DateTime, Local, Utc};

/// The line for a copy fetched at `as_of`, seen at `now` (the time in the local zone).
pub fn offline_line(as_of: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let local = as_of.with_timezone(&Local);
    format!(
        "OFFLINE COPY — as of {} ({})",
        local.format("%d-%b %H:%M"),
        ago(as_of, now)
    )
}

/// How long ago, in words: "just now", "25 min ago", "3 h ago", "2 d ago".
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = now.signed_duration_since(then).num_minutes();
    match minutes {
        m if m < 1 => "just now".to_owned(),
        m if m < 60 => format!("{m} min ago"),
        m if m < 48 * 60 => format!("{} h ago", m / 60),
        m => format!("{} d ago", m / (24 * 60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_when_and_how_long_ago() {
        let as_of = DateTime::parse_from_rfc3339("2026-12-04T07:12:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let now = as_of + chrono::Duration::minutes(190);
        let line = offline_line(as_of, now);
        assert!(line.starts_with("OFFLINE COPY — as of "), "{line}");
        assert!(line.ends_with("(3 h ago)"), "{line}");
        assert_eq!(ago(as_of, as_of), "just now");
        assert_eq!(
            ago(as_of, as_of + chrono::Duration::minutes(25)),
            "25 min ago"
        );
        assert_eq!(ago(as_of, as_of + chrono::Duration::hours(50)), "2 d ago");
    }
}
