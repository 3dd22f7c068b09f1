//! The write path's layers on screen, under the banner (the patient stays in view): the
//! note back from the editor with its choices (sign and send, keep as draft, edit again,
//! discard), the outbox list (patient, kind, state, age, last error; a conflict as base /
//! theirs / mine), and the confirmations that name the patient.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::spans::safe;
use crate::app::writing::Item;
use crate::app::{App, Confirm, NoteConfirm, OutboxList};

/// The body less the banner's two lines (when a chart is open).
pub fn under_banner(app: &App, body: Rect) -> Rect {
    let top = if app.chart.is_some() {
        2.min(body.height)
    } else {
        0
    };
    Rect {
        y: body.y + top,
        height: body.height - top,
        ..body
    }
}

fn boxed<'a>(app: &App, title: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focused)
        .title(Line::styled(format!(" {} ", safe(title)), app.theme.title))
}

/// The note back from the editor.
pub fn render_note(frame: &mut Frame, body: Rect, app: &App, layer: &NoteConfirm) {
    let area = under_banner(app, body);
    frame.render_widget(Clear, area);
    let theme = &app.theme;
    let title = format!(
        "{} for {}",
        layer.note.kind.title(),
        layer.session.subject.label
    );
    let mut lines: Vec<Line> = Vec::new();
    let room = usize::from(area.height.saturating_sub(6)).max(1);
    let text: Vec<&str> = layer.note.text.lines().collect();
    for l in text.iter().take(room) {
        lines.push(Line::styled(safe(l), theme.base));
    }
    if text.len() > room {
        lines.push(Line::styled(
            format!("… {} more line(s)", text.len() - room),
            theme.muted,
        ));
    }
    lines.push(Line::raw(""));
    if layer.discard_armed {
        lines.push(Line::styled(
            "x again discards this note for good; any other key keeps it",
            theme.warning,
        ));
    }
    let kept = if layer.draft.is_some() {
        "Not sent yet: kept as a draft already (nothing is lost if you lock or quit)"
    } else {
        "Not sent yet, and not kept until it is sent (no outbox here)"
    };
    lines.push(Line::styled(kept, theme.muted));
    lines.push(Line::from(vec![
        Span::styled("s", theme.key_hint),
        Span::styled(" sign and send   ", theme.base),
        Span::styled("d", theme.key_hint),
        Span::styled(" keep as draft   ", theme.base),
        Span::styled("e", theme.key_hint),
        Span::styled(" edit again   ", theme.base),
        Span::styled("x", theme.key_hint),
        Span::styled(" discard", theme.base),
    ]));
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(app, &title))
            .style(theme.base),
        area,
    );
}

/// One outbox row: state, kind, age, what, for whom.
fn row(item: &Item, now: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{:<9} {:<8} {:>4}  {}  —  {}",
        item.state.name(),
        item.kind,
        item.age(now),
        item.summary,
        item.patient_label
    )
}

/// The outbox list.
pub fn render_outbox(frame: &mut Frame, body: Rect, app: &App, list: &OutboxList) {
    let area = under_banner(app, body);
    frame.render_widget(Clear, area);
    let theme = &app.theme;
    let w = &app.writing;
    let now = w.listed_at.unwrap_or_default();
    let mut lines: Vec<Line> = Vec::new();
    if w.items.is_empty() && w.refused.is_empty() {
        lines.push(Line::styled(
            "The outbox is empty: everything written has been sent.",
            theme.muted,
        ));
    }
    for (i, item) in w.items.iter().enumerate() {
        let style = if i == list.selected {
            theme.selected
        } else {
            theme.base
        };
        lines.push(Line::styled(safe(&row(item, now)), style));
        if let Some(e) = item
            .last_error
            .as_ref()
            .filter(|_| i == list.selected || item.state.is_failed())
        {
            lines.push(Line::styled(format!("    {}", safe(e)), theme.status_error));
        }
        if i == list.selected && list.detail {
            detail(&mut lines, app, item);
        }
    }
    for (j, r) in w.refused.iter().enumerate() {
        let style = if w.items.len() + j == list.selected {
            theme.selected
        } else {
            theme.status_error
        };
        lines.push(Line::styled(
            format!("REFUSED   {}  {}", r.id, safe(&r.why)),
            style,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "r retry   d discard   Enter details (a draft: reopen)   Esc close",
        theme.key_hint,
    ));
    let title = crate::app::writing::counts_text(&w.counts)
        .map(|t| format!("Outbox: {}", t.trim_start_matches("outbox ")))
        .unwrap_or_else(|| "Outbox".into());
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(app, &title))
            .style(theme.base)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// An item in full: who wrote it, what was written, a conflict as base / theirs / mine.
fn detail(lines: &mut Vec<Line>, app: &App, item: &Item) {
    let theme = &app.theme;
    let who = item
        .author
        .fhir_user
        .as_deref()
        .unwrap_or("(no user identity)");
    lines.push(Line::styled(
        format!(
            "    item {}  written by {}  tries {}",
            item.id,
            safe(who),
            item.attempts
        ),
        theme.muted,
    ));
    for r in item.references() {
        lines.push(Line::styled(
            format!("    written {}", safe(&r)),
            theme.muted,
        ));
    }
    if let Some(c) = &item.conflict {
        lines.push(Line::styled(
            format!(
                "    Conflict on {}: base / theirs / mine",
                safe(&c.resource)
            ),
            theme.warning,
        ));
        lines.extend(conflict_lines(theme, c));
    }
}

/// A conflict element by element: base (dimmed), theirs, mine; the outbox's item view and
/// the front desk's conflict modal show it alike.
pub fn conflict_lines(
    theme: &crate::config::Theme,
    c: &crate::app::writing::Conflict,
) -> Vec<Line<'static>> {
    let show = |v: &Option<String>| {
        crate::text::truncate_to(&safe(v.as_deref().unwrap_or("(absent)")), 50)
    };
    let mut lines = Vec::new();
    for d in c.differences() {
        lines.push(Line::styled(
            format!("    {}:", safe(&d.element)),
            theme.base,
        ));
        lines.push(Line::styled(
            format!("      base   {}", show(&d.base)),
            theme.muted,
        ));
        lines.push(Line::styled(
            format!("      theirs {}", show(&d.theirs)),
            theme.base,
        ));
        lines.push(Line::styled(
            format!("      mine   {}", show(&d.mine)),
            theme.base,
        ));
    }
    lines
}

/// A question that names the patient.
pub fn render_confirm(frame: &mut Frame, body: Rect, app: &App, confirm: &Confirm) {
    let theme = &app.theme;
    let (title, question) = match confirm {
        Confirm::Nka { subject } => (
            "No known allergies",
            format!("Record NO KNOWN ALLERGIES for {}?", subject.label),
        ),
        Confirm::Quit { what } => ("Quit", format!("{what}. Quit now?")),
        Confirm::Discard { id, label } => (
            "Discard",
            format!("Discard {label} (item {id}) without sending it? It cannot be brought back."),
        ),
    };
    let lines = vec![
        Line::styled(safe(&question), theme.warning),
        Line::raw(""),
        Line::styled("y yes    n no", theme.key_hint),
    ];
    let popup = centered(body, 70, 8);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(boxed(app, title))
            .style(theme.base)
            .wrap(Wrap { trim: true }),
        popup,
    );
}

/// A box of at most `width` x `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (area.width.min(width), area.height.min(height));
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
