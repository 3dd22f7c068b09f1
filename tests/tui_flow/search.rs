//! Key-sequence flows: search

use super::*;

#[test]
fn typed_searches_become_queries_and_list_patients() {
    let mut h = Harness::new();
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.search.editing);

    let q = h.search("testwell");
    assert_eq!(q.name.as_deref(), Some("testwell"));
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);
    let rows = h.app.search.results.loaded().unwrap();
    assert!(rows.iter().all(|r| r.lookalike), "{rows:?}");
    assert!(!h.app.search.editing, "results take the keys once found");
    assert_eq!(h.app.search.problem, None);

    let q = h.search("testwell, ada");
    assert_eq!(q.family.as_deref(), Some("testwell"));
    assert_eq!(q.given.as_deref(), Some("ada"));
    assert_eq!(q.name, None);
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    let q = h.search("1958-03-04");
    assert_eq!(q.birthdate, NaiveDate::from_ymd_opt(1958, 3, 4));
    assert_eq!(q.name, None);
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    let q = h.search("mrn:RND100101");
    assert_eq!(q.identifier.as_deref(), Some("RND100101"));
    assert_eq!(h.result_ids(), [ADA]);
    assert_eq!(h.app.search.results.loaded().unwrap()[0].mrn, "RND100101");
    assert!(!h.app.search.results.loaded().unwrap()[0].lookalike);

    let q = h.search("kermit");
    assert_eq!(q.name.as_deref(), Some("kermit"));
    assert_eq!(h.result_ids(), [KERMIT]);
}

#[test]
fn a_bad_date_shows_a_problem_and_sends_nothing() {
    let mut h = Harness::new();
    h.type_text("smith 1980-13-45");
    let commands = h.send(key(KeyCode::Enter));
    assert!(commands.is_empty(), "{commands:?}");
    let problem = h.app.search.problem.clone().expect("a problem is shown");
    assert!(problem.contains("'1980-13-45' is not a date"), "{problem}");
    assert_eq!(h.app.search.results, Remote::Idle);
    assert!(h.app.search.editing);
    assert_eq!(
        h.app.search.input.text(),
        "smith 1980-13-45",
        "the entry is kept"
    );

    // On a server an empty box explains what to type, and still sends nothing (the demo
    // lists its patients instead: enter_on_an_empty_box_lists_the_demo_patients…).
    h.app.source.kind = rounds::source::SourceKind::Server;
    h.send(ctrl('u'));
    assert!(h.send(key(KeyCode::Enter)).is_empty());
    assert!(h.app.search.problem.as_deref().unwrap().contains("mrn:"));

    // A good search clears the problem.
    h.search("testwell");
    assert_eq!(h.app.search.problem, None);
}

#[test]
fn search_box_editing_keys() {
    let mut h = Harness::new();
    h.type_text("smith 1980");
    h.send(ctrl('w'));
    assert_eq!(h.app.search.input.text(), "smith ");
    h.send(key(KeyCode::Backspace));
    h.send(key(KeyCode::Home));
    h.send(ch('x'));
    assert_eq!(h.app.search.input.text(), "xsmith");
    h.send(key(KeyCode::Delete));
    assert_eq!(h.app.search.input.text(), "xmith");
    // Esc clears a non-empty box and keeps editing.
    h.send(key(KeyCode::Esc));
    assert!(h.app.search.input.is_empty());
    assert!(h.app.search.editing);
    // ↓ with no results stays in the box.
    h.send(key(KeyCode::Down));
    assert!(h.app.search.editing);
}

#[test]
fn results_move_in_bounds_and_enter_opens_a_chart() {
    let mut h = Harness::new();
    h.search("testwell");
    assert_eq!(h.app.search.selected, 0);
    h.press(KeyCode::Down);
    assert_eq!(h.app.search.selected, 1);
    h.char('j');
    assert_eq!(h.app.search.selected, 1, "stays on the last row");
    h.char('k');
    assert_eq!(h.app.search.selected, 0);
    h.press(KeyCode::Up);
    assert_eq!(h.app.search.selected, 0, "stays on the first row");
    h.char('G');
    assert_eq!(h.app.search.selected, 1);
    h.char('g');
    assert_eq!(h.app.search.selected, 0);
    h.char('j');

    let commands = h.send(key(KeyCode::Enter));
    let req = Harness::load_request(&commands);
    assert!(
        matches!(&commands[0], Command::LoadChart { patient_id, .. } if patient_id == ADA_LOOKALIKE)
    );
    assert_eq!(h.app.screen, Screen::Chart);
    let chart = h.chart();
    assert_eq!(chart.patient_id, ADA_LOOKALIKE);
    assert_eq!(chart.data, Remote::Loading(req));
    assert_eq!(
        chart.hint.as_ref().map(|p| p.mrn.as_str()),
        Some("RND100105"),
        "the banner has the search row while loading"
    );
    let response = h.worker.answer(&commands[0]);
    h.send(Msg::Response(response));
    let loaded = h.loaded_chart().expect("loaded");
    assert_eq!(loaded.banner.patient_id, ADA_LOOKALIKE);
    assert_eq!(loaded.banner.mrn, "RND100105");
    assert_eq!(h.tab(), Tab::Cover);
}

#[test]
fn down_from_the_search_box_moves_into_the_results() {
    let mut h = Harness::new();
    h.search("testwell");
    h.char('/');
    assert!(h.app.search.editing);
    h.press(KeyCode::Down);
    assert!(!h.app.search.editing);
    h.char('l');
    assert_eq!(h.chart().patient_id, ADA, "l opens like Enter");
}

#[test]
fn enter_on_an_empty_box_lists_the_demo_patients_but_never_a_server() {
    let mut h = Harness::new();
    let q = h.search("");
    assert!(q.all && q.is_empty(), "{q:?}");
    let ids = h.result_ids();
    assert!(ids.len() >= 10, "{ids:?}");
    assert!(ids.iter().any(|i| i == ADA), "{ids:?}");

    // On a server the empty box is only a reminder of what to type.
    let mut h = Harness::new();
    h.app.source.kind = rounds::source::SourceKind::Server;
    let commands = h.press(KeyCode::Enter);
    assert!(commands.is_empty(), "{commands:?}");
    assert!(h.app.search.problem.is_some());
}
