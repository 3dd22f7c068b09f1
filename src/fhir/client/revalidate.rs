//! The session's revalidation cache: for GETs the server answered with an `ETag` or a
//! `Last-Modified`, the validators and the body, so asking again costs a 304 instead of the
//! payload. It holds patient data, so it lives in memory only, is bounded, and is emptied
//! when the caller says the patient's chart is closed (`FhirClient::forget`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::FhirClient;
use super::http::Validators;

/// One answer kept for revalidation: the URL asked, the validators the server sent and
/// the body (patient data: kept only sealed, see `offline`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeptAnswer {
    pub url: String,
    pub validators: Validators,
    pub body: Vec<u8>,
}

/// Most bytes of bodies kept; past it the cache starts again from empty.
const MAX_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct RevalidationCache {
    entries: Mutex<Entries>,
    /// GETs the server answered 304 Not Modified (the body reused).
    pub(crate) not_modified: std::sync::atomic::AtomicU64,
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

    /// Every URL held, with its validators and body (to be kept sealed between runs).
    pub(crate) fn entries(&self) -> Vec<(String, Validators, Arc<Vec<u8>>)> {
        self.entries
            .lock()
            .map(|e| {
                e.map
                    .iter()
                    .map(|(k, (v, b))| (k.clone(), v.clone(), b.clone()))
                    .collect()
            })
            .unwrap_or_default()
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

impl FhirClient {
    /// How many responses are kept for revalidation.
    pub fn revalidation_entries(&self) -> usize {
        self.inner.revalidation.len()
    }

    /// A client with the same settings and the current credentials, but its own
    /// connections, statistics and revalidation cache (a background task's work then
    /// neither uses nor clears the screen's).
    pub fn sibling(&self) -> Result<FhirClient, crate::fhir::FhirError> {
        let mut config = self.inner.config.clone();
        if let Ok(c) = self.inner.credentials.read() {
            config.credentials = c.clone();
        }
        FhirClient::new(config)
    }

    /// The answers kept for revalidation, to seal and bring back next time
    /// (`revalidation_import`): the offline copies revalidate with them.
    pub fn revalidation_export(&self) -> Vec<KeptAnswer> {
        self.inner
            .revalidation
            .entries()
            .into_iter()
            .map(|(url, validators, body)| KeptAnswer {
                url,
                validators,
                body: body.to_vec(),
            })
            .collect()
    }

    /// Take back answers kept earlier: their next GET asks "changed?" (`If-None-Match`).
    pub fn revalidation_import(&self, answers: Vec<KeptAnswer>) {
        for a in answers {
            self.inner.revalidation.store(a.url, a.validators, &a.body);
        }
    }

    /// How many GETs the server answered 304 Not Modified so far.
    pub fn not_modified(&self) -> u64 {
        self.inner
            .revalidation
            .not_modified
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}
