//! Tab 4, results: lab results as a list (date, test, value, unit, range, flag) or as a
//! cumulative grid (tests down, days across), with the trend of the selected test below.
//! Abnormal values carry a symbol (H, L, HH, LL, !) as well as a colour.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::list_pane::{ListPane, ListRows};
use super::placeholder::{message, part_placeholder, truncated_note};
use super::spans::{fit_line, safe, sparkline, text};
use super::table::{CellSpec, Column, Dates, Measure, draw_window, measured};
use crate::app::rows::CumulativeRow;
use crate::app::{ChartState, ResultsView, rows};
use crate::chart::columns::CellText;
use crate::chart::columns::labs::{self, LabColumn};
use crate::chart::date::date_part;
use crate::chart::{Chart, Flag, LabResult, Series};
use crate::config::Theme;

/// The style of a value with this flag.
pub fn flag_style(flag: Option<Flag>, theme: &Theme) -> Style {
    match flag {
        Some(f) => theme.flag(f.is_critical(), f.is_abnormal()),
        None => theme.base,
    }
}

/// A test whose trend shows under the results: its name and unit.
type TestKey<'a> = (&'a str, &'a str);

/// Draw the results tab.
pub fn render_results(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let [table_area, trend_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(if area.height >= 12 { 3 } else { 0 }),
    ])
    .areas(area);
    let drawn = match state.results_view {
        ResultsView::List => render_list(buf, area, table_area, chart, state, theme),
        ResultsView::Cumulative => render_cumulative(buf, area, table_area, chart, state, theme),
    };
    // Nothing but a placeholder or an empty line: no trend either.
    let (Some(selected_test), Some(labs)) = (drawn, chart.labs.data()) else {
        return;
    };
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

/// The list view: one row per result, newest first. `None` when only a placeholder or an
/// empty line was drawn in `area`; else the selected test, if any.
fn render_list<'c>(
    buf: &mut Buffer,
    area: Rect,
    table_area: Rect,
    chart: &'c Chart,
    state: &ChartState,
    theme: &Theme,
) -> Option<Option<TestKey<'c>>> {
    let list = rows::labs(chart, state.filter());
    let pane = ListPane {
        part: &chart.labs,
        what: "Results",
        none: "No lab results recorded.",
    };
    pane.data(buf, area, list.len(), state.filter(), theme)?;
    let dates = if table_area.width >= 100 {
        Dates::WithTime
    } else {
        Dates::DayOnly
    };
    let cell = |c: LabColumn, r: &&LabResult| -> CellSpec<'static> {
        let fs = flag_style(r.flag, theme);
        match c {
            LabColumn::Value => vec![text(&c.cell(r), fs)],
            LabColumn::Range => vec![text(&c.cell(r), theme.muted)],
            // The flag is rounds' own symbol (H, LL, !), not server text.
            LabColumn::Flag => vec![Span::styled(r.flag_symbol.clone(), fs)],
            LabColumn::Status => vec![text(&c.cell(r), theme.warning)],
            _ => vec![text(&c.cell(r), theme.base)],
        }
    };
    let rows = ListRows {
        columns: &labs::list(dates == Dates::WithTime),
        rows: &list,
        selected: state.selected(),
    };
    let measure = measured(state, dates);
    rows.draw_measured(buf, table_area, &measure, cell, |_| theme.base, theme);
    Some(
        list.get(state.selected())
            .map(|r| (r.name.as_str(), r.unit_shown())),
    )
}

/// The cumulative view: tests down, days across (newest first), as many days as fit. `None`
/// when only a placeholder or an empty line was drawn in `area`; else the selected test.
fn render_cumulative<'c>(
    buf: &mut Buffer,
    area: Rect,
    table_area: Rect,
    chart: &'c Chart,
    state: &ChartState,
    theme: &Theme,
) -> Option<Option<TestKey<'c>>> {
    part_placeholder(&chart.labs, "Results", theme, buf, area)?;
    let grid = rows::cumulative(chart, state.filter());
    if grid.tests.is_empty() {
        message(
            buf,
            area,
            vec![Line::from(Span::styled(
                " No lab results to show.",
                theme.muted,
            ))],
        );
        return None;
    }
    // Fixed columns, then as many days (newest first) as fit, 11 columns each.
    let unit_w = grid
        .tests
        .iter()
        .map(|t| crate::text::clean_width(t.unit))
        .max()
        .unwrap_or(4)
        .clamp(4, 16);
    let fixed = 20 + 1 + unit_w + 1;
    let days =
        (usize::from(table_area.width).saturating_sub(fixed) / 12).clamp(1, grid.days.len().max(1));
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
    let row = |i: usize| match grid.tests.get(i) {
        Some(t) => (cumulative_cells(t, days, theme), theme.base),
        None => (Vec::new(), theme.base),
    };
    let (len, selected) = (grid.tests.len(), Some(state.selected()));
    draw_window(
        buf, table_area, &columns, &measure, len, selected, row, theme,
    );
    Some(grid.tests.get(state.selected()).map(|t| (t.name, t.unit)))
}

/// A test's row of the cumulative view: name, unit, then its result on each of the first
/// `days` days (`·` for none), flagged.
fn cumulative_cells<'a>(t: &CumulativeRow<'_>, days: usize, theme: &Theme) -> Vec<CellSpec<'a>> {
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
    cells
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
