//! The write path's state on screen: who writes and where writes go (from the source), the
//! outbox's counts for the status line and its items for `:outbox`, the note being written
//! in the editor (kept across an idle lock, so a note is never lost), and the layers of
//! the write path: the note's confirm layer, the vitals form, the outbox list, and the
//! confirmations that name the patient.

use std::time::Instant;

use crate::charting::note::{Note, NoteKind};
use crate::charting::prepare::Subject;
use crate::common::RequestId;
pub use crate::outbox::{Conflict, Counts, Item, RefusedItem};
use crate::source::Writer;

/// The write path's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Writing {
    /// Who writes and what happens to writes; `None` until the source says.
    pub writer: Option<Writer>,
    /// The server items are written to (for building them).
    pub server: String,
    /// The outbox's counts, for the status line.
    pub counts: Counts,
    /// The outbox's items as last listed (for `:outbox`).
    pub items: Vec<Item>,
    pub refused: Vec<RefusedItem>,
    /// When the items were listed (their ages are counted to it).
    pub listed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The note in the editor now (or whose editor just closed).
    pub editing: Option<NoteSession>,
    /// When the queue is next tried (the earliest item's backoff).
    pub next_send: Option<Instant>,
    /// Whether the outbox has been read since start (the queue resumes then).
    pub started: bool,
    /// A note or vitals form being sent: put back if the submission fails before the
    /// write is kept, so nothing typed is lost.
    pub in_flight: Option<(RequestId, crate::app::layers::Layer)>,
}

impl Writing {
    /// Whether writes are kept in an outbox here.
    pub fn has_outbox(&self) -> bool {
        self.writer
            .as_ref()
            .is_some_and(|w| w.mode == crate::source::WriteMode::Outbox)
    }
}

/// A note being written: for whom, what kind, in which visit, from which draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSession {
    pub req: RequestId,
    pub subject: Subject,
    pub kind: NoteKind,
    pub encounter: Option<String>,
    /// The draft item this note was reopened from (its file is replaced).
    pub draft_id: Option<String>,
    /// The body the editor started with (the template, or the draft's text).
    pub body: String,
}

/// The note's confirm layer: sign and send, keep as draft, or discard.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteConfirm {
    pub session: NoteSession,
    pub note: Note,
    /// The draft item it was kept as when the editor closed (so nothing is lost).
    pub draft: Option<Item>,
    /// `x` was pressed: a second `x` (or `y`) discards.
    pub discard_armed: bool,
}

/// A question that names the patient before something is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Record "no known allergies".
    Nka { subject: Subject },
    /// Quit with writes not sent (`pending`) or, on the demo, writes that go at exit.
    Quit { what: String },
    /// Discard an outbox item without sending it.
    Discard { id: String, label: String },
}

/// The `:outbox` list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxList {
    pub selected: usize,
    /// Show the selected item in full (a conflict as base / theirs / mine).
    pub detail: bool,
}

/// A short line for the status bar: `outbox 2 waiting · 1 failed · 1 draft`.
pub fn counts_text(c: &Counts) -> Option<String> {
    let mut parts = Vec::new();
    if c.pending > 0 {
        parts.push(format!("{} waiting", c.pending));
    }
    if c.failed > 0 {
        parts.push(format!("{} failed", c.failed));
    }
    if c.drafts > 0 {
        parts.push(format!(
            "{} draft{}",
            c.drafts,
            if c.drafts == 1 { "" } else { "s" }
        ));
    }
    (!parts.is_empty()).then(|| format!("outbox {}", parts.join(" · ")))
}

/// What a note kind is called on the confirm layer.
pub fn kind_word(kind: NoteKind) -> &'static str {
    kind.title()
}
