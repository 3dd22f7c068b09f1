//! Writing through a data source: what the source can do with a write (`WriteMode`), the
//! answer to a submission (`Submitted`), and the outbox as the screen and the command line
//! see it. A server behind a sign-in profile keeps every write in the profile's encrypted
//! outbox before sending it; a server without one (no profile, or a profile whose secrets
//! live in memory only) sends at once and keeps nothing; the demo keeps writes in memory
//! for the session; files are read-only.

use serde::Serialize;

use crate::outbox::{Author, Item, Listing, Outcome};

/// What a source does with a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum WriteMode {
    /// Kept encrypted in the profile's outbox, then sent: nothing is lost.
    Outbox,
    /// Sent at once and not kept: if it cannot be sent, it is not saved (`why`).
    OnlineOnly { why: String },
    /// Kept in memory for this session (the demo): gone at exit.
    Memory,
    /// Nothing can be written (`why`).
    ReadOnly { why: String },
}

impl WriteMode {
    /// What the user is told about it, once, when they write.
    pub fn notice(&self) -> Option<String> {
        match self {
            WriteMode::Outbox => None,
            WriteMode::OnlineOnly { why } => Some(format!(
                "writes are sent at once and not kept ({why}): one that cannot be sent now is not saved"
            )),
            WriteMode::Memory => Some(
                "demo: writes are kept in memory and shown on the chart, and are gone when rounds exits"
                    .into(),
            ),
            WriteMode::ReadOnly { why } => Some(why.clone()),
        }
    }
}

/// Who writes, and where their writes go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub author: Author,
    pub mode: WriteMode,
}

impl Writer {
    /// A source that writes nothing, saying why (files, offline copies).
    pub fn read_only(why: impl Into<String>) -> Writer {
        Writer {
            author: Author {
                profile: String::new(),
                fhir_user: None,
            },
            mode: WriteMode::ReadOnly { why: why.into() },
        }
    }
}

/// A submission's answer: the item as it stands, how its sending ended (none when it was
/// kept as a draft), and whether it is kept in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub item: Item,
    pub outcome: Option<Outcome>,
    pub kept: bool,
}

/// The outbox as shown: its items, the files refused, and where it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OutboxView {
    pub listing: Listing,
    /// The folder, for messages (no patient data in it).
    pub folder: Option<String>,
}
