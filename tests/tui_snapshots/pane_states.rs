//! What every list pane shows when its section is not simply there: still loading after
//! the first screen, failed (a refused scope), cut short by the server, or filtered to
//! nothing. The records are Ada's, with section states set as a server's answers leave
//! them.

use rounds::fhir::{PatientRecord, Section};

use super::*;

/// Ada's whole record, as the demo source loads it.
fn ada_record() -> PatientRecord {
    let source = demo_source().unwrap();
    common::tui::runtime()
        .block_on(source.record(ADA, &Section::ALL))
        .unwrap()
}

/// Ada's chart on a server source (its label fixed), loaded from `record`.
fn show(record: PatientRecord) -> App {
    let mut app = new_app(server_info(), default_theme());
    let cmds = update(&mut app, Msg::OpenPatient(ADA.into()));
    let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
        panic!("expected one LoadChart, got {cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(Ok(Box::new(record))),
        }),
    );
    assert!(app.chart.as_ref().unwrap().data.loaded().is_some());
    app
}

#[test]
fn the_first_screen_while_the_rest_of_the_chart_loads() {
    // As a server's first screen: the cover sheet's sections, the newest page of results
    // (older ones to come); immunizations and notes not fetched yet.
    let mut record = ada_record();
    record.pending.insert(Section::Labs);
    for s in [Section::Immunizations, Section::Notes] {
        record.loaded.remove(&s);
        record.pending.insert(s);
    }
    record.immunizations.clear();
    record.documents.clear();
    record.reports.clear();
    let mut app = show(record);
    assert!(app.chart.as_ref().unwrap().loading_rest());

    let t = snap_at("first_screen_cover", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(
        buf,
        "Loading the rest of the chart…",
        app.theme.status_loading,
        "status line",
    );
    keys(&mut app, "4");
    let t = snap_at("first_screen_results", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Loading older entries…"), "{text}");
    keys(&mut app, "8");
    let t = snap_at("first_screen_notes", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(buf, "Loading notes…", app.theme.status_loading, "notes");
}

#[test]
fn a_refused_section_says_so_and_the_allergy_flag_is_not_a_guess() {
    let refused = "The server refused: 403 Forbidden (scope 'user/Observation.rs' not granted)";
    let mut record = ada_record();
    record.failed.insert(Section::Labs, refused.into());
    record.failed.insert(
        Section::Allergies,
        "The server refused: 403 Forbidden (scope 'user/AllergyIntolerance.rs' not granted)".into(),
    );
    record.allergies.clear();
    let mut app = show(record);

    let t = snap_at("section_failed_cover", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "ALLERGIES NOT LOADED");
    assert_eq!(y, 1, "on banner line two");
    assert_text_style(
        buf,
        " ALLERGIES NOT LOADED ",
        app.theme.banner_unknown,
        "banner",
    );
    assert!(!screen_text(buf).contains("Penicillin"));

    keys(&mut app, "4");
    let t = snap_at("section_failed_results", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(
        buf,
        "Results could not be loaded",
        app.theme.status_error,
        "results",
    );
    let text = screen_text(buf);
    assert!(
        text.contains("user/Observation.rs") && text.contains("Press r"),
        "{text}"
    );
}

#[test]
fn a_section_cut_short_by_the_server_says_older_entries_exist() {
    let mut record = ada_record();
    record.truncated.insert(Section::Vitals);
    let mut app = show(record);
    keys(&mut app, "5");
    let t = snap_at("section_truncated_vitals", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(
        buf,
        "Only the newest entries were loaded; older ones exist on the server.",
        app.theme.warning,
        "vitals",
    );
}

#[test]
fn a_filter_that_matches_nothing() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "2/zzzz");
    press(&mut app, KeyCode::Enter);
    let t = snap_at("ada_filter_no_match", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(
        text.contains("Nothing matches the filter (Esc clears it)."),
        "{text}"
    );
    assert!(text.contains("Filter: zzzz"), "{text}");
}
