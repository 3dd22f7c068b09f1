//! A table that fits its columns to the width it is given: each column has a priority,
//! and the least important columns are dropped first on a narrow terminal instead of
//! squeezing every column into illegibility. The selected row stays in view, and only the
//! rows in view are built: a frame of a 6,000-row list costs its few dozen visible rows.

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

    /// A cell of `w` columns.
    pub fn width(&mut self, col: usize, w: usize) {
        if let Some(n) = self.0.get_mut(col) {
            *n = (*n).max(u16::try_from(w).unwrap_or(u16::MAX));
        }
    }
}

/// The widths of the current list's columns (`wide`: the results list with the date's
/// time): measured in `update`, or here for a state that was not.
pub fn measured(state: &ChartState, with_time: bool) -> Measure {
    let fresh;
    let widths = match state.widths() {
        Some(w) => w,
        None => {
            fresh = state.measure_widths();
            &fresh
        }
    };
    Measure::of(if with_time {
        &widths.wide
    } else {
        &widths.narrow
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
    // Natural width of each column: its widest cell (or its title), within [min, max].
    let want: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let title = u16::try_from(display_width(&c.title)).unwrap_or(u16::MAX);
            let widest = measure.0.get(i).copied().unwrap_or(0).max(title);
            widest.clamp(c.min, c.max.max(c.min))
        })
        .collect();
    let widths = fit_columns(columns, &want, area.width);
    let shown: Vec<usize> = (0..columns.len()).filter(|i| widths[*i] > 0).collect();
    let constraints: Vec<Constraint> = shown
        .iter()
        .enumerate()
        .map(|(pos, i)| {
            if pos + 1 == shown.len() {
                Constraint::Fill(1)
            } else {
                Constraint::Length(widths[*i])
            }
        })
        .collect();
    let header = Row::new(
        shown
            .iter()
            .map(|i| Cell::from(Span::styled(columns[*i].title.clone(), theme.header))),
    );
    // The last column gets what is left of the width.
    let used: u16 = shown.iter().rev().skip(1).map(|i| widths[*i] + 1).sum();
    let last_width = area.width.saturating_sub(used);
    // One line for the header; the rest for rows.
    let height = usize::from(area.height.saturating_sub(1));
    let start = window_start(len, height, selected);
    let end = len.min(start + height);
    let body: Vec<Row> = (start..end)
        .map(|index| {
            let (mut cells, style) = row(index);
            let picked: Vec<Cell> = shown
                .iter()
                .enumerate()
                .map(|(pos, i)| {
                    let w = if pos + 1 == shown.len() {
                        last_width
                    } else {
                        widths[*i]
                    };
                    let spans = cells.get_mut(*i).map(std::mem::take).unwrap_or_default();
                    // A cut cell ends in "…" so a shortened text never passes for whole.
                    Cell::from(fit_line(Line::from(spans), usize::from(w)))
                })
                .collect();
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

/// Column widths for `width` cells (0 = column dropped). Columns that cannot all fit even
/// at their minimum are dropped by priority; optional columns (priority 2 and up) are also
/// dropped rather than squeezing the essential ones (and take back whatever room is left
/// over); what is left shares the room, the widest columns giving way first. The result
/// always fits in `width` when at least one column can.
pub fn fit_columns(columns: &[Column], want: &[u16], width: u16) -> Vec<u16> {
    let mut want: Vec<u16> = want.to_vec();
    let min_of = |want: &[u16], i: usize| {
        if columns[i].keep {
            want[i].max(columns[i].min)
        } else {
            columns[i].min
        }
    };
    let gaps = |shown: &[usize]| shown.len().saturating_sub(1) as u32;
    let sum = |shown: &[usize], w: &dyn Fn(usize) -> u16| -> u32 {
        shown.iter().map(|i| u32::from(w(*i))).sum::<u32>() + gaps(shown)
    };
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    let droppable = |shown: &[usize], least: u8| {
        shown
            .iter()
            .copied()
            .filter(|i| columns[*i].priority >= least)
            .max_by_key(|i| (columns[*i].priority, *i))
    };
    while shown.len() > 1 && sum(&shown, &|i| min_of(&want, i)) > u32::from(width) {
        match droppable(&shown, 1) {
            Some(d) => shown.retain(|i| *i != d),
            None => break,
        }
    }
    let mut dropped: Vec<usize> = Vec::new();
    while sum(&shown, &|i| want[i]) > u32::from(width) {
        match droppable(&shown, 2) {
            Some(d) => {
                shown.retain(|i| *i != d);
                dropped.push(d);
            }
            None => break,
        }
    }
    // An optional column dropped to make room comes back, in the room the others leave
    // at their wanted widths, when that is at least its minimum (most important first).
    dropped.sort_by_key(|i| (columns[*i].priority, *i));
    for d in dropped {
        let room = u32::from(width).saturating_sub(sum(&shown, &|i| want[i]) + 1);
        if room >= u32::from(columns[d].min) {
            want[d] = want[d].min(u16::try_from(room).unwrap_or(u16::MAX));
            shown.push(d);
            shown.sort_unstable();
        }
    }
    let min = |i: usize| min_of(&want, i);
    let mut widths: Vec<u16> = vec![0; columns.len()];
    for i in &shown {
        widths[*i] = want[*i];
    }
    let mut over = sum(&shown, &|i| widths[i]).saturating_sub(u32::from(width));
    // Take one cell at a time from the column with the most room above its floor: first
    // the minimum (kept columns: their content), then the declared minimum, then one cell.
    // The columns must fit: ratatui would otherwise squeeze them itself and cut text
    // without a "…".
    let floors: [&dyn Fn(usize) -> u16; 3] = [&min, &|i| columns[i].min, &|_| 1];
    for floor in floors {
        while over > 0 {
            let Some(i) = shown
                .iter()
                .copied()
                .filter(|i| widths[*i] > floor(*i))
                .max_by_key(|i| widths[*i] - floor(*i))
            else {
                break;
            };
            widths[i] -= 1;
            over -= 1;
        }
    }
    // Still too wide (more columns than cells): drop columns, least important first.
    while over > 0 && shown.len() > 1 {
        let Some(d) = droppable(&shown, 0) else {
            break;
        };
        shown.retain(|i| *i != d);
        widths[d] = 0;
        over = sum(&shown, &|i| widths[i]).saturating_sub(u32::from(width));
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_shrink_then_drop_by_priority() {
        let cols = [
            Column::new("NAME", 10, 40, 0),
            Column::new("BORN", 17, 17, 0),
            Column::new("NOTE", 5, 30, 2),
            Column::new("ID", 10, 40, 3),
        ];
        // Everything fits.
        assert_eq!(
            fit_columns(&cols, &[20, 17, 10, 12], 80),
            vec![20, 17, 10, 12]
        );
        // Too wide: the optional columns go before the name is squeezed (NOTE comes back in
        // the room left over).
        assert_eq!(
            fit_columns(&cols, &[30, 17, 20, 36], 60),
            vec![30, 17, 11, 0]
        );
        // Narrower still: the name gives way down to its minimum.
        assert_eq!(
            fit_columns(&cols, &[30, 17, 20, 36], 40),
            vec![22, 17, 0, 0]
        );
        // Below the minimums the columns still fit (cut with "…"), never overflow.
        assert_eq!(fit_columns(&cols, &[30, 17, 20, 36], 20), vec![10, 9, 0, 0]);
        // A kept column never goes below its content.
        let kept = [
            Column::new("TEST", 5, 40, 0),
            Column::kept("UNIT", 4, 14, 0),
        ];
        assert_eq!(fit_columns(&kept, &[30, 13], 30), vec![16, 13]);
        // Kept columns give way when nothing else can: the columns always fit.
        assert_eq!(fit_columns(&kept, &[30, 13], 12), vec![5, 6]);
        // A dropped optional column comes back when it fits after all.
        let opt = [
            Column::new("A", 10, 40, 0),
            Column::new("B", 5, 30, 2),
            Column::new("C", 5, 60, 3),
        ];
        assert_eq!(fit_columns(&opt, &[40, 20, 60], 80), vec![40, 20, 18]);
        assert_eq!(fit_columns(&opt, &[40, 20, 60], 64), vec![40, 20, 0]);
    }
}
