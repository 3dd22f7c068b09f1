//! The front desk and the clinician's day, as data: registering a patient with a
//! duplicate check (`patient_new`), a demographics change that keeps the old address and
//! contacts as history (`demographics`), and the clinician's lists (`lists`: the ward's
//! census, today's appointments). Pure functions: no I/O, no clock (the caller passes
//! today); the outbox sends what is made here, the data source searches.

pub mod demographics;
pub mod lists;
pub mod patient_new;
pub mod registration_checks;

#[cfg(test)]
#[path = "tests/registration.rs"]
mod registration_tests;
