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
            result: ResponseResult::Search(Err(
                "Could not reach https://ehr.example.org/fhir/R4: connection refused (is the server running?)".into(),
            )),
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
