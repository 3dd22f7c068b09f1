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
use crate::chart::posting_words;
use crate::chart::postings::Posting;
use crate::chart::{AllergyFlag, AllergyRow, Banner, Chart, Labs, NoteRow, Part, Problems, Vitals};
use crate::text::{clean_block, clean_line};

/// Write the banner and the chosen section (all sections when `None`).
pub fn write_chart(
    out: &mut dyn Write,
    chart: &Chart,
    section: Option<SectionArg>,
) -> io::Result<()> {
    write_banner(out, &chart.banner)?;
    write_postings(out, &chart.postings)?;
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
            empty_or(out, &t, &none)?;
            let unresolved = rows.iter().filter(|r| r.unresolved_reference);
            let note = Some(medications::UNRESOLVED_NOTE.to_owned());
            write_notes_of(out, unresolved.map(|r| (&r.name, &note)))
        })?;
    }
    if show(SectionArg::Labs) {
        write_part(out, "LABS", &chart.labs, write_labs)?;
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

/// The lab results, then the other results (social history, surveys, what could not be
/// placed), each with a note line under the row that has one.
fn write_labs(out: &mut dyn Write, l: &Labs) -> io::Result<()> {
    let t = table(&labs::LIST, &l.results);
    empty_or(out, &t, "No lab results recorded.")?;
    write_notes_of(out, l.results.iter().map(|r| (&r.name, &r.note)))?;
    if !l.other.is_empty() {
        writeln!(out)?;
        writeln!(out, "OTHER RESULTS")?;
        table(&labs::OTHER, &l.other).write(out)?;
        write_notes_of(out, l.other.iter().map(|r| (&r.name, &r.note)))?;
    }
    Ok(())
}

/// `Note (Potassium): …` for each row that carries a note.
fn write_notes_of<'a>(
    out: &mut dyn Write,
    rows: impl Iterator<Item = (&'a String, &'a Option<String>)>,
) -> io::Result<()> {
    for (name, note) in rows {
        if let Some(n) = note {
            writeln!(out, "Note ({}): {}", clean_line(name), clean_line(n))?;
        }
    }
    Ok(())
}

/// Active problems, then (when there are any) resolved or inactive ones, then encounter
/// diagnoses; a "problems not known" statement is said first.
fn write_problems(out: &mut dyn Write, p: &Problems) -> io::Result<()> {
    if let Some(s) = &p.statement {
        writeln!(out, "{}", clean_line(&s.text))?;
    }
    let t = table(&problems::CLI_ACTIVE, &p.active);
    if !(t.is_empty() && p.statement.is_some()) {
        empty_or(out, &t, "No active problems recorded.")?;
    }
    if !p.resolved.is_empty() {
        writeln!(out)?;
        table(&problems::CLI_RESOLVED, &p.resolved).write(out)?;
    }
    if !p.encounter_diagnoses.is_empty() {
        writeln!(out)?;
        table(&problems::CLI_ENCOUNTER, &p.encounter_diagnoses).write(out)?;
    }
    Ok(())
}

/// The allergy list; when it is empty, what the banner's flag says (NKA, or not known).
/// "No known … allergy" statements beside real allergies, and notes, follow it.
fn write_allergies(out: &mut dyn Write, rows: &[AllergyRow], flag: &AllergyFlag) -> io::Result<()> {
    let t = table(&allergies::CLI, rows);
    empty_or(
        out,
        &t,
        &format!("No allergies listed ({}).", flag.summary()),
    )?;
    if let AllergyFlag::Allergies { also_recorded, .. } = flag {
        for a in also_recorded {
            writeln!(out, "Also recorded: {}", clean_line(a))?;
        }
    }
    write_notes_of(out, rows.iter().map(|r| (&r.substance, &r.note)))
}

/// The postings under the banner: `Postings: FLAG Immunocompromised; DNR`.
fn write_postings(out: &mut dyn Write, postings: &[Posting]) -> io::Result<()> {
    if postings.is_empty() {
        return Ok(());
    }
    let texts: Vec<String> = postings
        .iter()
        .map(|p| clean_line(&posting_words(p).0))
        .collect();
    writeln!(out, "Postings: {}", texts.join("; "))
}

/// The latest reading of each kind, with how many readings there are, and their notes.
fn write_vitals(out: &mut dyn Write, v: &Vitals) -> io::Result<()> {
    let t = table(&vitals::CLI, &v.latest_with_counts());
    empty_or(out, &t, "No vital signs recorded.")?;
    write_notes_of(out, v.latest.iter().map(|r| (&r.label, &r.note)))
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
    if let Some(w) = b.record_warning() {
        match &b.replaced_by {
            Some(id) => writeln!(
                out,
                "** {}: the live record is `rounds chart {}` **",
                clean_line(&w),
                clean_line(id)
            )?,
            None => writeln!(out, "** {} **", clean_line(&w))?,
        }
    }
    writeln!(
        out,
        "Allergies: {}",
        clean_line(&allergy_line(&b.allergies))
    )
}

/// The allergy flag with the substances named: `2 allergies (high criticality):
/// Penicillin, Latex`.
fn allergy_line(flag: &AllergyFlag) -> String {
    match flag {
        AllergyFlag::Allergies { substances, .. } => {
            format!("{}: {}", flag.summary(), substances.join(", "))
        }
        _ => flag.summary(),
    }
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
