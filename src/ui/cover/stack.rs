//! Sharing the cover sheet's height between its lists: every list keeps its title and at
//! least one line while rows last; longer lists are cut with a "… N more (press 4)" line
//! pointing at their tab, and lists that get no room at all are named in a last line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::CoverList;
use crate::config::Theme;
use crate::ui::spans::fit_line;

/// Stack the lists in `area`, sharing rows: every list keeps its title and at least one
/// line; longer ones are cut with a "more" line pointing at their tab.
pub(super) fn stack(buf: &mut Buffer, area: Rect, lists: Vec<CoverList<'_>>, theme: &Theme) {
    let (give, dropped) = share_rows(&lists, usize::from(area.height));
    let mut lines: Vec<Line> = Vec::new();
    for (list, rows) in lists.into_iter().zip(give) {
        if rows > 0 {
            push_list(&mut lines, list, rows, theme);
        }
    }
    if !dropped.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("… not shown (window too short): {}", dropped.join(", ")),
            theme.warning,
        )));
    }
    let width = usize::from(area.width);
    let lines: Vec<Line> = lines.into_iter().map(|l| fit_line(l, width)).collect();
    Paragraph::new(lines).render(area, buf);
}

/// The rows each list gets out of `height`, and the titles of the lists that get none.
fn share_rows(lists: &[CoverList<'_>], height: usize) -> (Vec<usize>, Vec<String>) {
    let n = lists.len();
    // Rows each list wants: title + lines (+ 1 for "more" when hidden rows exist).
    let want: Vec<usize> = lists
        .iter()
        .map(|s| 1 + s.lines.len() + usize::from(s.hidden > 0))
        .collect();
    // Each list first gets its title and one line, in order, while rows last; on a very
    // short screen the lists that get nothing are named in a last line.
    let mut give: Vec<usize> = vec![0; n];
    let mut left = height;
    let mut dropped: Vec<String> = Vec::new();
    for i in 0..n {
        let base = want[i].min(2);
        let reserve = usize::from(i + 1 < n);
        if left >= base + reserve {
            give[i] = base;
            left -= base;
        } else {
            dropped.extend(lists[i..].iter().map(|s| s.title.clone()));
            left = left.saturating_sub(1);
            break;
        }
    }
    // Hand out the remaining rows one at a time, to whoever still wants more.
    while left > 0 {
        let mut progressed = false;
        for i in 0..n {
            if left > 0 && give[i] < want[i] {
                give[i] += 1;
                left -= 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    (give, dropped)
}

/// A list's title and as many of its lines as fit in `rows`, the last one saying how many
/// more its tab holds when they do not all fit.
fn push_list<'a>(lines: &mut Vec<Line<'a>>, list: CoverList<'a>, rows: usize, theme: &Theme) {
    lines.push(Line::from(Span::styled(list.title.clone(), theme.header)));
    let room = rows - 1;
    let total = list.lines.len() + list.hidden;
    if total > room && room > 0 {
        let keep = room - 1;
        let more = total - keep;
        lines.extend(list.lines.into_iter().take(keep));
        let where_ = if list.tab > 0 {
            format!(" (press {})", list.tab)
        } else {
            String::new()
        };
        lines.push(Line::from(Span::styled(
            format!("  … {more} more{where_}"),
            theme.muted,
        )));
    } else {
        lines.extend(list.lines.into_iter().take(room));
    }
}
