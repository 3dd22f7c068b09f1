//! The capabilities of a server kept on disk between runs. A CapabilityStatement can be
//! megabytes (2.4 MB, 59 KB compressed, on the reference server): fetching it at every start
//! would cost seconds on a slow link. It holds no patient data. A cached copy younger than
//! the freshness period is used without asking; an older one is revalidated with
//! `If-None-Match` / `If-Modified-Since` when the server gave validators, else fetched again.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::capability::Capabilities;
use super::client::Validators;

/// The file format version; a file of another version is ignored (2: conditional create
/// is kept; 3: and the patch formats).
const VERSION: u32 = 3;

/// What is kept on disk for one server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCapabilities {
    pub version: u32,
    pub base_url: String,
    /// Seconds since 1970 when the server last confirmed or sent these.
    pub checked_at: u64,
    pub validators: Validators,
    pub capabilities: Capabilities,
}

/// The cache file for a server in `dir`: one file per base URL, named by a hash of it.
pub fn cache_file(dir: &Path, base_url: &str) -> PathBuf {
    // FNV-1a: stable across runs and platforms, enough to tell servers apart.
    let h = super::record::fnv1a(base_url.as_bytes());
    dir.join(format!("capabilities-{h:016x}.json"))
}

/// Seconds since 1970, now.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl CachedCapabilities {
    /// Read a cache file for `base_url`; `None` if missing, unreadable, of another version
    /// or for another server.
    pub fn load(path: &Path, base_url: &str) -> Option<CachedCapabilities> {
        // A regular file of sane size only: the cache folder is the user's, but a link or a
        // device put there must not hang or fill the memory.
        let text = crate::files::read_settings(path, 16 * 1024 * 1024).ok()??;
        let c: CachedCapabilities = serde_json::from_str(&text).ok()?;
        (c.version == VERSION && c.base_url == base_url).then_some(c)
    }

    pub fn new(
        base_url: &str,
        validators: Validators,
        capabilities: Capabilities,
    ) -> CachedCapabilities {
        CachedCapabilities {
            version: VERSION,
            base_url: base_url.to_owned(),
            checked_at: now_secs(),
            validators,
            capabilities,
        }
    }

    /// Whether the copy was confirmed less than `max_age` ago.
    pub fn is_fresh(&self, max_age: Duration) -> bool {
        now_secs().saturating_sub(self.checked_at) < max_age.as_secs()
    }

    /// Write the file (to a temporary name, then renamed, so a reader never sees half a
    /// file). Failure is not an error for the caller: the cache is an optimisation.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(
            &tmp,
            serde_json::to_vec(self).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_servers() {
        let dir = tempfile::tempdir().unwrap();
        let path = cache_file(dir.path(), "http://a.example/fhir");
        assert_ne!(path, cache_file(dir.path(), "http://b.example/fhir"));
        let caps = Capabilities {
            fhir_version: Some("4.0.1".into()),
            ..Capabilities::default()
        };
        let c = CachedCapabilities::new("http://a.example/fhir", Validators::default(), caps);
        c.save(&path).unwrap();
        assert_eq!(
            CachedCapabilities::load(&path, "http://a.example/fhir").unwrap(),
            c
        );
        assert!(CachedCapabilities::load(&path, "http://b.example/fhir").is_none());
        assert!(c.is_fresh(Duration::from_secs(60)));
        let old = CachedCapabilities { checked_at: 0, ..c };
        assert!(!old.is_fresh(Duration::from_secs(60)));
    }
}
