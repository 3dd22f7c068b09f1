//! The session's revalidation cache: for GETs the server answered with an `ETag` or a
//! `Last-Modified`, the validators and the body, so asking again costs a 304 instead of the
//! payload. It holds patient data, so it lives in memory only, is bounded, and is emptied
//! when the caller says the patient's chart is closed (`FhirClient::forget`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::http::Validators;

/// Most bytes of bodies kept; past it the cache starts again from empty.
const MAX_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct RevalidationCache {
    entries: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, (Validators, Arc<Vec<u8>>)>,
    bytes: usize,
}

impl RevalidationCache {
    /// The validators and body stored for `url`.
    pub(crate) fn lookup(&self, url: &str) -> Option<(Validators, Arc<Vec<u8>>)> {
        let entries = self.entries.lock().ok()?;
        entries.map.get(url).cloned()
    }

    /// Remember a body and its validators.
    pub(crate) fn store(&self, url: String, validators: Validators, body: &[u8]) {
        let Ok(mut e) = self.entries.lock() else {
            return;
        };
        if e.bytes + body.len() > MAX_BYTES {
            e.map.clear();
            e.bytes = 0;
        }
        if body.len() > MAX_BYTES {
            return;
        }
        e.bytes += body.len();
        if let Some((_, old)) = e.map.insert(url, (validators, Arc::new(body.to_vec()))) {
            e.bytes = e.bytes.saturating_sub(old.len());
        }
    }

    /// Drop everything (a chart was closed, the session is locked).
    pub(crate) fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.map.clear();
            e.bytes = 0;
        }
    }

    /// How many responses are held (for tests and `--verbose`).
    pub(crate) fn len(&self) -> usize {
        self.entries.lock().map(|e| e.map.len()).unwrap_or(0)
    }
}
