//! Tab 5, vitals: the latest of each kind across the top, every reading below (newest
//! first), and the trend of the selected kind.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::list_pane::{ListPane, ListRows};
use super::placeholder::truncated_note;
use super::results::{flag_style, render_trend};
use super::spans::{fit_line, safe, text};
use super::table::{CellSpec, Dates, measured};
use crate::app::{ChartState, rows};
use crate::chart::columns::CellText;
use crate::chart::columns::vitals::{self, VitalColumn};
use crate::chart::{Chart, VitalKind, VitalReading, Vitals};
use crate::config::Theme;
use crate::text::display_width;

/// Draw the vitals tab.
pub fn render_vitals(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::vitals(chart, state.filter());
    let pane = ListPane {
        part: &chart.vitals,
        what: "Vitals",
        none: "No vital signs recorded.",
    };
    let Some(data) = pane.data(buf, area, list.len(), state.filter(), theme) else {
        return;
    };
    let [latest_area, table_area, trend_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(if area.height >= 14 { 3 } else { 0 }),
    ])
    .areas(area);
    let width = usize::from(latest_area.width);
    let lines: Vec<Line> = latest_lines(data, width, theme)
        .into_iter()
        .map(|l| fit_line(l, width))
        .collect();
    Paragraph::new(lines).render(latest_area, buf);
    let cell = |c: VitalColumn, r: &&VitalReading| -> CellSpec<'static> {
        let fs = flag_style(r.flag, theme);
        match c {
            VitalColumn::Value => vec![text(&c.cell(r), fs)],
            // The flag is rounds' own symbol (H, LL, !), not server text.
            VitalColumn::Flag => vec![Span::styled(r.flag_symbol.clone(), fs)],
            VitalColumn::Name => vec![text(&c.cell(r), theme.muted)],
            _ => vec![text(&c.cell(r), theme.base)],
        }
    };
    let rows = ListRows {
        columns: &vitals::TUI,
        rows: &list,
        selected: state.selected(),
    };
    let measure = measured(state, Dates::WithTime);
    rows.draw_measured(buf, table_area, &measure, cell, |_| theme.base, theme);
    if trend_area.height > 0 {
        let series = list.get(state.selected()).and_then(|r| {
            let name = if r.kind == VitalKind::BloodPressure {
                "Systolic BP"
            } else {
                r.name.as_str()
            };
            data.series.iter().find(|s| s.name == name)
        });
        let note = truncated_note(&chart.vitals);
        render_trend(buf, trend_area, series, note, theme);
    }
}

/// `Latest: BP 142/88 mmHg H   HR 78/min …`, whole readings per line, so a label never
/// ends one line and its value the next.
fn latest_lines<'a>(vitals: &Vitals, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines: Vec<Line> = Vec::new();
    let mut line = vec![Span::styled("Latest: ", theme.header)];
    let mut used = 8;
    let mut first = true;
    for r in &vitals.latest {
        let mut item = vec![
            Span::styled(format!("{} ", safe(&r.label)), theme.muted),
            text(&r.value_text, flag_style(r.flag, theme)),
        ];
        if !r.flag_symbol.is_empty() {
            item.push(Span::styled(
                format!(" {}", r.flag_symbol),
                flag_style(r.flag, theme),
            ));
        }
        let w: usize = item.iter().map(|s| display_width(&s.content)).sum();
        if !first && used + 3 + w > width {
            lines.push(Line::from(std::mem::take(&mut line)));
            line.push(Span::raw(" ".repeat(8)));
            used = 8;
        } else if !first {
            line.push(Span::raw("   "));
            used += 3;
        }
        first = false;
        line.extend(item);
        used += w;
    }
    lines.push(Line::from(line));
    lines
}
