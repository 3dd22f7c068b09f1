//! The front desk's layers on screen: the `:register` form (its fields, what is wrong in
//! words, the duplicate check running), the candidates it found (name and born with age,
//! sex, MRN, why each was found; the explicit "none of these is this person" question), the
//! demographics form under the banner (phone, email, address, prefilled), and the conflict
//! modal (what changed, theirs against mine, the version numbers; nothing overwritten).
//! Every server string is cleaned here. Pure functions of the state.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::spans::safe;
use super::writing::{centered, conflict_lines, under_banner};
use crate::app::App;
use crate::app::LineInput;
use crate::app::desk::{
    CONTACT_FIELDS, ConflictView, DemographicsForm, REGISTER_FIELDS, RegisterForm, RegisterStage,
};
use crate::frontdesk::patient_new::Candidate;
use crate::text::{fit, truncate_to};

fn block<'a>(app: &App, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border_focused)
        .title(Line::styled(title, app.theme.title))
}

/// The form's fields, one a line: the label, the box, an example when empty.
fn field_lines<'a>(
    app: &App,
    fields: &[LineInput],
    labels: &[(&str, &str)],
    focus: Option<usize>,
    width: usize,
) -> Vec<Line<'a>> {
    let theme = &app.theme;
    fields
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (f, (label, example)))| {
            let focused = focus == Some(i);
            let room = width.saturating_sub(12).max(1);
            let text = truncate_to(&safe(f.text()), room);
            let mut spans = vec![
                Span::styled(
                    format!("{label:>8}  "),
                    if focused { theme.key_hint } else { theme.base },
                ),
                Span::styled(
                    text.clone(),
                    if focused {
                        theme.input_focused
                    } else {
                        theme.input
                    },
                ),
            ];
            if text.is_empty() {
                spans.push(Span::styled(format!("({example})"), theme.muted));
            }
            Line::from(spans)
        })
        .collect()
}

/// Put the cursor in the focused field.
fn cursor(frame: &mut Frame, area: Rect, input: &LineInput, row: usize) {
    let y = area.y + 1 + row as u16;
    let x = area.x + 1 + 10 + input.cursor() as u16;
    if y < area.bottom().saturating_sub(1) && x < area.right().saturating_sub(1) {
        frame.set_cursor_position(Position::new(x, y));
    }
}

pub fn render_register(frame: &mut Frame, body: Rect, app: &App, form: &RegisterForm) {
    let area = body;
    frame.render_widget(Clear, area);
    let theme = &app.theme;
    let width = usize::from(area.width.saturating_sub(2));
    if let RegisterStage::Candidates {
        candidates,
        warnings,
        selected,
        confirming,
        reg,
    } = &form.stage
    {
        let mut lines = vec![
            Line::styled(
                truncate_to(
                    &format!("Possible duplicates of {}", safe(&reg.label())),
                    width,
                ),
                theme.warning,
            ),
            Line::styled(
                truncate_to(
                    &format!(
                        "  {} {} {} {}",
                        fit("NAME", 30),
                        fit("BORN", 17),
                        fit("SEX", 7),
                        "MRN"
                    ),
                    width,
                ),
                theme.header,
            ),
        ];
        // Two lines a candidate: who, then why they were found.
        let room = (usize::from(area.height.saturating_sub(9)) / 2).max(1);
        let first = selected.saturating_sub(room - 1);
        for (i, c) in candidates.iter().enumerate().skip(first).take(room) {
            let style = if i == *selected {
                theme.selected
            } else if c.row.deceased || c.row.inactive {
                theme.muted
            } else {
                theme.base
            };
            let (who, why) = candidate_text(c, width);
            lines.push(Line::styled(who, style));
            lines.push(Line::styled(why, theme.muted));
        }
        for w in warnings.iter().take(2) {
            lines.push(Line::styled(
                truncate_to(&format!("Not searched: {}", safe(w)), width),
                theme.muted,
            ));
        }
        if let Some(p) = &form.problem {
            lines.push(Line::styled(safe(p), theme.status_error));
        }
        if *confirming {
            lines.push(Line::styled(
                truncate_to(&format!("None of these is {}?", safe(&reg.label())), width),
                theme.warning,
            ));
            lines.push(Line::styled(
                "Create a new record for this person:   y yes   n no",
                theme.warning,
            ));
        } else {
            lines.push(Line::styled(
                "Enter open this chart   N none of these is this person   Esc edit",
                theme.key_hint,
            ));
        }
        frame.render_widget(
            Paragraph::new(lines)
                .block(block(app, " Register: is this one of them? ".into()))
                .style(theme.base)
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let editing = form.stage == RegisterStage::Editing;
    let mut lines = field_lines(
        app,
        &form.fields,
        &REGISTER_FIELDS,
        editing.then_some(form.focus),
        width,
    );
    lines.push(Line::raw(""));
    match &form.stage {
        RegisterStage::Checking(_) => lines.push(Line::styled(
            "Looking for this person on the server before creating anything…",
            theme.status_loading,
        )),
        RegisterStage::Creating(_) => lines.push(Line::styled(
            "Registering (kept in the outbox, then sent)…",
            theme.status_loading,
        )),
        _ => {}
    }
    if let Some(p) = &form.problem {
        lines.push(Line::styled(safe(p), theme.status_error));
    }
    lines.push(Line::styled(
        "Tab next field   Enter check for duplicates and register   Esc close",
        theme.key_hint,
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(app, " Register a new patient ".into()))
            .style(theme.base)
            .wrap(Wrap { trim: false }),
        area,
    );
    if editing {
        cursor(frame, area, &form.fields[form.focus], form.focus);
    }
}

/// A candidate's lines: name, born (age), sex, MRN; then why they were found (deceased,
/// inactive and "registered before" said first).
fn candidate_text(c: &Candidate, width: usize) -> (String, String) {
    let mut why = c.found_by.join("; ");
    if c.repeat {
        why = format!("REGISTERED BEFORE (the same details); {why}");
    }
    if let Some(s) = c.row.standing() {
        why = format!("{s}; {why}");
    }
    if c.row.deceased {
        why = format!("deceased; {why}");
    }
    let who = format!(
        "  {} {} {} {}",
        fit(&safe(&c.row.name), 30),
        fit(&safe(&c.row.born_with_age()), 17),
        fit(&safe(&c.row.sex), 7),
        safe(&c.row.mrn),
    );
    let why = format!("      found by: {}", safe(&why));
    (truncate_to(&who, width), truncate_to(&why, width))
}

pub fn render_demographics(frame: &mut Frame, body: Rect, app: &App, form: &DemographicsForm) {
    let under = under_banner(app, body);
    let area = Rect {
        height: under.height.min(10),
        ..under
    };
    frame.render_widget(Clear, area);
    let theme = &app.theme;
    let width = usize::from(area.width.saturating_sub(2));
    let ready = form.reading.is_none() && form.sending.is_none();
    let mut lines = field_lines(
        app,
        &form.fields,
        &CONTACT_FIELDS,
        ready.then_some(form.focus),
        width,
    );
    lines.push(Line::raw(""));
    if form.reading.is_some() {
        lines.push(Line::styled(
            "Reading the record's current details…",
            theme.status_loading,
        ));
    }
    if form.sending.is_some() {
        lines.push(Line::styled(
            "Sending (the old details are kept, ended today)…",
            theme.status_loading,
        ));
    }
    if let Some(p) = &form.problem {
        lines.push(Line::styled(safe(p), theme.status_error));
    }
    lines.push(Line::styled(
        "Tab next field   Enter save (old ones kept, ended)   Esc close",
        theme.key_hint,
    ));
    let title = format!(" Contact details of {} ", safe(&form.label));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(app, truncate_to(&title, width)))
            .style(theme.base)
            .wrap(Wrap { trim: false }),
        area,
    );
    if ready {
        cursor(frame, area, &form.fields[form.focus], form.focus);
    }
}

pub fn render_conflict(frame: &mut Frame, body: Rect, app: &App, view: &ConflictView) {
    let area = centered(body, 76, 18);
    frame.render_widget(Clear, area);
    let theme = &app.theme;
    let width = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![Line::styled(
        truncate_to(&safe(&view.patient), width),
        theme.title,
    )];
    for l in &view.lines {
        lines.push(Line::styled(safe(l), theme.warning));
    }
    let v = |x: &Option<String>| x.as_deref().map(safe).unwrap_or_else(|| "not known".into());
    lines.push(Line::styled(
        format!(
            "Version you changed: {}   version on the server now: {}",
            v(&view.mine_version),
            v(&view.theirs_version)
        ),
        theme.base,
    ));
    if let Some(c) = &view.conflict {
        lines.push(Line::styled(
            "What differs (base: as read here; theirs: the server now; mine: not sent):",
            theme.muted,
        ));
        lines.extend(conflict_lines(theme, c));
    }
    lines.push(Line::styled(
        "Esc close (the list or chart is read again)",
        theme.key_hint,
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(app, format!(" Conflict: {} ", safe(&view.what))))
            .style(theme.base)
            .wrap(Wrap { trim: false }),
        area,
    );
}
