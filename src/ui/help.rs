//! The help screen, generated from the keymap the input handler uses, so it can never
//! disagree with what the keys do. `/` filters it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, Overlay, rows::matches};
use crate::config::Context;

/// Draw the help overlay centred over `area`.
pub fn render_help(frame: &mut Frame, area: Rect, app: &App) {
    let Overlay::Help {
        filter,
        editing,
        scroll,
    } = &app.overlay
    else {
        return;
    };
    let theme = &app.theme;
    let w = area.width.saturating_sub(4).min(90);
    let h = area.height.saturating_sub(2);
    let popup = Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h);
    let mut lines: Vec<Line> = Vec::new();
    let f = filter.text();
    lines.push(Line::from(Span::styled(
        "Typing in a box: Enter runs it, Esc clears or leaves it, Ctrl-U clears, Ctrl-W deletes a word.",
        theme.muted,
    )));
    for ctx in [
        Context::Search,
        Context::Chart,
        Context::Global,
        Context::Help,
    ] {
        let bindings: Vec<_> = app
            .keymap
            .bindings(ctx)
            .iter()
            .filter(|b| {
                let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
                matches(f, &[&b.desc, &keys.join(" ")])
            })
            .collect();
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(ctx.title(), theme.header)));
        for b in bindings {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            lines.push(Line::from(vec![
                // At least one space between keys and description, however many keys.
                Span::styled(format!("  {:<22} ", keys.join(" ")), theme.key_hint),
                Span::styled(b.desc.clone(), theme.base),
            ]));
        }
    }
    let title = if *editing || !f.is_empty() {
        format!(
            " Keys: filter '{}' (Enter done, Esc clear) ",
            super::common::typed(f)
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
            .wrap(Wrap { trim: false })
            .scroll((*scroll, 0)),
        popup,
    );
}
