//! The screens, drawn as pure functions of `App`: no I/O, no state changes. Layout at
//! 80x24 and up: banner (2 lines), tab bar, the tab's pane, status line. Colours come from
//! the theme by meaning; every server string is sanitized on its way to the screen.

mod banner;
mod cover;
mod detail;
mod help;
mod list_pane;
mod lists;
mod lock;
mod notes;
mod placeholder;
mod results;
mod search;
mod spans;
mod status;
mod table;
mod tabs;
mod vitals;

// `help`, `lock` and `status` still name the span helpers by their old module name.
use spans as common;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub use banner::BannerData;
pub use spans::{safe, sparkline};

use crate::app::{App, ChartState, Overlay, Remote, Screen, Tab};
use crate::text::display_width;

/// Draw the whole screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    frame.render_widget(Paragraph::new("").style(app.theme.base), area);
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if app.lock.is_locked() {
        lock::render_locked(frame, body, app);
        status::render_status(frame, status, app);
        return;
    }
    match (app.screen, &app.chart) {
        (Screen::Chart, Some(chart)) => render_chart(frame, body, app, chart),
        _ => search::render_search(frame, body, app),
    }
    status::render_status(frame, status, app);
    if matches!(app.overlay, Overlay::Help { .. }) {
        // Over a chart the help leaves the patient banner (and its allergy flag) in view.
        let help_area = if app.screen == Screen::Chart && app.chart.is_some() {
            let top = 2.min(area.height);
            Rect {
                y: area.y + top,
                height: area.height - top,
                ..area
            }
        } else {
            area
        };
        help::render_help(frame, help_area, app);
    }
    lock::render_countdown(frame, body, app);
    lock::render_session_notice(frame, body, app);
}

fn render_chart(frame: &mut Frame, area: Rect, app: &App, state: &ChartState) {
    let theme = &app.theme;
    let [banner_area, tabs_area, body] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let lookalike = state.hint.as_ref().is_some_and(|h| h.lookalike);
    let data = match &state.data {
        Remote::Loaded(c) => BannerData::Loaded(&c.banner),
        _ => BannerData::Loading {
            hint: state.identity.as_ref().or(state.hint.as_ref()),
            patient_id: &state.patient_id,
            failed: matches!(state.data, Remote::Failed(_)),
        },
    };
    banner::render_banner(frame.buffer_mut(), banner_area, &data, lookalike, theme);
    tabs::render_tabs(frame.buffer_mut(), tabs_area, state.tab, theme);
    let chart = match &state.data {
        Remote::Loaded(c) => c,
        Remote::Loading(_) | Remote::Idle => {
            placeholder::message(
                frame.buffer_mut(),
                body,
                vec![
                    Line::from(""),
                    Line::from(Span::styled(" Loading the chart…", theme.status_loading)),
                ],
            );
            return;
        }
        Remote::Failed(e) => {
            placeholder::message(
                frame.buffer_mut(),
                body,
                vec![
                    Line::from(""),
                    Line::from(Span::styled(
                        " The chart could not be loaded",
                        theme.status_error,
                    )),
                    Line::from(spans::padded(" ", e, theme.base)),
                    Line::from(Span::styled(
                        " Press r to try again, or Esc to go back to the search.",
                        theme.muted,
                    )),
                ],
            );
            return;
        }
    };
    // A filter line when one is set or being typed.
    let filter = state.filter();
    let body = if state.filter_input.is_some() || !filter.is_empty() {
        let [f, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
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
                spans::typed(filter),
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
    } else {
        body
    };
    let buf = frame.buffer_mut();
    match state.tab {
        Tab::Cover => cover::render_cover(buf, body, chart, theme),
        Tab::Problems => lists::render_problems(buf, body, chart, state, theme),
        Tab::Medications => lists::render_medications(buf, body, chart, state, theme),
        Tab::Results => results::render_results(buf, body, chart, state, theme),
        Tab::Vitals => vitals::render_vitals(buf, body, chart, state, theme),
        Tab::Encounters => lists::render_encounters(buf, body, chart, state, theme),
        Tab::Immunizations => lists::render_immunizations(buf, body, chart, state, theme),
        Tab::Notes => notes::render_notes(buf, body, chart, state, theme),
    }
    if state.detail && state.tab != Tab::Notes {
        detail::render_detail(buf, body, chart, state, theme);
    }
}
