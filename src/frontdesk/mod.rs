//! The front desk and the clinician's day (issue 17), as data: a clinic day's schedule and
//! its rows (`schedule`, in the clinic's own time zone: `day`), check-in as a
//! version-aware, outbox-kept write (`checkin`), registering a patient with a duplicate
//! check (`patient_new`, `registration_checks`), a demographics change that keeps the old
//! address and contacts as history (`demographics`), and the clinician's lists (`lists`:
//! the ward's census, today's appointments). Pure: it builds searches, rows and writes; the
//! sources send them. No terminal, no I/O.

pub mod checkin;
pub mod day;
pub mod demographics;
pub mod glance;
pub mod lists;
pub mod patient_new;
pub mod registration_checks;
pub mod schedule;

#[cfg(test)]
#[path = "tests/registration.rs"]
mod registration_tests;
