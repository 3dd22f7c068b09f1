//! The cover sheet's six lists, one function each: active problems, allergies, current
//! medications, latest vitals, abnormal results and recent encounters, made from the
//! chart's `CoverSheet` into titled lines. A list whose section was not loaded says so; an
//! empty one says what that means ("None recorded", or the allergy flag's own words).

use ratatui::text::{Line, Span};

use super::CoverList;
use crate::chart::columns::medications::source_mark;
use crate::chart::date::{date_part, sort_key};
use crate::chart::format::NOT_KNOWN;
use crate::chart::{AllergyFlag, CoverSheet};
use crate::config::Theme;
use crate::text::display_width;
use crate::ui::spans::{padded, safe, text};

/// The lines of a list: `Not loaded`, `none` when empty, or the lines.
fn or_none<'a>(lines: Option<Vec<Line<'a>>>, none: &str, theme: &Theme) -> Vec<Line<'a>> {
    match lines {
        None => vec![Line::from(Span::styled("  Not loaded", theme.warning))],
        Some(l) if l.is_empty() => vec![Line::from(Span::styled(format!("  {none}"), theme.muted))],
        Some(l) => l,
    }
}

/// ` (3)` after a title, when the count is known.
fn count(n: Option<usize>) -> String {
    n.map(|n| format!(" ({n})")).unwrap_or_default()
}

/// A flag symbol after a value (` H`), styled as abnormal or critical; nothing for none.
fn flag<'a>(sym: &str, critical: bool, theme: &Theme) -> Span<'a> {
    if sym.is_empty() {
        Span::raw("")
    } else {
        Span::styled(format!(" {sym}"), theme.flag(critical, true))
    }
}

pub(super) fn problems<'a>(c: &CoverSheet, theme: &Theme) -> CoverList<'a> {
    let lines = c.active_problems.as_ref().map(|p| {
        p.iter()
            .map(|r| {
                let mut spans = vec![Span::raw("  "), text(&r.name, theme.base)];
                if r.unconfirmed {
                    spans.push(Span::styled(
                        format!(" ({})", r.verification.to_lowercase()),
                        theme.warning,
                    ));
                }
                spans.push(padded("  ", &r.onset, theme.muted));
                Line::from(spans)
            })
            .collect()
    });
    CoverList {
        title: format!(
            "Active problems{}",
            count(c.active_problems.as_ref().map(Vec::len))
        ),
        tab: 2,
        lines: or_none(
            lines,
            c.problems_statement.as_deref().unwrap_or("None recorded"),
            theme,
        ),
        hidden: 0,
    }
}

/// Allergies, high criticality in the critical style; with none listed, what the banner's
/// flag says (NKA recorded, or allergies not known).
pub(super) fn allergies<'a>(c: &CoverSheet, flag: &AllergyFlag, theme: &Theme) -> CoverList<'a> {
    let lines = c.allergies.as_ref().map(|a| {
        a.iter()
            .map(|r| {
                let style = if r.criticality == "High" {
                    theme.critical
                } else {
                    theme.abnormal
                };
                let criticality = if r.criticality == NOT_KNOWN {
                    "criticality not known".to_owned()
                } else {
                    format!("{} criticality", r.criticality.to_lowercase())
                };
                Line::from(vec![
                    Span::raw("  "),
                    text(&r.substance, style),
                    if r.reactions == NOT_KNOWN {
                        padded("  ", "reaction not known", theme.muted)
                    } else {
                        padded("  ", &r.reactions, theme.base)
                    },
                    padded("  ", &criticality, theme.muted),
                ])
            })
            .collect()
    });
    CoverList {
        // No count when none are listed: "(0)" would read as "no allergies", which only
        // the line below (NKA, or allergies not known) may say.
        title: format!(
            "Allergies{}",
            count(c.allergies.as_ref().map(Vec::len).filter(|n| *n > 0))
        ),
        tab: 0,
        lines: or_none(lines, &flag.summary(), theme),
        hidden: 0,
    }
}

pub(super) fn medications<'a>(c: &CoverSheet, theme: &Theme) -> CoverList<'a> {
    let lines = c.active_medications.as_ref().map(|m| {
        m.iter()
            .map(|r| {
                let mut spans = vec![Span::raw("  "), text(&r.name, theme.base)];
                spans.extend(source_mark(r).map(|m| Span::styled(m, theme.muted)));
                if r.status != "Active" {
                    spans.push(padded(
                        " ",
                        &format!("({})", r.status.to_lowercase()),
                        theme.warning,
                    ));
                }
                // Without a header, a bare "Not known" would not say what is unknown.
                if r.sig == NOT_KNOWN {
                    spans.push(Span::styled("  sig not known", theme.warning));
                } else {
                    spans.push(padded("  ", &r.sig, theme.muted));
                }
                Line::from(spans)
            })
            .collect()
    });
    CoverList {
        title: format!(
            "Current medications{}",
            count(c.active_medications.as_ref().map(Vec::len))
        ),
        tab: 3,
        lines: or_none(
            lines,
            c.no_medications.as_deref().unwrap_or("None recorded"),
            theme,
        ),
        hidden: 0,
    }
}

/// Vitals packed several to a line (they are short) in `width` columns, dated once in the
/// title; a reading older than the newest carries its own date so stale values stand out.
pub(super) fn vitals<'a>(c: &CoverSheet, width: usize, theme: &Theme) -> CoverList<'a> {
    let newest_day = c
        .latest_vitals
        .as_ref()
        .and_then(|v| v.iter().max_by_key(|r| sort_key(r.date_iso.as_deref())))
        .map(|r| date_part(&r.date).to_owned());
    let lines = c.latest_vitals.as_ref().map(|v| {
        let items: Vec<Vec<Span>> = v
            .iter()
            .map(|r| {
                let critical = r.flag.is_some_and(|f| f.is_critical());
                let abnormal = r.flag.is_some_and(|f| f.is_abnormal());
                let mut item = vec![
                    Span::styled(format!("{} ", safe(&r.label)), theme.muted),
                    text(&r.value_text, theme.flag(critical, abnormal)),
                    flag(&r.flag_symbol, critical, theme),
                ];
                let day = date_part(&r.date);
                if newest_day.as_deref() != Some(day) {
                    item.push(padded(" ", &format!("({day})"), theme.warning));
                }
                item
            })
            .collect();
        pack(items, width)
    });
    CoverList {
        title: match &newest_day {
            Some(d) => format!("Latest vitals ({d})"),
            None => "Latest vitals".into(),
        },
        tab: 5,
        lines: or_none(lines, "None recorded", theme),
        hidden: 0,
    }
}

/// The recent abnormal results, critical first; the count in the title is all of them.
pub(super) fn labs<'a>(c: &CoverSheet, theme: &Theme) -> CoverList<'a> {
    let shown = c.recent_abnormal_labs.as_ref().map_or(0, Vec::len);
    let lines = c.recent_abnormal_labs.as_ref().map(|l| {
        l.iter()
            .map(|r| {
                let critical = r.flag.is_some_and(|f| f.is_critical());
                Line::from(vec![
                    Span::raw("  "),
                    text(&r.name, theme.base),
                    Span::raw(" "),
                    text(&r.value_text, theme.flag(critical, true)),
                    flag(&r.flag_symbol, critical, theme),
                    padded("  ", date_part(&r.date), theme.muted),
                ])
            })
            .collect()
    });
    CoverList {
        title: format!(
            "Abnormal results{}",
            count(Some(c.abnormal_lab_count).filter(|_| c.recent_abnormal_labs.is_some()))
        ),
        tab: 4,
        lines: or_none(lines, "None", theme),
        hidden: c.abnormal_lab_count.saturating_sub(shown),
    }
}

pub(super) fn encounters<'a>(c: &CoverSheet, theme: &Theme) -> CoverList<'a> {
    let lines = c.recent_encounters.as_ref().map(|e| {
        e.iter()
            .map(|r| {
                Line::from(vec![
                    padded("  ", date_part(&r.date), theme.muted),
                    padded("  ", &r.class, theme.base),
                    padded("  ", &r.kind, theme.muted),
                ])
            })
            .collect()
    });
    CoverList {
        title: "Recent encounters".into(),
        tab: 6,
        lines: or_none(lines, "None recorded", theme),
        hidden: 0,
    }
}

/// Pack short items into lines of at most `width` columns, two spaces indent, three apart.
fn pack<'a>(items: Vec<Vec<Span<'a>>>, width: usize) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Vec<Span> = vec![Span::raw("  ")];
    let mut used = 2;
    for item in items {
        let w: usize = item.iter().map(|s| display_width(&s.content)).sum();
        if used > 2 && used + 3 + w > width {
            lines.push(Line::from(std::mem::replace(
                &mut current,
                vec![Span::raw("  ")],
            )));
            used = 2;
        }
        if used > 2 {
            current.push(Span::raw("   "));
            used += 3;
        }
        used += w;
        current.extend(item);
    }
    if used > 2 {
        lines.push(Line::from(current));
    }
    lines
}
