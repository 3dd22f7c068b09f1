//! The newer resource types of issue 11 on screen, from the hand-made fixture
//! `fixtures/clinical/11-ida-surgwell.json`: the Procedures tab (procedures, a procedure
//! not done, an implanted device with its UDI, the detail of each), medications that are
//! statements or reported (marked), a report with its results under it; and "Medications
//! not known" for an IPS "no information" statement.

use super::*;

const IDA: &str = "rnd-ida-surgwell";

/// Ida's chart from the fixture file, on the cover sheet.
fn ida_chart() -> App {
    let source =
        LocalSource::open(&common::repo().join("fixtures/clinical/11-ida-surgwell.json")).unwrap();
    let mut app = file_app(default_theme());
    open(&mut app, &source, IDA);
    app
}

#[test]
fn procedures_and_implants_on_tab_9() {
    let mut app = ida_chart();
    keys(&mut app, "9");
    snap("ida_9_procedures", &mut app);
    let t = draw(&mut app, 120, 40);
    let buf = t.backend().buffer();
    // The procedure not done is dimmed, its status a warning; the UDI is never cut.
    assert_text_style(
        buf,
        "Total knee replacement, right",
        app.theme.muted,
        "not done",
    );
    assert_text_style(buf, "Not done", app.theme.warning, "not-done status");
    find(buf, "(01)00999999000111(17)311231(10)ZZLOT11(21)ZZSN0111");
    // Enter on the procedure not done, then on the device (the last row).
    keys(&mut app, "G");
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    snap("ida_procedure_not_done_detail", &mut app);
    press(&mut app, KeyCode::Esc);
    keys(&mut app, "G");
    press(&mut app, KeyCode::Enter);
    snap("ida_device_detail", &mut app);
}

#[test]
fn statements_and_reported_medications_are_marked() {
    let mut app = ida_chart();
    snap("ida_cover", &mut app);
    keys(&mut app, "3");
    snap("ida_3_medications", &mut app);
    let t = draw(&mut app, 120, 40);
    assert_text_style(
        t.backend().buffer(),
        " (order + statement)",
        app.theme.muted,
        "the source mark",
    );
    // The order the statement joined: its reason resolved from the Condition it names.
    keys(&mut app, "j");
    press(&mut app, KeyCode::Enter);
    snap("ida_medication_detail", &mut app);
}

#[test]
fn a_report_lists_its_results_with_their_values() {
    let mut app = ida_chart();
    keys(&mut app, "8j");
    snap("ida_report_results", &mut app);
}

#[test]
fn ips_no_information_about_medications_reads_not_known() {
    let source = LocalSource::open(
        &common::repo().join("fixtures/corpus/ips/bundle-no-info-absent-unknown.json"),
    )
    .unwrap();
    let mut app = file_app(default_theme());
    open(&mut app, &source, "AAA1234");
    keys(&mut app, "3");
    let t = draw(&mut app, 80, 24);
    let screen = screen_text(t.backend().buffer());
    assert!(screen.contains("Medications not known."), "{screen}");
    assert!(!screen.contains("No medications recorded"), "{screen}");
    keys(&mut app, "1");
    let t = draw(&mut app, 80, 24);
    let screen = screen_text(t.backend().buffer());
    assert!(screen.contains("Medications not known"), "{screen}");
}
