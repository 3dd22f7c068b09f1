//! The schedule layer on screen: one line per appointment (local time, status, patient by
//! name and born date, MRN, visit type) and under it the patient's glance (allergies,
//! latest vitals: `patient_lists::glance_line`), in time order; cancelled and no-show visits dimmed,
//! never hidden; the last check-in's answer (a conflict in the error style); the keys.
//! Every server string is cleaned here. A pure function of the state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Clear;

use super::spans::safe;
use crate::app::App;
use crate::app::schedule::ScheduleList;
use crate::chart::format::NOT_KNOWN;
use crate::frontdesk::schedule::ScheduleRow;
use crate::text::{fit, truncate_to};

/// One row's text, `width` columns wide.
fn row_text(r: &ScheduleRow, width: usize) -> String {
    let (name, born, mrn) = match &r.patient {
        Some(p) => (safe(&p.name), safe(&p.born), safe(&p.mrn)),
        None => (
            "Patient not sent".to_owned(),
            NOT_KNOWN.to_owned(),
            NOT_KNOWN.to_owned(),
        ),
    };
    // A visit the server placed on another local day says which, before its type (day
    // and month: the year is the title's, and the column is narrow).
    let visit = match &r.other_date {
        Some(d) => format!(
            "on {}: {}",
            safe(d.get(..6).unwrap_or(d)),
            safe(&r.visit_type)
        ),
        None => safe(&r.visit_type),
    };
    let line = format!(
        "{} {} {} {} {} {}",
        fit(&safe(&r.time), 5),
        fit(&safe(&r.status_label), 10),
        fit(&name, 24),
        fit(&born, 11),
        fit(&mrn, 10),
        visit
    );
    truncate_to(&line, width)
}

pub fn render_schedule(frame: &mut Frame, body: Rect, app: &App, list: &ScheduleList) {
    frame.render_widget(Clear, body);
    let theme = &app.theme;
    let width = usize::from(body.width.saturating_sub(2));
    let date = crate::chart::date::FhirDate::Day(list.request.query.window.date).display_date();
    let mut title = format!(" Schedule {date} ({}) ", safe(list.request.zone.name()));
    if let Some(t) = &list.as_of {
        title.push_str(&format!("· as of {} ", safe(t)));
    }
    if list.loading.is_some() {
        title.push_str("· loading… ");
    }
    let mut lines: Vec<Line> = vec![Line::styled(
        truncate_to(
            &format!(
                "{} {} {} {} {} {}",
                fit("TIME", 5),
                fit("STATUS", 10),
                fit("PATIENT", 24),
                fit("BORN", 11),
                fit("MRN", 10),
                "VISIT"
            ),
            width,
        ),
        theme.header,
    )];
    // A failed refresh is said above the rows last fetched (kept, with their "as of").
    if let Some(e) = &list.error {
        lines.push(Line::styled(
            truncate_to(
                &format!("The schedule could not be loaded: {}", safe(e)),
                width,
            ),
            theme.status_error,
        ));
    }
    match &list.schedule {
        None if list.error.is_none() => {
            lines.push(Line::styled("Loading…", theme.status_loading));
        }
        None => {}
        Some(s) if s.rows.is_empty() => {
            lines.push(Line::styled("No appointments this day.", theme.muted));
        }
        Some(s) => {
            // Keep the selected row in view (two lines a row: the row, its glance).
            let range = crate::app::lists::visible(
                list.selected,
                s.rows.len(),
                crate::app::lists::rows_room(app.size.1),
            );
            for (i, r) in s.rows.iter().enumerate().take(range.end).skip(range.start) {
                let style = if i == list.selected {
                    theme.selected
                } else if r.is_off() {
                    theme.muted
                } else if r.patient.as_ref().is_some_and(|p| p.lookalike) {
                    theme.lookalike
                } else {
                    theme.base
                };
                lines.push(Line::styled(row_text(r, width), style));
                lines.push(super::patient_lists::glance_line(
                    app,
                    r.patient_id.as_deref(),
                    width,
                ));
            }
            // What is not on the list is said, never dropped silently (one line).
            let mut left_out = Vec::new();
            if s.cut_short {
                left_out.push("more appointments than listed".to_owned());
            }
            if s.unreadable > 0 {
                left_out.push(format!(
                    "{} appointment{} could not be read",
                    s.unreadable,
                    if s.unreadable == 1 { "" } else { "s" }
                ));
            }
            if !left_out.is_empty() {
                lines.push(Line::styled(
                    truncate_to(&format!("({})", left_out.join("; ")), width),
                    theme.warning,
                ));
            }
        }
    }
    if let Some((text, bad)) = &list.notice {
        let style = if *bad {
            theme.status_error
        } else {
            theme.status
        };
        lines.push(Line::styled(truncate_to(&safe(text), width), style));
    }
    lines.push(Line::styled(
        "Enter open chart   i check in   r refresh   Esc close",
        theme.key_hint,
    ));
    super::patient_lists::render_framed(frame, body, app, lines, title);
}
