//! Tab 8, notes: the list of documents and reports, and the text of the selected one
//! below it (Enter reads it full screen, j/k scroll). Text is sanitized line by line;
//! attachments that are not text are listed, never opened.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::placeholder::{message, part_placeholder};
use super::spans::{safe, text};
use super::table::{Column, draw_table};
use crate::app::{ChartState, rows};
use crate::chart::{Chart, NoteRow};
use crate::config::Theme;
use crate::text::clean_block;

/// Draw the notes tab.
pub fn render_notes(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    if part_placeholder(&chart.notes, "Notes", theme, buf, area).is_none() {
        return;
    }
    let list = rows::notes(chart, state.filter());
    if list.is_empty() {
        let msg = if state.filter().is_empty() {
            " No notes or reports recorded."
        } else {
            " Nothing matches the filter (Esc clears it)."
        };
        return message(buf, area, vec![Line::from(Span::styled(msg, theme.muted))]);
    }
    let selected = list.get(state.selected()).copied();
    if state.detail {
        if let Some(n) = selected {
            render_note(buf, area, n, state.scroll, true, theme);
        }
        return;
    }
    let list_rows = u16::try_from(list.len() + 1)
        .unwrap_or(u16::MAX)
        .min(area.height / 3)
        .max(3);
    let [list_area, text_area] =
        Layout::vertical([Constraint::Length(list_rows), Constraint::Min(3)]).areas(area);
    const COLS: [Column; 4] = [
        Column::new("DATE", 11, 17, 1),
        Column::new("TITLE", 16, 40, 0),
        Column::new("AUTHOR", 12, 30, 2),
        Column::new("STATUS", 6, 12, 3),
    ];
    let body = list
        .iter()
        .map(|n| {
            (
                vec![
                    vec![text(&n.date, theme.base)],
                    vec![text(&n.title, theme.base)],
                    vec![text(&n.author, theme.muted)],
                    vec![text(&n.status, theme.muted)],
                ],
                theme.base,
            )
        })
        .collect();
    draw_table(buf, list_area, &COLS, body, Some(state.selected()), theme);
    if let Some(n) = selected {
        render_note(buf, text_area, n, 0, false, theme);
    }
}

/// The text of one note in a bordered box, scrolled by `scroll` lines.
pub fn render_note(
    buf: &mut Buffer,
    area: Rect,
    n: &NoteRow,
    scroll: u16,
    focused: bool,
    theme: &Theme,
) {
    let mut lines: Vec<Line> = Vec::new();
    match &n.text {
        Some(t) => lines.extend(
            clean_block(t)
                .lines()
                .map(|l| Line::from(Span::styled(l.to_owned(), theme.base))),
        ),
        None => lines.push(Line::from(Span::styled("(no text)", theme.muted))),
    }
    for a in &n.attachments {
        lines.push(Line::from(Span::styled(
            format!(
                "[attachment not shown: {} ({})]",
                safe(&a.title),
                safe(&a.content_type)
            ),
            theme.warning,
        )));
    }
    let hint = if focused {
        " j/k scroll, Esc back "
    } else {
        " Enter to read "
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(theme.border(focused))
        .title(vec![
            Span::styled(format!(" {} ", safe(&n.title)), theme.title),
            Span::styled(
                format!("{} · {} ", safe(&n.date), safe(&n.author)),
                theme.muted,
            ),
            Span::styled(hint, theme.key_hint),
        ]);
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(area, buf);
}
