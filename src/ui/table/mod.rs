//! A table that fits its columns to the width it is given: each column has a priority,
//! and the least important columns are dropped first on a narrow terminal instead of
//! squeezing every column into illegibility. The selected row stays in view, and only the
//! rows in view are built: a frame of a 6,000-row list costs its few dozen visible rows.
//! How the widths are chosen is in `fit`.

mod fit;

use std::borrow::Cow;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, StatefulWidget, Table, TableState};

use super::spans::fit_line;
use crate::app::ChartState;
use crate::chart::columns::ColumnDef;
use crate::config::Theme;
use crate::text::display_width;
use fit::fit_columns;

/// One column: title, the width it would like, the least it can do with, and how much it
/// matters (0 = always shown; higher numbers are dropped first).
#[derive(Debug, Clone)]
pub struct Column {
    pub title: Cow<'static, str>,
    pub min: u16,
    pub max: u16,
    pub priority: u8,
    /// Never narrower than its content (up to `max`): for values, units and flags, which
    /// must not be cut.
    pub keep: bool,
}

impl Column {
    pub const fn new(title: &'static str, min: u16, max: u16, priority: u8) -> Column {
        Column {
            title: Cow::Borrowed(title),
            min,
            max,
            priority,
            keep: false,
        }
    }

    /// A column that is never cut below its content (values, units, flags).
    pub const fn kept(title: &'static str, min: u16, max: u16, priority: u8) -> Column {
        Column {
            title: Cow::Borrowed(title),
            min,
            max,
            priority,
            keep: true,
        }
    }

    /// A column of a chart section, as `chart::columns` defines it.
    pub fn of(def: impl ColumnDef) -> Column {
        let fit = def.fit();
        Column {
            title: Cow::Borrowed(def.header()),
            min: fit.min,
            max: fit.max,
            priority: fit.priority,
            keep: fit.keep,
        }
    }

    /// A column whose title is made at run time (e.g. a date).
    pub fn owned(title: String, min: u16, max: u16, priority: u8) -> Column {
        Column {
            title: Cow::Owned(title),
            min,
            max,
            priority,
            keep: false,
        }
    }
}

/// One cell: text and style (the text must already be cleaned).
pub type CellSpec<'a> = Vec<Span<'a>>;

/// The widest cell of each column over every row of a list, measured without building the
/// rows: a long list (thousands of results) is measured in one pass over its text, and
/// only the rows in view are built.
#[derive(Debug, Clone)]
pub struct Measure(Vec<u16>);

impl Measure {
    pub fn new(columns: usize) -> Measure {
        Measure(vec![0; columns])
    }

    /// Widths measured beforehand (`app::widths`), one per column.
    pub fn of(widths: &[u16]) -> Measure {
        Measure(widths.to_vec())
    }

    /// The natural width of each column: its widest cell (or its title), within
    /// [min, max].
    fn wanted(&self, columns: &[Column]) -> Vec<u16> {
        columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let title = u16::try_from(display_width(&c.title)).unwrap_or(u16::MAX);
                let widest = self.0.get(i).copied().unwrap_or(0).max(title);
                widest.clamp(c.min, c.max.max(c.min))
            })
            .collect()
    }

    /// A cell of `w` columns.
    pub fn width(&mut self, col: usize, w: usize) {
        if let Some(n) = self.0.get_mut(col) {
            *n = (*n).max(u16::try_from(w).unwrap_or(u16::MAX));
        }
    }
}

/// Which measured widths a list is drawn with: the results list shows each result's time
/// on a wide screen and the day alone on a narrower one; the other lists always have the
/// widths `WithTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dates {
    WithTime,
    DayOnly,
}

/// The widths of the current list's columns: measured in `update`, or here for a state
/// that was not.
pub fn measured(state: &ChartState, dates: Dates) -> Measure {
    let fresh;
    let widths = match state.widths() {
        Some(w) => w,
        None => {
            fresh = state.measure_widths();
            &fresh
        }
    };
    Measure::of(match dates {
        Dates::WithTime => &widths.wide,
        Dates::DayOnly => &widths.narrow,
    })
}

/// Draw a table of `rows` (one `CellSpec` per column) with `selected` highlighted. For
/// short lists; long ones use `draw_window`, which builds only the rows in view.
pub fn draw_table(
    buf: &mut Buffer,
    area: Rect,
    columns: &[Column],
    rows: Vec<(Vec<CellSpec<'_>>, Style)>,
    selected: Option<usize>,
    theme: &Theme,
) {
    let mut measure = Measure::new(columns.len());
    for (cells, _) in &rows {
        for (i, cell) in cells.iter().enumerate() {
            measure.width(i, cell.iter().map(|s| display_width(&s.content)).sum());
        }
    }
    let len = rows.len();
    let mut rows: Vec<Option<(Vec<CellSpec<'_>>, Style)>> = rows.into_iter().map(Some).collect();
    let row = |i: usize| {
        rows.get_mut(i)
            .and_then(Option::take)
            .unwrap_or_else(|| (Vec::new(), Style::default()))
    };
    draw_window(buf, area, columns, &measure, len, selected, row, theme);
}

/// The first of `len` rows in view when `height` rows fit and `selected` must be seen: the
/// selected row is kept in view at the bottom edge (as ratatui's table places it).
pub fn window_start(len: usize, height: usize, selected: Option<usize>) -> usize {
    match selected {
        // A selection past the end shows the last row, as ratatui does.
        Some(s) if height > 0 && len > 0 => (s.min(len - 1) + 1).saturating_sub(height),
        _ => 0,
    }
}

/// Draw `len` rows, sized by `measure` (every row's widest cells), building only the rows
/// in view with `row(index)`. A move costs the rows on screen, whatever the list's length;
/// and the columns keep their widths while the list scrolls.
#[allow(clippy::too_many_arguments)]
pub fn draw_window<'a>(
    buf: &mut Buffer,
    area: Rect,
    columns: &[Column],
    measure: &Measure,
    len: usize,
    selected: Option<usize>,
    mut row: impl FnMut(usize) -> (Vec<CellSpec<'a>>, Style),
    theme: &Theme,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let widths = fit_columns(columns, &measure.wanted(columns), area.width);
    let shown = cut_widths(&widths, area.width);
    let constraints: Vec<Constraint> = shown
        .iter()
        .enumerate()
        .map(|(pos, (_, w))| {
            if pos + 1 == shown.len() {
                Constraint::Fill(1)
            } else {
                Constraint::Length(*w)
            }
        })
        .collect();
    let header = Row::new(
        shown
            .iter()
            .map(|(i, _)| Cell::from(Span::styled(columns[*i].title.clone(), theme.header))),
    );
    // One line for the header; the rest for rows.
    let height = usize::from(area.height.saturating_sub(1));
    let start = window_start(len, height, selected);
    let end = len.min(start + height);
    let body: Vec<Row> = (start..end)
        .map(|index| {
            let (mut cells, style) = row(index);
            let picked = shown
                .iter()
                .map(|(i, w)| fit_cell(cells.get_mut(*i).map(std::mem::take), *w));
            Row::new(picked).style(style)
        })
        .collect();
    let table = Table::new(body, constraints)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected);
    let selected = selected.filter(|_| len > 0).map(|s| s.min(len - 1) - start);
    let mut state = TableState::default().with_selected(selected);
    StatefulWidget::render(table, area, buf, &mut state);
}

/// The columns shown (width above 0) and the width their cells are cut to: their own,
/// except the last, which gets what is left of `width`.
fn cut_widths(widths: &[u16], width: u16) -> Vec<(usize, u16)> {
    let mut shown: Vec<(usize, u16)> = widths
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .map(|(i, w)| (i, *w))
        .collect();
    let used: u16 = shown.iter().rev().skip(1).map(|(_, w)| w + 1).sum();
    if let Some(last) = shown.last_mut() {
        last.1 = width.saturating_sub(used);
    }
    shown
}

/// A cell cut to `width` columns: a cut cell ends in "…" so a shortened text never passes
/// for whole.
fn fit_cell(spans: Option<CellSpec<'_>>, width: u16) -> Cell<'static> {
    Cell::from(fit_line(
        Line::from(spans.unwrap_or_default()),
        usize::from(width),
    ))
}
