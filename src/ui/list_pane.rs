//! The skeleton every chart list tab shares (problems, medications, results, vitals,
//! encounters, immunizations, notes): the section's placeholder until it is loaded
//! (loading, failed, not loaded), a line when no row is left (none recorded, or none
//! matching the filter), and the table of the rows under the section's columns
//! (`chart::columns`) with the selected row kept in view. A pane says only which columns
//! it shows and how each cell looks; it draws what it adds around the list itself.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::placeholder::{message, part_placeholder};
use super::table::{CellSpec, Column, Measure, draw_table, draw_window};
use crate::chart::Part;
use crate::chart::columns::ColumnDef;
use crate::config::Theme;

/// A chart list tab: the section it lists, its name, and what it says with no rows.
pub struct ListPane<'a, T> {
    pub part: &'a Part<T>,
    /// The section's name in messages: `Problems`.
    pub what: &'static str,
    /// What the tab says when the section has no rows: `No problems recorded.`
    pub none: &'a str,
}

impl<'a, T> ListPane<'a, T> {
    /// Draw what stands in for the list: the section's placeholder while it is not
    /// loaded, or a line when `rows` is 0 (after `filter`). The section's data when there
    /// are rows to draw.
    pub fn data(
        &self,
        buf: &mut Buffer,
        area: Rect,
        rows: usize,
        filter: &str,
        theme: &Theme,
    ) -> Option<&'a T> {
        let data = part_placeholder(self.part, self.what, theme, buf, area)?;
        if rows == 0 {
            no_rows(buf, area, !filter.is_empty(), self.none, theme);
            return None;
        }
        Some(data)
    }
}

/// The line of a list with no rows: `none`, or that nothing matches the filter.
pub fn no_rows(buf: &mut Buffer, area: Rect, filtered: bool, none: &str, theme: &Theme) {
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

/// The rows of a list tab under its columns, with the selected row.
pub struct ListRows<'a, R, C> {
    pub columns: &'a [C],
    pub rows: &'a [R],
    pub selected: usize,
}

impl<R, C: ColumnDef> ListRows<'_, R, C> {
    /// Draw every row, each column as wide as its widest cell (short lists: problems,
    /// medications, immunizations, notes). `cell` draws one cell, `style` one row.
    pub fn draw(
        &self,
        buf: &mut Buffer,
        area: Rect,
        cell: impl Fn(C, &R) -> CellSpec<'static>,
        style: impl Fn(&R) -> Style,
        theme: &Theme,
    ) {
        let body = self
            .rows
            .iter()
            .map(|r| (self.columns.iter().map(|c| cell(*c, r)).collect(), style(r)))
            .collect();
        let columns = self.layout();
        draw_table(buf, area, &columns, body, Some(self.selected), theme);
    }

    /// Draw only the rows in view, the columns sized by `measure` (long lists: results,
    /// vitals, encounters, measured once per change in `app::widths`).
    pub fn draw_measured(
        &self,
        buf: &mut Buffer,
        area: Rect,
        measure: &Measure,
        cell: impl Fn(C, &R) -> CellSpec<'static>,
        style: impl Fn(&R) -> Style,
        theme: &Theme,
    ) {
        let row = |i: usize| match self.rows.get(i) {
            Some(r) => (self.columns.iter().map(|c| cell(*c, r)).collect(), style(r)),
            None => (Vec::new(), theme.base),
        };
        let columns = self.layout();
        let (len, selected) = (self.rows.len(), Some(self.selected));
        draw_window(buf, area, &columns, measure, len, selected, row, theme);
    }

    fn layout(&self) -> Vec<Column> {
        self.columns.iter().map(|c| Column::of(*c)).collect()
    }
}
