//! Where patient data comes from, behind one trait: a FHIR server (`RemoteSource`), FHIR
//! Bundles on disk (`LocalSource`, e.g. a patient's exported record), or the synthetic
//! patients built into the binary (`demo`). Callers search and load records the same way
//! whichever it is, and the same chart model is built from the result.

mod demo;
mod demo_writes;
pub mod desk;
pub mod lists;
mod lists_demo;
mod local;
mod matching;
mod offline;
pub mod offline_sync;
pub mod profile;
mod remote;
mod remote_write;
pub mod schedule;
mod schedule_demo;
mod sign_in;
pub mod write;

use async_trait::async_trait;

use crate::common::{Failure, FailureKind};
pub use crate::common::{SourceInfo, SourceKind};
pub use demo::{DemoSource, demo_source};
pub use local::{Input, LocalSource};
pub use offline::{OfflineAccess, OfflineSource, falls_back};
pub use remote::RemoteSource;
pub use remote_write::RemoteWrites;
pub use sign_in::{NoPrompt, SignIn};
pub use write::{OutboxView, Submitted, WriteMode, Writer};

use crate::auth::smart::LoginPrompt;
use crate::fhir::client::{Continuation, PatientSink};
use crate::fhir::model::Patient;
use crate::fhir::{Capabilities, FhirError, PatientQuery, PatientRecord, Section, WireSnapshot};
use crate::outbox::{Item, Outcome, Which};

/// Patients found by a search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub patients: Vec<Patient>,
    /// The total the server reported, if any.
    pub total: Option<u64>,
    /// Whether more matches exist than were returned.
    pub more: bool,
    /// Result entries that could not be read.
    pub unreadable: usize,
    /// Whether the server refused POST and the search terms went in a URL.
    pub used_get: bool,
    /// Searched only the offline copies kept on this device (this many patients), not
    /// the server.
    pub offline_kept: Option<usize>,
}

/// What a source can do.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceCapabilities {
    /// A FHIR server's CapabilityStatement, summarised.
    Server {
        base_url: String,
        #[serde(flatten)]
        capabilities: Box<Capabilities>,
    },
    /// Local Bundles: everything is read from memory.
    Local {
        label: String,
        patients: usize,
        resources: usize,
        files: usize,
    },
}

/// An error from a data source.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Fhir(#[from] FhirError),
    /// A local file or folder that cannot be used.
    #[error("'{path}': {problem}")]
    Local { path: String, problem: String },
    /// The patient is not in this (local) source.
    #[error("{what} was not found in {source_label}")]
    NotFound { what: String, source_label: String },
    /// A search or request that makes no sense.
    #[error("{0}")]
    Invalid(String),
    /// The secret store or the encrypted outbox it unlocks cannot be used.
    #[error("{0}")]
    Store(String),
    /// No offline copy can be shown (none kept, too old, refused), and the server was not
    /// asked or cannot be reached.
    #[error("{0}")]
    Offline(String),
}

impl SourceError {
    /// This error as a typed `Failure` for the worker boundary and the command line.
    pub fn failure(&self) -> Failure {
        match self {
            SourceError::Fhir(e) => e.failure(),
            SourceError::NotFound { .. } => Failure::new(FailureKind::NotFound, self.to_string()),
            SourceError::Local { .. } | SourceError::Invalid(_) => {
                Failure::new(FailureKind::Invalid, self.to_string())
            }
            SourceError::Store(_) => Failure::new(FailureKind::Forbidden, self.to_string()),
            SourceError::Offline(_) => Failure::new(FailureKind::Network, self.to_string()),
        }
    }
}

/// A source of patients and their records.
#[async_trait]
pub trait DataSource: Send + Sync {
    /// What this source is.
    fn info(&self) -> SourceInfo;

    /// What the source supports.
    async fn capabilities(&self) -> Result<SourceCapabilities, SourceError>;

    /// The server refused a JSON Patch it seemed to allow (`patch` declared, no
    /// `patchFormat`): remember it (`FhirClient::note_json_patch_refused`). Only a
    /// server's source has anything to remember.
    fn note_json_patch_refused(&self) {}

    /// Find patients; at most `limit` are returned.
    async fn search(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError>;

    /// Load the patient and the given sections of their chart.
    async fn record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, SourceError>;

    /// Load what the banner and cover sheet need, fast; the record marks the sections still
    /// to come as pending, and the `Continuation` (if any) loads them with `rest`.
    async fn first_screen(
        &self,
        patient_id: &str,
    ) -> Result<(PatientRecord, Option<Continuation>), SourceError> {
        Ok((self.record(patient_id, &Section::ALL).await?, None))
    }

    /// `first_screen`, handing `banner` the Patient as soon as it is in, before the rest of
    /// the first screen (a server's answer takes time to arrive). A source that answers at
    /// once just answers.
    async fn first_screen_early(
        &self,
        patient_id: &str,
        banner: PatientSink,
    ) -> Result<(PatientRecord, Option<Continuation>), SourceError> {
        drop(banner);
        self.first_screen(patient_id).await
    }

    /// Load what `first_screen` left; merge the result into its record.
    async fn rest(&self, _continuation: Continuation) -> Result<PatientRecord, SourceError> {
        Err(SourceError::Invalid(
            "this source loads a chart in one piece".into(),
        ))
    }

    /// Drop any patient data kept for reuse (a chart closed, the session locked).
    fn forget(&self) {}

    /// Keep `record` (loaded from the server) as the patient's offline copy, where the
    /// profile keeps them; best effort.
    async fn keep_offline(&self, _record: &PatientRecord) {}

    /// Keep offline, one chart at a time, today's booked, the pinned and the lately
    /// opened patients, waiting while `hold()` says so. `None`: this source keeps no
    /// offline copies.
    async fn sync_offline(
        &self,
        _hold: &(dyn Fn() -> bool + Send + Sync),
    ) -> Result<Option<offline_sync::SyncSummary>, SourceError> {
        Ok(None)
    }

    /// Pin `patient_id` to keep offline, or unpin them; whether pinned now.
    async fn toggle_pin(&self, _patient_id: &str) -> Result<bool, SourceError> {
        Err(SourceError::Offline(
            "this source keeps no offline copies: pins belong to a sign-in profile with offline = true".into(),
        ))
    }

    /// Authenticate again: to end the idle lock, or after the server stopped accepting
    /// the session. `prompt` reaches the user for an interactive login. A source with no
    /// sign-in (the demo, files, an open server) has nothing to check and succeeds.
    async fn reauthenticate(&self, _prompt: &dyn LoginPrompt) -> Result<(), SourceError> {
        Ok(())
    }

    /// What the user should know about the source as a whole: files or lines that could
    /// not be read and were left out, resources met twice with other content, resources
    /// whose patient is not there. Already cleaned for a terminal. Empty for a server.
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// How many files were left out because they could not be read.
    fn skipped_files(&self) -> usize {
        0
    }

    /// Round trips and bytes so far (remote sources only).
    fn wire_stats(&self) -> Option<WireSnapshot> {
        None
    }

    /// Who writes, and what happens to a write (kept and sent, sent only, in memory, or
    /// refused).
    fn writer(&self) -> Writer {
        Writer::read_only("files opened with --open are read-only: nothing is written")
    }

    /// Keep `item` and send it (a draft is only kept).
    async fn submit(&self, _item: Item) -> Result<Submitted, SourceError> {
        Err(SourceError::Invalid(
            "files opened with --open are read-only: nothing is written".into(),
        ))
    }

    /// The outbox: items waiting, failed, drafts, and files refused.
    async fn outbox(&self) -> Result<OutboxView, SourceError> {
        Ok(OutboxView::default())
    }

    /// Send the outbox's items `which` names.
    async fn send_pending(&self, _which: Which) -> Result<Vec<(Item, Outcome)>, SourceError> {
        Ok(vec![])
    }

    /// Remove item `id` from the outbox; whether it was there.
    async fn discard(&self, _id: &str) -> Result<bool, SourceError> {
        Ok(false)
    }

    /// Item `id` of the outbox.
    async fn outbox_item(&self, id: &str) -> Result<Item, SourceError> {
        Err(SourceError::NotFound {
            what: format!("item '{id}'"),
            source_label: "the outbox".into(),
        })
    }

    /// A day's schedule (`frontdesk::schedule`); `NotModified` when `known` (the list's
    /// validators) still holds.
    async fn schedule(
        &self,
        _request: &schedule::ScheduleRequest,
        _known: Option<&crate::fhir::client::Validators>,
    ) -> Result<schedule::ScheduleFetch, SourceError> {
        Err(SourceError::Invalid(
            "files opened with --open have no schedule: use a server or --demo".into(),
        ))
    }

    /// Appointment `id` and its patient, in full (the base of a check-in).
    async fn appointment(&self, id: &str) -> Result<schedule::AppointmentRead, SourceError> {
        Err(SourceError::NotFound {
            what: format!("appointment '{}'", crate::text::clean_line(id)),
            source_label: self.info().label,
        })
    }

    /// Bundle entries (JSON) of a search of `resource_type` by `params` (sent as a form,
    /// so the terms stay out of URLs), `_include`d resources among them; at most `count`
    /// matches. A source that cannot search this way says so (`Invalid`).
    async fn search_entries(
        &self,
        resource_type: &str,
        _params: &[(String, String)],
        _count: u32,
    ) -> Result<Vec<serde_json::Value>, SourceError> {
        Err(SourceError::Invalid(format!(
            "{} cannot be searched here: only a FHIR server's can",
            crate::text::clean_line(resource_type)
        )))
    }

    /// The entries `Patient/$match` finds for `patient` (with `search.score`), or `None`
    /// when the source does not declare `$match` (the caller then searches).
    async fn match_patients(
        &self,
        _patient: &serde_json::Value,
        _count: u32,
    ) -> Result<Option<Vec<serde_json::Value>>, SourceError> {
        Ok(None)
    }

    /// The glance (allergies, latest vital signs) of each of `patient_ids`, at most
    /// `frontdesk::glance::MAX_BATCH`, for a list's visible rows. This default reads each
    /// patient's two sections from the source (files, the demo: memory); a server answers
    /// them all in one round trip. A patient whose record cannot be read gets a failed
    /// glance, said on their row.
    async fn glances(
        &self,
        patient_ids: &[String],
        today: chrono::NaiveDate,
    ) -> Result<Vec<crate::frontdesk::glance::Glance>, SourceError> {
        use crate::frontdesk::glance::{Glance, MAX_BATCH};
        let mut out = Vec::new();
        for id in patient_ids.iter().take(MAX_BATCH) {
            let read = self
                .record(id, &[Section::Allergies, Section::Vitals])
                .await;
            out.push(match read {
                Ok(r) if r.patient.id.as_deref() == Some(id.as_str()) => Glance::build(&r, today),
                Ok(_) => Glance::failed(id, "another patient's record was returned"),
                Err(e) => Glance::failed(id, &e.to_string()),
            });
        }
        Ok(out)
    }

    /// `Type/id` as the server has it now, with its version (the base of an update).
    async fn read_current(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<(serde_json::Value, Option<String>), SourceError> {
        Err(SourceError::NotFound {
            what: format!("{resource_type} '{id}'"),
            source_label: self.info().label,
        })
    }
}
