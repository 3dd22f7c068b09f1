//! The screen's offline copies: `p` pins or unpins the chart's patient (and says so, under
//! that patient's banner only), and the background sync starts when due, says what it kept,
//! and stops when the screen locks.

use std::time::{Duration, Instant};

use rounds::app::offline_sync::{EVERY, FIRST_AFTER, OfflineSync};
use rounds::app::{Command, IdleLock, Msg, Response, ResponseResult};
use rounds::source::offline_sync::SyncSummary;

use super::common::tui::{ADA, CORA, ch, ctrl, draw, screen_text};
use super::*;

#[test]
fn p_without_offline_copies_says_so_and_asks_nothing() {
    let mut h = Harness::new();
    h.open(ADA);
    assert!(h.send(ch('p')).is_empty());
    let status = h.app.status.as_ref().unwrap();
    assert!(status.error && status.text.contains("keeps no offline copies"));
}

#[test]
fn p_asks_to_pin_and_the_answer_is_said_under_that_patient_only() {
    let mut h = Harness::new();
    h.open(ADA);
    // On only now: a chart loaded with copies on is also handed over to be kept.
    h.app.offline_keeping = true;
    let commands = h.send(ch('p'));
    let [Command::TogglePin { req, patient_id }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(patient_id, ADA);
    let pinned = |pinned: bool| {
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Pinned {
                patient_id: ADA.into(),
                result: Ok(pinned),
            },
        })
    };
    h.send(pinned(true));
    assert!(
        h.app
            .status
            .as_ref()
            .unwrap()
            .text
            .starts_with("Pinned: this patient")
    );
    // An answer for Ada arriving under Cora's banner does not say "this patient".
    h.app.offline_keeping = false;
    h.open(CORA);
    h.send(pinned(false));
    let text = &h.app.status.as_ref().unwrap().text;
    assert!(!text.contains("this patient"), "{text}");
}

#[test]
fn the_background_sync_runs_when_due_says_what_it_kept_and_stops_at_the_lock() {
    let mut h = Harness::new();
    // On a chart (Ctrl-L in the search box is typing).
    h.open(ADA);
    let t0 = Instant::now();
    h.app.lock = IdleLock::new(Some(Duration::from_secs(3 * 3600)), t0);
    h.app.offline_keeping = true;
    h.app.offline_sync = OfflineSync::start(t0);
    // The clock is woken for it, and nothing starts before it is due.
    assert_eq!(h.app.next_deadline(t0), Some(t0 + FIRST_AFTER));
    assert!(h.send(Msg::Clock(t0 + Duration::from_secs(5))).is_empty());
    let first = t0 + FIRST_AFTER;
    let commands = h.send(Msg::Clock(first));
    let [Command::SyncOffline { req }] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    // One at a time: no second run while it goes.
    assert!(h.send(Msg::Clock(first + EVERY)).is_empty());
    let done = |req, kept| {
        Msg::Response(Response {
            req,
            result: ResponseResult::OfflineSynced(Ok(SyncSummary {
                at: chrono::Utc::now(),
                kept,
                failed: 0,
            })),
        })
    };
    // A stale answer is not taken.
    h.send(done(rounds::app::RequestId(9999), 7));
    assert_eq!(h.app.offline_sync.last, None);
    h.send(done(*req, 3));
    let text = h.app.offline_sync.status_text().unwrap();
    assert!(
        text.starts_with("synced ") && text.ends_with(": 3 kept"),
        "{text}"
    );
    let mut term = draw(&mut h.app, 100, 24);
    let screen = screen_text(term.backend_mut().buffer());
    assert!(screen.contains("offline copies kept · synced "), "{screen}");
    // The next is due EVERY after the start of the last one.
    let next = h.app.offline_sync.next.unwrap();
    assert!(next >= first + EVERY);
    let commands = h.send(Msg::Clock(next));
    assert!(matches!(commands.as_slice(), [Command::SyncOffline { .. }]));
    // Locking stops it; while locked none starts.
    let commands = h.send(ctrl('l'));
    assert!(commands.contains(&Command::StopSyncOffline), "{commands:?}");
    assert!(h.app.lock.is_locked());
    assert_eq!(h.app.offline_sync.running, None);
    assert!(
        !h.send(Msg::Clock(next + EVERY * 2))
            .iter()
            .any(|c| matches!(c, Command::SyncOffline { .. }))
    );
}
