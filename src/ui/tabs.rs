//! The chart tab bar: `1 Cover  2 Problems ...`, full titles when there is room.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::app::Tab;
use crate::config::Theme;

/// Draw the tab bar with `current` highlighted; `counts` are shown after titles when known.
pub fn render_tabs(buf: &mut Buffer, area: Rect, current: Tab, theme: &Theme) {
    let full = area.width >= 104;
    let mut spans = vec![Span::styled(" ", theme.tab)];
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let title = if full { tab.title() } else { tab.short_title() };
        let style = if *tab == current {
            theme.tab_active
        } else {
            theme.tab
        };
        spans.push(Span::styled(format!("{} {title}", i + 1), style));
        spans.push(Span::styled("  ", theme.tab));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}
