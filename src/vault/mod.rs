//! The vault: items kept on disk **encrypted**, one file per item, for as long as the
//! caller needs them (the outbox's unsent writes; later the offline copies of charts).
//!
//! Each file is sealed with ChaCha20-Poly1305 under the profile's key (`key`: kept in the
//! profile's secret store, never in a file) and bound to the vault's scope (profile and
//! server), the item's name and its subject (`seal`): a file moved to another name, profile
//! or server, or changed in any way, fails to open and is reported, never used. Files are
//! written durably (`file`: temporary file, fsync, rename), mode 0600 in a 0700 folder.
//! File names are the caller's opaque item names (UUIDs): no patient data in them.
//!
//! The vault knows nothing of what it keeps: bodies are bytes, subjects are strings.

mod file;
pub mod key;
mod seal;

use std::path::{Path, PathBuf};

pub use key::{VaultKey, profile_key, profile_key_of};

use crate::auth::store::StoreError;

/// The file name ending of a sealed item.
const EXTENSION: &str = "sealed";

/// Why the vault could not do something.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The profile's secrets live in memory only: nothing can be kept encrypted on disk.
    #[error(
        "the profile keeps its secrets in memory only (--store memory), so nothing can be kept encrypted on disk"
    )]
    NoDurableKey,
    /// The store holds no key for this profile (and none was to be made).
    #[error("no encryption key is stored for this profile")]
    NoKey,
    /// The stored key is not one.
    #[error("the stored encryption key is damaged")]
    BadKey,
    /// The secret store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("'{path}': {problem}")]
    Io { path: String, problem: String },
    /// An item name that cannot name a file safely.
    #[error("'{0}' cannot name a vault item")]
    BadName(String),
    /// The file is not sealed, or fails authentication: changed, moved or sealed with
    /// another key. It is never used.
    #[error(
        "item '{name}' fails its integrity check (changed, moved from elsewhere, or sealed with another key): it is not used"
    )]
    Tampered { name: String },
}

/// An opened item: its subject and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub subject: String,
    pub body: Vec<u8>,
}

/// One folder of sealed items under one key and scope.
#[derive(Debug, Clone)]
pub struct Vault {
    dir: PathBuf,
    key: VaultKey,
    /// (name, value) pairs every item is bound to, e.g. profile and server.
    scope: Vec<(String, String)>,
}

fn io(path: &Path, e: &std::io::Error) -> VaultError {
    VaultError::Io {
        path: path.display().to_string(),
        problem: e.to_string(),
    }
}

/// Whether `name` can name an item file: letters, digits and `-`, at most 64.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Vault {
    /// The vault in `dir` (made 0700 if missing), sealing under `key` for `scope`.
    pub fn open(dir: PathBuf, key: VaultKey, scope: &[(&str, &str)]) -> Result<Vault, VaultError> {
        file::private_dir(&dir).map_err(|e| io(&dir, &e))?;
        Ok(Vault {
            dir,
            key,
            scope: scope
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        })
    }

    /// The folder the items are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> Result<PathBuf, VaultError> {
        if !valid_name(name) {
            return Err(VaultError::BadName(name.to_owned()));
        }
        Ok(self.dir.join(format!("{name}.{EXTENSION}")))
    }

    fn with_binding<T>(&self, name: &str, f: impl FnOnce(&seal::Binding<'_>) -> T) -> T {
        let scope: Vec<(&str, &str)> = self
            .scope
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        f(&seal::Binding {
            scope: &scope,
            name,
        })
    }

    /// Seal `body` about `subject` as item `name`, durably, replacing any earlier copy.
    pub fn put(&self, name: &str, subject: &str, body: &[u8]) -> Result<(), VaultError> {
        let path = self.path(name)?;
        let sealed = self
            .with_binding(name, |b| seal::seal(&self.key, b, subject, body))
            .ok_or_else(|| VaultError::Io {
                path: path.display().to_string(),
                problem: "could not be encrypted".into(),
            })?;
        file::write_durable(&path, &sealed).map_err(|e| io(&path, &e))
    }

    /// Item `name`, opened; `Tampered` if it fails its integrity check.
    pub fn get(&self, name: &str) -> Result<Opened, VaultError> {
        let path = self.path(name)?;
        let data = std::fs::read(&path).map_err(|e| io(&path, &e))?;
        self.with_binding(name, |b| seal::open(&self.key, b, &data))
            .map(|(subject, body)| Opened { subject, body })
            .map_err(|_| VaultError::Tampered {
                name: name.to_owned(),
            })
    }

    /// The names of the items, sorted.
    pub fn names(&self) -> Result<Vec<String>, VaultError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| io(&self.dir, &e))?;
        let mut out: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(&format!(".{EXTENSION}"))
                    .filter(|n| valid_name(n))
                    .map(str::to_owned)
            })
            .collect();
        out.sort();
        Ok(out)
    }

    /// The key (tests reopen a vault with other settings).
    #[cfg(test)]
    pub(crate) fn key_for_tests(&self) -> VaultKey {
        self.key.clone()
    }

    /// Remove item `name`; whether it was there.
    pub fn remove(&self, name: &str) -> Result<bool, VaultError> {
        let path = self.path(name)?;
        file::remove_durable(&path).map_err(|e| io(&path, &e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_sealed_durably_and_refused_when_moved_or_changed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("v");
        let scope = [("profile", "clinic"), ("server", "https://ehr")];
        let v = Vault::open(root.clone(), VaultKey::generate(), &scope).unwrap();
        v.put("a-1", "patient-9", b"the note text").unwrap();
        v.put("a-2", "patient-9", b"other").unwrap();
        assert_eq!(v.names().unwrap(), ["a-1", "a-2"]);
        assert_eq!(v.get("a-1").unwrap().body, b"the note text");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&root), 0o700);
            assert_eq!(mode(&root.join("a-1.sealed")), 0o600);
        }
        // A file moved over another item's name is refused, and so is a changed one.
        std::fs::copy(root.join("a-1.sealed"), root.join("a-2.sealed")).unwrap();
        assert!(matches!(v.get("a-2"), Err(VaultError::Tampered { .. })));
        let mut bytes = std::fs::read(root.join("a-1.sealed")).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x40;
        std::fs::write(root.join("a-1.sealed"), bytes).unwrap();
        assert!(matches!(v.get("a-1"), Err(VaultError::Tampered { .. })));
        assert!(v.remove("a-1").unwrap());
        assert!(!v.remove("a-1").unwrap());
        assert!(matches!(
            v.put("../x", "s", b""),
            Err(VaultError::BadName(_))
        ));
        // No temporary files are left behind.
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 1);
    }
}
