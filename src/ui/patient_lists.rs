//! The clinician's lists on screen (`:ward`, `:mine`): one row per visit (admitted or
//! time, status, patient by name and born date, MRN, where: ward and bed), and under each
//! row its glance (allergy flag in the banner's colours, the latest vital signs, abnormal
//! ones in the abnormal style), shared with the schedule (`glance_line`). "as of HH:MM"
//! in the title. Every server string is cleaned here. A pure function of the state.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::spans::safe;
use crate::app::App;
use crate::app::lists::{GlanceState, PatientList, rows_room, visible};
use crate::chart::format::NOT_KNOWN;
use crate::frontdesk::glance::AllergyMark;
use crate::frontdesk::lists::ListRow;
use crate::text::{fit, truncate_to};

/// Indent of a glance line under its row.
const INDENT: &str = "  ";

/// The glance line under a row of patient `patient_id`, `width` columns wide.
pub fn glance_line(app: &App, patient_id: Option<&str>, width: usize) -> Line<'static> {
    let theme = &app.theme;
    let room = width.saturating_sub(INDENT.len());
    let Some(id) = patient_id else {
        return Line::styled(
            format!("{INDENT}No patient: no allergies or vitals to show"),
            theme.muted,
        );
    };
    match app.glances.of(id) {
        None | Some(GlanceState::Loading(_)) => Line::styled(
            format!("{INDENT}Allergies and vitals not fetched yet…"),
            theme.status_loading,
        ),
        Some(GlanceState::Failed(why)) => Line::styled(
            truncate_to(
                &format!(
                    "{INDENT}Allergies and vitals could not be loaded: {}",
                    safe(why)
                ),
                width,
            ),
            theme.status_error,
        ),
        Some(GlanceState::Loaded(g)) => {
            let allergy_style = match g.mark {
                AllergyMark::Yes => theme.banner_allergy,
                AllergyMark::None => theme.banner_nka,
                AllergyMark::NotKnown => theme.banner_unknown,
                AllergyMark::Failed => theme.status_error,
            };
            let allergies = truncate_to(&safe(&g.allergies), room);
            let left = room.saturating_sub(allergies.chars().count() + 3);
            let mut spans = vec![Span::raw(INDENT), Span::styled(allergies, allergy_style)];
            if !g.vitals.is_empty() && left > 8 {
                let style = if g.vitals_failed {
                    theme.status_error
                } else if g.vitals_abnormal {
                    theme.abnormal
                } else {
                    theme.base
                };
                spans.push(Span::styled(" · ", theme.muted));
                spans.push(Span::styled(truncate_to(&safe(&g.vitals), left), style));
            }
            Line::from(spans)
        }
    }
}

fn row_text(r: &ListRow, width: usize, ward: bool) -> String {
    let (name, born, mrn) = match &r.patient {
        Some(p) => (safe(&p.name), safe(&p.born), safe(&p.mrn)),
        None => (
            "Patient not sent".to_owned(),
            NOT_KNOWN.to_owned(),
            NOT_KNOWN.to_owned(),
        ),
    };
    // The census: admitted on (a date); appointments: the start's time.
    let when = if ward {
        fit(&safe(&r.when), 11)
    } else {
        fit(safe(&r.when).rsplit(' ').next().unwrap_or(NOT_KNOWN), 5)
    };
    let status = if ward {
        safe(&r.location)
    } else {
        crate::frontdesk::schedule::status_label(&r.status).to_owned()
    };
    let line = format!(
        "{} {} {} {} {}",
        when,
        fit(&name, 22),
        fit(&born, 11),
        fit(&mrn, 10),
        status
    );
    truncate_to(&line, width)
}

pub fn render_patient_list(frame: &mut Frame, body: Rect, app: &App, list: &PatientList) {
    frame.render_widget(Clear, body);
    let theme = &app.theme;
    let width = usize::from(body.width.saturating_sub(2));
    let ward = list.is_ward();
    let mut title = format!(" {} ", safe(&list.title()));
    if let Some(t) = &list.as_of {
        title.push_str(&format!("· as of {} ", safe(t)));
    }
    if list.loading.is_some() {
        title.push_str("· loading… ");
    }
    let header = if ward {
        format!(
            "{} {} {} {} WHERE",
            fit("ADMITTED", 11),
            fit("PATIENT", 22),
            fit("BORN", 11),
            fit("MRN", 10)
        )
    } else {
        format!(
            "{} {} {} {} STATUS",
            fit("TIME", 5),
            fit("PATIENT", 22),
            fit("BORN", 11),
            fit("MRN", 10)
        )
    };
    let mut lines: Vec<Line> = vec![Line::styled(truncate_to(&header, width), theme.header)];
    if let Some(e) = &list.error {
        lines.push(Line::styled(
            truncate_to(&format!("The list could not be loaded: {}", safe(e)), width),
            theme.status_error,
        ));
    }
    match &list.rows {
        None if list.error.is_none() => lines.push(Line::styled("Loading…", theme.status_loading)),
        None => {}
        Some(rows) if rows.is_empty() => lines.push(Line::styled(
            truncate_to(&safe(&list.empty_text()), width),
            theme.muted,
        )),
        Some(rows) => {
            let range = visible(list.selected, rows.len(), rows_room(app.size.1));
            for (i, r) in rows.iter().enumerate().take(range.end).skip(range.start) {
                let style = if i == list.selected {
                    theme.selected
                } else if crate::frontdesk::schedule::is_off(&r.status) {
                    theme.muted
                } else if r.patient.as_ref().is_some_and(|p| p.lookalike) {
                    theme.lookalike
                } else {
                    theme.base
                };
                lines.push(Line::styled(row_text(r, width, ward), style));
                lines.push(glance_line(app, r.patient_id.as_deref(), width));
            }
        }
    }
    lines.push(Line::styled(
        "Enter open chart   r refresh   Esc close",
        theme.key_hint,
    ));
    render_framed(frame, body, app, lines, title);
}

/// A list screen's lines in its bordered box, titled (shared with the schedule).
pub fn render_framed(frame: &mut Frame, body: Rect, app: &App, lines: Vec<Line>, title: String) {
    let theme = &app.theme;
    frame.render_widget(
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border_focused)
                    .title(Line::styled(title, theme.title)),
            )
            .style(theme.base),
        body,
    );
}
