//! Tab 8, notes: the list of documents and reports, and the text of the selected one
//! below it (Enter reads it full screen, j/k scroll). Text is sanitized line by line;
//! attachments that are not text are listed, never opened.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::list_pane::{ListPane, ListRows};
use super::spans::{safe, text};
use super::table::CellSpec;
use crate::app::{ChartState, rows};
use crate::chart::columns::CellText;
use crate::chart::columns::notes::{self, NoteColumn};
use crate::chart::{Chart, NoteRow};
use crate::config::Theme;
use crate::text::clean_block;

/// The selected note read in full over the whole pane (the notes tab's open row).
pub fn render_note_reading(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::notes(chart, state.filter());
    if let Some(n) = list.get(state.selected()) {
        Clear.render(area, buf);
        let view = NoteView::Reading {
            scroll: state.scroll,
        };
        render_note(buf, area, n, view, theme);
    }
}

/// Draw the notes tab.
pub fn render_notes(
    buf: &mut Buffer,
    area: Rect,
    chart: &Chart,
    state: &ChartState,
    theme: &Theme,
) {
    let list = rows::notes(chart, state.filter());
    let pane = ListPane {
        part: &chart.notes,
        what: "Notes",
        none: "No notes or reports recorded.",
    };
    if pane
        .data(buf, area, list.len(), state.filter(), theme)
        .is_none()
    {
        return;
    }
    let selected = list.get(state.selected()).copied();
    let list_rows = u16::try_from(list.len() + 1)
        .unwrap_or(u16::MAX)
        .min(area.height / 3)
        .max(3);
    let [list_area, text_area] =
        Layout::vertical([Constraint::Length(list_rows), Constraint::Min(3)]).areas(area);
    let cell = |c: NoteColumn, n: &&NoteRow| -> CellSpec<'static> {
        let style = match c {
            NoteColumn::Author | NoteColumn::Status => theme.muted,
            _ => theme.base,
        };
        vec![text(&c.cell(n), style)]
    };
    let rows = ListRows {
        columns: &notes::TUI,
        rows: &list,
        selected: state.selected(),
    };
    rows.draw(buf, list_area, cell, |_| theme.base, theme);
    if let Some(n) = selected {
        render_note(buf, text_area, n, NoteView::Preview, theme);
    }
}

/// How a note's text is shown: read full screen (Enter), scrolled by `scroll` lines; or
/// previewed under the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteView {
    Reading { scroll: u16 },
    Preview,
}

/// The text of one note in a bordered box.
pub fn render_note(buf: &mut Buffer, area: Rect, n: &NoteRow, view: NoteView, theme: &Theme) {
    let (scroll, focused) = match view {
        NoteView::Reading { scroll } => (scroll, true),
        NoteView::Preview => (0, false),
    };
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
