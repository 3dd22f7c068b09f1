//! Tab 5, vitals: the latest of each kind across the top, every reading below (newest
//! first), and the trend of the selected kind.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::common::{message, part_placeholder, safe, text, truncated_note};
use super::results::{flag_style, render_trend};
use super::table::{Column, draw_table};
use crate::app::{ChartState, rows};
use crate::chart::{Chart, VitalKind};
use crate::config::Theme;

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
    let mut spans = vec![Span::styled("Latest: ", theme.header)];
    for r in &vitals.latest {
        spans.push(Span::styled(format!("{} ", safe(&r.label)), theme.muted));
        spans.push(text(&r.value_text, flag_style(r.flag, theme)));
        if !r.flag_symbol.is_empty() {
            spans.push(Span::styled(
                format!(" {}", r.flag_symbol),
                flag_style(r.flag, theme),
            ));
        }
        spans.push(Span::raw("   "));
    }
    Paragraph::new(Line::from(spans))
        .wrap(Wrap { trim: true })
        .render(latest_area, buf);

    const COLS: [Column; 5] = [
        Column::new("DATE", 11, 17, 1),
        Column::new("VITAL", 4, 36, 0),
        Column::kept("VALUE", 8, 24, 0),
        Column::kept("FLAG", 4, 4, 0),
        Column::new("NAME", 12, 50, 2),
    ];
    let body = list
        .iter()
        .map(|r| {
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
        })
        .collect();
    draw_table(buf, table_area, &COLS, body, Some(state.selected()), theme);
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
