#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The schedule on the interactive screen (the demo's clinic day, 80x24): `:today` lists the
//! day in time order with cancelled and no-show visits dimmed, not hidden; `i` checks the
//! selected visit in (then "already arrived" on a second press); Enter opens the chart with
//! the row's patient on the banner at once, before any answer.

#[path = "common/mod.rs"]
mod common;

use common::tui::{FakeWorker, app_for, draw, find, keys, press, screen_text};
use ratatui::crossterm::event::KeyCode;
use rounds::app::{Command, Layer, LayerKind};
use rounds::frontdesk::day::ClinicZone;
use rounds::source::DemoSource;

/// The screen with the day's date and the zone's name (which depend on the machine and the
/// day) replaced.
fn stable(text: &str) -> String {
    let zone = ClinicZone::system();
    let date = rounds::chart::date::FhirDate::Day(zone.today()).display_date();
    let mut text = text
        .replace(&date, "DD-Mon-YYYY")
        .replace(zone.name(), "ZONE");
    // The time the list was fetched.
    if let Some(at) = text.find("as of ") {
        text.replace_range(at + 6..at + 11, "HH:MM");
    }
    text
}

fn list_status(app: &rounds::app::App, row: usize) -> String {
    match app.layers.get(LayerKind::Schedule) {
        Some(Layer::Schedule(l)) => l.schedule.as_ref().unwrap().rows[row].status.clone(),
        _ => panic!("no schedule"),
    }
}

#[test]
fn today_lists_checks_in_and_opens_a_chart() {
    let source = DemoSource::new();
    let worker = FakeWorker::new(&source);
    let mut app = app_for(&source);
    // Typed in the search box of the start screen, a `:` line is a command.
    keys(&mut app, ":today");
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadSchedule { .. }]),
        "{cmds:?}"
    );
    let more = worker.run(&mut app, cmds);
    assert!(more.is_empty());
    let term = draw(&mut app, 80, 24);
    let buf = term.backend().buffer();
    insta::assert_snapshot!("schedule_today", stable(&screen_text(buf)));
    // A cancelled visit is dimmed, never hidden.
    let at = find(buf, "cancelled");
    assert!(common::tui::has_style(&buf[at], app.theme.muted));
    // The 09:30 visit (booked) is checked in; a second press says it already is.
    keys(&mut app, "jj");
    let cmds = press(&mut app, KeyCode::Char('i'));
    assert!(
        matches!(cmds.as_slice(), [Command::CheckIn { .. }]),
        "{cmds:?}"
    );
    let refresh = worker.run(&mut app, cmds);
    worker.run(&mut app, refresh);
    assert_eq!(list_status(&app, 2), "arrived");
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("Checked in: arrived"), "{text}");
    let cmds = press(&mut app, KeyCode::Char('i'));
    let refresh = worker.run(&mut app, cmds);
    worker.run(&mut app, refresh);
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("Already arrived: nothing was changed"),
        "{text}"
    );
    // Enter: the chart, its banner drawn from the row before any answer.
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == "rnd-ben-nkaman"),
        "{cmds:?}"
    );
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(text.contains("NKAMAN, Ben"), "{text}");
    assert!(!app.layers.has(LayerKind::Schedule));
    worker.run(&mut app, cmds);
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    assert!(
        text.contains("NKAMAN, Ben") && text.contains("RND100102"),
        "{text}"
    );
}

/// The real binary in tmux at 80x24 on the demo: `--schedule` opens today's schedule, `i`
/// checks the 09:30 visit in, Enter opens that patient's chart, `:today` comes back to the
/// day with the visit arrived, and `q` leaves.
#[test]
fn tmux_schedule_check_in_chart_and_back() {
    use common::tmux::{TmuxPane, sh_quote};
    let config = tempfile::tempdir().unwrap();
    let script = format!(
        "env -u ROUNDS_SERVER -u ROUNDS_PROFILE ROUNDS_CONFIG_DIR={} {} --demo --schedule; echo EXITED:$?; sleep 30",
        sh_quote(&config.path().display().to_string()),
        sh_quote(env!("CARGO_BIN_EXE_rounds")),
    );
    let tui = TmuxPane::start(
        "rounds-sched",
        "day",
        (80, 24),
        &script,
        std::time::Duration::from_secs(20),
    );
    tui.wait_for(&["Schedule", "no-show", "Allergies: NKA"]);
    tui.keys(&["j", "j", "i"]);
    tui.wait_for(&["Checked in: arrived"]);
    tui.keys(&["Enter"]);
    tui.wait_for(&["NKAMAN, Ben", "RND100102", "NKA"]);
    tui.type_text(":today");
    tui.keys(&["Enter"]);
    let screen = tui.wait_for(&["Schedule", "09:30 arrived"]);
    assert!(screen.contains("cancelled"), "{screen}");
    tui.keys(&["Escape", "C-c"]);
    tui.wait_for(&["EXITED:0"]);
}

/// What the day could not show is said on the screen: appointments the server sent that
/// could not be read, and a visit the server placed on another local day (its date before
/// the visit type), never dropped silently.
#[test]
fn unreadable_appointments_and_another_days_visit_are_said() {
    use rounds::app::{Msg, Response, ResponseResult, update};
    use rounds::frontdesk::schedule::Schedule;
    use rounds::source::schedule::ScheduleFetch;
    let source = DemoSource::new();
    let mut app = app_for(&source);
    keys(&mut app, ":today");
    let cmds = press(&mut app, KeyCode::Enter);
    let Some(Command::LoadSchedule { req, request, .. }) = cmds.into_iter().next() else {
        panic!("no schedule asked for")
    };
    let next_day = request.query.window.date.succ_opt().unwrap();
    let late = request.zone.instant(next_day, 9, 0).unwrap();
    let entries = vec![
        serde_json::json!({"resourceType": "Appointment", "id": "late", "status": "booked",
            "start": late, "appointmentType": {"text": "Follow-up"}}),
        serde_json::json!({"resourceType": "Appointment", "status": "booked"}),
        serde_json::json!({"resourceType": "Appointment", "id": "bad id!", "status": "booked"}),
    ];
    let schedule = Schedule::build(
        &request.query,
        &request.zone,
        &entries,
        request.today,
        &request.options,
    );
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::Schedule(Ok(Box::new(ScheduleFetch::Fresh {
                schedule,
                validators: Default::default(),
                trimmed: true,
            }))),
        }),
    );
    let text = screen_text(draw(&mut app, 80, 24).backend().buffer());
    let other = rounds::chart::date::FhirDate::Day(next_day).display_date();
    assert!(text.contains(&format!("on {}: F", &other[..6])), "{text}");
    assert!(
        text.contains("(2 appointments could not be read)"),
        "{text}"
    );
    let buf = draw(&mut app, 80, 24);
    let at = find(buf.backend().buffer(), "could not be read");
    assert!(common::tui::has_style(
        &buf.backend().buffer()[at],
        app.theme.warning
    ));
}
