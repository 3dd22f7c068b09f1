use std::io::Write;

use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{List, ListState, Paragraph, StatefulWidget, Widget};

use super::*;

/// A screen like a chart tab: a title, a list of `len` rows of which `selected` is
/// highlighted (kept in view at the bottom edge, as the tables do), and a footer that
/// names the selection.
fn draw_list(buf: &mut Buffer, area: Rect, len: usize, selected: usize) {
    let [title, list, footer] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(1),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(area);
    Paragraph::new("Results").render(title, buf);
    let items: Vec<Line> = (0..len)
        .map(|i| Line::from(format!("row {i:04} value {}", i * 7 % 13)))
        .collect();
    let mut state = ListState::default().with_selected(Some(selected));
    StatefulWidget::render(
        List::new(items).highlight_style(Style::new().bg(Color::Blue)),
        list,
        buf,
        &mut state,
    );
    Paragraph::new(format!("selected {selected}")).render(footer, buf);
}

fn on_frame(f: &mut ratatui::Frame, len: usize, selected: usize) {
    let area = f.area();
    draw_list(f.buffer_mut(), area, len, selected);
}

fn lines(buf: &Buffer) -> Vec<String> {
    let w = usize::from(buf.area.width);
    buf.content
        .chunks(w)
        .map(|r| r.iter().map(Cell::symbol).collect())
        .collect()
}

#[test]
fn rows_that_moved_up_or_down_are_found() {
    let area = Rect::new(0, 0, 20, 8);
    let mut old = Buffer::empty(area);
    let mut new = Buffer::empty(area);
    draw_list(&mut old, area, 30, 5);
    draw_list(&mut new, area, 30, 6);
    // The list (rows 1 to 6) moved up a row.
    let scroll = find_scroll(&old, &new);
    assert_eq!(
        scroll,
        Some(Scroll {
            rows: 1..6,
            by: 1,
            up: true
        })
    );
    let mut moved = old.clone();
    apply_scroll(
        &mut moved,
        &scroll.unwrap_or(Scroll {
            rows: 0..0,
            by: 0,
            up: true,
        }),
    );
    // Only the new bottom rows and the footer are left to write.
    let left: std::collections::BTreeSet<u16> =
        moved.diff(&new).iter().map(|(_, y, _)| *y).collect();
    assert_eq!(left, [5, 6, 7].into_iter().collect());

    // And back down.
    assert_eq!(
        find_scroll(&new, &old).map(|s| (s.by, s.up)),
        Some((1, false))
    );
    // Nothing moved: nothing to scroll.
    assert_eq!(find_scroll(&old, &old), None);
    let mut other = Buffer::empty(area);
    draw_list(&mut other, area, 30, 2);
    assert_eq!(
        find_scroll(&old, &other),
        None,
        "a highlight move is not a scroll"
    );
}

/// Every frame, however the list moves, the terminal ends up showing exactly that frame.
#[test]
fn the_screen_always_matches_the_frame() {
    let backend = ScrollingBackend::new(TestBackend::new(24, 10));
    let mut terminal = Terminal::new(backend).unwrap();
    let len = 40;
    let moves: Vec<usize> = (0..30)
        .chain((10..30).rev())
        .chain([39, 0, 20, 21, 12, 39, 38, 37])
        .collect();
    for selected in moves {
        let frame = terminal
            .draw(|f| on_frame(f, len, selected))
            .unwrap()
            .buffer
            .clone();
        let shown = terminal.backend().inner().buffer().clone();
        assert_eq!(lines(&shown), lines(&frame), "after selecting {selected}");
        assert_eq!(
            shown.content, frame.content,
            "styles after selecting {selected}"
        );
    }
    // After a clear (a resize), a full redraw.
    terminal.clear().unwrap();
    let frame = terminal
        .draw(|f| on_frame(f, len, 3))
        .unwrap()
        .buffer
        .clone();
    assert_eq!(terminal.backend().inner().buffer().content, frame.content);
}

#[derive(Clone, Default)]
struct Bytes(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Bytes {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Moving down a long list a row at a time costs the new row, not the whole list.
#[test]
fn a_one_row_scroll_writes_one_row() {
    let options = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(Rect::new(0, 0, 40, 30)),
    };
    let cost = |scrolling: bool| -> (usize, String) {
        let out = Bytes::default();
        let mut last = 0;
        let mut moves = Vec::new();
        let mut draw = |selected: usize, t: &mut dyn FnMut(usize)| {
            t(selected);
            let n = out.0.borrow().len();
            moves.push(n - last);
            last = n;
        };
        if scrolling {
            let backend = ScrollingBackend::new(CrosstermBackend::new(out.clone()));
            let mut t = Terminal::with_options(backend, options.clone()).unwrap();
            for s in 0..60 {
                draw(s, &mut |s| {
                    t.draw(|f| on_frame(f, 100, s)).unwrap();
                });
            }
        } else {
            let mut t = Terminal::with_options(CrosstermBackend::new(out.clone()), options.clone())
                .unwrap();
            for s in 0..60 {
                draw(s, &mut |s| {
                    t.draw(|f| on_frame(f, 100, s)).unwrap();
                });
            }
        }
        let worst = moves[40..].iter().copied().max().unwrap_or(0);
        (worst, String::from_utf8_lossy(&out.0.borrow()).into_owned())
    };
    let (plain, _) = cost(false);
    let (scrolled, text) = cost(true);
    assert!(plain > 400, "every row rewritten: {plain} bytes");
    assert!(
        scrolled < 150,
        "one row and the highlight: {scrolled} bytes"
    );
    // The terminal is asked to scroll the list's rows: region 2..28 (1-based), one up.
    assert!(text.contains("\u{1b}[2;28r\u{1b}[1S\u{1b}[r"), "{text:?}");
}
