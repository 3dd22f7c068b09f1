//! What a pane shows in place of its data: a message (loading, empty, failed), the
//! placeholder of a chart section that is not loaded, and the note under a list that the
//! server cut short. Words only; the caller picks where they go.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::spans::padded;
use crate::chart::Part;
use crate::config::Theme;

/// Draw a message (loading, empty, error) with an optional hint line. Lines keep their
/// one-space indent (`trim: false`), in line with the rest of the screen.
pub fn message(buf: &mut Buffer, area: Rect, lines: Vec<Line<'_>>) {
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

/// Draw the placeholder for a section that is not loaded; `None` when it is loaded.
pub fn part_placeholder<'a, T>(
    part: &'a Part<T>,
    what: &str,
    theme: &Theme,
    buf: &mut Buffer,
    area: Rect,
) -> Option<&'a T> {
    match part {
        Part::Loaded { data, .. } => Some(data),
        Part::Failed { message: m } => {
            message(
                buf,
                area,
                vec![
                    Line::from(Span::styled(
                        format!(" {what} could not be loaded"),
                        theme.status_error,
                    )),
                    Line::from(padded(" ", m, theme.base)),
                    Line::from(Span::styled(" Press r to try again.", theme.muted)),
                ],
            );
            None
        }
        Part::Loading => {
            message(
                buf,
                area,
                vec![Line::from(Span::styled(
                    format!(" Loading {}…", what.to_lowercase()),
                    theme.status_loading,
                ))],
            );
            None
        }
        Part::NotLoaded => {
            message(
                buf,
                area,
                vec![Line::from(Span::styled(
                    format!(" {what}: not loaded"),
                    theme.muted,
                ))],
            );
            None
        }
    }
}

/// The note shown under a list whose section was cut short by the server, or whose
/// older entries are still loading.
pub fn truncated_note<T>(part: &Part<T>) -> Option<&'static str> {
    match part {
        Part::Loaded {
            loading_more: true, ..
        } => Some("Loading older entries…"),
        Part::Loaded {
            truncated: true, ..
        } => Some("Only the newest entries were loaded; older ones exist on the server."),
        _ => None,
    }
}
