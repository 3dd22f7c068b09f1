//! Column widths of the long lists (results, vitals, encounters), measured in `update` when
//! the chart, the tab, the results view or the filter changes, instead of on every frame:
//! a pane sizes its columns from these and builds only the rows in view, so a cursor move
//! costs the rows on screen whatever the list's length. The panes measure for themselves
//! when the widths were measured for something else (a state built without `update`).

use super::rows;
use super::state::{ChartState, ResultsView, Tab};
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

/// What the widths were measured for.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    tab: Tab,
    view: ResultsView,
    filter: String,
    version: u64,
}

fn key_of(state: &ChartState) -> Key {
    Key {
        tab: state.tab,
        view: state.results_view,
        filter: state.filter().to_owned(),
        version: state.version,
    }
}

fn widest<'a, const N: usize>(cells: impl Iterator<Item = [&'a str; N]>) -> Vec<u16> {
    let mut out = vec![0u16; N];
    for row in cells {
        for (w, s) in out.iter_mut().zip(row) {
            *w = (*w).max(u16::try_from(clean_width(s)).unwrap_or(u16::MAX));
        }
    }
    out
}

/// Measure the list `state` shows now.
pub fn measure(state: &ChartState) -> Widths {
    let mut out = Widths {
        key: Some(key_of(state)),
        ..Widths::default()
    };
    let Some(chart) = state.data.loaded() else {
        return out;
    };
    let f = state.filter();
    match (state.tab, state.results_view) {
        (Tab::Results, ResultsView::List) => {
            let list = rows::labs(chart, f);
            out.wide = widest(list.iter().map(|r| r.columns(true)));
            out.narrow = widest(list.iter().map(|r| r.columns(false)));
        }
        (Tab::Vitals, _) => {
            out.wide = widest(rows::vitals(chart, f).into_iter().map(rows::vital_cells));
            out.narrow = out.wide.clone();
        }
        (Tab::Encounters, _) => {
            out.wide = widest(
                rows::encounters(chart, f)
                    .into_iter()
                    .map(rows::encounter_cells),
            );
            out.narrow = out.wide.clone();
        }
        _ => {}
    }
    out
}

/// The widths of the list `state` shows now, if they were measured for it.
pub fn current(state: &ChartState) -> Option<&Widths> {
    (state.widths.key.as_ref() == Some(&key_of(state))).then_some(&state.widths)
}

/// Measure again when the chart, tab, view or filter changed since the last measure.
pub fn refresh(state: &mut ChartState) {
    if current(state).is_none() {
        state.widths = measure(state);
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
