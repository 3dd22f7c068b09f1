//! Key-sequence flows: chart navigation

use super::*;

#[test]
fn number_keys_and_tab_keys_change_tabs() {
    let mut h = Harness::new();
    h.open(ADA);
    for (i, c) in ('1'..='9').enumerate() {
        h.char(c);
        assert_eq!(h.tab(), Tab::ALL[i], "key {c}");
    }
    h.press(KeyCode::Tab);
    assert_eq!(
        h.tab(),
        Tab::Cover,
        "Tab wraps from Procedures to the cover sheet"
    );
    h.press(KeyCode::Tab);
    assert_eq!(h.tab(), Tab::Problems);
    h.run(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(h.tab(), Tab::Cover);
    h.run(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(h.tab(), Tab::Procedures, "Shift-Tab wraps to Procedures");
    h.char('l');
    assert_eq!(h.tab(), Tab::Cover);
    h.char('l');
    h.char('l');
    assert_eq!(h.tab(), Tab::Medications);
    h.char('h');
    assert_eq!(h.tab(), Tab::Problems);
    h.press(KeyCode::Right);
    assert_eq!(h.tab(), Tab::Medications);
    h.press(KeyCode::Left);
    assert_eq!(h.tab(), Tab::Problems);
    // Tab keys never ask the worker for anything.
    assert!(h.send(ch('5')).is_empty());
}

#[test]
fn row_movement_stays_in_bounds() {
    let mut h = Harness::new();
    h.open(ADA);
    h.char('4');
    let n = h.rows();
    assert!(n > 16, "Ada has more results than a page: {n}");
    assert_eq!(h.app.page(), 15, "80x24 pages 15 rows");
    assert_eq!(h.selected(), 0);
    h.char('j');
    assert_eq!(h.selected(), 1);
    h.press(KeyCode::Down);
    assert_eq!(h.selected(), 2);
    h.char('k');
    h.char('k');
    h.char('k');
    assert_eq!(h.selected(), 0, "k stops at the first row");
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), 15);
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), 30.min(n - 1));
    for _ in 0..10 {
        h.press(KeyCode::PageDown);
    }
    assert_eq!(h.selected(), n - 1, "PgDn stops at the last row");
    h.press(KeyCode::PageUp);
    assert_eq!(h.selected(), n - 1 - 15);
    h.char('g');
    assert_eq!(h.selected(), 0);
    h.char('G');
    assert_eq!(h.selected(), n - 1);
    h.char('j');
    assert_eq!(h.selected(), n - 1, "j stops at the last row");
    h.run(ctrl('u'));
    assert_eq!(h.selected(), n - 1 - 15);
    h.press(KeyCode::Home);
    assert_eq!(h.selected(), 0);
    h.press(KeyCode::End);
    assert_eq!(h.selected(), n - 1);

    // Each tab keeps its own selection.
    h.char('3');
    assert_eq!(h.selected(), 0);
    let meds = h.rows();
    h.char('G');
    assert_eq!(h.selected(), meds - 1);
    h.char('4');
    assert_eq!(h.selected(), n - 1);

    // The cover sheet has no rows: j scrolls, nothing is selected.
    h.char('1');
    assert_eq!(h.rows(), 0);
    h.char('j');
    assert_eq!(h.selected(), 0);
}

#[test]
fn enter_toggles_the_detail_of_the_selected_row() {
    let mut h = Harness::new();
    h.open(ADA);
    h.press(KeyCode::Enter);
    assert!(
        !h.app.layers.has(LayerKind::Detail),
        "the cover sheet has no rows to show in full"
    );
    h.char('3');
    h.char('j');
    h.press(KeyCode::Enter);
    assert!(h.app.layers.has(LayerKind::Detail));
    assert_eq!(h.selected(), 1);
    // In the detail, j scrolls it instead of moving the selection.
    h.char('j');
    assert_eq!(h.chart().scroll, 1);
    assert_eq!(h.selected(), 1);
    h.press(KeyCode::Enter);
    assert!(!h.app.layers.has(LayerKind::Detail));
    h.press(KeyCode::Enter);
    assert!(h.app.layers.has(LayerKind::Detail));
    h.press(KeyCode::Esc);
    assert!(
        !h.app.layers.has(LayerKind::Detail),
        "Esc closes the detail first"
    );
    assert_eq!(h.app.screen, Screen::Chart);
    h.press(KeyCode::Enter);
    h.char('4');
    assert!(
        !h.app.layers.has(LayerKind::Detail),
        "changing tab closes the detail"
    );
}

#[test]
fn filter_narrows_rows_and_esc_clears_it() {
    let mut h = Harness::new();
    h.open(ADA);
    h.char('4');
    let all = h.rows();
    h.char('G');
    assert_eq!(h.selected(), all - 1);

    h.char('/');
    assert!(h.chart().filter_input.is_some());
    // While typing, q and digits are text, not keys.
    h.type_text("creat");
    assert!(!h.app.quit);
    assert_eq!(h.chart().filter(), "creat");
    assert_eq!(h.tab(), Tab::Results);
    let narrowed = h.rows();
    assert!(narrowed > 0 && narrowed < all, "{narrowed} of {all}");
    let chart = h.loaded_chart().unwrap();
    let names: Vec<&str> = rows::labs(chart, "creat")
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names.len(), narrowed);
    assert!(names.iter().all(|n| *n == "Creatinine"), "{names:?}");
    assert!(
        h.selected() < narrowed,
        "the selection follows the shrinking list"
    );

    h.press(KeyCode::Esc);
    assert_eq!(h.chart().filter_input, None);
    assert_eq!(h.chart().filter(), "");
    assert_eq!(h.rows(), all);
    assert_eq!(h.app.screen, Screen::Chart);

    // Enter keeps the filter; Esc then clears it before leaving the chart.
    h.char('/');
    h.type_text("POTASSIUM");
    h.press(KeyCode::Enter);
    assert_eq!(h.chart().filter_input, None);
    assert_eq!(h.chart().filters[Tab::Results.index()], "POTASSIUM");
    let k = h.rows();
    assert!(k > 0 && k < all);
    h.char('3');
    assert_eq!(h.chart().filter(), "", "filters are per tab");
    h.char('4');
    assert_eq!(h.rows(), k);
    h.press(KeyCode::Esc);
    assert_eq!(h.rows(), all);
    assert_eq!(h.app.screen, Screen::Chart);

    // A filter matching nothing lists nothing; the selection stays at 0.
    h.char('/');
    h.type_text("zzzz-no-such-test");
    assert_eq!(h.rows(), 0);
    assert_eq!(h.selected(), 0);
    h.press(KeyCode::Esc);

    // The cover sheet has nothing to filter.
    h.char('1');
    h.char('/');
    assert_eq!(h.chart().filter_input, None);
}

#[test]
fn c_toggles_the_cumulative_results_view() {
    let mut h = Harness::new();
    h.open(ADA);
    h.char('4');
    let list = h.rows();
    h.char('j');
    h.char('c');
    assert_eq!(h.chart().results_view, ResultsView::Cumulative);
    assert_eq!(h.selected(), 0);
    let tests = h.rows();
    let chart = h.loaded_chart().unwrap();
    assert_eq!(tests, rows::cumulative(chart, "").tests.len());
    assert!(tests > 0 && tests < list, "{tests} tests, {list} results");
    h.char('G');
    assert_eq!(h.selected(), tests - 1);
    h.char('c');
    assert_eq!(h.chart().results_view, ResultsView::List);
    assert_eq!(h.rows(), list);

    // Elsewhere, c explains where the view is.
    h.char('3');
    h.char('c');
    assert_eq!(h.chart().results_view, ResultsView::List);
    let status = h.app.status.clone().expect("a hint");
    assert!(status.text.contains("Results"), "{status:?}");
    assert!(!status.error);
}

#[test]
fn question_mark_and_f1_open_help_and_esc_closes_it() {
    let mut h = Harness::new();
    // F1 works even while typing in the search box; '?' there is text.
    h.type_text("?");
    assert_eq!(h.app.search.input.text(), "?");
    assert_eq!(h.app.layers.top(), None);
    h.press(KeyCode::F(1));
    assert!(matches!(h.app.layers.top(), Some(Layer::Help { .. })));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.layers.top(), None);
    assert_eq!(
        h.app.search.input.text(),
        "?",
        "closing help leaves the box alone"
    );

    h.open(ADA);
    h.char('?');
    assert!(matches!(
        h.app.layers.top(),
        Some(Layer::Help {
            editing: false,
            scroll: 0,
            ..
        })
    ));
    h.char('j');
    assert!(matches!(
        h.app.layers.top(),
        Some(Layer::Help { scroll: 1, .. })
    ));
    // Chart keys do nothing behind the help.
    h.char('3');
    assert!(matches!(h.app.layers.top(), Some(Layer::Help { .. })));
    assert_eq!(h.tab(), Tab::Cover);
    // '/' filters the help; typing goes to its filter; Esc clears, Esc closes.
    h.char('/');
    h.type_text("quit");
    assert!(!h.app.quit, "q in the help filter is text");
    match h.app.layers.top() {
        Some(Layer::Help {
            filter, editing, ..
        }) => {
            assert_eq!(filter.text(), "quit");
            assert!(*editing);
        }
        other => panic!("{other:?}"),
    }
    h.press(KeyCode::Esc);
    assert!(matches!(
        h.app.layers.top(),
        Some(Layer::Help { editing: false, .. })
    ));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.layers.top(), None);
    assert_eq!(
        h.app.screen,
        Screen::Chart,
        "Esc in help does not leave the chart"
    );
    // q in the help over a chart closes the help, not rounds.
    h.char('?');
    h.char('q');
    assert_eq!(h.app.layers.top(), None);
    assert!(!h.app.quit);
}
