//! The patient search screen: one query box, the matches (name, born with age, sex, MRN,
//! look-alike and deceased marks), and the recent patients of this session.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::placeholder::message;
use super::spans::{fit_line, padded, text, typed};
use super::table::{Column, draw_table};
use crate::app::{App, Remote, SearchState};
use crate::chart::PatientSummary;
use crate::common::SourceKind;
use crate::config::Theme;
use crate::text::display_width;

const COLUMNS: [Column; 6] = [
    Column::new("NAME", 16, 40, 0),
    Column::new("BORN (AGE)", 17, 18, 0),
    Column::new("SEX", 3, 7, 1),
    Column::new("MRN", 9, 38, 0),
    Column::new("", 9, 48, 2),
    Column::new("ID", 10, 40, 3),
];

/// Draw the search screen.
pub fn render_search(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let s = &app.search;
    let [title, input, help, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" rounds ", theme.title),
            Span::styled("Find a patient", theme.base),
        ])),
        title,
    );
    render_query(frame, input, s, theme);
    let help_line = match &s.problem {
        Some(p) => Line::from(Span::styled(format!(" {p}"), theme.status_error)),
        None => Line::from(Span::styled(
            " Name, 'smith, john', 'smith 1980-01-15', '1980-01-15' or 'mrn:12345'; Enter",
            theme.muted,
        )),
    };
    frame.render_widget(
        Paragraph::new(fit_line(help_line, usize::from(help.width))),
        help,
    );
    render_list(
        frame.buffer_mut(),
        list,
        s,
        first_look(app.source.kind),
        theme,
    );
}

/// What to say on the empty search screen: how to begin, and where help is. The demo and
/// local files can be listed whole (Enter on an empty box).
fn first_look(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Demo => {
            " Press Enter to list the demo patients, or type a name: try 'testwell'. F1 help"
        }
        SourceKind::Files => {
            " Press Enter to list the patients in the files, or type a search. F1 help"
        }
        SourceKind::Server => " Type a search and press Enter. F1 shows every key.",
    }
}

/// The patients found, or what stands in their place (how to search, searching, failed,
/// none found).
fn render_list(buf: &mut Buffer, list: Rect, s: &SearchState, idle: &str, theme: &Theme) {
    match &s.results {
        Remote::Loaded(rows) if !rows.is_empty() => render_patients(buf, list, s, rows, theme),
        Remote::Loaded(_) if s.showing_recent => {
            notice(buf, list, " No patients opened yet in this session.", theme)
        }
        Remote::Loaded(_) => notice(
            buf,
            list,
            " No patients found. Check the spelling, or search by birth date or MRN.",
            theme,
        ),
        Remote::Idle => notice(buf, list, idle, theme),
        Remote::Loading(_) => message(
            buf,
            list,
            vec![
                Line::from(""),
                Line::from(Span::styled(" Searching…", theme.status_loading)),
            ],
        ),
        Remote::Failed(e) => message(
            buf,
            list,
            vec![
                Line::from(""),
                Line::from(Span::styled(" The search failed", theme.status_error)),
                Line::from(padded(" ", e, theme.base)),
            ],
        ),
    }
}

/// A muted line under a blank one, in place of the list.
fn notice(buf: &mut Buffer, area: Rect, text: &str, theme: &Theme) {
    message(
        buf,
        area,
        vec![Line::from(""), Line::from(Span::styled(text, theme.muted))],
    );
}

/// The search box, with the cursor in it while typing.
fn render_query(frame: &mut Frame, area: Rect, s: &SearchState, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(s.editing))
        .title(Span::styled(" Search ", theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let style = if s.editing {
        theme.input_focused
    } else {
        theme.input
    };
    frame.render_widget(
        Paragraph::new(Span::styled(typed(s.input.text()), style)).style(style),
        inner,
    );
    if s.editing {
        let before: String = s.input.text().chars().take(s.input.cursor()).collect();
        let x = inner.x + (display_width(&before) as u16).min(inner.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y));
    }
}

/// How many patients were found (or that these are the recent ones), then the table.
fn render_patients(
    buf: &mut Buffer,
    area: Rect,
    s: &SearchState,
    rows: &[PatientSummary],
    theme: &Theme,
) {
    let [heading, table] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let count = if s.showing_recent {
        format!(" Recent patients ({})", rows.len())
    } else if s.more {
        format!(
            " {} patients shown; more match: narrow the search",
            rows.len()
        )
    } else {
        format!(
            " {} patient{} found",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )
    };
    Widget::render(
        Paragraph::new(Span::styled(count, theme.title)),
        heading,
        buf,
    );
    let body = rows
        .iter()
        .map(|r| {
            let mut marks = Vec::new();
            if r.lookalike {
                marks.push(Span::styled("LOOK-ALIKE ", theme.lookalike));
            }
            if r.deceased {
                marks.push(Span::styled("DECEASED", theme.banner_deceased));
            }
            // An inactive record, and the one that replaces it.
            if let Some(standing) = r.standing() {
                if !marks.is_empty() {
                    marks.push(Span::raw(" "));
                }
                marks.push(text(&standing, theme.banner_unknown));
            }
            (
                vec![
                    vec![text(&r.name, theme.base)],
                    vec![Span::styled(r.born_with_age(), theme.base)],
                    vec![Span::styled(r.sex.clone(), theme.base)],
                    vec![text(&r.mrn, theme.base)],
                    marks,
                    vec![text(&r.id, theme.muted)],
                ],
                theme.base,
            )
        })
        .collect();
    let selected = (!s.editing).then_some(s.selected);
    draw_table(buf, table, &COLUMNS, body, selected, theme);
}
