//! The patient banner: the search row while a chart loads or after it failed, the allergy
//! and deceased flags in their theme slots, and the banner kept on every chart screen.

use super::*;

/// Search for Ada, pick the first row, press Enter: the chart is loading.
fn chart_opening() -> (App, Vec<Command>) {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    answer_search(&mut app, &demo_source().unwrap(), cmds);
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == ADA)
    );
    (app, cmds)
}

#[test]
fn chart_loading_shows_the_search_row_in_the_banner() {
    let (mut app, _) = chart_opening();
    snap("chart_loading", &mut app);
    let t = draw(&mut app, 80, 24);
    assert!(row_text(t.backend().buffer(), 1).contains("Loading the chart"));
}

#[test]
fn chart_loading_without_a_search_row() {
    let mut app = demo_app();
    update(&mut app, Msg::OpenPatient(ADA.into()));
    snap("chart_loading_by_id", &mut app);
}

#[test]
fn chart_failed() {
    let (mut app, cmds) = chart_opening();
    let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::ServerRefused,
                "The server answered 503 Service Unavailable for Patient/rnd-ada-testwell",
            ))),
        }),
    );
    snap("chart_failed", &mut app);
}

#[test]
fn banner_flags_use_their_theme_slots() {
    type Slot = fn(&Theme) -> Style;
    let cases: [(&str, &str, Slot); 3] = [
        (ADA, "ALLERGIES (2)", |t| t.banner_allergy),
        (CORA, "ALLERGIES NOT KNOWN", |t| t.banner_unknown),
        (BEN, "NKA (recorded)", |t| t.banner_nka),
    ];
    for (id, text, slot) in cases {
        let mut app = demo_chart(id);
        for (w, h) in SIZES {
            let t = draw(&mut app, w, h);
            let buf = t.backend().buffer();
            let (x, y) = find(buf, text);
            assert_eq!(y, 1, "{id}: {text} not on banner line two");
            let style = slot(&app.theme);
            assert_span_style(buf, (x, y), text.chars().count(), style, id);
        }
    }
    let mut app = demo_chart(CORA);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let buf = t.backend().buffer();
        let (x, y) = find(buf, "DIED 14-FEB-2026");
        assert_eq!(y, 1);
        assert_span_style(buf, (x, y), 16, app.theme.banner_deceased, "deceased");
    }
}

#[test]
fn chart_screens_at_80x24_keep_banner_and_status_line() {
    let source = demo_source().unwrap();
    for id in [ADA, BEN, CORA, DEE, SYNTHEA] {
        let mut app = demo_app();
        open(&mut app, &source, id);
        for tab in "12345678".chars() {
            keys(&mut app, &tab.to_string());
            for detail in [false, true] {
                if detail {
                    press(&mut app, KeyCode::Enter);
                }
                let t = draw(&mut app, 80, 24);
                check_frame(&app, t.backend().buffer());
                if app.layers.has(rounds::app::LayerKind::Detail) {
                    press(&mut app, KeyCode::Esc);
                }
                assert_eq!(app.screen, Screen::Chart);
            }
        }
    }
}

#[test]
fn a_look_alike_opened_from_the_search_keeps_its_warning_once_loaded() {
    let (mut app, cmds) = chart_opening();
    answer_chart(&mut app, &demo_source().unwrap(), cmds);
    assert!(app.chart.as_ref().unwrap().data.loaded().is_some());
    let t = snap_at("ada_lookalike_banner", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "LOOK-ALIKE");
    assert_eq!(y, 1, "the warning is on banner line two");
    assert_span_style(buf, (x, y), 10, app.theme.lookalike, "look-alike");
    assert_text_style(buf, "ALLERGIES (2)", app.theme.banner_allergy, "allergy");
    assert!(
        row_text(buf, 0).contains("MRN RND100101"),
        "{}",
        row_text(buf, 0)
    );
}
