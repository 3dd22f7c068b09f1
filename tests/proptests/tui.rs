//! The TUI panes on hostile records: every tab, row detail, results view and the help,
//! at several sizes; no drawn cell may hold a character a terminal would act on.

use proptest::prelude::*;
use ratatui::crossterm::event::KeyCode;
use rounds::app::{App, Command, Msg, Response, ResponseResult, update};
use rounds::fhir::PatientRecord;

use super::config;
use crate::common::tui::{self, demo_app, first_forbidden_cell, press};
use crate::strategies::record;

/// Draw at `size`; no cell may hold a forbidden character.
fn draw(app: &mut App, size: (u16, u16), what: &str) -> Result<(), TestCaseError> {
    let t = tui::draw(app, size.0, size.1);
    if let Some((x, y, sym)) = first_forbidden_cell(t.backend().buffer()) {
        prop_assert!(false, "{}: cell ({}, {}) holds {:?}", what, x, y, sym);
    }
    Ok(())
}

/// Open the record's chart in a fresh app (answering the load the way the worker does).
fn open_chart(record: PatientRecord) -> App {
    let mut app = demo_app();
    let cmds = update(&mut app, Msg::OpenPatient("p".into()));
    for cmd in cmds {
        if let Command::LoadChart { req, .. } = cmd {
            update(
                &mut app,
                Msg::Response(Response {
                    req,
                    result: ResponseResult::Chart(Ok(Box::new(record.clone()))),
                }),
            );
        }
    }
    app
}

/// What to look at after a tab's list.
#[derive(Debug, Clone, Copy)]
enum Then {
    Detail,
    DetailPaged,
    Cumulative,
    Help,
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn hostile_charts_render_inert(
        record in record(),
        size in prop::sample::select(vec![(80u16, 24u16), (120, 40), (40, 12), (200, 8)]),
        tab in 1u8..=9,
        row in 0usize..4,
        then in prop::sample::select(vec![Then::Detail, Then::DetailPaged, Then::Cumulative, Then::Help]),
    ) {
        let Some(record) = record else { return Ok(()) };
        let mut app = open_chart(record);
        press(&mut app, KeyCode::Char(char::from(b'0' + tab)));
        for _ in 0..row {
            press(&mut app, KeyCode::Down);
        }
        draw(&mut app, size, "tab")?;
        match then {
            Then::Detail | Then::DetailPaged => {
                press(&mut app, KeyCode::Enter);
                if matches!(then, Then::DetailPaged) {
                    press(&mut app, KeyCode::PageDown);
                }
                draw(&mut app, size, "detail")?;
            }
            Then::Cumulative => {
                keys_c(&mut app);
                draw(&mut app, size, "results view")?;
            }
            Then::Help => {
                press(&mut app, KeyCode::Char('?'));
                draw(&mut app, size, "help")?;
            }
        }
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('1'));
        draw(&mut app, size, "cover")?;
    }
}

/// Switch the results view (list or cumulative), on the results tab.
fn keys_c(app: &mut App) {
    press(app, KeyCode::Char('4'));
    press(app, KeyCode::Char('c'));
}
