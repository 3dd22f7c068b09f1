//! One item of the outbox: a write (or several that belong together, such as the vital
//! signs taken at one time) with everything needed to send it later exactly as it was
//! made, and to show it to the user: whose chart, what, by whom, in which state, and why it
//! is not sent yet.
//!
//! States: `draft` (kept, not to be sent) → `queued` → `sending` → `sent` | `conflict` |
//! `rejected` | `unknown`. `unknown` means the server may or may not have taken it (the
//! answer was lost): it is sent again only in a way that cannot write twice.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::conflict::Conflict;
use crate::fhir::{WriteAnswer, WriteOp};

/// Where an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Kept locally; not to be sent until the user signs it.
    Draft,
    /// Waiting to be sent (first time, or again after the server was busy).
    Queued,
    /// Being sent (an item found in this state after a crash is treated as `unknown`).
    Sending,
    /// The server has it.
    Sent,
    /// Someone changed the record first, or the write's precondition failed: shown as
    /// base / theirs / mine; never resolved by overwriting.
    Conflict,
    /// The server refused it as it is (its OperationOutcome is kept): sending it again
    /// would not help.
    Rejected,
    /// The answer was lost: the server may have it. Sent again only by identifier (a
    /// conditional create, or a search first), so never twice.
    Unknown,
}

impl State {
    /// The state's name, as in `--json` and on screen.
    pub fn name(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Conflict => "conflict",
            State::Rejected => "rejected",
            State::Unknown => "unknown",
        }
    }

    /// Whether the outbox sends it by itself when due.
    pub fn is_pending(self) -> bool {
        matches!(self, State::Queued | State::Sending | State::Unknown)
    }

    /// Whether it needs the user (retry after a fix, or discard).
    pub fn is_failed(self) -> bool {
        matches!(self, State::Conflict | State::Rejected)
    }
}

/// Who wrote an item: it is only ever sent as them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The sign-in profile.
    pub profile: String,
    /// The user's FHIR identity (`Practitioner/ID`), from the sign-in or the profile.
    pub fhir_user: Option<String>,
}

/// One write of an item, with the server's answer once it has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Write {
    pub op: WriteOp,
    /// The resource as it was when the form opened (an update's base, for a conflict).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<WriteAnswer>,
}

impl Write {
    pub fn new(op: WriteOp) -> Write {
        Write {
            op,
            base: None,
            answer: None,
        }
    }
}

/// Round trips and bytes one sending took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wire {
    pub round_trips: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}

/// One item of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// A UUID: the file's name (no patient data).
    pub id: String,
    /// What it is: `note`, `vitals`, `nka`, `note-retraction`…
    pub kind: String,
    pub patient_id: String,
    /// The patient in words (name, born, MRN), to name them before a discard.
    pub patient_label: String,
    /// What it says in a few words (`Progress note, 12 lines`, `BP 128/82  HR 72`).
    pub summary: String,
    /// The server's base URL.
    pub server: String,
    pub author: Author,
    pub created_at: DateTime<Utc>,
    pub state: State,
    /// Sendings tried so far.
    #[serde(default)]
    pub attempts: u32,
    /// Not sent by itself before this time (backoff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why it is not sent yet, in words (and the server's OperationOutcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Paused until the user signs in again.
    #[serde(default)]
    pub needs_sign_in: bool,
    pub writes: Vec<Write>,
    /// A draft's content, for reopening it (what the kind means by it is the caller's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<Conflict>,
    /// What the last sending cost.
    #[serde(default)]
    pub wire: Wire,
}

impl Item {
    /// A new item, queued (or a draft when `writes` is empty and `draft` is given).
    pub fn new(
        kind: &str,
        patient_id: &str,
        server: &str,
        author: Author,
        writes: Vec<Write>,
    ) -> Item {
        Item {
            id: crate::fhir::write::new_uuid(),
            kind: kind.to_owned(),
            patient_id: patient_id.to_owned(),
            patient_label: String::new(),
            summary: String::new(),
            server: server.to_owned(),
            author,
            created_at: Utc::now(),
            state: State::Queued,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
            needs_sign_in: false,
            writes,
            draft: None,
            conflict: None,
            wire: Wire::default(),
        }
    }

    /// Whether the outbox should try it now.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.state.is_pending() && self.next_attempt_at.is_none_or(|t| t <= now)
    }

    /// The writes the server does not have yet.
    pub fn unanswered(&self) -> impl Iterator<Item = (usize, &Write)> {
        self.writes
            .iter()
            .enumerate()
            .filter(|(_, w)| w.answer.is_none())
    }

    /// The server's references of what was written (`Observation/ID`), as far as known.
    pub fn references(&self) -> Vec<String> {
        self.writes
            .iter()
            .filter_map(|w| w.answer.as_ref()?.reference(w.op.resource_type()))
            .collect()
    }

    /// Wait before the next try: 5 s, doubling each attempt up to 10 minutes, plus up to
    /// half again at random (so that many terminals coming back online do not all send at
    /// once).
    pub fn schedule_retry(&mut self, now: DateTime<Utc>) {
        let exp = 5u64.saturating_mul(1 << self.attempts.saturating_sub(1).min(10));
        let base = exp.min(600);
        let jitter = u64::from(crate::fhir::write::random_bytes::<1>()[0]) * base / 510;
        let wait = Duration::from_secs(base + jitter);
        self.next_attempt_at =
            Some(now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::zero()));
    }

    /// How long ago it was made, in a few characters (`3m`, `2h`, `5d`).
    pub fn age(&self, now: DateTime<Utc>) -> String {
        let secs = (now - self.created_at).num_seconds().max(0);
        match secs {
            0..60 => format!("{secs}s"),
            60..3600 => format!("{}m", secs / 60),
            3600..86400 => format!("{}h", secs / 3600),
            _ => format!("{}d", secs / 86400),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_with_jitter_up_to_ten_minutes() {
        let author = Author {
            profile: "p".into(),
            fhir_user: None,
        };
        let mut item = Item::new("note", "pt", "http://s", author, vec![]);
        let now = Utc::now();
        assert!(item.is_due(now));
        for (attempts, low, high) in [(1, 5, 8), (2, 10, 15), (3, 20, 30), (20, 600, 900)] {
            item.attempts = attempts;
            item.schedule_retry(now);
            let wait = (item.next_attempt_at.unwrap() - now).num_seconds();
            assert!((low..=high).contains(&wait), "{attempts}: {wait}");
        }
        assert!(!item.is_due(now));
        item.state = State::Draft;
        assert!(!item.is_due(now + chrono::Duration::hours(1)));
        assert_eq!(item.age(now + chrono::Duration::minutes(3)), "3m");
    }
}
