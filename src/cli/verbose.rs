//! `--verbose`: one stderr line per request (method, interaction and resource type, status,
//! bytes, time; never search terms, ids or bodies) and a summary at the end.

use std::time::Duration;

use crate::fhir::RequestEvent;
use crate::source::DataSource;

/// `12.3 KB`, `980 B`, `1.4 MB`.
pub fn bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

/// Print one request.
pub fn log_request(e: &RequestEvent) {
    let status = if e.status == 0 {
        "no response".to_owned()
    } else {
        e.status.to_string()
    };
    eprintln!(
        "rounds: {} {} -> {status}, {} on the wire ({} decoded), {} ms",
        e.method,
        e.label,
        bytes(e.bytes_received),
        bytes(e.bytes_decoded),
        e.elapsed.as_millis()
    );
}

/// Print the totals for the command.
pub fn summary(source: &dyn DataSource, elapsed: Duration) {
    match source.wire_stats() {
        Some(s) => eprintln!(
            "rounds: {} round trip{}, {} received ({} decoded), {} sent, {} ms in all",
            s.round_trips,
            if s.round_trips == 1 { "" } else { "s" },
            bytes(s.bytes_received),
            bytes(s.bytes_decoded),
            bytes(s.bytes_sent),
            elapsed.as_millis()
        ),
        None => eprintln!(
            "rounds: read from {} (no network), {} ms in all",
            crate::text::clean_line(&source.info().label),
            elapsed.as_millis()
        ),
    }
}
