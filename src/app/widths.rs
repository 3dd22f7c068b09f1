//! Column widths of the long lists (results, vitals, encounters), measured in `update` when
//! the chart, the tab, the results view or the filter changes, instead of on every frame:
//! a pane sizes its columns from these and builds only the rows in view, so a cursor move
//! costs the rows on screen whatever the list's length. The panes measure for themselves
//! when the widths were measured for something else (a state built without `update`).
//! The columns measured are the panes' own (`chart::columns`, the TUI's selection).

use super::rows;
use crate::chart::Chart;
use crate::chart::columns::{self, encounters, labs, vitals};
use crate::common::{ResultsView, Tab};
use crate::text::clean_width;

/// The widest cell (cleaned text, in columns) of each column of the current tab's list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Widths {
    key: Option<Key>,
    /// One per column; on the results list, with the date's time.
    pub wide: Vec<u16>,
    /// The results list with the date alone (a narrower terminal); else as `wide`.
    pub narrow: Vec<u16>,
}

/// What the widths were measured for: a tab and view of one version of the chart's data,
/// after a filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub tab: Tab,
    pub view: ResultsView,
    pub filter: String,
    pub version: u64,
}

impl Widths {
    /// Whether these widths were measured for `key`.
    pub fn is_for(&self, key: &Key) -> bool {
        self.key.as_ref() == Some(key)
    }
}

fn widest<S: AsRef<str>, const N: usize>(cells: impl Iterator<Item = [S; N]>) -> Vec<u16> {
    let mut out = vec![0u16; N];
    for row in cells {
        for (w, s) in out.iter_mut().zip(row) {
            *w = (*w).max(u16::try_from(clean_width(s.as_ref())).unwrap_or(u16::MAX));
        }
    }
    out
}

/// The widest cell of each of `columns` over `rows`.
fn widest_of<R, C: columns::CellText<R>, const N: usize>(columns: [C; N], rows: &[&R]) -> Vec<u16> {
    widest(rows.iter().map(|r| columns.map(|c| c.cell(*r))))
}

/// Measure the list a tab of `chart` shows (as `key` says).
pub fn measure(chart: Option<&Chart>, key: Key) -> Widths {
    let Some(chart) = chart else {
        return Widths {
            key: Some(key),
            ..Widths::default()
        };
    };
    let f = key.filter.as_str();
    let (wide, narrow) = match (key.tab, key.view) {
        (Tab::Results, ResultsView::List) => {
            let list = rows::labs(chart, f);
            (
                widest_of(labs::LIST, &list),
                widest_of(labs::LIST_BY_DAY, &list),
            )
        }
        (Tab::Vitals, _) => {
            let w = widest_of(vitals::TUI, &rows::vitals(chart, f));
            (w.clone(), w)
        }
        (Tab::Encounters, _) => {
            let w = widest_of(encounters::TUI, &rows::encounters(chart, f));
            (w.clone(), w)
        }
        _ => (Vec::new(), Vec::new()),
    };
    Widths {
        key: Some(key),
        wide,
        narrow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widest_cells_are_measured_cleaned() {
        let rows = [["a  b", "xyz"], ["abcd", "\u{1b}[1mz"]];
        assert_eq!(widest(rows.into_iter()), vec![4, 3]);
    }
}
