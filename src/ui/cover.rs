//! The cover sheet (tab 1): the one-screen summary, after CPRS. Left: active problems,
//! allergies, active medications. Right: latest vitals, abnormal labs (critical first),
//! recent encounters. Sections share the height; a cut section says how many more rows
//! its own tab has. Narrow terminals stack the two columns.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::spans::{fit_line, padded, safe, text};
use crate::chart::date::date_part;
use crate::chart::format::NOT_KNOWN;
use crate::chart::{Chart, CoverSheet};
use crate::config::Theme;

/// A titled list for the cover sheet.
struct CoverList<'a> {
    title: String,
    /// The tab (number key) holding the full list.
    tab: u8,
    lines: Vec<Line<'a>>,
    /// How many items exist beyond `lines` (e.g. more abnormal labs than listed).
    hidden: usize,
}

fn or_none<'a>(lines: Option<Vec<Line<'a>>>, none: &str, theme: &Theme) -> Vec<Line<'a>> {
    match lines {
        None => vec![Line::from(Span::styled("  Not loaded", theme.warning))],
        Some(l) if l.is_empty() => vec![Line::from(Span::styled(format!("  {none}"), theme.muted))],
        Some(l) => l,
    }
}

/// Draw the cover sheet.
pub fn render_cover(buf: &mut Buffer, area: Rect, chart: &Chart, theme: &Theme) {
    let c: CoverSheet = chart.cover_sheet();
    let flag = |sym: &str, critical: bool| {
        if sym.is_empty() {
            Span::raw("")
        } else {
            Span::styled(format!(" {sym}"), theme.flag(critical, true))
        }
    };
    let problems = CoverList {
        title: format!(
            "Active problems{}",
            count(c.active_problems.as_ref().map(Vec::len))
        ),
        tab: 2,
        lines: or_none(
            c.active_problems.as_ref().map(|p| {
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
            }),
            "None recorded",
            theme,
        ),
        hidden: 0,
    };
    let allergies = CoverList {
        // No count when none are listed: "(0)" would read as "no allergies", which only
        // the line below (NKA, or allergies not known) may say.
        title: format!(
            "Allergies{}",
            count(c.allergies.as_ref().map(Vec::len).filter(|n| *n > 0))
        ),
        tab: 0,
        lines: or_none(
            c.allergies.as_ref().map(|a| {
                a.iter()
                    .map(|r| {
                        let style = if r.criticality == "High" {
                            theme.critical
                        } else {
                            theme.abnormal
                        };
                        Line::from(vec![
                            Span::raw("  "),
                            text(&r.substance, style),
                            if r.reactions == NOT_KNOWN {
                                padded("  ", "reaction not known", theme.muted)
                            } else {
                                padded("  ", &r.reactions, theme.base)
                            },
                            padded(
                                "  ",
                                &if r.criticality == NOT_KNOWN {
                                    "criticality not known".to_owned()
                                } else {
                                    format!("{} criticality", r.criticality.to_lowercase())
                                },
                                theme.muted,
                            ),
                        ])
                    })
                    .collect()
            }),
            &chart.banner.allergies.summary(),
            theme,
        ),
        hidden: 0,
    };
    let meds = CoverList {
        title: format!(
            "Current medications{}",
            count(c.active_medications.as_ref().map(Vec::len))
        ),
        tab: 3,
        lines: or_none(
            c.active_medications.as_ref().map(|m| {
                m.iter()
                    .map(|r| {
                        let mut spans = vec![Span::raw("  "), text(&r.name, theme.base)];
                        if r.status != "Active" {
                            spans.push(padded(
                                " ",
                                &format!("({})", r.status.to_lowercase()),
                                theme.warning,
                            ));
                        }
                        // Without a header, a bare "Not known" would not say what is unknown.
                        if r.sig == crate::chart::format::NOT_KNOWN {
                            spans.push(Span::styled("  sig not known", theme.warning));
                        } else {
                            spans.push(padded("  ", &r.sig, theme.muted));
                        }
                        Line::from(spans)
                    })
                    .collect()
            }),
            "None recorded",
            theme,
        ),
        hidden: 0,
    };
    // Vitals are packed several to a line (they are short), dated once in the title; a
    // reading older than the newest carries its own date so stale values stand out.
    let vitals_width = if area.width >= 70 {
        usize::from(area.width) * 48 / 100
    } else {
        usize::from(area.width)
    };
    let newest_day = c
        .latest_vitals
        .as_ref()
        .and_then(|v| {
            v.iter()
                .max_by_key(|r| crate::chart::date::sort_key(r.date_iso.as_deref()))
        })
        .map(|r| date_part(&r.date).to_owned());
    let vitals = CoverList {
        title: match &newest_day {
            Some(d) => format!("Latest vitals ({d})"),
            None => "Latest vitals".into(),
        },
        tab: 5,
        lines: or_none(
            c.latest_vitals.as_ref().map(|v| {
                let items: Vec<Vec<Span>> = v
                    .iter()
                    .map(|r| {
                        let critical = r.flag.is_some_and(|f| f.is_critical());
                        let abnormal = r.flag.is_some_and(|f| f.is_abnormal());
                        let mut item = vec![
                            Span::styled(format!("{} ", safe(&r.label)), theme.muted),
                            text(&r.value_text, theme.flag(critical, abnormal)),
                            flag(&r.flag_symbol, critical),
                        ];
                        let day = date_part(&r.date);
                        if newest_day.as_deref() != Some(day) {
                            item.push(padded(" ", &format!("({day})"), theme.warning));
                        }
                        item
                    })
                    .collect();
                pack(items, vitals_width)
            }),
            "None recorded",
            theme,
        ),
        hidden: 0,
    };
    let shown_labs = c.recent_abnormal_labs.as_ref().map_or(0, Vec::len);
    let labs = CoverList {
        title: format!(
            "Abnormal results{}",
            count(Some(c.abnormal_lab_count).filter(|_| c.recent_abnormal_labs.is_some()))
        ),
        tab: 4,
        lines: or_none(
            c.recent_abnormal_labs.as_ref().map(|l| {
                l.iter()
                    .map(|r| {
                        let critical = r.flag.is_some_and(|f| f.is_critical());
                        Line::from(vec![
                            Span::raw("  "),
                            text(&r.name, theme.base),
                            Span::raw(" "),
                            text(&r.value_text, theme.flag(critical, true)),
                            flag(&r.flag_symbol, critical),
                            padded("  ", date_part(&r.date), theme.muted),
                        ])
                    })
                    .collect()
            }),
            "None",
            theme,
        ),
        hidden: c.abnormal_lab_count.saturating_sub(shown_labs),
    };
    let encounters = CoverList {
        title: "Recent encounters".into(),
        tab: 6,
        lines: or_none(
            c.recent_encounters.as_ref().map(|e| {
                e.iter()
                    .map(|r| {
                        Line::from(vec![
                            padded("  ", date_part(&r.date), theme.muted),
                            padded("  ", &r.class, theme.base),
                            padded("  ", &r.kind, theme.muted),
                        ])
                    })
                    .collect()
            }),
            "None recorded",
            theme,
        ),
        hidden: 0,
    };
    // At most three lines of warnings; the last says how many more there are.
    let mut warnings: Vec<Line> = Vec::new();
    let shown = if chart.warnings.len() > 3 {
        2
    } else {
        chart.warnings.len()
    };
    for w in chart.warnings.iter().take(shown) {
        warnings.push(Line::from(padded(" ! ", w, theme.warning)));
    }
    if chart.warnings.len() > shown {
        warnings.push(Line::from(Span::styled(
            format!(
                " ! … and {} more data warnings",
                chart.warnings.len() - shown
            ),
            theme.warning,
        )));
    }
    let body = if warnings.is_empty() {
        area
    } else {
        let n = u16::try_from(warnings.len().min(3)).unwrap_or(3);
        let [w, rest] = Layout::vertical([Constraint::Length(n), Constraint::Min(1)]).areas(area);
        Paragraph::new(warnings).render(w, buf);
        rest
    };
    if body.width >= 70 {
        let [left, _, right] = Layout::horizontal([
            Constraint::Percentage(52),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(body);
        stack(buf, left, vec![problems, allergies, meds], theme);
        stack(buf, right, vec![vitals, labs, encounters], theme);
    } else {
        stack(
            buf,
            body,
            vec![problems, allergies, meds, vitals, labs, encounters],
            theme,
        );
    }
}

/// Pack short items into lines of at most `width` columns, two spaces indent, three apart.
fn pack<'a>(items: Vec<Vec<Span<'a>>>, width: usize) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Vec<Span> = vec![Span::raw("  ")];
    let mut used = 2;
    for item in items {
        let w: usize = item
            .iter()
            .map(|s| crate::text::display_width(&s.content))
            .sum();
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

fn count(n: Option<usize>) -> String {
    n.map(|n| format!(" ({n})")).unwrap_or_default()
}

/// Stack sections in `area`, sharing rows: every section keeps its title and at least one
/// line; longer ones are cut with a "more" line pointing at their tab.
fn stack(buf: &mut Buffer, area: Rect, sections: Vec<CoverList<'_>>, theme: &Theme) {
    let height = usize::from(area.height);
    let n = sections.len();
    // Rows each section wants: title + lines (+ 1 for "more" when hidden rows exist).
    let want: Vec<usize> = sections
        .iter()
        .map(|s| 1 + s.lines.len() + usize::from(s.hidden > 0))
        .collect();
    // Each section first gets its title and one line, in order, while rows last; on a very
    // short screen the sections that get nothing are named in a last line.
    let mut give: Vec<usize> = vec![0; n];
    let mut left = height;
    let mut dropped: Vec<String> = Vec::new();
    for i in 0..n {
        let base = want[i].min(2);
        let reserve = usize::from(i + 1 < n);
        if left >= base + reserve {
            give[i] = base;
            left -= base;
        } else {
            dropped.extend(sections[i..].iter().map(|s| s.title.clone()));
            left = left.saturating_sub(1);
            break;
        }
    }
    // Hand out the remaining rows one at a time, to whoever still wants more.
    while left > 0 {
        let mut progressed = false;
        for i in 0..n {
            if left > 0 && give[i] < want[i] {
                give[i] += 1;
                left -= 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    for (s, rows) in sections.into_iter().zip(give) {
        if rows == 0 {
            continue;
        }
        lines.push(Line::from(Span::styled(s.title.clone(), theme.header)));
        let room = rows - 1;
        let total = s.lines.len() + s.hidden;
        if total > room && room > 0 {
            let keep = room - 1;
            let more = total - keep;
            lines.extend(s.lines.into_iter().take(keep));
            let where_ = if s.tab > 0 {
                format!(" (press {})", s.tab)
            } else {
                String::new()
            };
            lines.push(Line::from(Span::styled(
                format!("  … {more} more{where_}"),
                theme.muted,
            )));
        } else {
            lines.extend(s.lines.into_iter().take(room));
        }
    }
    if !dropped.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("… not shown (window too short): {}", dropped.join(", ")),
            theme.warning,
        )));
    }
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l, width)).collect();
    Paragraph::new(lines).render(area, buf);
}
