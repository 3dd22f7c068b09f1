//! The chart as text: the banner line, then one titled table per section. Every server
//! string is cleaned on its way into a table (`Table::row`) or a note (`clean_block`).

use std::io::{self, Write};

use super::args::SectionArg;
use super::table::Table;
use crate::chart::{Banner, Chart, CoverSheet, Part};
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
    let all = section.is_none();
    let show = |s: SectionArg| all || section == Some(s);
    if section == Some(SectionArg::Cover) {
        return write_cover(out, &chart.cover_sheet());
    }
    if show(SectionArg::Problems) {
        write_part(out, "PROBLEMS", &chart.problems, |out, p| {
            let mut t = Table::new(&["ACTIVE PROBLEM", "ONSET", "STATUS"]);
            for r in &p.active {
                t.row(&[
                    problem_name(r),
                    r.onset.clone(),
                    status_with(&r.status, r.unconfirmed, &r.verification),
                ]);
            }
            empty_or(out, &t, "No active problems recorded.")?;
            if !p.resolved.is_empty() {
                writeln!(out)?;
                let mut t = Table::new(&["RESOLVED OR INACTIVE", "ONSET", "RESOLVED", "STATUS"]);
                for r in &p.resolved {
                    let resolved = r.resolved.clone().unwrap_or_default();
                    t.row(&[problem_name(r), r.onset.clone(), resolved, r.status.clone()]);
                }
                t.write(out)?;
            }
            Ok(())
        })?;
    }
    if show(SectionArg::Allergies) {
        write_part(out, "ALLERGIES", &chart.allergies, |out, rows| {
            let mut t = Table::new(&[
                "SUBSTANCE",
                "CRITICALITY",
                "REACTIONS",
                "CATEGORY",
                "STATUS",
                "RECORDED",
            ]);
            for r in rows {
                t.row(&[
                    &r.substance,
                    &r.criticality,
                    &r.reactions,
                    &r.category,
                    &r.status,
                    &r.recorded,
                ]);
            }
            empty_or(
                out,
                &t,
                &format!(
                    "No allergies listed ({}).",
                    chart.banner.allergies.summary()
                ),
            )
        })?;
    }
    if show(SectionArg::Meds) {
        write_part(out, "MEDICATIONS", &chart.medications, |out, rows| {
            let mut t = Table::new(&["MEDICATION", "STATUS", "START", "PRESCRIBER", "SIG"]);
            for r in rows {
                t.row(&[&r.name, &r.status, &r.start, &r.prescriber, &r.sig]);
            }
            empty_or(out, &t, "No medications recorded.")
        })?;
    }
    if show(SectionArg::Labs) {
        write_part(out, "LABS", &chart.labs, |out, labs| {
            let mut t = Table::new(&["DATE", "TEST", "VALUE", "UNIT", "RANGE", "FLAG", "STATUS"]);
            for r in &labs.results {
                t.row(&r.columns(true));
            }
            empty_or(out, &t, "No lab results recorded.")
        })?;
    }
    if show(SectionArg::Vitals) {
        write_part(out, "VITALS", &chart.vitals, |out, v| {
            let mut t = Table::new(&["VITAL", "LATEST", "FLAG", "DATE", "READINGS"]);
            for r in &v.latest {
                let count = v
                    .readings
                    .iter()
                    .filter(|x| {
                        x.kind == r.kind
                            && (r.kind != crate::chart::VitalKind::Other || x.name == r.name)
                    })
                    .count();
                t.row(&[
                    &r.label,
                    &r.value_text,
                    &r.flag_symbol,
                    &r.date,
                    &count.to_string(),
                ]);
            }
            empty_or(out, &t, "No vital signs recorded.")
        })?;
    }
    if show(SectionArg::Encounters) {
        write_part(out, "ENCOUNTERS", &chart.encounters, |out, rows| {
            let mut t = Table::new(&["DATE", "CLASS", "TYPE", "CLINICIAN", "LOCATION", "REASON"]);
            for r in rows {
                let date = match &r.end {
                    Some(end) => format!("{} to {end}", r.date),
                    None => r.date.clone(),
                };
                t.row(&[
                    date,
                    r.class.clone(),
                    r.kind.clone(),
                    r.clinician.clone(),
                    r.location.clone(),
                    r.reason.clone().unwrap_or_default(),
                ]);
            }
            empty_or(out, &t, "No encounters recorded.")
        })?;
    }
    if show(SectionArg::Immunizations) {
        write_part(out, "IMMUNIZATIONS", &chart.immunizations, |out, rows| {
            let mut t = Table::new(&["DATE", "VACCINE", "STATUS", "DOSE", "LOT"]);
            for r in rows {
                let dose = match (&r.dose, &r.dose_number) {
                    (Some(d), Some(n)) => format!("{d} (dose {n})"),
                    (Some(d), None) => d.clone(),
                    (None, Some(n)) => format!("dose {n}"),
                    (None, None) => String::new(),
                };
                t.row(&[
                    r.date.clone(),
                    r.vaccine.clone(),
                    r.status.clone(),
                    dose,
                    r.lot.clone().unwrap_or_default(),
                ]);
            }
            empty_or(out, &t, "No immunizations recorded.")
        })?;
    }
    if show(SectionArg::Notes) {
        write_part(out, "NOTES", &chart.notes, |out, rows| {
            if rows.is_empty() {
                return writeln!(out, "No notes or reports recorded.");
            }
            for (i, n) in rows.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                writeln!(
                    out,
                    "--- {} | {} | {} | {}",
                    clean_line(&n.title),
                    clean_line(&n.date),
                    clean_line(&n.author),
                    clean_line(&n.status)
                )?;
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
            }
            Ok(())
        })?;
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

fn write_part<T>(
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

fn empty_or(out: &mut dyn Write, t: &Table, empty: &str) -> io::Result<()> {
    if t.is_empty() {
        writeln!(out, "{empty}")
    } else {
        t.write(out)
    }
}

fn problem_name(r: &crate::chart::ProblemRow) -> String {
    if r.episodes > 1 {
        format!("{} (x{})", r.name, r.episodes)
    } else {
        r.name.clone()
    }
}

fn status_with(status: &str, unconfirmed: bool, verification: &str) -> String {
    if unconfirmed {
        format!("{status} ({})", verification.to_lowercase())
    } else {
        status.to_owned()
    }
}

fn write_cover(out: &mut dyn Write, c: &CoverSheet) -> io::Result<()> {
    let list = |out: &mut dyn Write,
                title: &str,
                items: Option<Vec<String>>,
                none: &str|
     -> io::Result<()> {
        writeln!(out)?;
        writeln!(out, "{title}")?;
        match items {
            None => writeln!(out, "  not loaded"),
            Some(items) if items.is_empty() => writeln!(out, "  {none}"),
            Some(items) => items
                .iter()
                .try_for_each(|i| writeln!(out, "  {}", clean_line(i))),
        }
    };
    list(
        out,
        "ACTIVE PROBLEMS",
        c.active_problems.as_ref().map(|p| {
            p.iter()
                .map(|r| format!("{} (onset {})", r.name, r.onset))
                .collect()
        }),
        "None recorded",
    )?;
    list(
        out,
        "ALLERGIES",
        c.allergies.as_ref().map(|a| {
            a.iter()
                .map(|r| format!("{} - {} - {}", r.substance, r.criticality, r.reactions))
                .collect()
        }),
        "None listed",
    )?;
    list(
        out,
        "ACTIVE MEDICATIONS",
        c.active_medications.as_ref().map(|m| {
            m.iter()
                .map(|r| {
                    if r.sig == crate::chart::format::NOT_KNOWN {
                        format!("{} - sig not known", r.name)
                    } else {
                        format!("{} - {}", r.name, r.sig)
                    }
                })
                .collect()
        }),
        "None recorded",
    )?;
    let flagged = |value: &str, flag: &str| {
        if flag.is_empty() {
            value.to_owned()
        } else {
            format!("{value} {flag}")
        }
    };
    let vitals = c.latest_vitals.as_ref().map(|v| {
        v.iter()
            .map(|r| {
                format!(
                    "{} {} ({})",
                    r.label,
                    flagged(&r.value_text, &r.flag_symbol),
                    r.date
                )
            })
            .collect()
    });
    list(out, "LATEST VITALS", vitals, "None recorded")?;
    let labs = c.recent_abnormal_labs.as_ref().map(|l| {
        let mut lines: Vec<String> = l
            .iter()
            .map(|r| {
                let value = flagged(&r.value_text, &r.flag_symbol);
                format!("{} {value} [{}] ({})", r.name, r.range, r.date)
            })
            .collect();
        let more = c.abnormal_lab_count.saturating_sub(lines.len());
        if more > 0 {
            lines.push(format!("... and {more} more abnormal (see --section labs)"));
        }
        lines
    });
    list(out, "ABNORMAL LABS (CRITICAL FIRST)", labs, "None")?;
    list(
        out,
        "RECENT ENCOUNTERS",
        c.recent_encounters.as_ref().map(|e| {
            e.iter()
                .map(|r| format!("{} {} - {}", r.date, r.class, r.kind))
                .collect()
        }),
        "None recorded",
    )
}
