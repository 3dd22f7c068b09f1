//! The screen's background sync of offline copies (a profile with `offline = true`): once
//! shortly after the start, then every ten minutes, `update` asks the worker
//! (`Command::SyncOffline`) to keep today's booked patients, the pinned ones and those
//! opened lately, one chart at a time, behind the user's own requests. It never runs
//! while the screen is locked or the session has ended (`stop_when_away` stops a run in
//! progress), and the status line says when it last synced and how many it kept.
//!
//! The state here holds no patient data: times and counts only.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::command::Command;
use super::layers::LayerKind;
use super::state::{App, RequestId};
use crate::common::Failure;
use crate::source::offline_sync::SyncSummary;

/// The first sync comes this long after the start (the first screen goes first).
pub const FIRST_AFTER: Duration = Duration::from_secs(20);
/// Then one every this long.
pub const EVERY: Duration = Duration::from_secs(10 * 60);
/// How often a chart shown from its offline copy asks the server again.
pub const RECHECK: Duration = Duration::from_secs(30);

/// After a sync that failed, the next try comes sooner.
pub const RETRY_AFTER: Duration = Duration::from_secs(2 * 60);

/// How the last sync ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastSync {
    Done(SyncSummary),
    /// It could not run (the server cannot be reached, the copies cannot be opened).
    Failed {
        at: DateTime<Utc>,
    },
}

/// The background sync's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfflineSync {
    /// The profile keeps offline copies and the screen talks to its server.
    pub enabled: bool,
    /// When the next sync is due.
    pub next: Option<Instant>,
    /// The sync running, if one is.
    pub running: Option<RequestId>,
    pub last: Option<LastSync>,
}

impl OfflineSync {
    /// On, with the first sync due `FIRST_AFTER` from `now`.
    pub fn start(now: Instant) -> OfflineSync {
        OfflineSync {
            enabled: true,
            next: Some(now + FIRST_AFTER),
            running: None,
            last: None,
        }
    }

    /// When the clock must next wake `update` for a sync.
    pub fn deadline(&self) -> Option<Instant> {
        if !self.enabled || self.running.is_some() {
            return None;
        }
        self.next
    }

    /// The status line's words: when it last synced, how many were kept.
    pub fn status_text(&self) -> Option<String> {
        if !self.enabled {
            return None;
        }
        let local = |at: DateTime<Utc>| at.with_timezone(&chrono::Local).format("%H:%M");
        match (&self.last, self.running) {
            (_, Some(_)) => Some("syncing…".into()),
            (Some(LastSync::Done(s)), None) if s.failed > 0 => Some(format!(
                "synced {}: {} kept, {} not",
                local(s.at),
                s.kept,
                s.failed
            )),
            (Some(LastSync::Done(s)), None) => {
                Some(format!("synced {}: {} kept", local(s.at), s.kept))
            }
            (Some(LastSync::Failed { at }), None) => Some(format!("sync failed {}", local(*at))),
            (None, None) => None,
        }
    }
}

/// When the clock must wake `update` for the background work of offline copies: the
/// next sync, or the next time a chart shown from its copy asks the server again (so the
/// OFFLINE COPY line goes within `RECHECK` of the link's return, keys pressed or not).
pub fn deadline(app: &App) -> Option<Instant> {
    let sync = app.offline_sync.deadline().filter(|_| !away(app));
    let recheck = app.chart.as_ref().and_then(|chart| {
        let copy =
            matches!(&chart.data, super::state::Remote::Loaded(c) if c.offline_as_of.is_some());
        (copy && !app.lock.is_locked())
            .then(|| app.offline_checked.map_or(app.now, |t| t + RECHECK))
    });
    match (sync, recheck) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Locked, or the session ended: no sync may run.
fn away(app: &App) -> bool {
    app.lock.is_locked() || app.layers.has(LayerKind::SessionEnded)
}

/// The clock says `now`: start a sync when one is due.
pub fn on_clock(app: &mut App, now: Instant) -> Vec<Command> {
    let sync = &app.offline_sync;
    let due = sync.deadline().is_some_and(|at| now >= at);
    if !due || away(app) {
        return vec![];
    }
    let req = app.next_request();
    let sync = &mut app.offline_sync;
    sync.running = Some(req);
    sync.next = Some(now + EVERY);
    vec![Command::SyncOffline { req }]
}

/// After every message: a sync running while the screen is locked or the session has
/// ended is stopped (it starts again when due after the unlock).
pub fn stop_when_away(app: &mut App) -> Vec<Command> {
    if app.offline_sync.running.is_none() || !away(app) {
        return vec![];
    }
    app.offline_sync.running = None;
    vec![Command::StopSyncOffline]
}

/// A sync ended (the current one only).
pub fn on_synced(app: &mut App, req: RequestId, result: Result<SyncSummary, Failure>) {
    let sync = &mut app.offline_sync;
    if sync.running != Some(req) {
        return;
    }
    sync.running = None;
    sync.last = Some(match result {
        Ok(summary) => LastSync::Done(summary),
        Err(_) => {
            sync.next = Some(app.now + RETRY_AFTER);
            LastSync::Failed { at: Utc::now() }
        }
    });
}

/// `p` on a chart: pin its patient to keep offline, or unpin them.
pub fn toggle_pin(app: &mut App) -> Vec<Command> {
    let Some(patient_id) = app.chart.as_ref().map(|c| c.patient_id.clone()) else {
        return vec![];
    };
    if !app.offline_keeping {
        app.set_error(
            "Not pinned: this profile keeps no offline copies (offline = true in the profile, \
             or rounds login --offline)",
        );
        return vec![];
    }
    let req = app.next_request();
    vec![Command::TogglePin { req, patient_id }]
}

/// Whether `patient_id` is pinned now: said on the status line, of the chart on screen
/// only (a chart opened since is another patient's: it is not said under their banner).
pub fn on_pinned(app: &mut App, patient_id: &str, result: Result<bool, Failure>) {
    let same = app
        .chart
        .as_ref()
        .is_some_and(|c| c.patient_id == patient_id);
    match (result, same) {
        (Ok(true), true) => {
            app.set_status("Pinned: this patient is kept offline by every sync (p again to unpin)")
        }
        (Ok(false), true) => app.set_status(
            "Unpinned: this patient is kept offline only while opened lately or booked today",
        ),
        (Ok(_), false) => app.set_status("The pin of the chart closed before was changed"),
        (Err(f), _) => app.set_error(format!("Not pinned: {}", f.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_says_when_and_how_many() {
        let now = Instant::now();
        let mut s = OfflineSync::start(now);
        assert_eq!(s.status_text(), None);
        assert_eq!(s.deadline(), Some(now + FIRST_AFTER));
        s.running = Some(RequestId(3));
        assert_eq!(s.deadline(), None);
        assert_eq!(s.status_text().unwrap(), "syncing…");
        s.running = None;
        s.last = Some(LastSync::Done(SyncSummary {
            kept: 12,
            failed: 0,
            at: Utc::now(),
        }));
        assert!(s.status_text().unwrap().ends_with(": 12 kept"));
        assert_eq!(OfflineSync::default().status_text(), None);
    }
}
