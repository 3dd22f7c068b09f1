//! The screens, drawn as pure functions of `App`: no I/O, no state changes. Layout at
//! 80x24 and up: banner (2 lines), tab bar, the tab's pane, status line. Colours come from
//! the theme by meaning; every server string is sanitized on its way to the screen.
//!
//! `search` and `chart_screen` are the two screens; the chart's tabs are `cover`, `lists`
//! (problems, medications, encounters, immunizations), `results`, `vitals` and `notes`,
//! with `detail` over them. Every list tab stands on `list_pane` (placeholder, no-rows
//! line, the table with the selection) over `table`, with its columns from
//! `chart::columns`. `spans` makes server text safe; `placeholder` says what stands in for
//! data not there. The overlays are `help`, `lock`, and the write path's (`writing`: a
//! note's confirm layer, the outbox, confirmations; `vitals_form`); `status` is the bottom
//! line.

mod banner;
mod chart_screen;
mod cover;
mod desk;
mod detail;
mod help;
mod list_pane;
mod lists;
mod lock;
mod notes;
mod patient_lists;
mod placeholder;
mod procedures;
mod results;
mod schedule;
mod search;
mod spans;
mod status;
mod table;
mod tabs;
mod vitals;
mod vitals_form;
mod writing;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Paragraph;

pub use banner::BannerData;
pub use spans::{safe, sparkline};

use crate::app::{App, Layer, LayerKind, Screen};
use chart_screen::render_chart;

/// Draw the whole screen: the base screen (patient search or a chart, unless the lock
/// hides it), then each layer bottom to top, then the status line.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    frame.render_widget(Paragraph::new("").style(app.theme.base), area);
    let [body, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if !app.layers.has(LayerKind::Locked) {
        match (app.screen, &app.chart) {
            (Screen::Chart, Some(chart)) => render_chart(frame, body, app, chart),
            _ => search::render_search(frame, body, app),
        }
    }
    for layer in app.layers.iter() {
        render_layer(frame, area, body, app, layer);
    }
    status::render_status(frame, status, app);
}

/// One layer over the screen (`area` the whole terminal, `body` all but the status line).
fn render_layer(frame: &mut Frame, area: Rect, body: Rect, app: &App, layer: &Layer) {
    match layer {
        Layer::Detail => chart_screen::render_open_row(frame, body, app),
        Layer::Help { .. } => {
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
        // The command line takes the status line's place.
        Layer::CommandLine(_) => {}
        Layer::SessionEnded => lock::render_session_notice(frame, body, app),
        Layer::Countdown => lock::render_countdown(frame, body, app),
        Layer::Locked => lock::render_locked(frame, body, app),
        Layer::SignIn(_) => lock::render_sign_in_box(frame, body, app),
        Layer::Note(note) => writing::render_note(frame, body, app, note),
        Layer::Vitals(form) => vitals_form::render_vitals_form(frame, body, app, form),
        Layer::Outbox(list) => writing::render_outbox(frame, body, app, list),
        Layer::Schedule(list) => schedule::render_schedule(frame, body, app, list),
        Layer::List(list) => patient_lists::render_patient_list(frame, body, app, list),
        Layer::Confirm(confirm) => writing::render_confirm(frame, body, app, confirm),
        Layer::Register(form) => desk::render_register(frame, body, app, form),
        Layer::Demographics(form) => desk::render_demographics(frame, body, app, form),
        Layer::Conflict(view) => desk::render_conflict(frame, body, app, view),
    }
}
