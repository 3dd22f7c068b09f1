//! A backend that lets the terminal scroll. When a list moves by a row, ratatui's diff sees
//! every visible row change and rewrites each of them; this backend spots rows that moved
//! up or down together, has the terminal move them (a scrolling region with `CSI S` or
//! `CSI T`, a few bytes), and then writes only what still differs: the row that came into
//! view and the moved highlight. It owns nothing else: the frame is ratatui's, drawn from
//! the state as ever, and the screen ends up cell for cell what the frame says.

use std::io;
use std::ops::Range;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};

/// Rows to move within the screen: `rows` (a half-open range of screen rows) shifted `by`
/// rows up (`up`) or down, the rows left behind blank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scroll {
    pub rows: Range<u16>,
    pub by: u16,
    pub up: bool,
}

/// Wraps a backend; see the module docs.
#[derive(Debug)]
pub struct ScrollingBackend<B> {
    inner: B,
    /// What the terminal shows, as drawn through this backend since it was last cleared
    /// (blank beyond its area, which grows with what is drawn).
    screen: Buffer,
}

impl<B> ScrollingBackend<B> {
    pub fn new(inner: B) -> ScrollingBackend<B> {
        ScrollingBackend {
            inner,
            screen: Buffer::empty(Rect::ZERO),
        }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }

    /// Forget what is on the screen (after a clear, or anything that moved it).
    fn forget(&mut self) {
        self.screen = Buffer::empty(Rect::ZERO);
    }
}

/// `buf` grown (never shrunk) to at least `width` x `height`, its cells kept in place.
fn grown(buf: &Buffer, width: u16, height: u16) -> Buffer {
    let (w, h) = (buf.area.width.max(width), buf.area.height.max(height));
    if (w, h) == (buf.area.width, buf.area.height) {
        return buf.clone();
    }
    let mut out = Buffer::empty(Rect::new(0, 0, w, h));
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out[(x, y)] = buf[(x, y)].clone();
        }
    }
    out
}

fn row_hashes(buf: &Buffer) -> Vec<u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let w = usize::from(buf.area.width);
    (0..usize::from(buf.area.height))
        .map(|y| {
            let mut h = DefaultHasher::new();
            buf.content[y * w..(y + 1) * w].hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The scroll that saves the most rewritten rows going from `old` to `new` (same area), if
/// it saves at least two: rows that changed in place but equal an old row `by` rows away.
pub fn find_scroll(old: &Buffer, new: &Buffer) -> Option<Scroll> {
    if old.area != new.area || old.area.height < 3 {
        return None;
    }
    let w = usize::from(old.area.width);
    let h = usize::from(old.area.height);
    let (ho, hn) = (row_hashes(old), row_hashes(new));
    // `new` row y shows `old` row z.
    let same = |y: usize, z: usize| {
        hn[y] == ho[z] && new.content[y * w..(y + 1) * w] == old.content[z * w..(z + 1) * w]
    };
    let changed: Vec<bool> = (0..h).map(|y| !same(y, y)).collect();
    let count = |ys: Range<usize>, want: bool| ys.filter(|y| changed[*y] == want).count();
    let mut best: Option<(usize, Scroll)> = None;
    let mut consider = |gain: usize, loss: usize, scroll: Scroll| {
        let net = gain.saturating_sub(loss);
        if net >= 2 && best.as_ref().is_none_or(|(b, _)| net > *b) {
            best = Some((net, scroll));
        }
    };
    let to_u16 = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
    for by in 1..h {
        // Up: new row y is old row y + by, for a run of rows [a, e); the region is
        // [a, e + by) and its last `by` rows come up blank.
        let mut y = 0;
        while y + by < h {
            if !same(y, y + by) {
                y += 1;
                continue;
            }
            let a = y;
            while y + by < h && same(y, y + by) {
                y += 1;
            }
            let scroll = Scroll {
                rows: to_u16(a)..to_u16(y + by),
                by: to_u16(by),
                up: true,
            };
            consider(count(a..y, true), count(y..y + by, false), scroll);
        }
        // Down: new row y is old row y - by, for a run [a, e); the region is [a - by, e)
        // and its first `by` rows come down blank.
        let mut y = by;
        while y < h {
            if !same(y, y - by) {
                y += 1;
                continue;
            }
            let a = y;
            while y < h && same(y, y - by) {
                y += 1;
            }
            let scroll = Scroll {
                rows: to_u16(a - by)..to_u16(y),
                by: to_u16(by),
                up: false,
            };
            consider(count(a..y, true), count(a - by..a, false), scroll);
        }
    }
    best.map(|(_, s)| s)
}

/// `buf` after the terminal carried out `scroll` (rows left behind are blank).
pub fn apply_scroll(buf: &mut Buffer, scroll: &Scroll) {
    let w = usize::from(buf.area.width);
    let (top, bottom) = (usize::from(scroll.rows.start), usize::from(scroll.rows.end));
    let by = usize::from(scroll.by).min(bottom - top);
    let region = &mut buf.content[top * w..bottom * w];
    if scroll.up {
        region.rotate_left(by * w);
        let len = region.len();
        region[len - by * w..].fill_with(Cell::default);
    } else {
        region.rotate_right(by * w);
        region[..by * w].fill_with(Cell::default);
    }
}

impl<B: Backend> Backend for ScrollingBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let updates: Vec<(u16, u16, &Cell)> = content.collect();
        let (w, h) = updates.iter().fold((0, 0), |(w, h), (x, y, _)| {
            (w.max(x.saturating_add(1)), h.max(y.saturating_add(1)))
        });
        let screen = grown(&self.screen, w, h);
        let mut next = screen.clone();
        for (x, y, cell) in &updates {
            next[(*x, *y)] = (*cell).clone();
        }
        match find_scroll(&screen, &next) {
            Some(scroll) => {
                if scroll.up {
                    self.inner
                        .scroll_region_up(scroll.rows.clone(), scroll.by)?;
                } else {
                    self.inner
                        .scroll_region_down(scroll.rows.clone(), scroll.by)?;
                }
                let mut moved = screen;
                apply_scroll(&mut moved, &scroll);
                self.inner.draw(moved.diff(&next).into_iter())?;
            }
            None => self.inner.draw(updates.into_iter())?,
        }
        self.screen = next;
        Ok(())
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.forget();
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.forget();
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.forget();
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }

    fn scroll_region_up(&mut self, region: Range<u16>, line_count: u16) -> Result<(), Self::Error> {
        self.forget();
        self.inner.scroll_region_up(region, line_count)
    }

    fn scroll_region_down(
        &mut self,
        region: Range<u16>,
        line_count: u16,
    ) -> Result<(), Self::Error> {
        self.forget();
        self.inner.scroll_region_down(region, line_count)
    }
}

/// Raw writes (leaving the alternate screen, clearing at exit) go straight through.
impl<B: io::Write> io::Write for ScrollingBackend<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests;
