//! Tab 5, vitals: the latest of each kind across the top, every reading below (newest
//! first), and the trend of the selected kind.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::placeholder::{message, part_placeholder, truncated_note};
use super::results::{flag_style, render_trend};
use super::spans::{fit_line, safe, text};
use super::table::{Column, draw_window, measured};
use crate::app::{ChartState, rows};
use crate::chart::{Chart, VitalKind};
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
    let Some(vitals) = part_placeholder(&chart.vitals, "Vitals", theme, buf, area) else {
        return;
    };
    let list = rows::vitals(chart, state.filter());
    if list.is_empty() {
        let msg = if state.filter().is_empty() {
            " No vital signs recorded."
        } else {
            " Nothing matches the filter (Esc clears it)."
        };
        return message(buf, area, vec![Line::from(Span::styled(msg, theme.muted))]);
    }
    let [latest_area, table_area, trend_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(if area.height >= 14 { 3 } else { 0 }),
    ])
    .areas(area);
    // Whole readings per line, so a label never ends one line and its value the next.
    let width = usize::from(latest_area.width);
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
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l, width)).collect();
    Paragraph::new(lines).render(latest_area, buf);

    const COLS: [Column; 5] = [
        Column::new("DATE", 11, 17, 1),
        Column::new("VITAL", 4, 36, 0),
        Column::kept("VALUE", 8, 24, 0),
        Column::kept("FLAG", 4, 4, 0),
        Column::new("NAME", 12, 50, 2),
    ];
    let measure = measured(state, true);
    let row = |i: usize| {
        let Some(r) = list.get(i) else {
            return (Vec::new(), theme.base);
        };
        let fs = flag_style(r.flag, theme);
        (
            vec![
                vec![text(&r.date, theme.base)],
                vec![text(&r.label, theme.base)],
                vec![text(&r.value_text, fs)],
                vec![Span::styled(r.flag_symbol.clone(), fs)],
                vec![text(&r.name, theme.muted)],
            ],
            theme.base,
        )
    };
    let selected = Some(state.selected());
    draw_window(
        buf,
        table_area,
        &COLS,
        &measure,
        list.len(),
        selected,
        row,
        theme,
    );
    if trend_area.height > 0 {
        let series = list.get(state.selected()).and_then(|r| {
            let name = if r.kind == VitalKind::BloodPressure {
                "Systolic BP"
            } else {
                r.name.as_str()
            };
            vitals.series.iter().find(|s| s.name == name)
        });
        render_trend(
            buf,
            trend_area,
            series,
            truncated_note(&chart.vitals),
            theme,
        );
    }
}
