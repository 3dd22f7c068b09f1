//! The plain list tabs: problems (2), medications (3), encounters (6), immunizations (7).
//! Each is a table of the filtered rows with the selection; Enter shows a row in full
//! (`detail`). Results, vitals and notes add more around their list in their own modules.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{List, ListItem, ListState, StatefulWidget};

use super::placeholder::{message, part_placeholder};
use super::spans::{fit_line, safe, text};
use super::table::{Column, draw_table, draw_window, measured};
use crate::app::{ChartState, rows};
use crate::chart::Chart;
use crate::config::Theme;
use ratatui::text::Line;

fn empty(buf: &mut Buffer, area: Rect, filtered: bool, none: &str, theme: &Theme) {
    let msg = if filtered {
        "Nothing matches the filter (Esc clears it)."
    } else {
        none
    };
    message(
        buf,
        area,
        vec![Line::from(Span::styled(format!(" {msg}"), theme.muted))],
    );
}

/// Tab 2: active problems, then resolved ones (dimmed).
pub fn render_problems(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    if part_placeholder(&chart.problems, "Problems", theme, buf, area).is_none() {
        return;
    }
    let list = rows::problems(chart, state.filter());
    if list.is_empty() {
        return empty(
            buf,
            area,
            !state.filter().is_empty(),
            "No problems recorded.",
            theme,
        );
    }
    const COLS: [Column; 4] = [
        Column::new("PROBLEM", 20, 60, 0),
        Column::new("ONSET", 11, 12, 0),
        Column::new("STATUS", 8, 24, 1),
        Column::new("RESOLVED", 11, 12, 2),
    ];
    let body = list
        .iter()
        .map(|(r, active)| {
            let style = if *active { theme.base } else { theme.muted };
            let mut name = vec![text(&r.name, style)];
            if r.episodes > 1 {
                name.push(Span::styled(format!(" x{}", r.episodes), theme.muted));
            }
            let status = if r.unconfirmed {
                vec![text(
                    &format!("{} ({})", r.status, r.verification.to_lowercase()),
                    theme.warning,
                )]
            } else {
                vec![text(&r.status, style)]
            };
            (
                vec![
                    name,
                    vec![text(&r.onset, style)],
                    status,
                    vec![text(r.resolved.as_deref().unwrap_or(""), style)],
                ],
                style,
            )
        })
        .collect();
    draw_table(buf, area, &COLS, body, Some(state.selected()), theme);
}

/// Tab 3: medications, current first, with the sig. Below 120 columns each medication
/// takes two lines (name, status and start; then the sig in full width), so the sig is
/// not squeezed into a narrow column.
pub fn render_medications(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    if part_placeholder(&chart.medications, "Medications", theme, buf, area).is_none() {
        return;
    }
    let list = rows::medications(chart, state.filter());
    if list.is_empty() {
        return empty(
            buf,
            area,
            !state.filter().is_empty(),
            "No medications recorded.",
            theme,
        );
    }
    let style_of = |r: &crate::chart::MedRow| if r.current { theme.base } else { theme.muted };
    let status_style = |r: &crate::chart::MedRow| {
        if r.status == "Active" {
            style_of(r)
        } else {
            theme.warning
        }
    };
    if area.width < 120 {
        let width = usize::from(area.width);
        let items: Vec<ListItem> = list
            .iter()
            .map(|r| {
                let style = style_of(r);
                let mut head = vec![text(&r.name, style)];
                if r.unresolved_reference {
                    head.push(Span::styled(" ?", theme.warning));
                }
                let tail = vec![
                    Span::raw("  "),
                    text(&r.status, status_style(r)),
                    Span::raw("  "),
                    text(&r.start, theme.muted),
                ];
                let tail_w: usize = tail
                    .iter()
                    .map(|s| crate::text::display_width(&s.content))
                    .sum();
                let head = fit_line(Line::from(head), width.saturating_sub(tail_w));
                let mut first = head.spans;
                first.extend(tail);
                // The sig in full; the prescriber after it when both fit (else Enter shows it).
                let sig_text = safe(&r.sig);
                let by = format!("  {}", safe(&r.prescriber));
                let mut second = vec![Span::raw("    "), Span::styled(sig_text.clone(), style)];
                let sig_w = 4 + crate::text::display_width(&sig_text);
                if sig_w + crate::text::display_width(&by) <= width {
                    let pad = width - sig_w - crate::text::display_width(&by);
                    second.push(Span::raw(" ".repeat(pad)));
                    second.push(Span::styled(by, theme.muted));
                }
                let sig = fit_line(Line::from(second), width);
                ListItem::new(vec![Line::from(first), sig])
            })
            .collect();
        let mut ls = ListState::default().with_selected(Some(state.selected()));
        StatefulWidget::render(
            List::new(items).highlight_style(theme.selected),
            area,
            buf,
            &mut ls,
        );
        return;
    }
    const COLS: [Column; 5] = [
        Column::new("MEDICATION", 20, 44, 0),
        Column::new("STATUS", 7, 9, 1),
        // The start date stays whenever it fits at all (the list form below 120 has it).
        Column::new("START", 11, 11, 1),
        Column::new("PRESCRIBER", 12, 26, 3),
        Column::new("SIG", 16, 200, 0),
    ];
    let body = list
        .iter()
        .map(|r| {
            let style = style_of(r);
            let mut name = vec![text(&r.name, style)];
            if r.unresolved_reference {
                name.push(Span::styled(" ?", theme.warning));
            }
            (
                vec![
                    name,
                    vec![text(&r.status, status_style(r))],
                    vec![text(&r.start, style)],
                    vec![text(&r.prescriber, style)],
                    vec![text(&r.sig, style)],
                ],
                style,
            )
        })
        .collect();
    draw_table(buf, area, &COLS, body, Some(state.selected()), theme);
}

/// Tab 6: encounters, newest first.
pub fn render_encounters(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    if part_placeholder(&chart.encounters, "Encounters", theme, buf, area).is_none() {
        return;
    }
    let list = rows::encounters(chart, state.filter());
    if list.is_empty() {
        return empty(
            buf,
            area,
            !state.filter().is_empty(),
            "No encounters recorded.",
            theme,
        );
    }
    const COLS: [Column; 7] = [
        Column::new("DATE", 11, 17, 0),
        Column::new("UNTIL", 11, 11, 2),
        Column::new("CLASS", 9, 12, 0),
        Column::new("TYPE", 14, 40, 0),
        Column::new("CLINICIAN", 12, 28, 1),
        Column::new("REASON", 12, 40, 2),
        Column::new("LOCATION", 12, 60, 3),
    ];
    let measure = measured(state, true);
    let row = |i: usize| {
        let Some(r) = list.get(i) else {
            return (Vec::new(), theme.base);
        };
        (
            vec![
                vec![text(&r.date, theme.base)],
                vec![text(r.end.as_deref().unwrap_or(""), theme.base)],
                vec![text(&r.class, theme.base)],
                vec![text(&r.kind, theme.base)],
                vec![text(&r.clinician, theme.base)],
                vec![text(r.reason.as_deref().unwrap_or(""), theme.base)],
                vec![text(&r.location, theme.muted)],
            ],
            theme.base,
        )
    };
    let selected = Some(state.selected());
    draw_window(buf, area, &COLS, &measure, list.len(), selected, row, theme);
}

/// Tab 7: immunizations, newest first; not-given ones marked.
pub fn render_immunizations(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    if part_placeholder(&chart.immunizations, "Immunizations", theme, buf, area).is_none() {
        return;
    }
    let list = rows::immunizations(chart, state.filter());
    if list.is_empty() {
        return empty(
            buf,
            area,
            !state.filter().is_empty(),
            "No immunizations recorded.",
            theme,
        );
    }
    const COLS: [Column; 5] = [
        Column::new("DATE", 11, 11, 0),
        Column::new("VACCINE", 20, 60, 0),
        Column::new("STATUS", 9, 36, 0),
        Column::kept("DOSE", 6, 16, 1),
        Column::new("LOT", 6, 18, 2),
    ];
    let body = list
        .iter()
        .map(|r| {
            let style = if r.given { theme.base } else { theme.warning };
            let dose = match (&r.dose, &r.dose_number) {
                (Some(d), Some(n)) => format!("{d} #{n}"),
                (Some(d), None) => d.clone(),
                (None, Some(n)) => format!("#{n}"),
                (None, None) => String::new(),
            };
            (
                vec![
                    vec![text(&r.date, theme.base)],
                    vec![text(&r.vaccine, theme.base)],
                    vec![text(&r.status, style)],
                    vec![text(&dose, theme.base)],
                    vec![text(r.lot.as_deref().unwrap_or(""), theme.muted)],
                ],
                theme.base,
            )
        })
        .collect();
    draw_table(buf, area, &COLS, body, Some(state.selected()), theme);
}
