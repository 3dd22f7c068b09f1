//! Offline copies of charts: what a clinic reads when its link to the server is down.
//!
//! One sealed file per patient (`vault`: ChaCha20-Poly1305 under the profile's **offline
//! key**, kept in the profile's secret store beside its credentials, never in a file), with a
//! random UUID for a name, and one sealed index (`index`) saying which file is whose, as of
//! when, and the validators (`ETag`s) of the answers it was made from. Nothing in a file
//! name or in any plaintext says whose chart it is. Folder:
//! `STATE/offline/PROFILE/SERVER-HASH/`, 0700, files 0600.
//!
//! Bounded: a copy older than the maximum age is deleted, never shown; past the size cap
//! the oldest copies are dropped (the patients the user pinned last). The index is
//! rewritten whole, so every read-modify-write of it (and of the files it names) holds the
//! folder's advisory lock (`files::lock`, as profiles.toml is written): a `rounds sync`
//! and a screen keeping a chart at the same moment both keep theirs. A file that fails authentication (changed, moved,
//! another key) is deleted and reported, never shown. A profile whose secrets live in
//! memory only has no offline copies (`VaultError::NoDurableKey`).
//!
//! It knows nothing of screens or commands: it keeps and gives back `PatientRecord`s.

mod bounds;
mod copy;
pub mod index;
mod profile;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use copy::{KeptRecord, NOT_KEPT};
use index::{Entry, Index};
pub use profile::{offline_key, profile_dir, remove_profile};

use crate::fhir::client::KeptAnswer;
use crate::fhir::{PatientRecord, Section};
use crate::vault::{Vault, VaultError, VaultKey};

/// How long a copy may be shown (then it is deleted), and how much the copies may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_age_hours: u32,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_age_hours: 24,
            max_bytes: 200 * 1024 * 1024,
        }
    }
}

/// Why a copy cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum OfflineError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// No copy of this patient is kept.
    #[error("no offline copy of this patient is kept (rounds sync keeps one)")]
    NoCopy,
    /// The copy was older than the maximum age: it has been deleted.
    #[error(
        "no offline copy: the one kept was older than {hours} h and has been deleted (rounds sync keeps a new one)"
    )]
    TooOld { hours: u32 },
    /// The file failed its integrity check: it has been deleted.
    #[error(
        "no offline copy: the copy kept failed its integrity check (changed or not sealed by this profile) and has been deleted"
    )]
    Refused,
    /// The copy could not be read back (a format from another version).
    #[error("no offline copy: the copy kept could not be read and has been deleted")]
    Unreadable,
}

/// What a copy gave back.
#[derive(Debug, Clone)]
pub struct Kept {
    pub record: PatientRecord,
    pub as_of: DateTime<Utc>,
}

/// A kept patient, for listing and searching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptPatient {
    pub id: String,
    pub as_of: DateTime<Utc>,
}

/// What a pruning removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pruned {
    /// Copies past the maximum age.
    pub expired: usize,
    /// Copies dropped (oldest first) to stay within the size cap.
    pub over_size: usize,
    /// Files that failed their integrity check (the index included).
    pub refused: usize,
    /// Files no index entry names (a crash between two writes).
    pub orphans: usize,
}

/// The file of one copy.
#[derive(Debug, Serialize, Deserialize)]
struct CopyFile {
    record: KeptRecord,
    answers: Vec<KeptAnswer>,
}

/// One profile's offline copies for one server.
#[derive(Debug)]
pub struct OfflineStore {
    vault: Vault,
    limits: Limits,
    /// Files refused (deleted) since the store was opened: reported once.
    refused: std::sync::atomic::AtomicUsize,
}

fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn time(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}

impl OfflineStore {
    /// The folder of `profile`'s copies from `server` under the state directory `root`.
    pub fn dir(root: &Path, profile: &str, server: &str) -> PathBuf {
        let hash = crate::fhir::record::fnv1a(server.trim_end_matches('/').as_bytes());
        profile_dir(root, profile).join(format!("{hash:016x}"))
    }

    /// The copies in `dir`, sealed under `key`, bound to `profile` and `server`.
    pub fn open(
        dir: PathBuf,
        key: VaultKey,
        profile: &str,
        server: &str,
        limits: Limits,
    ) -> Result<OfflineStore, OfflineError> {
        let server = server.trim_end_matches('/');
        let vault = Vault::open(
            dir,
            key,
            &[("use", "offline"), ("profile", profile), ("server", server)],
        )?;
        Ok(OfflineStore {
            vault,
            limits,
            refused: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    /// The folder the files are in.
    pub fn folder(&self) -> &Path {
        self.vault.dir()
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The folder's lock, held around every read-modify-write of the index.
    fn lock(&self) -> Result<crate::files::Lock, OfflineError> {
        crate::files::lock(self.vault.dir()).map_err(|e| {
            OfflineError::Vault(VaultError::Io {
                path: self.vault.dir().display().to_string(),
                problem: e.to_string(),
            })
        })
    }

    /// The index as it is now (read under the lock).
    fn read_index(&self) -> Result<Index, OfflineError> {
        let _lock = self.lock()?;
        self.index()
    }

    /// Read the index, `change` it, and write it back if it changed, all under the lock.
    fn change_index<T>(
        &self,
        change: impl FnOnce(&mut Index) -> Result<T, OfflineError>,
    ) -> Result<T, OfflineError> {
        let _lock = self.lock()?;
        let mut index = self.index()?;
        let before = index.clone();
        let out = change(&mut index)?;
        if index != before {
            self.save_index(&index)?;
        }
        Ok(out)
    }

    /// The index; an index that fails its check is deleted with every copy (they can no
    /// longer be told apart). Callers hold the lock.
    fn index(&self) -> Result<Index, OfflineError> {
        match self.vault.get(index::NAME) {
            Ok(opened) => match serde_json::from_slice(&opened.body) {
                Ok(i) => Ok(i),
                Err(_) => {
                    self.wipe()?;
                    Err(OfflineError::Unreadable)
                }
            },
            Err(VaultError::Io { .. }) if !self.vault.dir().join("index.sealed").exists() => {
                Ok(Index::default())
            }
            Err(VaultError::Tampered { .. }) => {
                self.note_refused(1);
                self.wipe()?;
                Ok(Index::default())
            }
            Err(e) => Err(e.into()),
        }
    }

    fn save_index(&self, index: &Index) -> Result<(), OfflineError> {
        let body = serde_json::to_vec(index).map_err(|_| OfflineError::Unreadable)?;
        self.vault.put(index::NAME, index::NAME, &body)?;
        Ok(())
    }

    fn note_refused(&self, n: usize) {
        self.refused
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many files were refused (and deleted) since the store was opened.
    pub fn refused(&self) -> usize {
        self.refused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Delete every file.
    fn wipe(&self) -> Result<usize, OfflineError> {
        let names = self.vault.names()?;
        for n in &names {
            self.vault.remove(n)?;
        }
        Ok(names.len())
    }

    /// Delete every copy and the index (`rounds sync --clear`); how many files.
    pub fn clear(&self) -> Result<usize, OfflineError> {
        let _lock = self.lock()?;
        self.wipe()
    }

    /// Keep `record` of `patient` as fetched at `now`, with the answers to revalidate it
    /// by next time; the size of the file. The copies are then pruned.
    pub fn put(
        &self,
        patient: &str,
        record: &PatientRecord,
        answers: Vec<KeptAnswer>,
        now: DateTime<Utc>,
    ) -> Result<u64, OfflineError> {
        let kept = KeptRecord::from_record(record).ok_or(OfflineError::Unreadable)?;
        let etags = answers
            .iter()
            .map(|a| (a.url.clone(), a.validators.clone()))
            .collect();
        let body = serde_json::to_vec(&CopyFile {
            record: kept,
            answers,
        })
        .map_err(|_| OfflineError::Unreadable)?;
        // The file and the index entry naming it are written under one lock: a prune
        // elsewhere never takes the new file for an orphan.
        let _lock = self.lock()?;
        let mut index = self.index()?;
        let file = crate::fhir::write::new_uuid();
        self.vault.put(&file, patient, &body)?;
        let bytes = std::fs::metadata(self.vault.dir().join(format!("{file}.sealed")))
            .map(|m| m.len())
            .unwrap_or(body.len() as u64);
        let old = index.copies.insert(
            patient.to_owned(),
            Entry {
                file,
                as_of: secs(now),
                bytes,
                etags,
            },
        );
        self.save_index(&index)?;
        if let Some(old) = old {
            self.vault.remove(&old.file)?;
        }
        self.prune_held(now)?;
        Ok(bytes)
    }

    /// The kept copy of `patient`, with the sections in `wanted` it does not hold marked
    /// "not kept offline". Too old, refused or unreadable: deleted, and an error.
    pub fn get(
        &self,
        patient: &str,
        wanted: &[Section],
        now: DateTime<Utc>,
    ) -> Result<Kept, OfflineError> {
        let _lock = self.lock()?;
        let mut index = self.index()?;
        let Some(entry) = index.copies.get(patient).cloned() else {
            return Err(OfflineError::NoCopy);
        };
        let as_of = time(entry.as_of);
        let drop_entry = |index: &mut Index| -> Result<(), OfflineError> {
            index.copies.remove(patient);
            self.save_index(index)?;
            self.vault.remove(&entry.file)?;
            Ok(())
        };
        if self.too_old(as_of, now) {
            drop_entry(&mut index)?;
            return Err(OfflineError::TooOld {
                hours: self.limits.max_age_hours,
            });
        }
        let opened = match self.vault.get(&entry.file) {
            Ok(o) if o.subject == patient => o,
            Ok(_) | Err(VaultError::Tampered { .. }) => {
                self.note_refused(1);
                drop_entry(&mut index)?;
                return Err(OfflineError::Refused);
            }
            Err(VaultError::Io { .. }) => {
                drop_entry(&mut index)?;
                return Err(OfflineError::NoCopy);
            }
            Err(e) => return Err(e.into()),
        };
        let record = serde_json::from_slice::<CopyFile>(&opened.body)
            .ok()
            .and_then(|c| c.record.into_record(wanted));
        match record {
            Some(record) if record.patient.id.as_deref() == Some(patient) => {
                Ok(Kept { record, as_of })
            }
            _ => {
                drop_entry(&mut index)?;
                Err(OfflineError::Unreadable)
            }
        }
    }

    /// The answers `patient`'s copy was made from, to revalidate with (none when there
    /// is no usable copy).
    pub fn answers(&self, patient: &str) -> Vec<KeptAnswer> {
        let Ok(index) = self.read_index() else {
            return vec![];
        };
        let Some(entry) = index.copies.get(patient) else {
            return vec![];
        };
        match self.vault.get(&entry.file) {
            Ok(o) if o.subject == patient => serde_json::from_slice::<CopyFile>(&o.body)
                .map(|c| c.answers)
                .unwrap_or_default(),
            _ => vec![],
        }
    }

    fn too_old(&self, as_of: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now.signed_duration_since(as_of)
            > chrono::Duration::hours(i64::from(self.limits.max_age_hours))
    }
}

#[cfg(test)]
impl OfflineStore {
    fn vault_key_for_tests(&self) -> VaultKey {
        self.vault.key_for_tests()
    }
}

#[cfg(test)]
mod tests;
