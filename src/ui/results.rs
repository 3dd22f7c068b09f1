//! Tab 4, results: lab results as a list (date, test, value, unit, range, flag) or as a
//! cumulative grid (tests down, days across), with the trend of the selected test below.
//! Abnormal values carry a symbol (H, L, HH, LL, !) as well as a colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::placeholder::{message, part_placeholder, truncated_note};
use super::spans::{fit_line, safe, sparkline, text};
use super::table::{CellSpec, Column, Measure, draw_window, measured};
use crate::app::{ChartState, ResultsView, rows};
use crate::chart::date::date_part;
use crate::chart::{Chart, Flag, Series};
use crate::config::Theme;

/// The style of a value with this flag.
pub fn flag_style(flag: Option<Flag>, theme: &Theme) -> Style {
    match flag {
        Some(f) => theme.flag(f.is_critical(), f.is_abnormal()),
        None => theme.base,
    }
}

/// Draw the results tab.
pub fn render_results(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let Some(labs) = part_placeholder(&chart.labs, "Results", theme, buf, area) else {
        return;
    };
    let filter = state.filter();
    let [table_area, trend_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(if area.height >= 12 { 3 } else { 0 }),
    ])
    .areas(area);
    let selected_test: Option<(String, String)>;
    match state.results_view {
        ResultsView::List => {
            let list = rows::labs(chart, filter);
            if list.is_empty() {
                let msg = if filter.is_empty() {
                    " No lab results recorded."
                } else {
                    " Nothing matches the filter (Esc clears it)."
                };
                return message(buf, area, vec![Line::from(Span::styled(msg, theme.muted))]);
            }
            const COLS: [Column; 7] = [
                Column::new("DATE", 11, 17, 0),
                Column::new("TEST", 12, 40, 0),
                Column::kept("VALUE", 5, 12, 0),
                Column::kept("UNIT", 4, 16, 0),
                Column::kept("RANGE", 5, 14, 0),
                Column::kept("FLAG", 4, 4, 0),
                Column::new("STATUS", 7, 12, 2),
            ];
            let with_time = table_area.width >= 100;
            selected_test = list
                .get(state.selected())
                .map(|r| (r.name.clone(), r.unit.clone()));
            let measure = measured(state, with_time);
            let row = |i: usize| {
                let Some(r) = list.get(i) else {
                    return (Vec::new(), theme.base);
                };
                let fs = flag_style(r.flag, theme);
                let styles = [theme.base, theme.base, fs, theme.base, theme.muted];
                let t = r.columns(with_time);
                let mut cells: Vec<CellSpec> = styles
                    .iter()
                    .zip(t)
                    .map(|(style, s)| vec![text(s, *style)])
                    .collect();
                cells.push(vec![Span::styled(t[5].to_owned(), fs)]);
                cells.push(vec![text(t[6], theme.warning)]);
                (cells, theme.base)
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
        }
        ResultsView::Cumulative => {
            let grid = rows::cumulative(chart, filter);
            if grid.tests.is_empty() {
                return message(
                    buf,
                    area,
                    vec![Line::from(Span::styled(
                        " No lab results to show.",
                        theme.muted,
                    ))],
                );
            }
            selected_test = grid
                .tests
                .get(state.selected())
                .map(|t| (t.name.to_owned(), t.unit.to_owned()));
            // Fixed columns, then as many days (newest first) as fit, 11 columns each.
            let unit_w = grid
                .tests
                .iter()
                .map(|t| crate::text::clean_width(t.unit))
                .max()
                .unwrap_or(4)
                .clamp(4, 16);
            let fixed = 20 + 1 + unit_w + 1;
            let days = (usize::from(table_area.width).saturating_sub(fixed) / 12)
                .clamp(1, grid.days.len().max(1));
            let mut columns = vec![
                Column::new("TEST", 20, 20, 0),
                Column::kept("UNIT", 4, 16, 0),
            ];
            for d in grid.days.iter().take(days) {
                columns.push(Column::owned(d.clone(), 11, 11, 0));
            }
            // Only the unit column sizes to its content; the others have fixed widths.
            let mut measure = Measure::new(columns.len());
            measure.width(1, unit_w);
            let row = |i: usize| {
                let Some(t) = grid.tests.get(i) else {
                    return (Vec::new(), theme.base);
                };
                let mut cells = vec![
                    vec![text(t.name, theme.base)],
                    vec![text(t.unit, theme.muted)],
                ];
                for cell in t.cells.iter().take(days) {
                    cells.push(match cell {
                        Some(r) => {
                            let fs = flag_style(r.flag, theme);
                            let v = if r.flag_symbol.is_empty() {
                                safe(&r.value)
                            } else {
                                format!("{} {}", safe(&r.value), r.flag_symbol)
                            };
                            vec![Span::styled(v, fs)]
                        }
                        None => vec![Span::styled("·", theme.muted)],
                    });
                }
                (cells, theme.base)
            };
            let (len, selected) = (grid.tests.len(), Some(state.selected()));
            draw_window(
                buf, table_area, &columns, &measure, len, selected, row, theme,
            );
        }
    }
    if trend_area.height == 0 {
        return;
    }
    let series = selected_test.and_then(|(name, unit)| {
        labs.series
            .iter()
            .find(|s| s.name == name && s.unit == unit)
    });
    render_trend(buf, trend_area, series, truncated_note(&chart.labs), theme);
}

/// Three lines: the selected test's trend as a sparkline with its first and last values.
pub fn render_trend(
    buf: &mut Buffer,
    area: Rect,
    series: Option<&Series>,
    note: Option<&str>,
    theme: &Theme,
) {
    let mut lines = Vec::new();
    match series {
        Some(s) if s.points.len() >= 2 => {
            let first = &s.points[0];
            let last = &s.points[s.points.len() - 1];
            let spark = sparkline(
                &s.points.iter().map(|p| p.value).collect::<Vec<_>>(),
                40,
                theme.unicode,
            );
            let unit = safe(&s.unit);
            let v =
                |x: f64| crate::chart::format::join_unit(&crate::chart::format::decimal(x), &unit);
            lines.push(Line::from(vec![
                Span::styled(format!(" Trend: {} ", safe(&s.name)), theme.header),
                Span::styled(format!("({} results)", s.points.len()), theme.muted),
            ]));
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} {} ", date_part(&first.date), v(first.value)),
                    theme.muted,
                ),
                Span::styled(spark, theme.sparkline),
                Span::styled(format!(" {} ", v(last.value)), flag_style(last.flag, theme)),
                Span::styled(date_part(&last.date).to_owned(), theme.muted),
            ]));
        }
        Some(s) => lines.push(Line::from(Span::styled(
            format!(" {}: one result only, no trend yet.", safe(&s.name)),
            theme.muted,
        ))),
        None => lines.push(Line::from(Span::styled(
            " No numeric trend for this test.",
            theme.muted,
        ))),
    }
    if let Some(n) = note {
        lines.push(Line::from(Span::styled(format!(" {n}"), theme.warning)));
    }
    // Cut long names and units with "…" rather than at the edge.
    let width = usize::from(area.width);
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l, width)).collect();
    Paragraph::new(lines).render(area, buf);
}
