//! A profile's offline copies as a whole: their folder (every server), deleting them with
//! their key (`rounds logout`, `rounds profiles remove`, `rounds sync --clear`), and the
//! key itself, kept in the profile's secret store.

use std::path::{Path, PathBuf};

use crate::auth::store::{SecretKind, SecretStore};
use crate::vault::{VaultError, VaultKey, profile_key_of};

/// The folder of every offline copy of `profile` (all servers).
pub fn profile_dir(root: &Path, profile: &str) -> PathBuf {
    root.join("offline").join(profile)
}

/// Delete every copy of `profile` (every server) and its offline key: `rounds logout`,
/// a profile removed. How many files were removed.
pub fn remove_profile(
    root: &Path,
    profile: &str,
    store: Option<&SecretStore>,
) -> Result<usize, VaultError> {
    let dir = profile_dir(root, profile);
    let mut removed = 0;
    if dir.is_dir() {
        removed = count_files(&dir);
        std::fs::remove_dir_all(&dir).map_err(|e| VaultError::Io {
            path: dir.display().to_string(),
            problem: e.to_string(),
        })?;
    }
    if let Some(store) = store {
        store.delete(profile, SecretKind::OfflineKey)?;
    }
    Ok(removed)
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() { count_files(&p) } else { 1 }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The profile's offline key (made when `create`).
pub fn offline_key(
    store: &SecretStore,
    profile: &str,
    create: bool,
) -> Result<VaultKey, VaultError> {
    profile_key_of(store, profile, SecretKind::OfflineKey, create)
}
