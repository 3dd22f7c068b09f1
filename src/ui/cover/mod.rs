//! The cover sheet (tab 1): the one-screen summary, after CPRS. At the top, the postings
//! (flags, directives) and the data warnings. Left: active problems, allergies, active
//! medications. Right: latest vitals, abnormal labs (critical first), recent encounters. Sections share the height; a cut section says how many more rows
//! its own tab has. Narrow terminals stack the two columns.
//!
//! `lists` turns each summary of the chart's `CoverSheet` into a titled list of lines;
//! `stack` shares the height between the lists. Nothing here derives clinical content: it
//! all comes from `chart::CoverSheet`.

mod lists;
mod stack;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::spans::{fit_line, padded, safe};
use crate::chart::postings::Posting;
use crate::chart::{Chart, posting_words};
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

/// Draw the cover sheet.
pub fn render_cover(buf: &mut Buffer, area: Rect, chart: &Chart, theme: &Theme) {
    let c = chart.cover_sheet();
    // Vitals are packed several to a line: as many as the column they are in holds.
    let vitals_width = if area.width >= 70 {
        usize::from(area.width) * 48 / 100
    } else {
        usize::from(area.width)
    };
    let problems = lists::problems(&c, theme);
    let allergies = lists::allergies(&c, &chart.banner.allergies, theme);
    let meds = lists::medications(&c, theme);
    let vitals = lists::vitals(&c, vitals_width, theme);
    let labs = lists::labs(&c, theme);
    let encounters = lists::encounters(&c, theme);
    let body = render_postings(buf, area, &chart.postings, theme);
    let body = render_warnings(buf, body, &chart.warnings, theme);
    if body.width >= 70 {
        let [left, _, right] = Layout::horizontal([
            Constraint::Percentage(52),
            Constraint::Length(1),
            Constraint::Fill(1),
        ])
        .areas(body);
        stack::stack(buf, left, vec![problems, allergies, meds], theme);
        stack::stack(buf, right, vec![vitals, labs, encounters], theme);
    } else {
        stack::stack(
            buf,
            body,
            vec![problems, allergies, meds, vitals, labs, encounters],
            theme,
        );
    }
}

/// The postings on one line at the top of the cover sheet (`Postings: FLAG
/// Immunocompromised  DNR`), cut with "…" when long; the area left below.
fn render_postings(buf: &mut Buffer, area: Rect, postings: &[Posting], theme: &Theme) -> Rect {
    if postings.is_empty() {
        return area;
    }
    let mut spans = vec![Span::styled(" Postings: ", theme.header)];
    for (i, p) in postings.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        let (words, urgent) = posting_words(p);
        spans.push(Span::styled(safe(&words), theme.flag(urgent, true)));
    }
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    Paragraph::new(fit_line(Line::from(spans), usize::from(area.width))).render(top, buf);
    rest
}

/// The chart's data warnings above the cover sheet, at most three lines (the last says
/// how many more there are); the area left below them.
fn render_warnings(buf: &mut Buffer, area: Rect, warnings: &[String], theme: &Theme) -> Rect {
    let mut lines: Vec<Line> = Vec::new();
    let shown = if warnings.len() > 3 {
        2
    } else {
        warnings.len()
    };
    for w in warnings.iter().take(shown) {
        lines.push(Line::from(padded(" ! ", w, theme.warning)));
    }
    if warnings.len() > shown {
        lines.push(Line::from(Span::styled(
            format!(" ! … and {} more data warnings", warnings.len() - shown),
            theme.warning,
        )));
    }
    if lines.is_empty() {
        return area;
    }
    let n = u16::try_from(lines.len().min(3)).unwrap_or(3);
    let [w, rest] = Layout::vertical([Constraint::Length(n), Constraint::Min(1)]).areas(area);
    Paragraph::new(lines).render(w, buf);
    rest
}
