#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The front desk's forms on the interactive screen (80x24, no network): `:register` with
//! what is wrong said on screen and nothing typed lost, the duplicate check's candidates
//! (two identifiers each), "none of these is this person" asked before a create, a
//! candidate opening their chart instead; the demographics form (`D`) prefilled, its answer
//! under the banner only for the chart on screen; the conflict modal (theirs against mine,
//! Esc reads the chart again); Esc from a chart opened from the schedule back to the list.

#[path = "common/mod.rs"]
mod common;

use common::tui::{
    FakeWorker, answer_chart, app_for, ctrl, draw, find, has_style, keys, press, screen_text,
};
use ratatui::crossterm::event::KeyCode;
use rounds::app::desk::RegisterStage;
use rounds::app::{App, Command, Layer, LayerKind, Msg, Response, ResponseResult, update};
use rounds::fhir::{WriteAnswer, WriteOp};
use rounds::outbox::{Author, Conflict, Item, State, Write};
use rounds::source::desk::DemographicsOutcome;
use rounds::source::{DataSource, DemoSource, Submitted};
use serde_json::json;

fn demo_app(source: &DemoSource) -> App {
    let mut app = app_for(source);
    app.writing.writer = Some(source.writer());
    app
}

fn stage(app: &App) -> RegisterStage {
    match app.layers.get(LayerKind::Register) {
        Some(Layer::Register(f)) => f.stage.clone(),
        other => panic!("no register form: {other:?}"),
    }
}

/// `:register` typed in the start screen's search box, then the fields.
fn register(app: &mut App, family: &str, given: &str, born: &str, sex: &str) {
    keys(app, ":register");
    assert!(press(app, KeyCode::Enter).is_empty());
    assert!(app.layers.has(LayerKind::Register));
    for (i, text) in [family, given, born, sex].into_iter().enumerate() {
        if i > 0 {
            assert!(press(app, KeyCode::Tab).is_empty());
        }
        keys(app, text);
    }
}

#[test]
fn register_says_what_is_wrong_and_keeps_what_was_typed() {
    let source = DemoSource::new();
    let mut app = demo_app(&source);
    register(&mut app, "Nkaman", "Benjamin", "2025-13-01", "m");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    insta::assert_snapshot!("desk_register_bad_date", screen_text(buf));
    let at = find(buf, "'2025-13-01' is not a date");
    assert!(has_style(&buf[at], app.theme.status_error));
    // A date in the future, then no family name: said, and the rest stays typed.
    update(&mut app, Msg::Key(key_back_tab()));
    update(&mut app, ctrl('u'));
    keys(&mut app, "2031-01-01");
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("is in the future"), "{text}");
    update(&mut app, Msg::Key(key_back_tab()));
    update(&mut app, Msg::Key(key_back_tab()));
    update(&mut app, ctrl('u'));
    assert!(press(&mut app, KeyCode::Enter).is_empty());
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("The family name is empty"), "{text}");
    assert!(
        text.contains("Benjamin") && text.contains("2031-01-01"),
        "{text}"
    );
    assert_eq!(stage(&app), RegisterStage::Editing);
}

fn key_back_tab() -> ratatui::crossterm::event::KeyEvent {
    ratatui::crossterm::event::KeyEvent::new(
        KeyCode::BackTab,
        ratatui::crossterm::event::KeyModifiers::SHIFT,
    )
}

#[test]
fn a_look_alike_is_listed_and_opening_it_creates_nothing() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = demo_app(&source);
    register(&mut app, "Nkaman", "Benjamin", "2025-12-01", "m");
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::CheckRegistration { .. }]),
        "{cmds:?}"
    );
    let more = worker.run(&mut app, cmds);
    assert!(
        more.is_empty(),
        "nothing is created before the choice: {more:?}"
    );
    assert!(matches!(stage(&app), RegisterStage::Candidates { .. }));
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    insta::assert_snapshot!("desk_candidates", screen_text(buf));
    // The selected candidate, with name and born, and the MRN.
    let at = find(buf, "NKAMAN, Ben ");
    assert!(has_style(&buf[at], app.theme.selected));
    assert!(screen_text(buf).contains("RND100102"));
    // N asks; n goes back to the list; nothing was sent.
    assert!(press(&mut app, KeyCode::Char('N')).is_empty());
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("None of these is NKAMAN, Benjamin"), "{text}");
    assert!(press(&mut app, KeyCode::Char('n')).is_empty());
    // Enter opens that chart instead.
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == "rnd-ben-nkaman"),
        "{cmds:?}"
    );
    assert!(!app.layers.has(LayerKind::Register));
}

#[test]
fn none_of_these_then_yes_creates_once_and_opens_the_new_chart() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = demo_app(&source);
    register(&mut app, "Nkaman", "Benjamin", "2025-12-01", "m");
    let cmds = press(&mut app, KeyCode::Enter);
    worker.run(&mut app, cmds);
    assert!(press(&mut app, KeyCode::Char('N')).is_empty());
    let cmds = press(&mut app, KeyCode::Char('y'));
    let [Command::Register { item, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    // The create is conditional on the registration's own identifier.
    let WriteOp::Create { identifier, .. } = &item.writes[0].op else {
        panic!("not a create")
    };
    assert_eq!(identifier.system, "urn:rounds:registration");
    let opened = worker.run(&mut app, cmds);
    let [Command::LoadChart { patient_id, .. }] = opened.as_slice() else {
        panic!("{opened:?}")
    };
    assert!(patient_id.starts_with("demo-"), "{patient_id}");
    // The banner is drawn from what was registered, before any answer.
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("NKAMAN, Benjamin"), "{text}");
    assert!(text.contains("Registered: NKAMAN, Benjamin"), "{text}");
}

#[test]
fn the_same_registration_sent_again_keeps_its_identifier() {
    let mut form = rounds::app::desk::RegisterForm::new();
    for (i, t) in ["Okafor", "Ada", "1980-01-15", "f"].iter().enumerate() {
        form.fields[i] = rounds::app::LineInput::new(t);
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let reg = form.check(today).unwrap();
    assert_eq!(reg.gender, "female");
    let first = form.client_id(&reg);
    assert_eq!(form.client_id(&reg), first);
    form.fields[1] = rounds::app::LineInput::new("Adaeze");
    let other = form.check(today).unwrap();
    assert_ne!(
        form.client_id(&other),
        first,
        "another person, another record"
    );
}

/// Ben Nkaman's chart open on the demo, the app able to write.
fn ben(source: &DemoSource) -> App {
    let mut app = demo_app(source);
    let cmds = update(&mut app, Msg::OpenPatient("rnd-ben-nkaman".into()));
    answer_chart(&mut app, source, cmds);
    app
}

fn ben_json(phone: &str, version: &str) -> serde_json::Value {
    json!({
        "resourceType": "Patient", "id": "rnd-ben-nkaman", "meta": {"versionId": version},
        "name": [{"family": "Nkaman", "given": ["Ben"]}],
        "telecom": [{"system": "phone", "value": phone, "rank": 1}],
        "address": [{"use": "home", "line": ["1 Elm St"], "city": "Springfield",
                     "state": "IL", "postalCode": "62701"}],
    })
}

fn respond(app: &mut App, req: rounds::app::RequestId, result: ResponseResult) -> Vec<Command> {
    update(app, Msg::Response(Response { req, result }))
}

fn sent_item(state: State) -> Item {
    let mut item = Item::new(
        "demographics",
        "rnd-ben-nkaman",
        "demo",
        Author {
            profile: "demo".into(),
            fhir_user: None,
        },
        vec![Write::new(WriteOp::Update {
            resource_type: "Patient".into(),
            id: "rnd-ben-nkaman".into(),
            if_match: Some("W/\"3\"".into()),
            resource: ben_json("555 0199", "3"),
        })],
    );
    item.state = state;
    item.patient_label = "NKAMAN, Ben  Born 01-Dec-2025  MRN RND100102".into();
    item.summary = "phone 555 0199".into();
    item.writes[0].answer = Some(WriteAnswer {
        status: 200,
        id: Some("rnd-ben-nkaman".into()),
        version: Some("4".into()),
    });
    item
}

/// `D`: the record read, the form prefilled; the new phone typed and sent.
fn change_phone(app: &mut App) -> rounds::app::RequestId {
    let cmds = press(app, KeyCode::Char('D'));
    let [Command::ReadPatient { req, patient_id }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    assert_eq!(patient_id, "rnd-ben-nkaman");
    let read = ResponseResult::PatientRead(Ok(Box::new(ben_json("555 0100", "3"))));
    assert!(respond(app, *req, read).is_empty());
    update(app, ctrl('u'));
    keys(app, "555 0199");
    let cmds = press(app, KeyCode::Enter);
    let [Command::UpdateDemographics { req, change, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    // Only the field changed is sent.
    assert_eq!(change.phone.as_deref(), Some("555 0199"));
    assert!(change.address.is_none() && change.email.is_none());
    *req
}

#[test]
fn the_demographics_form_is_prefilled_and_its_answer_shows_under_the_banner() {
    let source = DemoSource::new();
    let mut app = ben(&source);
    let cmds = press(&mut app, KeyCode::Char('D'));
    let [Command::ReadPatient { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    let read = ResponseResult::PatientRead(Ok(Box::new(ben_json("555 0100", "3"))));
    respond(&mut app, *req, read);
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    insta::assert_snapshot!("desk_demographics_form", screen_text(buf));
    // The banner stays in view above the form.
    assert!(
        screen_text(buf)
            .lines()
            .next()
            .unwrap()
            .contains("NKAMAN, Ben")
    );
    update(
        &mut app,
        Msg::Key(ratatui::crossterm::event::KeyEvent::from(KeyCode::Esc)),
    );
    let req = change_phone(&mut app);
    let outcome = DemographicsOutcome::Submitted {
        patient_id: "rnd-ben-nkaman".into(),
        submitted: Box::new(Submitted {
            item: sent_item(State::Sent),
            outcome: None,
            kept: true,
        }),
        now: Some(ben_json("555 0199", "4")),
    };
    respond(
        &mut app,
        req,
        ResponseResult::DemographicsUpdated(Ok(Box::new(outcome))),
    );
    assert!(!app.layers.has(LayerKind::Demographics));
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    let text = screen_text(buf);
    let third = text.lines().nth(2).unwrap();
    assert!(third.contains("Phone 555 0199"), "{text}");
    assert!(third.contains("1 Elm St, Springfield, IL 62701"), "{text}");
    let at = find(buf, "Phone 555 0199");
    assert!(has_style(&buf[at], app.theme.muted));
}

#[test]
fn an_answer_about_another_patient_is_never_shown() {
    let source = DemoSource::new();
    let mut app = ben(&source);
    let req = change_phone(&mut app);
    let outcome = DemographicsOutcome::Submitted {
        patient_id: "someone-else".into(),
        submitted: Box::new(Submitted {
            item: sent_item(State::Sent),
            outcome: None,
            kept: true,
        }),
        now: Some(json!({"id": "someone-else", "telecom": [{"system": "phone", "value": "999"}]})),
    };
    respond(
        &mut app,
        req,
        ResponseResult::DemographicsUpdated(Ok(Box::new(outcome))),
    );
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(!text.contains("999"), "{text}");
    assert!(text.contains("another patient"), "{text}");
    assert_eq!(
        app.chart.as_ref().unwrap().contact.as_deref(),
        Some("Phone 555 0100  Email Not known  Address 1 Elm St, Springfield, IL 62701")
    );
}

#[test]
fn a_conflict_is_shown_theirs_against_mine_and_esc_reads_the_chart_again() {
    let source = DemoSource::new();
    let mut app = ben(&source);
    let req = change_phone(&mut app);
    let mut item = sent_item(State::Conflict);
    item.conflict = Some(Conflict {
        resource: "Patient/rnd-ben-nkaman".into(),
        base: Some(ben_json("555 0100", "3")),
        theirs: Some(ben_json("555 0777", "4")),
        mine: ben_json("555 0199", "3"),
    });
    let outcome = DemographicsOutcome::Submitted {
        patient_id: "rnd-ben-nkaman".into(),
        submitted: Box::new(Submitted {
            item,
            outcome: None,
            kept: true,
        }),
        now: None,
    };
    respond(
        &mut app,
        req,
        ResponseResult::DemographicsUpdated(Ok(Box::new(outcome))),
    );
    assert!(app.layers.has(LayerKind::Conflict));
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    insta::assert_snapshot!("desk_conflict_modal", screen_text(buf));
    let text = screen_text(buf);
    assert!(text.contains("Version you changed: 3"), "{text}");
    assert!(text.contains("version on the server now: 4"), "{text}");
    assert!(
        text.contains("555 0777") && text.contains("555 0199"),
        "{text}"
    );
    let at = find(buf, "Nothing was overwritten");
    assert!(has_style(&buf[at], app.theme.warning));
    let at = find(buf, "base   ");
    assert!(has_style(&buf[at], app.theme.muted));
    let cmds = press(&mut app, KeyCode::Esc);
    assert!(!app.layers.has(LayerKind::Conflict));
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == "rnd-ben-nkaman"),
        "{cmds:?}"
    );
}

#[test]
fn esc_from_a_chart_opened_from_the_schedule_returns_to_it() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = demo_app(&source);
    keys(&mut app, ":today");
    let cmds = press(&mut app, KeyCode::Enter);
    worker.run(&mut app, cmds);
    keys(&mut app, "jj");
    let cmds = press(&mut app, KeyCode::Enter);
    answer_chart(&mut app, &source, cmds);
    assert!(!app.layers.has(LayerKind::Schedule));
    let cmds = press(&mut app, KeyCode::Esc);
    assert!(
        matches!(cmds.as_slice(), [.., Command::LoadSchedule { .. }]),
        "{cmds:?}"
    );
    match app.layers.get(LayerKind::Schedule) {
        Some(Layer::Schedule(l)) => assert_eq!(l.selected, 2, "the row selection is kept"),
        other => panic!("{other:?}"),
    }
    // Esc on the list closes it: the search screen.
    press(&mut app, KeyCode::Esc);
    assert!(!app.layers.has(LayerKind::Schedule));
}

#[test]
fn a_check_in_another_desk_made_first_opens_the_conflict_over_the_day() {
    use rounds::source::schedule::CheckInOutcome;
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = demo_app(&source);
    keys(&mut app, ":today");
    let cmds = press(&mut app, KeyCode::Enter);
    worker.run(&mut app, cmds);
    keys(&mut app, "jj");
    let cmds = press(&mut app, KeyCode::Char('i'));
    let [Command::CheckIn { req, id, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}")
    };
    let mut item = sent_item(State::Conflict);
    item.kind = "checkin".into();
    item.writes = vec![Write::new(WriteOp::Patch {
        resource_type: "Appointment".into(),
        id: id.clone(),
        if_match: Some("W/\"1\"".into()),
        patch: json!([]),
    })];
    item.conflict = Some(Conflict {
        resource: format!("Appointment/{id}"),
        base: Some(json!({"status": "booked", "meta": {"versionId": "1"}})),
        theirs: Some(json!({"status": "arrived", "meta": {"versionId": "2"}})),
        mine: json!({"status": "arrived"}),
    });
    let outcome = CheckInOutcome::Submitted {
        submitted: Box::new(Submitted {
            item,
            outcome: None,
            kept: true,
        }),
        status_now: Some("arrived".into()),
    };
    let cmds = respond(
        &mut app,
        *req,
        ResponseResult::CheckedIn(Ok(Box::new(outcome))),
    );
    // The day is read again below the box; nothing was overwritten.
    assert!(
        matches!(cmds.as_slice(), [Command::LoadSchedule { .. }]),
        "{cmds:?}"
    );
    assert!(app.layers.has(LayerKind::Conflict) && app.layers.has(LayerKind::Schedule));
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    let zone = rounds::frontdesk::day::ClinicZone::system();
    let date = rounds::chart::date::FhirDate::Day(zone.today()).display_date();
    let mut stable = screen_text(buf)
        .replace(&date, "DD-Mon-YYYY")
        .replace(zone.name(), "ZONE");
    // The time the list was fetched.
    if let Some(at) = stable.find("as of ") {
        stable.replace_range(at + 6..at + 11, "HH:MM");
    }
    insta::assert_snapshot!("desk_checkin_conflict", stable);
    let text = screen_text(buf);
    assert!(
        text.contains("Status now arrived: another desk checked"),
        "{text}"
    );
    assert!(
        text.contains("Version you changed: 1   version on the server now: 2"),
        "{text}"
    );
    let cmds = press(&mut app, KeyCode::Esc);
    assert!(!app.layers.has(LayerKind::Conflict) && app.layers.has(LayerKind::Schedule));
    assert!(
        matches!(cmds.as_slice(), [Command::LoadSchedule { .. }]),
        "{cmds:?}"
    );
}
