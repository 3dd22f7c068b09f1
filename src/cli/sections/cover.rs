//! `rounds chart --section cover`: the cover sheet as text, one titled list per summary
//! (active problems, allergies, active medications, latest vitals, abnormal labs, recent
//! encounters). Every line is cleaned on its way out.

use std::io::{self, Write};

use crate::chart::CoverSheet;
use crate::chart::columns::medications::source_mark;
use crate::chart::format::NOT_KNOWN;
use crate::text::clean_line;

/// Write the cover sheet's six lists.
pub fn write_cover(out: &mut dyn Write, c: &CoverSheet) -> io::Result<()> {
    let none = c.problems_statement.as_deref().unwrap_or("None recorded");
    write_list(out, "ACTIVE PROBLEMS", problems(c), none)?;
    write_list(out, "ALLERGIES", allergies(c), &c.allergy_summary)?;
    let no_meds = c.no_medications.as_deref().unwrap_or("None recorded");
    write_list(out, "ACTIVE MEDICATIONS", medications(c), no_meds)?;
    write_list(out, "LATEST VITALS", vitals(c), "None recorded")?;
    write_list(out, "ABNORMAL LABS (CRITICAL FIRST)", labs(c), "None")?;
    write_list(out, "RECENT ENCOUNTERS", encounters(c), "None recorded")
}

/// A titled list: `not loaded` when its section was not, `none` when it is empty.
fn write_list(
    out: &mut dyn Write,
    title: &str,
    items: Option<Vec<String>>,
    none: &str,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{title}")?;
    match items {
        None => writeln!(out, "  not loaded"),
        Some(items) if items.is_empty() => writeln!(out, "  {none}"),
        Some(items) => items
            .iter()
            .try_for_each(|i| writeln!(out, "  {}", clean_line(i))),
    }
}

fn problems(c: &CoverSheet) -> Option<Vec<String>> {
    let p = c.active_problems.as_ref()?;
    Some(
        p.iter()
            .map(|r| format!("{} (onset {})", r.name, r.onset))
            .collect(),
    )
}

fn allergies(c: &CoverSheet) -> Option<Vec<String>> {
    let a = c.allergies.as_ref()?;
    Some(
        a.iter()
            .map(|r| format!("{} - {} - {}", r.substance, r.criticality, r.reactions))
            .collect(),
    )
}

fn medications(c: &CoverSheet) -> Option<Vec<String>> {
    let m = c.active_medications.as_ref()?;
    Some(
        m.iter()
            .map(|r| {
                let name = format!("{}{}", r.name, source_mark(r).unwrap_or(""));
                if r.sig == NOT_KNOWN {
                    format!("{name} - sig not known")
                } else {
                    format!("{name} - {}", r.sig)
                }
            })
            .collect(),
    )
}

/// A value with its flag after it, when it has one: `7.2% H`.
fn flagged(value: &str, flag: &str) -> String {
    if flag.is_empty() {
        value.to_owned()
    } else {
        format!("{value} {flag}")
    }
}

fn vitals(c: &CoverSheet) -> Option<Vec<String>> {
    let v = c.latest_vitals.as_ref()?;
    Some(
        v.iter()
            .map(|r| {
                format!(
                    "{} {} ({})",
                    r.label,
                    flagged(&r.value_text, &r.flag_symbol),
                    r.date
                )
            })
            .collect(),
    )
}

/// The recent abnormal results, and a line saying how many more there are.
fn labs(c: &CoverSheet) -> Option<Vec<String>> {
    let l = c.recent_abnormal_labs.as_ref()?;
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
    Some(lines)
}

fn encounters(c: &CoverSheet) -> Option<Vec<String>> {
    let e = c.recent_encounters.as_ref()?;
    Some(
        e.iter()
            .map(|r| format!("{} {} - {}", r.date, r.class, r.kind))
            .collect(),
    )
}
