//! The chart as text: the banner line, then one titled table per section. The tables'
//! columns are the sections' column definitions (`chart::columns`, the CLI's selection of
//! each). Every server string is cleaned on its way into a table (`Table::row`) or a note
//! (`clean_block`). The cover sheet is in `cover`; procedures and postings in `history`.

mod cover;
mod history;

use std::io::{self, Write};

use super::args::SectionArg;
use super::table::Table;
use crate::chart::columns::{
    self, CellText, allergies, encounters, immunizations, labs, medications, notes, problems,
    vitals,
};
use crate::chart::{AllergyFlag, AllergyRow, Banner, Chart, NoteRow, Part, Problems, Vitals};
use crate::text::{clean_block, clean_line};

/// Write the banner and the chosen section (all sections when `None`).
pub fn write_chart(
    out: &mut dyn Write,
    chart: &Chart,
    section: Option<SectionArg>,
) -> io::Result<()> {
    write_banner(out, &chart.banner)?;
    for w in &chart.warnings {
        writeln!(out, "Warning: {}", clean_line(w))?;
    }
    if section == Some(SectionArg::Cover) {
        return cover::write_cover(out, &chart.cover_sheet());
    }
    let show = |s: SectionArg| section.is_none() || section == Some(s);
    if show(SectionArg::Problems) {
        write_part(out, "PROBLEMS", &chart.problems, write_problems)?;
    }
    if show(SectionArg::Allergies) {
        write_part(out, "ALLERGIES", &chart.allergies, |out, rows| {
            write_allergies(out, rows, &chart.banner.allergies)
        })?;
    }
    if show(SectionArg::Meds) {
        write_part(out, "MEDICATIONS", &chart.medications, |out, rows| {
            let t = table(&medications::CLI, rows);
            let none = match &chart.no_medications {
                Some(n) => format!("{}.", n.text),
                None => "No medications recorded.".to_owned(),
            };
            empty_or(out, &t, &none)
        })?;
    }
    if show(SectionArg::Labs) {
        write_part(out, "LABS", &chart.labs, |out, l| {
            let t = table(&labs::LIST, &l.results);
            empty_or(out, &t, "No lab results recorded.")
        })?;
    }
    if show(SectionArg::Vitals) {
        write_part(out, "VITALS", &chart.vitals, write_vitals)?;
    }
    if show(SectionArg::Encounters) {
        write_part(out, "ENCOUNTERS", &chart.encounters, |out, rows| {
            let t = table(&encounters::CLI, rows);
            empty_or(out, &t, "No encounters recorded.")
        })?;
    }
    if show(SectionArg::Immunizations) {
        write_part(out, "IMMUNIZATIONS", &chart.immunizations, |out, rows| {
            let t = table(&immunizations::CLI, rows);
            empty_or(out, &t, "No immunizations recorded.")
        })?;
    }
    if show(SectionArg::Notes) {
        write_part(out, "NOTES", &chart.notes, |out, rows| {
            write_notes(out, rows)
        })?;
    }
    if show(SectionArg::Procedures) {
        write_part(
            out,
            "PROCEDURES",
            &chart.procedures,
            history::write_procedures,
        )?;
    }
    if show(SectionArg::Postings) {
        write_part(out, "POSTINGS", &chart.flags, |out, flags| {
            history::write_postings(out, &chart.postings, flags)
        })?;
    }
    Ok(())
}

/// A table of `rows` under `columns`: their headers, and each row's cells.
pub(super) fn table<'r, R: 'r, C: CellText<R>>(
    columns: &[C],
    rows: impl IntoIterator<Item = &'r R>,
) -> Table {
    let headers: Vec<&str> = columns.iter().map(|c| c.header()).collect();
    let mut t = Table::new(&headers);
    for r in rows {
        t.row(&columns::cells(columns, r));
    }
    t
}

/// Active problems, then (when there are any) resolved or inactive ones.
fn write_problems(out: &mut dyn Write, p: &Problems) -> io::Result<()> {
    let t = table(&problems::CLI_ACTIVE, &p.active);
    empty_or(out, &t, "No active problems recorded.")?;
    if !p.resolved.is_empty() {
        writeln!(out)?;
        table(&problems::CLI_RESOLVED, &p.resolved).write(out)?;
    }
    Ok(())
}

/// The allergy list; when it is empty, what the banner's flag says (NKA, or not known).
fn write_allergies(out: &mut dyn Write, rows: &[AllergyRow], flag: &AllergyFlag) -> io::Result<()> {
    let t = table(&allergies::CLI, rows);
    empty_or(
        out,
        &t,
        &format!("No allergies listed ({}).", flag.summary()),
    )
}

/// The latest reading of each kind, with how many readings there are.
fn write_vitals(out: &mut dyn Write, v: &Vitals) -> io::Result<()> {
    let t = table(&vitals::CLI, &v.latest_with_counts());
    empty_or(out, &t, "No vital signs recorded.")
}

/// Each note in full under a heading line; attachments that are not text are only named.
fn write_notes(out: &mut dyn Write, rows: &[NoteRow]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No notes or reports recorded.");
    }
    for (i, n) in rows.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let heading: Vec<String> = columns::cells(&notes::CLI_HEADING, n)
            .iter()
            .map(|c| clean_line(c))
            .collect();
        writeln!(out, "--- {}", heading.join(" | "))?;
        write_note_text(out, n)?;
    }
    Ok(())
}

/// A note's text, indented, then the attachments not shown.
fn write_note_text(out: &mut dyn Write, n: &NoteRow) -> io::Result<()> {
    match &n.text {
        Some(text) => {
            for line in clean_block(text).lines() {
                if line.is_empty() {
                    writeln!(out)?;
                } else {
                    writeln!(out, "    {line}")?;
                }
            }
        }
        None => writeln!(out, "    (no text)")?,
    }
    for a in &n.attachments {
        writeln!(
            out,
            "    [attachment not shown: {} ({})]",
            clean_line(&a.title),
            clean_line(&a.content_type)
        )?;
    }
    Ok(())
}

/// `TESTWELL, Ada (Mrs)  Born 04-Mar-1958 (68y)  Female  MRN RND100101` and the flags line.
pub fn write_banner(out: &mut dyn Write, b: &Banner) -> io::Result<()> {
    let mut line = format!(
        "{}  Born {}  {}  MRN {}",
        clean_line(&b.name),
        b.born_with_age(),
        b.sex,
        clean_line(&b.mrn)
    );
    if let Some(d) = b.deceased_label() {
        line.push_str(&format!("  ** {} **", d.to_uppercase()));
    }
    writeln!(out, "{line}")?;
    writeln!(out, "Allergies: {}", clean_line(&b.allergies.summary()))
}

pub(super) fn write_part<T>(
    out: &mut dyn Write,
    title: &str,
    part: &Part<T>,
    body: impl FnOnce(&mut dyn Write, &T) -> io::Result<()>,
) -> io::Result<()> {
    writeln!(out)?;
    match part {
        Part::Loaded {
            data, truncated, ..
        } => {
            writeln!(out, "{title}")?;
            body(out, data)?;
            if *truncated {
                writeln!(
                    out,
                    "(only the newest entries were loaded; older ones exist on the server)"
                )?;
            }
            Ok(())
        }
        Part::Failed { message } => {
            writeln!(out, "{title}: could not be loaded: {}", clean_line(message))
        }
        Part::Loading => writeln!(out, "{title}: still loading"),
        Part::NotLoaded => writeln!(out, "{title}: not loaded"),
    }
}

pub(super) fn empty_or(out: &mut dyn Write, t: &Table, empty: &str) -> io::Result<()> {
    if t.is_empty() {
        writeln!(out, "{empty}")
    } else {
        t.write(out)
    }
}
