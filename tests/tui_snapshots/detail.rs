//! The detail popup (Enter on a row): every field of the selected row.

use super::*;

#[test]
fn ada_medication_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(app.layers.has(rounds::app::LayerKind::Detail));
    snap("ada_medication_detail", &mut app);
}

#[test]
fn ada_results_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    snap("ada_results_detail", &mut app);
}

#[test]
fn ada_cumulative_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4c");
    press(&mut app, KeyCode::Enter);
    snap("ada_cumulative_detail", &mut app);
}

/// Open the detail of the `down`-th row (0 the first) of `tab` on Ada's chart.
fn ada_detail(tab: char, down: usize) -> App {
    let mut app = demo_chart(ADA);
    keys(&mut app, &tab.to_string());
    for _ in 0..down {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert!(
        app.layers.has(rounds::app::LayerKind::Detail),
        "no detail on tab {tab}"
    );
    app
}

#[test]
fn ada_problem_detail() {
    let mut app = ada_detail('2', 0);
    let t = snap_at("ada_problem_detail", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    for label in [
        "Status",
        "Verification",
        "Onset",
        "Resolved",
        "Times recorded",
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
}

#[test]
fn ada_vital_detail_keeps_the_flag_and_its_style() {
    // The newest blood pressure, 142/88 mmHg, is flagged H. Move off its row first: the
    // selection style is laid over the selected row.
    let mut app = demo_chart(ADA);
    keys(&mut app, "5");
    press(&mut app, KeyCode::Down);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(buf, "142/88 mmHg H", app.theme.abnormal, "latest BP");
    let (flag_x, header_y) = find(buf, "FLAG");
    let (value_x, _) = find(buf, "VALUE");
    let y = header_y + 1;
    assert!(
        row_text(buf, y).contains("142/88 mmHg H"),
        "{}",
        screen_text(buf)
    );
    assert_span_style(
        buf,
        (value_x, y),
        11,
        app.theme.abnormal,
        "BP value in the list",
    );
    assert_span_style(
        buf,
        (flag_x, y),
        1,
        app.theme.abnormal,
        "BP flag in the list",
    );

    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    let t = snap_at("ada_vital_detail", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert!(
        screen_text(buf).contains("Value  142/88 mmHg"),
        "{}",
        screen_text(buf)
    );
    let (x, y) = find(buf, "Flag   H");
    assert_span_style(buf, (x + 7, y), 1, app.theme.abnormal, "detail flag H");
}

#[test]
fn ada_encounter_detail() {
    let mut app = ada_detail('6', 0);
    let t = snap_at("ada_encounter_detail", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    for label in [
        "Date",
        "Ended",
        "Class",
        "Type",
        "Reason",
        "Clinician",
        "Location",
    ] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
}

#[test]
fn ada_immunization_detail_of_a_vaccine_not_given() {
    // The first row: a pneumococcal vaccine the patient declined.
    let mut app = ada_detail('7', 0);
    let t = snap_at("ada_immunization_detail", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Not done"), "{text}");
    for label in ["Dose", "Dose number", "Lot", "Site", "Route"] {
        assert!(text.contains(label), "{label} missing:\n{text}");
    }
}
