//! The outbox: nothing a clinician writes is lost. Every write is first kept, encrypted,
//! durably (`vault`), then sent (`send`); it leaves the outbox only once the server has it,
//! or when the user discards it. A dropped link, a crash, an idle lock or an expired
//! sign-in leaves it waiting; the next start (or `rounds outbox retry`) sends it, never
//! twice (each create carries its own identifier, see `fhir::write`).
//!
//! One outbox per sign-in profile and server, in the state directory:
//! `outbox/PROFILE/SERVER-HASH/UUID.sealed`. Each item is bound to its profile, server,
//! patient and id: a file moved or changed is refused, reported, and never sent.

mod conflict;
mod item;
mod send;

use std::path::{Path, PathBuf};

pub use conflict::{Conflict, Difference};
pub use item::{Author, Item, State, Wire, Write};
pub use send::{Outcome, Which, flush, send_item};

use crate::vault::{Vault, VaultError, VaultKey};

/// Why the outbox could not do something.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The item's content is not what its file is bound to (another patient, server or
    /// profile), or cannot be read: it is never sent.
    #[error("item '{id}' was refused: {why}")]
    Refused { id: String, why: String },
    /// No item has that id.
    #[error("no item '{0}' in the outbox")]
    NoSuchItem(String),
}

/// An item that could not be opened, and why; it stays until discarded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RefusedItem {
    pub id: String,
    pub why: String,
}

/// Every item, and the files refused.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub items: Vec<Item>,
    pub refused: Vec<RefusedItem>,
}

/// Counts for the status line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Waiting to be sent (queued, sending, unknown).
    pub pending: usize,
    /// Needing the user: conflict, rejected, or refused files.
    pub failed: usize,
    pub drafts: usize,
}

impl Listing {
    pub fn counts(&self) -> Counts {
        let count = |f: fn(State) -> bool| self.items.iter().filter(|i| f(i.state)).count();
        Counts {
            pending: count(State::is_pending),
            failed: count(State::is_failed) + self.refused.len(),
            drafts: count(|s| s == State::Draft),
        }
    }
}

/// One profile's outbox for one server.
#[derive(Debug, Clone)]
pub struct Outbox {
    vault: Vault,
    profile: String,
    server: String,
}

/// A short stable name for a server (FNV-1a of its base URL): folder names hold no URL.
fn server_hash(server: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in server.trim_end_matches('/').as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl Outbox {
    /// The folder of `profile`'s outbox for `server` under the state directory `root`.
    pub fn dir(root: &Path, profile: &str, server: &str) -> PathBuf {
        root.join("outbox").join(profile).join(server_hash(server))
    }

    /// Whether the folder holds any item file (so a missing key must not be replaced).
    pub fn has_items(dir: &Path) -> bool {
        std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
    }

    /// The outbox in `dir`, sealing under `key`.
    pub fn open(
        dir: PathBuf,
        key: VaultKey,
        profile: &str,
        server: &str,
    ) -> Result<Outbox, OutboxError> {
        let server = server.trim_end_matches('/');
        let vault = Vault::open(dir, key, &[("profile", profile), ("server", server)])?;
        Ok(Outbox {
            vault,
            profile: profile.to_owned(),
            server: server.to_owned(),
        })
    }

    /// The folder the items are kept in.
    pub fn folder(&self) -> &Path {
        self.vault.dir()
    }

    /// The profile this outbox belongs to.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Keep `item`, durably (replacing its earlier copy).
    pub fn save(&self, item: &Item) -> Result<(), OutboxError> {
        let body = serde_json::to_vec(item).map_err(|e| OutboxError::Refused {
            id: item.id.clone(),
            why: format!("it could not be encoded ({e})"),
        })?;
        Ok(self.vault.put(&item.id, &item.patient_id, &body)?)
    }

    /// Item `id`, checked against what its file is bound to.
    pub fn load(&self, id: &str) -> Result<Item, OutboxError> {
        if !self.vault.names()?.iter().any(|n| n == id) {
            return Err(OutboxError::NoSuchItem(id.to_owned()));
        }
        let opened = self.vault.get(id)?;
        let refused = |why: &str| OutboxError::Refused {
            id: id.to_owned(),
            why: why.to_owned(),
        };
        let item: Item = serde_json::from_slice(&opened.body)
            .map_err(|_| refused("its content cannot be read"))?;
        if item.id != id || item.patient_id != opened.subject {
            return Err(refused("it names another item or patient than its file"));
        }
        if item.server.trim_end_matches('/') != self.server || item.author.profile != self.profile {
            return Err(refused("it belongs to another server or profile"));
        }
        Ok(item)
    }

    /// Every item (oldest first), and the files that were refused.
    pub fn list(&self) -> Result<Listing, OutboxError> {
        let mut out = Listing::default();
        for name in self.vault.names()? {
            match self.load(&name) {
                Ok(item) => out.items.push(item),
                Err(OutboxError::NoSuchItem(_)) => {}
                Err(e) => out.refused.push(RefusedItem {
                    id: name,
                    why: e.to_string(),
                }),
            }
        }
        out.items
            .sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Remove item `id` (sent, or discarded by the user); whether it was there.
    pub fn remove(&self, id: &str) -> Result<bool, OutboxError> {
        Ok(self.vault.remove(id)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::{ClientId, WriteOp};

    fn author() -> Author {
        Author {
            profile: "clinic".into(),
            fhir_user: Some("Practitioner/p1".into()),
        }
    }

    pub(crate) fn note_item(patient: &str) -> Item {
        let op = WriteOp::Create {
            resource_type: "DocumentReference".into(),
            identifier: ClientId::new_uuid(),
            resource: serde_json::json!({"resourceType": "DocumentReference"}),
        };
        Item::new(
            "note",
            patient,
            "http://ehr/fhir",
            author(),
            vec![Write::new(op)],
        )
    }

    #[test]
    fn items_round_trip_and_a_moved_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Outbox::dir(dir.path(), "clinic", "http://ehr/fhir");
        let key = VaultKey::generate();
        let outbox =
            Outbox::open(folder.clone(), key.clone(), "clinic", "http://ehr/fhir/").unwrap();
        let a = note_item("pt-1");
        let b = note_item("pt-2");
        outbox.save(&a).unwrap();
        outbox.save(&b).unwrap();
        assert_eq!(outbox.load(&a.id).unwrap(), a);
        let listing = outbox.list().unwrap();
        assert_eq!(listing.items.len(), 2);
        assert_eq!(listing.counts().pending, 2);
        // Another server's outbox (same profile and key) cannot read these files.
        let other_dir = Outbox::dir(dir.path(), "clinic", "http://other/fhir");
        let other = Outbox::open(other_dir.clone(), key, "clinic", "http://other/fhir").unwrap();
        std::fs::copy(
            folder.join(format!("{}.sealed", a.id)),
            other_dir.join(format!("{}.sealed", a.id)),
        )
        .unwrap();
        assert!(other.list().unwrap().items.is_empty());
        assert_eq!(other.list().unwrap().refused.len(), 1);
        // One item's file moved over another's: refused, reported, never sent.
        std::fs::copy(
            folder.join(format!("{}.sealed", a.id)),
            folder.join(format!("{}.sealed", b.id)),
        )
        .unwrap();
        let listing = outbox.list().unwrap();
        assert_eq!(listing.items, vec![a.clone()]);
        assert_eq!(listing.refused[0].id, b.id);
        assert_eq!(listing.counts().failed, 1);
        assert!(outbox.remove(&b.id).unwrap());
        assert!(matches!(
            outbox.load(&b.id),
            Err(OutboxError::NoSuchItem(_))
        ));
    }
}
