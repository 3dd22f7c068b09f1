//! Fitting a table's columns to a width: columns that cannot all fit are dropped by
//! priority, optional ones come back into the room left over, and what is shown shares the
//! width, the widest columns giving way first. Pure arithmetic on widths.

use super::Column;

/// Column widths for `width` cells (0 = column dropped). Columns that cannot all fit even
/// at their minimum are dropped by priority; optional columns (priority 2 and up) are also
/// dropped rather than squeezing the essential ones (and take back whatever room is left
/// over); what is left shares the room, the widest columns giving way first. The result
/// always fits in `width` when at least one column can.
pub fn fit_columns(columns: &[Column], want: &[u16], width: u16) -> Vec<u16> {
    let mut fit = Fitting {
        columns,
        want: want.to_vec(),
        shown: (0..columns.len()).collect(),
    };
    let width = u32::from(width);
    fit.drop_below_minimums(width);
    let dropped = fit.drop_optional(width);
    fit.restore(dropped, width);
    fit.shrink(width)
}

/// The columns being fitted: the widths they want, and which are still shown.
struct Fitting<'a> {
    columns: &'a [Column],
    want: Vec<u16>,
    shown: Vec<usize>,
}

impl Fitting<'_> {
    /// The least column `i` can be given: its content for a kept column, else its minimum.
    fn min_of(&self, i: usize) -> u16 {
        if self.columns[i].keep {
            self.want[i].max(self.columns[i].min)
        } else {
            self.columns[i].min
        }
    }

    /// The width of the shown columns at widths `w`, with one cell between columns.
    fn sum(&self, w: impl Fn(usize) -> u16) -> u32 {
        let gaps = self.shown.len().saturating_sub(1) as u32;
        self.shown.iter().map(|i| u32::from(w(*i))).sum::<u32>() + gaps
    }

    /// The least important shown column of priority `least` or more (the last of equals).
    fn droppable(&self, least: u8) -> Option<usize> {
        self.shown
            .iter()
            .copied()
            .filter(|i| self.columns[*i].priority >= least)
            .max_by_key(|i| (self.columns[*i].priority, *i))
    }

    /// Columns that cannot all fit even at their minimum are dropped by priority.
    fn drop_below_minimums(&mut self, width: u32) {
        while self.shown.len() > 1 && self.sum(|i| self.min_of(i)) > width {
            match self.droppable(1) {
                Some(d) => self.shown.retain(|i| *i != d),
                None => break,
            }
        }
    }

    /// Optional columns (priority 2 and up) are dropped rather than squeezing the essential
    /// ones to their minimum; the ones dropped.
    fn drop_optional(&mut self, width: u32) -> Vec<usize> {
        let mut dropped: Vec<usize> = Vec::new();
        while self.sum(|i| self.want[i]) > width {
            match self.droppable(2) {
                Some(d) => {
                    self.shown.retain(|i| *i != d);
                    dropped.push(d);
                }
                None => break,
            }
        }
        dropped
    }

    /// An optional column dropped to make room comes back, in the room the others leave
    /// at their wanted widths, when that is at least its minimum (most important first).
    fn restore(&mut self, mut dropped: Vec<usize>, width: u32) {
        dropped.sort_by_key(|i| (self.columns[*i].priority, *i));
        for d in dropped {
            let room = width.saturating_sub(self.sum(|i| self.want[i]) + 1);
            if room >= u32::from(self.columns[d].min) {
                self.want[d] = self.want[d].min(u16::try_from(room).unwrap_or(u16::MAX));
                self.shown.push(d);
                self.shown.sort_unstable();
            }
        }
    }

    /// The shown columns at their wanted widths, taken down until they fit; when more
    /// columns than cells remain, columns are dropped, least important first.
    fn shrink(&mut self, width: u32) -> Vec<u16> {
        let mut widths: Vec<u16> = vec![0; self.columns.len()];
        for i in &self.shown {
            widths[*i] = self.want[*i];
        }
        let over = self.sum(|i| widths[i]).saturating_sub(width);
        let mut over = self.take_down(&mut widths, over);
        while over > 0 && self.shown.len() > 1 {
            let Some(d) = self.droppable(0) else {
                break;
            };
            self.shown.retain(|i| *i != d);
            widths[d] = 0;
            over = self.sum(|i| widths[i]).saturating_sub(width);
        }
        widths
    }

    /// Take `over` cells off `widths`, one at a time from the column with the most room
    /// above its floor: first the minimum (kept columns: their content), then the declared
    /// minimum, then one cell. The columns must fit: ratatui would otherwise squeeze them
    /// itself and cut text without a "…". What could not be taken.
    fn take_down(&self, widths: &mut [u16], mut over: u32) -> u32 {
        let floors: [&dyn Fn(usize) -> u16; 3] =
            [&|i| self.min_of(i), &|i| self.columns[i].min, &|_| 1];
        for floor in floors {
            while over > 0 {
                let Some(i) = self
                    .shown
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
        over
    }
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
