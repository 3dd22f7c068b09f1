#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The clinician's lists on the interactive screen (the demo, 80x24): `:ward demo-ward`
//! (the census) and `:mine` (the demo clinician's day), each row with its patient's two
//! identifiers and, under it, the glance (allergy flag in the banner's colours, latest
//! vitals) fetched in one batch for the rows in view after the view stops moving; Enter
//! opens the chart with the banner from the row at once. The messages for a missing
//! location or practitioner, an empty ward and a failed fetch; the selection kept on the
//! same row across a refresh; the background refresh only while the list is on top.

#[path = "common/mod.rs"]
mod common;

use std::time::Duration;

use common::tui::{FakeWorker, app_for, draw, find, has_style, keys, press, screen_text};
use ratatui::crossterm::event::KeyCode;
use rounds::app::{Command, Layer, LayerKind, Msg, Response, ResponseResult, update};
use rounds::common::{Failure, FailureKind};
use rounds::frontdesk::day::ClinicZone;
use rounds::source::DemoSource;

/// The screen with what depends on the day and the clock replaced: admission dates
/// (days before today), the day's date, the zone, and "as of HH:MM".
fn stable(text: &str) -> String {
    let zone = ClinicZone::system();
    let today = zone.today();
    let mut out = text.to_owned();
    for back in 0..8u64 {
        let d = today.checked_sub_days(chrono::Days::new(back)).unwrap();
        out = out.replace(
            &d.format("%d-%b-%Y").to_string(),
            &format!("TODAY-{back}    "),
        );
    }
    if let Some(at) = out.find("as of ") {
        out.replace_range(at + 6..at + 11, "HH:MM");
    }
    out.replace(zone.name(), "ZONE")
}

/// Run the command line `line` and answer what it asked for.
fn command(app: &mut rounds::app::App, worker: &FakeWorker, line: &str) -> Vec<Command> {
    keys(app, line);
    let cmds = press(app, KeyCode::Enter);
    worker.run(app, cmds)
}

/// Let the view stay still past the debounce: the glances' batch goes out, and is answered.
fn settle(app: &mut rounds::app::App, worker: &FakeWorker) -> Vec<Command> {
    let later = app.now + Duration::from_millis(400);
    let cmds = update(app, Msg::Clock(later));
    let batches: Vec<Command> = cmds
        .iter()
        .filter(|c| matches!(c, Command::LoadGlances { .. }))
        .cloned()
        .collect();
    worker.run(app, batches.clone());
    batches
}

#[test]
fn ward_lists_the_census_with_a_glance_under_each_row() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    let more = command(&mut app, &worker, ":ward demo-ward");
    assert!(more.is_empty(), "{more:?}");
    // Before the batch: said as not fetched yet, never blank.
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("Allergies and vitals not fetched yet"),
        "{text}"
    );
    // One batch for the rows in view, after the debounce.
    let batches = settle(&mut app, &worker);
    assert!(
        matches!(batches.as_slice(), [Command::LoadGlances { patient_ids, .. }] if patient_ids.len() == 3),
        "{batches:?}"
    );
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    insta::assert_snapshot!("ward_census", stable(&screen_text(buf)));
    // The allergy flag in the banner's colours: allergies recorded, and NKA.
    let at = find(buf, "Allergies: yes");
    assert!(has_style(&buf[at], app.theme.banner_allergy));
    let at = find(buf, "Allergies: NKA");
    assert!(has_style(&buf[at], app.theme.banner_nka));
    // An abnormal latest vital (BP flagged H) in the abnormal style.
    let at = find(buf, "BP 142/88 mmHg H");
    assert!(has_style(&buf[at], app.theme.abnormal));
    // The same view again asks for nothing: cached per patient.
    assert!(settle(&mut app, &worker).is_empty());
    // Enter: the chart, its banner from the row before any answer.
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == "rnd-ada-testwell"),
        "{cmds:?}"
    );
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("TESTWELL, Ada"), "{text}");
    assert!(!app.layers.has(LayerKind::List));
    // Esc on that chart: the ward again, the same row selected, read again.
    let selected = "rnd-ada-testwell";
    worker.run(&mut app, cmds);
    let cmds = press(&mut app, KeyCode::Esc);
    assert!(
        matches!(cmds.as_slice(), [Command::Forget, Command::LoadList { .. }]),
        "{cmds:?}"
    );
    assert!(app.layers.has(LayerKind::List));
    match app.layers.get(LayerKind::List) {
        Some(Layer::List(l)) => {
            assert_eq!(l.row().unwrap().patient_id.as_deref(), Some(selected))
        }
        _ => panic!("no list"),
    }
}

#[test]
fn mine_lists_the_clinicians_day() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    app.writing.writer = Some(rounds::source::DataSource::writer(&source));
    command(&mut app, &worker, ":mine");
    settle(&mut app, &worker);
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    let date = rounds::chart::date::FhirDate::Day(ClinicZone::system().today()).display_date();
    let text = stable(&screen_text(buf)).replace(&date, "DD-Mon-YYYY");
    insta::assert_snapshot!("mine_day", text);
    // A cancelled visit is dimmed, not hidden.
    let at = find(buf, "cancelled");
    assert!(has_style(&buf[at], app.theme.muted));
}

#[test]
fn clear_messages_for_no_location_no_practitioner_an_empty_ward_and_a_failure() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    command(&mut app, &worker, ":ward");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Give a location"),
        "{:?}",
        app.status
    );
    app.writing.writer = None;
    command(&mut app, &worker, ":mine");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("No practitioner known"),
        "{:?}",
        app.status
    );
    command(&mut app, &worker, ":ward ../x");
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("is not a Location id")
    );
    // An unknown ward: empty, said so.
    command(&mut app, &worker, ":ward ward-nowhere");
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("No patients in progress at ward-nowhere."),
        "{text}"
    );
    // A failed fetch says so, never "no patients".
    let req = match press(&mut app, KeyCode::Char('r')).as_slice() {
        [Command::LoadList { req, .. }] => *req,
        other => panic!("{other:?}"),
    };
    let failed = Failure::new(FailureKind::Network, "the server could not be reached");
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::List(Err(failed)),
        }),
    );
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("The list could not be loaded: the server could not be reached"),
        "{text}"
    );
}

fn selected_id(app: &rounds::app::App) -> String {
    match app.layers.get(LayerKind::List) {
        Some(Layer::List(l)) => l.row().unwrap().id.clone(),
        _ => panic!("no list"),
    }
}

#[test]
fn a_refresh_keeps_the_selection_on_the_same_row_and_waits_for_modals() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    command(&mut app, &worker, ":ward demo-ward");
    keys(&mut app, "j");
    let before = selected_id(&app);
    // The answer comes back in another order: the selection follows the row.
    let rows = match app.layers.get(LayerKind::List) {
        Some(Layer::List(l)) => l.rows.clone().unwrap(),
        _ => panic!(),
    };
    let mut reversed = rows.clone();
    reversed.reverse();
    let req = match press(&mut app, KeyCode::Char('r')).as_slice() {
        [Command::LoadList { req, .. }] => *req,
        other => panic!("{other:?}"),
    };
    // A stale answer (an older request) is ignored.
    update(
        &mut app,
        Msg::Response(Response {
            req: rounds::app::RequestId(req.0 - 1),
            result: ResponseResult::List(Ok(vec![])),
        }),
    );
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::List(Ok(reversed)),
        }),
    );
    assert_eq!(selected_id(&app), before);
    // Due a minute later: fetched again in the background…
    let later = app.now + Duration::from_secs(61);
    let cmds = update(&mut app, Msg::Clock(later));
    assert!(
        cmds.iter().any(|c| matches!(c, Command::LoadList { .. })),
        "{cmds:?}"
    );
    worker.run(&mut app, cmds);
    // …but not while help is open over it.
    press(&mut app, KeyCode::F(1));
    let later = app.now + Duration::from_secs(61);
    let cmds = update(&mut app, Msg::Clock(later));
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::LoadList { .. })),
        "{cmds:?}"
    );
    // Nor when the profile turned the refresh off.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.layers.top().map(Layer::kind), Some(LayerKind::List));
    app.desk.list_refresh_seconds = Some(0);
    let later = app.now + Duration::from_secs(600);
    let cmds = update(&mut app, Msg::Clock(later));
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::LoadList { .. })),
        "{cmds:?}"
    );
}

#[test]
fn the_schedule_refreshes_in_the_background_and_keeps_the_appointment() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    command(&mut app, &worker, ":today");
    keys(&mut app, "jjj");
    let id = |app: &rounds::app::App| match app.layers.get(LayerKind::Schedule) {
        Some(Layer::Schedule(l)) => l.row().unwrap().appointment_id.clone(),
        _ => panic!(),
    };
    let before = id(&app);
    let later = app.now + Duration::from_secs(61);
    let cmds = update(&mut app, Msg::Clock(later));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::LoadSchedule { .. })),
        "{cmds:?}"
    );
    worker.run(&mut app, cmds);
    assert_eq!(id(&app), before);
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("as of "), "{text}");
    // The glance line is under the schedule's rows too.
    settle(&mut app, &worker);
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("Allergies: "), "{text}");
    // The evening visit, below the first screen, comes into view.
    keys(&mut app, "jjjjj");
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("19:30") && text.contains("Evening clin"),
        "{text}"
    );
}

/// The real binary in tmux at 80x24 on the demo: `:ward demo-ward` lists the census with
/// each row's glance, Enter opens the chart of the selected patient, and Ctrl-C leaves.
#[test]
fn tmux_ward_glances_and_chart() {
    use common::tmux::{TmuxPane, sh_quote};
    let config = tempfile::tempdir().unwrap();
    let script = format!(
        "env -u ROUNDS_SERVER -u ROUNDS_PROFILE ROUNDS_CONFIG_DIR={} {} --demo; echo EXITED:$?; sleep 30",
        sh_quote(&config.path().display().to_string()),
        sh_quote(env!("CARGO_BIN_EXE_rounds")),
    );
    let tui = TmuxPane::start(
        "rounds-ward",
        "ward",
        (80, 24),
        &script,
        Duration::from_secs(20),
    );
    tui.wait_for(&["DEMO"]);
    tui.type_text(":ward demo-ward");
    tui.keys(&["Enter"]);
    tui.wait_for(&[
        "Inpatients at demo-ward",
        "as of ",
        "Bed 7",
        "Allergies: NKA",
        "Allergies: yes (2, high criticality)",
    ]);
    tui.keys(&["j", "j", "Enter"]);
    tui.wait_for(&["NKAMAN, Ben", "RND100102"]);
    tui.keys(&["Escape", "C-c"]);
    tui.wait_for(&["EXITED:0"]);
}

#[test]
fn a_failed_schedule_refresh_keeps_the_rows_and_says_why() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    command(&mut app, &worker, ":today");
    let req = match press(&mut app, KeyCode::Char('r')).as_slice() {
        [Command::LoadSchedule { req, .. }] => *req,
        other => panic!("{other:?}"),
    };
    let failed = Failure::new(FailureKind::Timeout, "the server took too long");
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::Schedule(Err(failed)),
        }),
    );
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("The schedule could not be loaded: the server took too long")
            && text.contains("08:30 fulfilled"),
        "{text}"
    );
    // A failed glance batch is said on the rows; the next fetch of the list asks again.
    let later = app.now + Duration::from_millis(400);
    let cmds = update(&mut app, Msg::Clock(later));
    let req = match cmds.as_slice() {
        [Command::LoadGlances { req, .. }] => *req,
        other => panic!("{other:?}"),
    };
    let failed = Failure::new(FailureKind::Network, "no route to the server");
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::Glances(Err(failed)),
        }),
    );
    let buf_text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        buf_text.contains("Allergies and vitals could not be loaded: no route to the server"),
        "{buf_text}"
    );
    let cmds = press(&mut app, KeyCode::Char('r'));
    worker.run(&mut app, cmds);
    let later = app.now + Duration::from_millis(400);
    let cmds = update(&mut app, Msg::Clock(later));
    assert!(
        matches!(cmds.as_slice(), [Command::LoadGlances { .. }]),
        "{cmds:?}"
    );
}
