//! The idle lock on screen: the countdown box drawn over whatever is shown, and the lock
//! screen, which shows no patient data at all (the state holds none by then).

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, LockPhase, LockReason, SignInView};

/// How a period reads: `5 min`, `90 s`.
fn period_words(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The countdown box, while the lock is near.
pub fn render_countdown(frame: &mut Frame, area: Rect, app: &App) {
    let LockPhase::Warning { locks_at } = app.lock.phase else {
        return;
    };
    let left = app.lock.seconds_left(locks_at, app.now);
    let theme = &app.theme;
    let lines = vec![
        Line::styled(
            format!(
                "No input for {}. Locking in {left} s.",
                period_words(app.lock.limit.unwrap_or_default() - app.lock.warning())
            ),
            theme.warning,
        ),
        Line::raw(""),
        Line::raw("The lock clears patient data from the screen and from memory."),
        Line::styled("Press any key to stay.", theme.key_hint),
    ];
    let popup = super::writing::centered(area, 66, 6);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::styled(" Idle lock ", theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.base)
            .wrap(Wrap { trim: true }),
        popup,
    );
}

/// The lock screen: why it locked, what to press, and the last unlock problem.
pub fn render_locked(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let (reason, problem, waiting) = match &app.lock.phase {
        LockPhase::Locked {
            reason, problem, ..
        } => (*reason, problem.as_deref(), false),
        LockPhase::Unlocking { reason, .. } => (*reason, None, true),
        _ => return,
    };
    let why = match reason {
        LockReason::Idle => format!(
            "rounds locked after {} without input.",
            period_words(app.lock.limit.unwrap_or_default())
        ),
        LockReason::Asked => "rounds is locked.".to_owned(),
    };
    let mut lines = vec![
        Line::styled("LOCKED", theme.title),
        Line::raw(""),
        Line::raw(why),
        Line::raw("Patient data has been cleared from the screen and from memory."),
        Line::raw(""),
    ];
    if let Some(view) = app.layers.sign_in() {
        let top = area.y + 1;
        let shown = lines.len() as u16;
        frame.render_widget(
            Paragraph::new(lines)
                .alignment(Alignment::Center)
                .style(theme.base),
            Rect {
                y: top,
                height: shown.min(area.height.saturating_sub(top - area.y)),
                ..area
            },
        );
        let rest = Rect {
            y: top + shown,
            height: area.bottom().saturating_sub(top + shown),
            ..area
        };
        render_sign_in(frame, rest, app, view);
        return;
    }
    if waiting {
        lines.push(Line::styled("Signing in again…", theme.status_loading));
    } else {
        lines.push(Line::styled(
            "Enter: sign in again and resume    q: quit",
            theme.key_hint,
        ));
    }
    if let Some(p) = problem {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            format!("Could not unlock: {}", super::spans::safe(p)),
            theme.status_error,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .style(theme.base)
            .wrap(Wrap { trim: true }),
        Rect {
            y: area.y + area.height / 4,
            height: area.height - area.height / 4,
            ..area
        },
    );
}

/// A sign-in in progress: the login's instructions (the address, the `ssh -L` hint), the
/// hidden box for the pasted redirect address, and the login's latest note.
fn render_sign_in(frame: &mut Frame, area: Rect, app: &App, view: &SignInView) {
    let theme = &app.theme;
    let mut lines: Vec<Line> = Vec::new();
    if view.instructions.is_empty() {
        lines.push(Line::styled("Signing in…", theme.status_loading));
    }
    for l in &view.instructions {
        // The login's own words and an address built from the server's configuration:
        // cleaned like any server text, and never cut (the address must stay whole).
        lines.push(Line::raw(super::spans::safe(l)));
    }
    lines.push(Line::raw(""));
    // The box for the pasted address, once the login has said it needs the user.
    let asks = !view.instructions.is_empty();
    if asks {
        let dots = "•".repeat(view.paste.text().chars().count().min(40));
        lines.push(Line::from(vec![
            ratatui::text::Span::styled("Paste the address here: ", theme.key_hint),
            ratatui::text::Span::styled(format!("{dots} "), theme.input_focused),
        ]));
    }
    if let Some(note) = &view.note {
        lines.push(Line::styled(super::spans::safe(note), theme.warning));
    }
    lines.push(Line::styled(
        if asks {
            "Enter: use the pasted address    Esc: cancel"
        } else {
            "Esc: cancel"
        },
        theme.muted,
    ));
    // No side borders: a terminal selection of the address then copies it with nothing
    // but line breaks (which browsers drop from a pasted address).
    let block = Block::default()
        .borders(Borders::TOP | Borders::BOTTOM)
        .border_style(theme.border_focused)
        .title(Line::styled(" Sign in ", theme.title));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.base)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// Rows the sign-in box takes at `width` (it has no side borders): the instructions
/// wrapped, the blank line, the paste box, the note, the keys and the two borders.
fn sign_in_rows(view: &SignInView, width: u16) -> u16 {
    let rows = |text: &str| wrapped_rows(&super::spans::safe(text), width);
    let asks = !view.instructions.is_empty();
    let instructions: u16 = if asks {
        view.instructions.iter().map(|l| rows(l)).sum()
    } else {
        1
    };
    let note = view.note.as_deref().map_or(0, rows);
    instructions + 1 + u16::from(asks) + note + 1 + 2
}

/// Rows `text` takes word-wrapped at `width`, a word longer than a row cut across rows (as
/// the paragraph wraps it); at worst an overestimate.
fn wrapped_rows(text: &str, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let (mut rows, mut col) = (1u16, 0usize);
    for (i, word) in text.split(' ').enumerate() {
        let w = unicode_width::UnicodeWidthStr::width(word);
        let need = if i == 0 { w } else { col + 1 + w };
        if need <= width {
            col = need;
            continue;
        }
        if i > 0 {
            rows = rows.saturating_add(1);
        }
        col = w;
        while col > width {
            rows = rows.saturating_add(1);
            col -= width;
        }
    }
    rows
}

/// A sign-in over the lower part of the screen (after the server ended the session; the
/// banner and what is loaded stay in view). On the lock screen, the lock draws it.
pub fn render_sign_in_box(frame: &mut Frame, area: Rect, app: &App) {
    let Some(view) = app.layers.sign_in().filter(|_| !app.lock.is_locked()) else {
        return;
    };
    // As tall as the instructions need: the whole address, the paste box and its keys
    // must show (a fixed height cut them off at 80x24).
    let height = sign_in_rows(view, area.width).max(14).min(area.height);
    let box_area = Rect {
        y: area.bottom() - height,
        height,
        ..area
    };
    render_sign_in(frame, box_area, app, view);
}

/// The notice that the server ended the session, over the lower part of the screen (the
/// banner and what is loaded stay in view).
pub fn render_session_notice(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let height = area.height.min(4);
    let box_area = Rect {
        y: area.bottom() - height,
        height,
        ..area
    };
    let lines = vec![
        Line::styled(
            "The server ended your session; what is on screen stays.",
            theme.warning,
        ),
        Line::styled(
            "Enter: sign in again (then what failed loads again)    Esc: later (:signin)",
            theme.key_hint,
        ),
    ];
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Line::styled(" Signed out ", theme.title));
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.base)
            .wrap(Wrap { trim: true }),
        box_area,
    );
}

#[cfg(test)]
mod tests {
    use super::wrapped_rows;

    #[test]
    fn rows_of_wrapped_text() {
        assert_eq!(wrapped_rows("", 10), 1);
        assert_eq!(wrapped_rows("0123456789", 10), 1);
        assert_eq!(wrapped_rows("0123456789a", 10), 2);
        assert_eq!(wrapped_rows("abc def ghi", 7), 2);
        // A long word starts a new row, then is cut across rows.
        assert_eq!(wrapped_rows(&format!("see {}", "x".repeat(25)), 10), 4);
        assert_eq!(wrapped_rows(&format!("  {}", "x".repeat(20)), 10), 3);
    }
}
