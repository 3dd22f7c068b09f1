//! Key-sequence flows: the idle lock (issue 4; ONC 170.315(d)(5)): time comes in as `Msg::Clock`, no sleeping

use std::time::{Duration, Instant};

use super::*;
use rounds::app::{IdleLock, LockPhase, LockReason};

/// A harness with a 5-minute limit whose clock starts at `t0`, Ada's chart open on the
/// Results tab, and Ada in the recent list.
fn with_chart() -> (Harness, Instant) {
    let mut h = Harness::new();
    let t0 = Instant::now();
    h.app.lock = IdleLock::new(Some(Duration::from_secs(300)), t0);
    h.send(Msg::Clock(t0));
    h.open(ADA);
    h.char('4');
    assert_eq!(h.app.chart.as_ref().unwrap().tab, Tab::Results);
    assert!(!h.app.recent.is_empty());
    (h, t0)
}

fn clock(h: &mut Harness, t0: Instant, secs: u64) -> Vec<Command> {
    h.send(Msg::Clock(t0 + Duration::from_secs(secs)))
}

fn assert_no_patient_data(h: &Harness) {
    assert!(h.app.chart.is_none());
    assert_eq!(h.app.search.results, Remote::Idle);
    assert!(h.app.search.input.text().is_empty());
    assert!(h.app.recent.is_empty());
    // Nothing but the lock (and a sign-in to end it) is drawn over the screen.
    assert!(
        h.app
            .layers
            .iter()
            .all(|l| matches!(l.kind(), LayerKind::Locked | LayerKind::SignIn))
    );
    assert!(h.app.status.is_none());
}

#[test]
fn warns_then_locks_and_drops_every_patient_detail() {
    let (mut h, t0) = with_chart();
    assert!(clock(&mut h, t0, 239).is_empty());
    assert_eq!(h.app.lock.phase, LockPhase::Active);
    clock(&mut h, t0, 240);
    assert!(matches!(h.app.lock.phase, LockPhase::Warning { .. }));
    assert!(h.app.chart.is_some(), "the countdown still shows the chart");
    let forgets = h.forgets;
    clock(&mut h, t0, 300);
    assert!(matches!(
        h.app.lock.phase,
        LockPhase::Locked {
            reason: LockReason::Idle,
            ..
        }
    ));
    assert_no_patient_data(&h);
    assert_eq!(
        h.forgets,
        forgets + 1,
        "the source drops what it kept, once"
    );
}

#[test]
fn a_key_during_the_countdown_only_puts_the_lock_off() {
    let (mut h, t0) = with_chart();
    clock(&mut h, t0, 250);
    assert!(matches!(h.app.lock.phase, LockPhase::Warning { .. }));
    // '1' would switch to the cover sheet: here it only says "still here".
    assert!(h.char('1').is_empty());
    assert_eq!(h.app.lock.phase, LockPhase::Active);
    assert_eq!(h.app.chart.as_ref().unwrap().tab, Tab::Results);
    // The limit now runs from that key.
    clock(&mut h, t0, 480);
    assert_eq!(h.app.lock.phase, LockPhase::Active);
    clock(&mut h, t0, 550);
    assert!(h.app.lock.is_locked());
}

#[test]
fn keys_keep_the_screen_unlocked() {
    let (mut h, t0) = with_chart();
    for minute in 1..=20 {
        clock(&mut h, t0, minute * 60);
        h.char('j');
    }
    assert!(!h.app.lock.is_locked());
    assert!(h.app.chart.is_some());
}

#[test]
fn colon_lock_and_ctrl_l_lock_at_once() {
    let (mut h, _) = with_chart();
    h.command_line("lock");
    assert!(matches!(
        h.app.lock.phase,
        LockPhase::Locked {
            reason: LockReason::Asked,
            ..
        }
    ));
    assert_no_patient_data(&h);

    let (mut h, _) = with_chart();
    h.send(ctrl('l'));
    assert!(h.app.lock.is_locked());
    assert_no_patient_data(&h);
}

#[test]
fn while_locked_keys_do_nothing_and_late_answers_are_dropped() {
    let (mut h, t0) = with_chart();
    let old_req = h.app.chart.as_ref().unwrap().req;
    clock(&mut h, t0, 300);
    for c in ['1', '/', 's', ':', 'R', '?'] {
        assert!(h.send(ch(c)).is_empty());
    }
    assert!(h.send(Msg::Paste("testwell".into())).is_empty());
    assert!(h.send(Msg::OpenPatient(ADA.into())).is_empty());
    // The chart that was loading or open answers late: nothing comes back on screen.
    let late = h.worker.chart_response(old_req, ADA);
    h.send(Msg::Response(late));
    assert_no_patient_data(&h);
    assert!(h.app.lock.is_locked());
}

#[test]
fn enter_signs_in_again_and_resumes_the_chart_and_tab() {
    let (mut h, t0) = with_chart();
    clock(&mut h, t0, 300);
    let unlock = h.send(key(KeyCode::Enter));
    let [Command::Unlock { req }] = unlock.as_slice() else {
        panic!("expected an unlock, got {unlock:?}");
    };
    assert!(matches!(h.app.lock.phase, LockPhase::Unlocking { .. }));
    assert!(
        h.send(key(KeyCode::Enter)).is_empty(),
        "one unlock at a time"
    );
    h.send(Msg::Clock(t0 + Duration::from_secs(400)));
    let reopen = h.send(Msg::Response(Response {
        req: *req,
        result: ResponseResult::Unlocked(Ok(())),
    }));
    assert_eq!(h.app.lock.phase, LockPhase::Active);
    let [Command::LoadChart { patient_id, .. }] = reopen.as_slice() else {
        panic!("expected the chart to load again, got {reopen:?}");
    };
    assert_eq!(patient_id, ADA);
    let answer = h.worker.answer(&reopen[0]);
    h.send(Msg::Response(answer));
    let chart = h.app.chart.as_ref().unwrap();
    assert_eq!(chart.tab, Tab::Results);
    assert!(chart.data.loaded().is_some());
    // The timer runs from the unlock.
    clock(&mut h, t0, 650);
    assert!(!h.app.lock.is_locked());
}

#[test]
fn a_failed_sign_in_keeps_the_lock_with_the_reason() {
    let (mut h, t0) = with_chart();
    clock(&mut h, t0, 300);
    let unlock = h.send(key(KeyCode::Enter));
    let [Command::Unlock { req }] = unlock.as_slice() else {
        panic!("expected an unlock");
    };
    let more = h.send(Msg::Response(Response {
        req: *req,
        result: ResponseResult::Unlocked(Err(rounds::common::Failure::new(
            rounds::common::FailureKind::AuthExpired,
            "The server refused the sign-in",
        ))),
    }));
    assert!(more.is_empty());
    assert!(matches!(
        &h.app.lock.phase,
        LockPhase::Locked { problem: Some(p), .. } if p.contains("refused")
    ));
    assert_no_patient_data(&h);
    // q still quits from the lock screen.
    h.send(ch('q'));
    assert!(h.app.quit);
}

#[test]
fn the_lock_can_be_turned_off_but_lock_still_works() {
    let mut h = Harness::new();
    let t0 = Instant::now();
    h.app.lock = IdleLock::new(None, t0);
    h.open(ADA);
    h.send(Msg::Clock(t0 + Duration::from_secs(86_400)));
    assert!(h.app.chart.is_some());
    h.command_line("lock");
    assert!(h.app.lock.is_locked());
}
