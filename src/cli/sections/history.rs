//! `rounds chart --section procedures` and `--section postings`: the procedures with the
//! implanted devices below them, and the postings (active flags and advance directives, as
//! on the banner) with every flag below them, inactive and expired ones too.

use std::io::{self, Write};

use super::{empty_or, table};
use crate::chart::columns::postings::{FLAGS_CLI, POSTINGS_CLI};
use crate::chart::columns::procedures::{DEVICE_CLI, PROCEDURE_CLI};
use crate::chart::postings::Posting;
use crate::chart::{FlagRow, Procedures};

/// The procedures, newest first, then the implanted devices when there are any.
pub fn write_procedures(out: &mut dyn Write, p: &Procedures) -> io::Result<()> {
    let t = table(&PROCEDURE_CLI, &p.procedures);
    empty_or(out, &t, "No procedures recorded.")?;
    if !p.devices.is_empty() {
        writeln!(out)?;
        table(&DEVICE_CLI, &p.devices).write(out)?;
    }
    Ok(())
}

/// The postings, then every flag when there is one not posted (inactive, expired).
pub fn write_postings(
    out: &mut dyn Write,
    postings: &[Posting],
    flags: &[FlagRow],
) -> io::Result<()> {
    let t = table(&POSTINGS_CLI, postings);
    empty_or(out, &t, "No active flags or advance directives recorded.")?;
    if flags.iter().any(|f| !f.active) {
        writeln!(out)?;
        writeln!(out, "ALL FLAGS")?;
        table(&FLAGS_CLI, flags).write(out)?;
    }
    Ok(())
}
