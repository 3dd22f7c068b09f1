//! The offline copies kept on this device (`offline::OfflineStore`) as a data source: a
//! chart from its copy (marked with when it was fetched), a search over the kept patients
//! only (and the results say so). `RemoteSource` falls back to it when the server cannot
//! be reached (a failure of kind network or timeout, never read from a message), and
//! `--offline` opens it alone.

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::Utc;
use tokio::sync::OnceCell;

use super::{
    DataSource, SearchResults, SourceCapabilities, SourceError, SourceInfo, SourceKind, Submitted,
    Writer,
};
use crate::auth::store::{SecretStore, StoreKind};
use crate::common::FailureKind;
use crate::fhir::{PatientQuery, PatientRecord, Section};
use crate::offline::{Limits, OfflineError, OfflineStore, offline_key};
use crate::outbox::Item;

/// Whether a failure means the server could not be reached (so a kept copy may be read).
pub fn falls_back(e: &SourceError) -> bool {
    matches!(
        e.failure().kind,
        FailureKind::Network | FailureKind::Timeout
    )
}

/// A profile's offline copies for its server, opened on first use (the key is read from
/// the profile's secret store, which may block: not on the runtime).
#[derive(Debug)]
pub struct OfflineAccess {
    store_kind: StoreKind,
    root: Option<PathBuf>,
    profile: String,
    server: String,
    limits: Limits,
    /// Which patients a sync keeps besides the named ones.
    keep: super::offline_sync::KeepSettings,
    opened: OnceCell<Arc<OfflineStore>>,
}

impl OfflineAccess {
    pub fn new(
        store_kind: StoreKind,
        root: Option<PathBuf>,
        profile: &str,
        server: &str,
        limits: Limits,
    ) -> OfflineAccess {
        OfflineAccess {
            store_kind,
            root,
            profile: profile.to_owned(),
            server: server.trim_end_matches('/').to_owned(),
            limits,
            keep: super::offline_sync::KeepSettings::default(),
            opened: OnceCell::new(),
        }
    }

    /// These copies, kept by a sync as `keep` says.
    pub fn with_keep(mut self, keep: super::offline_sync::KeepSettings) -> OfflineAccess {
        self.keep = keep;
        self
    }

    /// Which patients a sync keeps besides the named ones.
    pub fn keep(&self) -> &super::offline_sync::KeepSettings {
        &self.keep
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    /// Pin `patient` if it is not, else unpin it; whether it is pinned now.
    pub async fn toggle_pin(&self, patient: &str) -> Result<bool, SourceError> {
        let store = self.store(true).await?;
        let patient = patient.trim().to_owned();
        tokio::task::spawn_blocking(move || store.toggle_pin(&patient))
            .await
            .map_err(|e| SourceError::Offline(e.to_string()))?
            .map_err(offline_error)
    }

    /// Why nothing can be kept for this profile, if so.
    pub fn why_not(&self) -> Option<String> {
        match (&self.root, self.store_kind) {
            (_, StoreKind::Memory) => Some(
                "the profile keeps its secrets in memory only (--store memory): no offline copy is kept".into(),
            ),
            (None, _) => Some("no state directory: set ROUNDS_STATE_DIR".into()),
            _ => None,
        }
    }

    /// The store; its key is made when `create` (a sync, an open noted), else a profile
    /// with no key has no copies.
    pub async fn store(&self, create: bool) -> Result<Arc<OfflineStore>, SourceError> {
        if let Some(why) = self.why_not() {
            return Err(SourceError::Offline(why));
        }
        if let Some(s) = self.opened.get() {
            return Ok(s.clone());
        }
        let (kind, root) = (self.store_kind, self.root.clone().unwrap_or_default());
        let (profile, server, limits) = (self.profile.clone(), self.server.clone(), self.limits);
        let opened = tokio::task::spawn_blocking(move || {
            let store = SecretStore::open(kind).map_err(|e| e.to_string())?;
            let key = offline_key(&store, &profile, create).map_err(|e| e.to_string())?;
            let dir = OfflineStore::dir(&root, &profile, &server);
            OfflineStore::open(dir, key, &profile, &server, limits).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| SourceError::Offline(e.to_string()))?;
        match opened {
            Ok(s) => {
                let s = Arc::new(s);
                let _ = self.opened.set(s.clone());
                Ok(s)
            }
            Err(_) if !create => Err(SourceError::Offline(OfflineError::NoCopy.to_string())),
            Err(e) => Err(SourceError::Offline(format!(
                "the offline copies cannot be opened: {e}"
            ))),
        }
    }

    /// Note that `patient` was opened (the next sync keeps it); best effort.
    pub async fn note_open(&self, patient: &str) {
        if let Ok(store) = self.store(true).await {
            let patient = patient.to_owned();
            let _ =
                tokio::task::spawn_blocking(move || store.note_open(&patient, Utc::now())).await;
        }
    }
}

/// Why nothing is written with `--offline`.
const READ_ONLY: &str = "the offline copies are read-only (--offline): write without --offline; \
a write made while the server cannot be reached waits in the outbox";

fn offline_error(e: OfflineError) -> SourceError {
    SourceError::Offline(e.to_string())
}

/// The offline copies as a source.
#[derive(Debug, Clone)]
pub struct OfflineSource {
    access: Arc<OfflineAccess>,
}

impl OfflineSource {
    pub fn new(access: Arc<OfflineAccess>) -> OfflineSource {
        OfflineSource { access }
    }

    pub fn access(&self) -> &Arc<OfflineAccess> {
        &self.access
    }
}

#[async_trait]
impl DataSource for OfflineSource {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Server,
            label: format!("offline copies of {}", self.access.server),
            tls_unverified: false,
        }
    }

    async fn capabilities(&self) -> Result<SourceCapabilities, SourceError> {
        let store = self.access.store(false).await?;
        let kept = store.patients(Utc::now()).map_err(offline_error)?;
        Ok(SourceCapabilities::Local {
            label: self.info().label,
            patients: kept.len(),
            resources: 0,
            files: kept.len(),
        })
    }

    async fn search(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError> {
        let store = match self.access.store(false).await {
            Ok(s) => s,
            // No key: nothing is kept.
            Err(_) if self.access.why_not().is_none() => {
                return Ok(SearchResults {
                    offline_kept: Some(0),
                    ..SearchResults::default()
                });
            }
            Err(e) => return Err(e),
        };
        let q = query.clone();
        tokio::task::spawn_blocking(move || {
            let now = Utc::now();
            let kept = store.patients(now).map_err(offline_error)?;
            let mut out = SearchResults {
                offline_kept: Some(kept.len()),
                ..SearchResults::default()
            };
            for k in &kept {
                // Only the banner is needed to match: no section is asked for.
                let Ok(copy) = store.get(&k.id, &[], now) else {
                    out.unreadable += 1;
                    continue;
                };
                if q.all || super::matching::matches(&copy.record.patient, &q) {
                    out.patients.push(copy.record.patient);
                }
            }
            out.more = out.patients.len() > limit;
            out.patients.truncate(limit.max(1));
            Ok(out)
        })
        .await
        .map_err(|e| SourceError::Offline(e.to_string()))?
    }

    fn writer(&self) -> Writer {
        Writer::read_only(READ_ONLY)
    }

    async fn toggle_pin(&self, patient_id: &str) -> Result<bool, SourceError> {
        self.access.toggle_pin(patient_id).await
    }

    async fn submit(&self, _item: Item) -> Result<Submitted, SourceError> {
        Err(SourceError::Invalid(READ_ONLY.into()))
    }

    async fn record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, SourceError> {
        let store = self.access.store(false).await?;
        let (id, wanted) = (patient_id.trim().to_owned(), sections.to_vec());
        tokio::task::spawn_blocking(move || {
            let kept = store.get(&id, &wanted, Utc::now()).map_err(offline_error)?;
            let mut record = kept.record;
            record.offline_as_of = Some(kept.as_of);
            Ok(record)
        })
        .await
        .map_err(|e| SourceError::Offline(e.to_string()))?
    }
}
