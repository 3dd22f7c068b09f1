//! The idle lock on screen: the countdown box drawn over whatever is shown, and the lock
//! screen, which shows no patient data at all (the state holds none by then).

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, LockPhase, LockReason};

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
    let width = area.width.min(66);
    let height = area.height.min(6);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
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
            format!("Could not unlock: {}", super::common::safe(p)),
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
