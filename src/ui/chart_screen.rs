//! The chart screen: the patient banner, the tab bar, the filter line when a filter is set
//! or being typed, and the current tab's pane; and, as the detail layer over that pane,
//! the open row. While the chart loads or after it failed, a message takes the pane's place; the
//! banner stays, drawn from the search row.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::banner::{self, BannerData};
use super::placeholder::message;
use super::spans::{padded, typed};
use super::{cover, detail, lists, notes, procedures, results, tabs, vitals};
use crate::app::{App, ChartState, Remote, Tab};
use crate::chart::Chart;
use crate::config::Theme;
use crate::text::display_width;

/// Draw the chart screen of `state`.
pub fn render_chart(frame: &mut Frame, area: Rect, app: &App, state: &ChartState) {
    let theme = &app.theme;
    let [banner_area, contact_area, tabs_area, body] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(contact_rows(state)),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let lookalike = state.hint.as_ref().is_some_and(|h| h.lookalike);
    let data = match &state.data {
        Remote::Loaded(c) => BannerData::Loaded(&c.banner, &c.postings),
        _ => BannerData::Loading {
            hint: state.identity.as_ref().or(state.hint.as_ref()),
            patient_id: &state.patient_id,
            failed: matches!(state.data, Remote::Failed(_)),
        },
    };
    banner::render_banner(frame.buffer_mut(), banner_area, &data, lookalike, theme);
    if let Some(contact) = &state.contact {
        // The contact details as last read or changed here (`D`), already cleaned.
        let text = crate::text::truncate_to(&super::safe(contact), usize::from(area.width));
        Paragraph::new(Line::styled(text, theme.muted)).render(contact_area, frame.buffer_mut());
    }
    tabs::render_tabs(frame.buffer_mut(), tabs_area, state.tab, theme);
    let chart = match &state.data {
        Remote::Loaded(c) => c,
        Remote::Loading(_) | Remote::Idle => {
            let lines = vec![
                Line::from(""),
                Line::from(Span::styled(" Loading the chart…", theme.status_loading)),
            ];
            return message(frame.buffer_mut(), body, lines);
        }
        Remote::Failed(e) => return render_failed(frame.buffer_mut(), body, e, theme),
    };
    let body = render_filter(frame, body, state, theme);
    render_tab(frame.buffer_mut(), body, chart, state, theme);
}

/// Where the tab's pane is on the chart screen drawn in `area`: below the banner, the tab
/// bar and the filter line (when there is one).
fn pane_area(area: Rect, state: &ChartState) -> Rect {
    let [_, _, _, body] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(contact_rows(state)),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    if state.filter_input.is_none() && state.filter().is_empty() {
        return body;
    }
    let [_, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    rest
}

/// The open row (the detail layer) over the pane of the chart drawn in `area`: the row in
/// full in a box, or on the notes tab the note read over the whole pane.
pub fn render_open_row(frame: &mut Frame, area: Rect, app: &App) {
    let Some(state) = app.chart.as_ref() else {
        return;
    };
    let Remote::Loaded(chart) = &state.data else {
        return;
    };
    let pane = pane_area(area, state);
    let buf = frame.buffer_mut();
    match state.tab {
        Tab::Notes => notes::render_note_reading(buf, pane, chart, state, &app.theme),
        _ => detail::render_detail(buf, pane, chart, state, &app.theme),
    }
}

/// Why the chart could not be loaded, and what to do.
fn render_failed(buf: &mut Buffer, area: Rect, error: &str, theme: &Theme) {
    message(
        buf,
        area,
        vec![
            Line::from(""),
            Line::from(Span::styled(
                " The chart could not be loaded",
                theme.status_error,
            )),
            Line::from(padded(" ", error, theme.base)),
            Line::from(Span::styled(
                " Press r to try again, or Esc to go back to the search.",
                theme.muted,
            )),
        ],
    );
}

/// A filter line at the top of `area` when a filter is set or being typed (with the
/// cursor in it while typing); the area left below it.
fn render_filter(frame: &mut Frame, area: Rect, state: &ChartState, theme: &Theme) -> Rect {
    let filter = state.filter();
    if state.filter_input.is_none() && filter.is_empty() {
        return area;
    }
    let [f, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let typing = state.filter_input.is_some();
    let label = if typing {
        " Filter (Enter keep, Esc clear): "
    } else {
        " Filter: "
    };
    let shown = state.row_count();
    Paragraph::new(Line::from(vec![
        Span::styled(label, theme.key_hint),
        Span::styled(
            typed(filter),
            if typing {
                theme.input_focused
            } else {
                theme.input
            },
        ),
        Span::styled(format!("  {shown} shown"), theme.muted),
    ]))
    .render(f, frame.buffer_mut());
    if let Some(input) = &state.filter_input {
        let before: String = input.text().chars().take(input.cursor()).collect();
        let x = f.x + display_width(label) as u16 + display_width(&before) as u16;
        frame.set_cursor_position(Position::new(x.min(f.right().saturating_sub(1)), f.y));
    }
    rest
}

/// The current tab's pane (the open row, if any, is a layer drawn over it).
fn render_tab(buf: &mut Buffer, area: Rect, chart: &Chart, state: &ChartState, theme: &Theme) {
    match state.tab {
        Tab::Cover => cover::render_cover(buf, area, chart, theme),
        Tab::Problems => lists::render_problems(buf, area, chart, state, theme),
        Tab::Medications => lists::render_medications(buf, area, chart, state, theme),
        Tab::Results => results::render_results(buf, area, chart, state, theme),
        Tab::Vitals => vitals::render_vitals(buf, area, chart, state, theme),
        Tab::Encounters => lists::render_encounters(buf, area, chart, state, theme),
        Tab::Immunizations => lists::render_immunizations(buf, area, chart, state, theme),
        Tab::Notes => notes::render_notes(buf, area, chart, state, theme),
        Tab::Procedures => procedures::render_procedures(buf, area, chart, state, theme),
    }
}

/// The line under the banner with the contact details, once read or changed here.
fn contact_rows(state: &ChartState) -> u16 {
    u16::from(state.contact.is_some())
}
