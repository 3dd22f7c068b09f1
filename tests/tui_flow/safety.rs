//! Key-sequence flows: staleness and safety

use super::*;

#[test]
fn a_late_response_for_a_previous_patient_is_never_shown() {
    let mut h = Harness::new();
    h.search("testwell");
    // Open A from the list; its response has not arrived.
    let a = h.send(key(KeyCode::Enter));
    let req_a = Harness::load_request(&a);
    // Back, and open B before A's answer.
    h.send(key(KeyCode::Esc));
    assert!(h.app.chart.is_none());
    h.send(key(KeyCode::Down));
    let b = h.send(key(KeyCode::Enter));
    let req_b = Harness::load_request(&b);
    assert_ne!(req_a, req_b);
    assert_eq!(h.chart().patient_id, ADA_LOOKALIKE);

    // A's answer arrives now: dropped.
    let late = h.worker.answer(&a[0]);
    h.send(Msg::Response(late));
    assert_eq!(h.chart().patient_id, ADA_LOOKALIKE);
    assert_eq!(h.chart().data, Remote::Loading(req_b), "still loading B");
    assert!(
        h.app.recent.is_empty(),
        "A was never shown, so never recent"
    );

    // B's answer is shown.
    let answer = h.worker.answer(&b[0]);
    h.send(Msg::Response(answer));
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA_LOOKALIKE);

    // A later duplicate of A's answer still changes nothing.
    let late = h.worker.answer(&a[0]);
    h.send(Msg::Response(late));
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA_LOOKALIKE);
    assert_eq!(h.app.recent.len(), 1);
}

#[test]
fn a_late_response_after_switching_by_command_line_is_dropped() {
    let mut h = Harness::new();
    let a = h.send(Msg::OpenPatient(ADA.into()));
    h.send(ch(':'));
    h.type_text("patient rnd-cora-lastday");
    let b = h.send(key(KeyCode::Enter));
    let req_b = Harness::load_request(&b);
    h.send(Msg::Response(h.worker.answer(&a[0])));
    assert_eq!(h.chart().patient_id, CORA);
    assert_eq!(h.chart().data, Remote::Loading(req_b));
    h.send(Msg::Response(h.worker.answer(&b[0])));
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, CORA);
}

#[test]
fn a_response_for_a_closed_chart_is_dropped() {
    let mut h = Harness::new();
    let a = h.send(Msg::OpenPatient(ADA.into()));
    h.send(key(KeyCode::Esc));
    assert!(h.app.chart.is_none());
    h.send(Msg::Response(h.worker.answer(&a[0])));
    assert!(h.app.chart.is_none());
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.recent.is_empty());
}

#[test]
fn a_record_of_another_patient_is_refused() {
    let mut h = Harness::new();
    let a = h.send(Msg::OpenPatient(ADA.into()));
    let req = Harness::load_request(&a);
    // The answer to A's request carries Cora's record.
    let wrong = h.worker.chart_response(req, CORA);
    h.send(Msg::Response(wrong));
    assert_eq!(h.chart().patient_id, ADA);
    match &h.chart().data {
        Remote::Failed(e) => assert!(e.contains("different patient"), "{e}"),
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(h.loaded_chart().is_none());
    assert!(h.app.recent.is_empty(), "never shown, never recent");
    // Retrying gets the right one.
    h.char('r');
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA);
}

#[test]
fn a_stale_search_response_is_ignored() {
    let mut h = Harness::new();
    h.type_text("testwell");
    let first = h.send(key(KeyCode::Enter));
    assert!(h.app.search.editing, "still typing while the search runs");
    h.send(ctrl('u'));
    h.type_text("kermit");
    let second = h.send(key(KeyCode::Enter));
    let (Command::Search { req: r1, .. }, Command::Search { req: r2, .. }) =
        (&first[0], &second[0])
    else {
        panic!("{first:?} {second:?}");
    };
    assert!(r2 > r1);
    h.send(Msg::Response(h.worker.answer(&first[0])));
    assert_eq!(
        h.app.search.results,
        Remote::Loading(*r2),
        "old answer ignored"
    );
    h.send(Msg::Response(h.worker.answer(&second[0])));
    assert_eq!(h.result_ids(), [KERMIT]);
    h.send(Msg::Response(h.worker.answer(&first[0])));
    assert_eq!(h.result_ids(), [KERMIT], "still ignored after the new one");

    // A failed search is shown as failed.
    h.char('/');
    let third = h.send(key(KeyCode::Enter));
    let [Command::Search { req, query, .. }] = third.as_slice() else {
        panic!("{third:?}");
    };
    assert_eq!(query.name.as_deref(), Some("kermit"));
    h.send(Msg::Response(Response {
        req: *req,
        result: ResponseResult::Search(Err(rounds::common::Failure::new(
            rounds::common::FailureKind::Network,
            "connection refused",
        ))),
    }));
    assert_eq!(
        h.app.search.results,
        Remote::Failed("connection refused".into())
    );
    assert!(h.app.search.editing);
}

#[test]
fn recent_lists_opened_patients_newest_first() {
    let mut h = Harness::new();
    h.search("testwell");
    // R with nothing opened yet says so.
    h.char('R');
    assert!(h.app.search.showing_recent);
    assert_eq!(h.result_ids(), Vec::<String>::new());
    assert!(h.app.status.as_ref().unwrap().text.contains("No patients"));

    h.search("testwell");
    h.press(KeyCode::Enter); // Ada
    h.press(KeyCode::Esc);
    h.char('j');
    h.press(KeyCode::Enter); // the look-alike
    h.press(KeyCode::Esc);
    h.open(KERMIT);
    h.press(KeyCode::Esc);
    assert_eq!(
        h.app
            .recent
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        [KERMIT, ADA_LOOKALIKE, ADA]
    );
    if h.app.search.editing {
        h.press(KeyCode::Esc);
    }
    h.char('R');
    assert!(h.app.search.showing_recent);
    assert_eq!(h.result_ids(), [KERMIT, ADA_LOOKALIKE, ADA]);
    let rows = h.app.search.results.loaded().unwrap();
    assert!(rows[1].lookalike, "the look-alike warning is kept");
    assert_eq!(rows[2].mrn, "RND100101");
    assert!(!h.app.search.editing);

    // Opening from the recent list works and moves the patient to the front.
    h.char('G');
    h.press(KeyCode::Enter);
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA);
    assert_eq!(
        h.app
            .recent
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        [ADA, KERMIT, ADA_LOOKALIKE]
    );

    // :recent from a chart shows them too.
    assert!(h.command_line("recent").is_empty());
    assert!(h.app.chart.is_none());
    assert_eq!(h.result_ids(), [ADA, KERMIT, ADA_LOOKALIKE]);
}

#[test]
fn closing_or_switching_a_chart_tells_the_source_to_forget_it() {
    let mut h = Harness::new();
    h.app.size = (80, 24);
    assert!(h.run(Msg::OpenPatient(ADA.into())).len() == 1);
    assert_eq!(h.forgets, 0);
    // Reloading starts clean: nothing cached is reused.
    h.char('r');
    assert_eq!(h.forgets, 1);
    // Another patient: the first one's data goes.
    h.run(Msg::OpenPatient(CORA.into()));
    assert_eq!(h.forgets, 2);
    // Back to the search: gone too.
    h.press(KeyCode::Esc);
    assert!(h.app.chart.is_none());
    assert_eq!(h.forgets, 3);
}
