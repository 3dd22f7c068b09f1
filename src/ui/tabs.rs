//! The chart tab bar: `1 Cover  2 Problems ...`, full titles when there is room, short ones
//! otherwise, one space apart when even those do not fit two apart (80 columns).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::Tab;
use crate::config::Theme;

/// Draw the tab bar with `current` highlighted.
pub fn render_tabs(buf: &mut Buffer, area: Rect, current: Tab, theme: &Theme) {
    // The width of the bar with these titles and gaps: a space, then `N title` each.
    let width = |title: fn(Tab) -> &'static str, gap: usize| -> usize {
        let titles: usize = Tab::ALL.iter().map(|t| title(*t).chars().count() + 2).sum();
        1 + titles + gap * (Tab::ALL.len() - 1)
    };
    let room = usize::from(area.width);
    let (title, gap): (fn(Tab) -> &'static str, &str) = if width(Tab::title, 2) <= room {
        (Tab::title, "  ")
    } else if width(Tab::short_title, 2) <= room {
        (Tab::short_title, "  ")
    } else {
        (Tab::short_title, " ")
    };
    let mut spans = vec![Span::styled(" ", theme.tab)];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let style = if *tab == current {
            theme.tab_active
        } else {
            theme.tab
        };
        if i > 0 {
            spans.push(Span::styled(gap, theme.tab));
        }
        spans.push(Span::styled(format!("{} {}", i + 1, title(*tab)), style));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}
