//! The front desk and the clinician's day (issue 17): a clinic day's schedule and its rows
//! (`schedule`, in the clinic's own time zone: `day`), and check-in as a version-aware,
//! outbox-kept write (`checkin`). Pure: it builds searches, rows and writes; the sources
//! send them. No terminal, no I/O.

pub mod checkin;
pub mod day;
pub mod schedule;
