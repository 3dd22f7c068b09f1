//! The help screen, generated from the keymap the input handler uses, so it can never
//! disagree with what the keys do. `/` filters it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{App, HelpLine, help_lines};

/// Draw the help overlay centred over `area`.
pub fn render_help(frame: &mut Frame, area: Rect, app: &App) {
    let Some((filter, editing, scroll)) = app.layers.help() else {
        return;
    };
    let theme = &app.theme;
    let w = area.width.saturating_sub(4).min(90);
    let h = area.height.saturating_sub(2);
    let popup = Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h);
    let f = filter.text();
    let lines: Vec<Line> = help_lines(&app.keymap, app.screen, f)
        .into_iter()
        .map(|l| match l {
            HelpLine::Note(n) => Line::from(Span::styled(n, theme.muted)),
            HelpLine::Blank => Line::from(""),
            HelpLine::Heading(h) => Line::from(Span::styled(h, theme.header)),
            HelpLine::Binding { keys, desc } => Line::from(vec![
                // At least one space between keys and description, however many keys.
                Span::styled(format!("  {keys:<22} "), theme.key_hint),
                Span::styled(desc, theme.base),
            ]),
        })
        // One screen line per help line (no wrapping), so scrolling can stop at the end.
        .map(|l| super::spans::fit_line(l, usize::from(w.saturating_sub(2))))
        .collect();
    let title = if editing || !f.is_empty() {
        format!(
            " Keys: filter '{}' (Enter done, Esc clear) ",
            super::spans::typed(f)
        )
    } else {
        " Keys (/ filter, Esc close) ".to_owned()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Span::styled(title, theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.base)
            .scroll((scroll, 0)),
        popup,
    );
}
