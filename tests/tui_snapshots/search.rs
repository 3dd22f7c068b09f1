//! The search screen: the query box, its results, and what a failed or impossible search says.

use super::*;

#[test]
fn search_idle() {
    let mut app = demo_app();
    snap("search_idle", &mut app);
}

#[test]
fn search_loading() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    assert!(matches!(cmds.as_slice(), [Command::Search { .. }]));
    snap("search_loading", &mut app);
}

#[test]
fn search_results_show_the_two_lookalikes() {
    let mut app = demo_app();
    let source = demo_source().unwrap();
    let cmds = start_search(&mut app, "Testwell");
    answer_search(&mut app, &source, cmds);
    snap("search_results", &mut app);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    assert!(screen_text(buf).contains("2 patients found"));
    assert_eq!(find_all(buf, "RND100101").len(), 1);
    assert_eq!(find_all(buf, "RND100105").len(), 1);

    // The list has the focus after a search: Down selects the second row.
    assert!(!app.search.editing);
    press(&mut app, KeyCode::Down);
    snap("search_results_selected", &mut app);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "RND100105");
    for x in 0..buf.area.width {
        assert!(
            has_style(&buf[(x, y)], app.theme.selected),
            "selected search row, cell {x}: {:?}",
            buf[(x, y)].style()
        );
    }
}

#[test]
fn search_no_results() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Zyzzyvazzz");
    answer_search(&mut app, &demo_source().unwrap(), cmds);
    snap("search_no_results", &mut app);
}

#[test]
fn search_failed() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    let [Command::Search { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::Network,
                "Could not reach https://ehr.example.org/fhir/R4: connection refused (is the server running?)",
            ))),
        }),
    );
    snap("search_failed", &mut app);
}

#[test]
fn search_query_problem() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "smith 1980-13-45");
    assert!(cmds.is_empty());
    snap("search_bad_query", &mut app);
}

#[test]
fn search_deceased_patient_is_marked() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Lastday");
    answer_search(&mut app, &demo_source().unwrap(), cmds);
    let t = snap_at("search_deceased", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert!(screen_text(buf).contains("1 patient found"));
    // The first row is selected (its style laid over the mark): look below it.
    press(&mut app, KeyCode::Esc);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(buf, "DECEASED", app.theme.banner_deceased, "search row");
}

#[test]
fn search_look_alikes_are_marked_in_their_style() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    answer_search(&mut app, &demo_source().unwrap(), cmds);
    press(&mut app, KeyCode::Down);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    // The first row is not selected now.
    let (x, y) = find(buf, "LOOK-ALIKE");
    assert!(row_text(buf, y).contains("RND100101"));
    assert_span_style(buf, (x, y), 10, app.theme.lookalike, "first row");
}

#[test]
fn search_recent_patients() {
    let mut app = demo_app();
    let source = demo_source().unwrap();
    // Nothing opened yet (R on the results of a search): the list says so.
    let cmds = start_search(&mut app, "Testwell");
    answer_search(&mut app, &source, cmds);
    assert!(!app.search.editing);
    keys(&mut app, "R");
    let t = snap_at("search_recent_empty", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(
        text.contains("No patients opened yet in this session."),
        "{text}"
    );
    // Two charts opened, then `:recent` from the second.
    open(&mut app, &source, ADA);
    open(&mut app, &source, CORA);
    keys(&mut app, ":recent");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Search);
    let t = snap_at("search_recent", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Recent patients (2)"), "{text}");
    assert!(
        text.contains("TESTWELL") && text.contains("LASTDAY"),
        "{text}"
    );
}
