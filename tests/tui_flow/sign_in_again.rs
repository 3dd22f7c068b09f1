//! Key-sequence flows: signing in again on screen: after the lock, and after the server ended the session

use super::*;
use rounds::app::LockPhase;
use rounds::common::{Failure, FailureKind};
use rounds::source::SourceKind;

const REDIRECT: &str = "http://127.0.0.1:5555/callback?code=abc&state=xyz";

#[test]
fn the_lock_screen_shows_the_login_instructions_and_takes_a_hidden_paste() {
    let mut h = Harness::new();
    h.open(ADA);
    h.command_line("lock");
    let cmds = h.send(key(KeyCode::Enter));
    let [Command::Unlock { req }] = cmds.as_slice() else {
        panic!("expected an unlock, got {cmds:?}");
    };
    let req = *req;
    assert_eq!(h.app.layers.sign_in().unwrap().req, req);
    let lines = vec![
        "Open this address in a browser to sign in:".to_owned(),
        "  https://ehr.example/authorize?client_id=rounds".to_owned(),
        "  ssh -L 5555:127.0.0.1:5555 clinician@clinic-server".to_owned(),
    ];
    h.send(Msg::Response(Response {
        req,
        result: ResponseResult::SignInPrompt(lines.clone()),
    }));
    // An answer for another request changes nothing.
    h.send(Msg::Response(Response {
        req: RequestId(req.0 + 100),
        result: ResponseResult::SignInNote("stale".into()),
    }));
    let view = h.app.layers.sign_in().unwrap();
    assert_eq!(view.instructions, lines);
    assert_eq!(view.note, None);
    // Keys go into the box, not to the app: 'q' does not quit here.
    for c in "q1".chars() {
        assert!(h.send(ch(c)).is_empty());
    }
    assert!(!h.app.quit);
    h.send(ctrl('u'));
    h.send(Msg::Paste(format!("  {REDIRECT}\n")));
    assert_eq!(h.app.layers.sign_in().unwrap().paste.text(), REDIRECT);
    let cmds = h.send(key(KeyCode::Enter));
    assert_eq!(
        cmds,
        vec![Command::PasteRedirect {
            text: REDIRECT.to_owned()
        }]
    );
    assert!(h.app.layers.sign_in().unwrap().paste.is_empty());
    // The login says the paste was wrong; the user can paste again, or give up.
    h.send(Msg::Response(Response {
        req,
        result: ResponseResult::SignInNote("That is not the address rounds waits for".into()),
    }));
    assert!(h.app.layers.sign_in().unwrap().note.is_some());
    assert_eq!(h.send(key(KeyCode::Esc)), vec![Command::CancelSignIn]);
    assert!(h.app.layers.sign_in().is_none());
    assert!(matches!(
        &h.app.lock.phase,
        LockPhase::Locked { problem: Some(p), .. } if p == "Sign-in cancelled"
    ));
    // Enter tries again.
    assert!(matches!(
        h.send(key(KeyCode::Enter)).as_slice(),
        [Command::Unlock { .. }]
    ));
}

/// A harness whose source counts as a server, with Ada's chart on the Results tab,
/// then refused by the server: the session ended.
fn expired() -> (Harness, RequestId) {
    let mut h = Harness::new();
    h.app.source.kind = SourceKind::Server;
    h.open(ADA);
    h.char('4');
    // Reload; the server now answers 401 (no silent refresh helped).
    let cmds = h.send(ch('r'));
    let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
        panic!("expected a reload, got {cmds:?}");
    };
    let req = *req;
    h.send(Msg::Response(Response {
        req,
        result: ResponseResult::Chart(Err(Failure::new(
            FailureKind::AuthExpired,
            "The server no longer accepts your session: log in again",
        ))),
    }));
    assert!(h.app.layers.has(LayerKind::SessionEnded));
    (h, req)
}

#[test]
fn after_a_401_enter_signs_in_and_reloads_the_chart_on_the_same_tab() {
    let (mut h, _) = expired();
    assert_eq!(h.app.chart.as_ref().unwrap().patient_id, ADA);
    let cmds = h.send(key(KeyCode::Enter));
    let [Command::SignIn { req }] = cmds.as_slice() else {
        panic!("expected a sign-in, got {cmds:?}");
    };
    let reload = h.send(Msg::Response(Response {
        req: *req,
        result: ResponseResult::SignedIn(Ok(())),
    }));
    assert!(!h.app.layers.has(LayerKind::SessionEnded));
    assert!(h.app.layers.sign_in().is_none());
    let [Command::LoadChart { patient_id, .. }] = reload.as_slice() else {
        panic!("expected the chart to load again, got {reload:?}");
    };
    assert_eq!(patient_id, ADA);
    let answer = h.worker.answer(&reload[0]);
    h.send(Msg::Response(answer));
    let chart = h.app.chart.as_ref().unwrap();
    assert_eq!(chart.tab, Tab::Results, "the user stays where they were");
    assert!(chart.data.loaded().is_some());
}

#[test]
fn a_failed_sign_in_keeps_the_notice_and_esc_puts_it_away() {
    let (mut h, _) = expired();
    let cmds = h.send(key(KeyCode::Enter));
    let [Command::SignIn { req }] = cmds.as_slice() else {
        panic!("expected a sign-in");
    };
    let more = h.send(Msg::Response(Response {
        req: *req,
        result: ResponseResult::SignedIn(Err(Failure::new(
            FailureKind::AuthExpired,
            "the password was refused",
        ))),
    }));
    assert!(more.is_empty());
    assert!(h.app.layers.has(LayerKind::SessionEnded));
    assert!(h.app.status.as_ref().unwrap().text.contains("refused"));
    assert!(h.send(key(KeyCode::Esc)).is_empty());
    assert!(!h.app.layers.has(LayerKind::SessionEnded));
    assert!(h.app.chart.is_some(), "the screen stays");
    // :signin starts it again.
    h.send(ch(':'));
    h.type_text("signin");
    assert!(matches!(
        h.send(key(KeyCode::Enter)).as_slice(),
        [Command::SignIn { .. }]
    ));
}

#[test]
fn other_keys_still_work_under_the_notice_and_the_lock_stops_a_sign_in() {
    let (mut h, _) = expired();
    h.char('3');
    assert_eq!(h.app.chart.as_ref().unwrap().tab, Tab::Medications);
    let cmds = h.send(key(KeyCode::Enter));
    assert!(matches!(cmds.as_slice(), [Command::SignIn { .. }]));
    let cmds = h.send(ctrl('c'));
    assert!(cmds.is_empty());
    assert!(h.app.quit, "Ctrl-C quits even during a sign-in");
    let (mut h, _) = expired();
    h.send(key(KeyCode::Enter));
    assert!(h.app.layers.sign_in().is_some());
    // The idle lock comes while the sign-in waits: it is stopped, the lock asks anew.
    let t = std::time::Instant::now();
    h.app.lock = rounds::app::IdleLock::new(Some(std::time::Duration::from_secs(60)), t);
    let all = update(
        &mut h.app,
        Msg::Clock(t + std::time::Duration::from_secs(61)),
    );
    assert!(all.contains(&Command::CancelSignIn), "{all:?}");
    assert!(h.app.layers.sign_in().is_none());
    assert!(h.app.lock.is_locked());
    assert!(h.app.chart.is_none());
}

#[test]
fn a_401_from_an_open_or_demo_source_shows_no_notice() {
    let mut h = Harness::new();
    h.open(ADA);
    h.send(Msg::Response(Response {
        req: RequestId(1),
        result: ResponseResult::Search(Err(Failure::new(
            FailureKind::AuthExpired,
            "the server did not accept the login (HTTP 401): log in again",
        ))),
    }));
    assert!(!h.app.layers.has(LayerKind::SessionEnded));
}
