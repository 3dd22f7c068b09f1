//! Key-sequence flows: retry, back, quit, paste, resize

use super::*;

#[test]
fn r_retries_with_a_new_request_id() {
    let mut h = Harness::new();
    let first = Harness::load_request(&h.send(Msg::OpenPatient("no-such-patient".into())));
    let response = h.worker.answer(&Command::LoadChart {
        req: first,
        patient_id: "no-such-patient".into(),
    });
    h.send(Msg::Response(response));
    match &h.chart().data {
        Remote::Failed(e) => assert!(e.contains("not found"), "{e}"),
        other => panic!("{other:?}"),
    }
    let second = Harness::load_request(&h.send(ch('r')));
    assert!(second > first);
    assert_eq!(h.chart().data, Remote::Loading(second));
    assert_eq!(h.chart().patient_id, "no-such-patient");

    // Retrying a loaded chart reloads it and keeps the tab.
    h.open(ADA);
    h.char('3');
    let before = match &h.chart().data {
        Remote::Loaded(_) => h.app.recent.len(),
        other => panic!("{other:?}"),
    };
    let commands = h.send(ch('r'));
    let third = Harness::load_request(&commands);
    assert!(third > second);
    assert!(h.chart().data.is_loading());
    assert_eq!(h.tab(), Tab::Medications);
    let response = h.worker.answer(&commands[0]);
    h.send(Msg::Response(response));
    assert!(h.loaded_chart().is_some());
    assert_eq!(
        h.app.recent.len(),
        before,
        "a reload does not duplicate recent"
    );
}

#[test]
fn esc_returns_to_search_and_drops_the_chart() {
    let mut h = Harness::new();
    h.search("testwell");
    h.press(KeyCode::Enter);
    assert!(h.loaded_chart().is_some());
    h.char('4');
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.chart.is_none(), "chart data leaves memory");
    assert!(!h.app.search.editing, "back to the result list");
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    // Opened directly (no search yet): Esc lands in the search box.
    let mut h = Harness::new();
    h.run(Msg::OpenPatient(ADA.into()));
    assert!(h.loaded_chart().is_some());
    h.press(KeyCode::Esc);
    assert!(h.app.chart.is_none());
    assert!(h.app.search.editing);

    // 's' in a chart also goes to the search box, dropping the chart.
    h.open(CORA);
    h.char('s');
    assert!(h.app.chart.is_none());
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.search.editing);
}

#[test]
fn q_quits_except_when_typed_into_a_box() {
    let mut h = Harness::new();
    h.char('q');
    assert!(!h.app.quit, "q in the search box is a letter");
    assert_eq!(h.app.search.input.text(), "q");

    let mut h = Harness::new();
    h.search("testwell");
    h.char('q');
    assert!(h.app.quit, "q in the result list quits");

    let mut h = Harness::new();
    h.open(ADA);
    h.char('q');
    assert!(h.app.quit, "q in a chart quits");
}

/// A named way to put the app in some state.
type Setup = (&'static str, fn(&mut Harness));

#[test]
fn ctrl_c_quits_from_anywhere() {
    let setups: Vec<Setup> = vec![
        ("search box", |_h| {}),
        ("search box with text", |h| h.type_text("testw")),
        ("result list", |h| {
            h.search("testwell");
        }),
        ("chart", |h| h.open(ADA)),
        ("chart loading", |h| {
            h.send(Msg::OpenPatient(ADA.into()));
        }),
        ("filter", |h| {
            h.open(ADA);
            h.char('4');
            h.char('/');
            h.type_text("cr");
        }),
        ("command line", |h| {
            h.open(ADA);
            h.send(ch(':'));
            h.type_text("pat");
        }),
        ("help", |h| {
            h.press(KeyCode::F(1));
        }),
        ("help filter", |h| {
            h.press(KeyCode::F(1));
            h.char('/');
        }),
        ("detail", |h| {
            h.open(ADA);
            h.char('3');
            h.press(KeyCode::Enter);
        }),
    ];
    for (name, setup) in setups {
        let mut h = Harness::new();
        setup(&mut h);
        assert!(!h.app.quit, "{name}: not yet");
        assert!(h.send(ctrl('c')).is_empty());
        assert!(h.app.quit, "Ctrl-C did not quit from the {name}");
    }
}

#[test]
fn paste_goes_into_the_search_box_without_newlines() {
    let mut h = Harness::new();
    h.send(Msg::Paste("testwell\r\nada\n".into()));
    let text = h.app.search.input.text().to_owned();
    assert!(!text.contains(['\n', '\r']), "{text:?}");
    assert!(text.starts_with("testwell"), "{text:?}");
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>(),
        ["testwell", "ada"]
    );
    h.send(ctrl('u'));
    h.send(Msg::Paste("testwell\n".into()));
    assert!(h.app.search.input.text().trim() == "testwell");
    let commands = h.press(KeyCode::Enter);
    assert_eq!(
        commands.len(),
        1,
        "a pasted newline does not run the search"
    );
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    // Pasted into a chart (no filter open), it goes nowhere.
    h.open(ADA);
    h.send(Msg::Paste("zzz".into()));
    assert_eq!(h.chart().filter(), "");
    // Into an open filter, it filters.
    h.char('4');
    h.char('/');
    h.send(Msg::Paste("TSH\n".into()));
    assert_eq!(h.chart().filter().trim(), "TSH");
    assert_eq!(h.rows(), 1);
}

#[test]
fn resize_updates_the_size_and_the_page() {
    let mut h = Harness::new();
    assert_eq!(h.app.size, (80, 24));
    assert!(h.send(Msg::Resize(120, 40)).is_empty());
    assert_eq!(h.app.size, (120, 40));
    assert_eq!(h.app.page(), 31);
    h.open(ADA);
    h.char('4');
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), 31.min(h.rows() - 1));
    h.send(Msg::Resize(20, 5));
    assert_eq!(h.app.page(), 1);
}

#[test]
fn key_releases_are_ignored() {
    let mut h = Harness::new();
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    h.send(Msg::Key(release));
    assert!(h.app.search.input.is_empty());
}
