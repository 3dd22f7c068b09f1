//! A FHIR server as a data source. With a profile that keeps offline copies, a chart or a
//! search the server cannot be reached for is read from the copies (`offline.rs`), and
//! every chart opened is noted for the next `rounds sync`.

use async_trait::async_trait;

use std::sync::Arc;

use super::offline::falls_back;
use super::offline_sync::SyncSummary;
use super::{
    DataSource, OfflineSource, OutboxView, RemoteWrites, SearchResults, SignIn, SourceCapabilities,
    SourceError, SourceInfo, SourceKind, Submitted, Writer,
};
use crate::auth::smart::LoginPrompt;
use crate::fhir::client::{Continuation, PatientSink};
use crate::fhir::{FhirClient, PatientQuery, PatientRecord, Section, WireSnapshot};
use crate::outbox::{Author, Item, Outcome, Which};

/// A FHIR R4 server reached through `FhirClient`.
#[derive(Clone)]
pub struct RemoteSource {
    client: FhirClient,
    /// How the user signs in again (a profile with credentials); `None` for an open server.
    sign_in: Option<Arc<dyn SignIn>>,
    /// Where writes go and as whom.
    writes: Arc<RemoteWrites>,
    /// The profile's offline copies, read when the server cannot be reached.
    offline: Option<OfflineSource>,
}

impl std::fmt::Debug for RemoteSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSource")
            .field("client", &self.client)
            .field("sign_in", &self.sign_in.is_some())
            .finish()
    }
}

impl RemoteSource {
    pub fn new(client: FhirClient) -> RemoteSource {
        let anonymous = Author {
            profile: String::new(),
            fhir_user: None,
        };
        RemoteSource {
            client,
            sign_in: None,
            writes: Arc::new(RemoteWrites::new(anonymous, None, None, None)),
            offline: None,
        }
    }

    /// This source, reading `offline` copies when the server cannot be reached.
    pub fn with_offline(mut self, offline: OfflineSource) -> RemoteSource {
        self.offline = Some(offline);
        self
    }

    /// This source, with `offline` copies when there are any to read.
    pub fn with_offline_if(self, offline: Option<OfflineSource>) -> RemoteSource {
        match offline {
            Some(o) => self.with_offline(o),
            None => self,
        }
    }

    /// The offline copies, if the profile keeps them.
    pub fn offline(&self) -> Option<&OfflineSource> {
        self.offline.as_ref()
    }

    /// A chart loaded: noted for the next sync. Not loaded because the server cannot be
    /// reached: the kept copy, if any (else the error says both).
    async fn chart_or_copy<T>(
        &self,
        patient_id: &str,
        loaded: Result<T, SourceError>,
        copy: impl FnOnce(PatientRecord) -> T,
    ) -> Result<T, SourceError> {
        let Some(offline) = &self.offline else {
            return loaded;
        };
        match loaded {
            Ok(v) => {
                offline.access().note_open(patient_id.trim()).await;
                Ok(v)
            }
            Err(e) if falls_back(&e) => match offline.record(patient_id, &Section::ALL).await {
                Ok(record) => Ok(copy(record)),
                Err(kept) => Err(SourceError::Offline(format!("{e}; {kept}"))),
            },
            Err(e) => Err(e),
        }
    }

    /// Search the server (page after page up to `limit`).
    async fn search_server(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError> {
        let limit = limit.max(1);
        let page_size = limit.min(100) as u32;
        let mut page = self.client.search_patients(query, page_size).await?;
        if page.patients.is_empty() && query.name_has_words() && !query.name_as_phrase {
            // Word by word found nothing: the name may be recorded only as text
            // ("Dee Sparse"), which servers match as one phrase.
            let phrase = PatientQuery {
                name_as_phrase: true,
                ..query.clone()
            };
            page = self.client.search_patients(&phrase, page_size).await?;
        }
        let mut out = SearchResults {
            total: page.total,
            used_get: page.used_get,
            ..SearchResults::default()
        };
        loop {
            out.unreadable += page.unreadable;
            // A later page that had to go by GET put the terms in a URL too: said.
            out.used_get |= page.used_get;
            out.patients.extend(page.patients);
            let next = page.next.take();
            if out.patients.len() >= limit {
                out.more = next.is_some() || out.patients.len() > limit;
                out.patients.truncate(limit);
                break;
            }
            match next {
                Some(link) => page = self.client.next_patients(&link).await?,
                None => break,
            }
        }
        Ok(out)
    }

    /// This source, writing as and where `writes` says.
    pub fn with_writes(mut self, writes: RemoteWrites) -> RemoteSource {
        self.writes = Arc::new(writes);
        self
    }

    /// This source, signing in again with `sign_in` when asked (`reauthenticate`).
    pub fn with_sign_in(mut self, sign_in: Arc<dyn SignIn>) -> RemoteSource {
        self.sign_in = Some(sign_in);
        self
    }

    /// The underlying client.
    pub fn client(&self) -> &FhirClient {
        &self.client
    }
}

#[async_trait]
impl DataSource for RemoteSource {
    fn info(&self) -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Server,
            label: self.client.base_url().to_owned(),
            tls_unverified: self.client.config().insecure_skip_tls_verify,
        }
    }

    async fn reauthenticate(&self, prompt: &dyn LoginPrompt) -> Result<(), SourceError> {
        let Some(sign_in) = &self.sign_in else {
            return Ok(());
        };
        let credentials = sign_in
            .sign_in_again(prompt)
            .await
            .map_err(SourceError::Invalid)?;
        self.client.set_credentials(credentials);
        // A new sign-in may be another user: writes go as whoever is signed in now.
        self.writes.refresh_author().await;
        Ok(())
    }

    async fn capabilities(&self) -> Result<SourceCapabilities, SourceError> {
        let caps = self.client.capabilities_now().await?;
        Ok(SourceCapabilities::Server {
            base_url: self.client.base_url().to_owned(),
            capabilities: Box::new(caps),
        })
    }

    fn note_json_patch_refused(&self) {
        self.client.note_json_patch_refused();
    }

    async fn search(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError> {
        if query.all {
            return Err(SourceError::Invalid(
                "a server's patients are not listed whole: search by name, birth date or MRN"
                    .into(),
            ));
        }
        match (self.search_server(query, limit).await, &self.offline) {
            (Err(e), Some(offline)) if falls_back(&e) => offline.search(query, limit).await,
            (result, _) => result,
        }
    }

    async fn record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, SourceError> {
        let loaded = self
            .client
            .fetch_record(patient_id, sections)
            .await
            .map_err(SourceError::from);
        match (loaded, &self.offline) {
            (Err(e), Some(offline)) if falls_back(&e) => offline
                .record(patient_id, sections)
                .await
                .map_err(|kept| SourceError::Offline(format!("{e}; {kept}"))),
            (loaded, _) => self.chart_or_copy(patient_id, loaded, |r| r).await,
        }
    }

    async fn first_screen(
        &self,
        patient_id: &str,
    ) -> Result<(PatientRecord, Option<Continuation>), SourceError> {
        let loaded = self
            .client
            .fetch_first_screen(patient_id)
            .await
            .map(|(record, cont)| (record, (!cont.is_empty()).then_some(cont)))
            .map_err(SourceError::from);
        self.chart_or_copy(patient_id, loaded, |r| (r, None)).await
    }

    async fn first_screen_early(
        &self,
        patient_id: &str,
        banner: PatientSink,
    ) -> Result<(PatientRecord, Option<Continuation>), SourceError> {
        let loaded = self
            .client
            .fetch_first_screen_with(patient_id, Some(banner))
            .await
            .map(|(record, cont)| (record, (!cont.is_empty()).then_some(cont)))
            .map_err(SourceError::from);
        self.chart_or_copy(patient_id, loaded, |r| (r, None)).await
    }

    async fn rest(&self, continuation: Continuation) -> Result<PatientRecord, SourceError> {
        Ok(self.client.fetch_rest(continuation).await?)
    }

    fn forget(&self) {
        self.client.forget();
    }

    async fn keep_offline(&self, record: &PatientRecord) {
        let Some(offline) = &self.offline else { return };
        let (Some(id), None) = (record.patient.id.clone(), record.offline_as_of) else {
            return;
        };
        let Ok(store) = offline.access().store(true).await else {
            return;
        };
        let record = record.clone();
        let _ = tokio::task::spawn_blocking(move || {
            store.put(&id, &record, vec![], chrono::Utc::now())
        })
        .await;
    }

    async fn sync_offline(
        &self,
        hold: &(dyn Fn() -> bool + Send + Sync),
    ) -> Result<Option<SyncSummary>, SourceError> {
        let Some(offline) = &self.offline else {
            return Ok(None);
        };
        super::offline_sync::sync_in_background(&self.client, offline, hold)
            .await
            .map(Some)
    }

    async fn toggle_pin(&self, patient_id: &str) -> Result<bool, SourceError> {
        match &self.offline {
            Some(offline) => offline.access().toggle_pin(patient_id).await,
            None => Err(SourceError::Offline(
                "this profile keeps no offline copies (offline = true in the profile, or rounds login --offline)".into(),
            )),
        }
    }

    fn wire_stats(&self) -> Option<WireSnapshot> {
        Some(self.client.stats())
    }

    fn writer(&self) -> Writer {
        self.writes.writer()
    }

    async fn submit(&self, item: Item) -> Result<Submitted, SourceError> {
        self.writes.submit(&self.client, item).await
    }

    async fn outbox(&self) -> Result<OutboxView, SourceError> {
        self.writes.view(&self.client).await
    }

    async fn send_pending(&self, which: Which) -> Result<Vec<(Item, Outcome)>, SourceError> {
        self.writes.send_pending(&self.client, &which).await
    }

    async fn discard(&self, id: &str) -> Result<bool, SourceError> {
        self.writes.discard(&self.client, id).await
    }

    async fn outbox_item(&self, id: &str) -> Result<Item, SourceError> {
        self.writes.item(&self.client, id).await
    }

    async fn schedule(
        &self,
        request: &super::schedule::ScheduleRequest,
        known: Option<&crate::fhir::client::Validators>,
    ) -> Result<super::schedule::ScheduleFetch, SourceError> {
        super::schedule::remote_schedule(&self.client, request, known).await
    }

    async fn glances(
        &self,
        patient_ids: &[String],
        today: chrono::NaiveDate,
    ) -> Result<Vec<crate::frontdesk::glance::Glance>, SourceError> {
        let records = self.client.fetch_glances(patient_ids).await?;
        Ok(records
            .iter()
            .map(|r| crate::frontdesk::glance::Glance::build(r, today))
            .collect())
    }

    async fn appointment(&self, id: &str) -> Result<super::schedule::AppointmentRead, SourceError> {
        super::schedule::remote_appointment(&self.client, id).await
    }

    async fn read_current(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<(serde_json::Value, Option<String>), SourceError> {
        Ok(self.client.read_current(resource_type, id).await?)
    }

    async fn search_entries(
        &self,
        resource_type: &str,
        params: &[(String, String)],
        count: u32,
    ) -> Result<Vec<serde_json::Value>, SourceError> {
        Ok(self
            .client
            .search_form(resource_type, params, count)
            .await?)
    }

    async fn match_patients(
        &self,
        patient: &serde_json::Value,
        count: u32,
    ) -> Result<Option<Vec<serde_json::Value>>, SourceError> {
        let declared = self
            .client
            .capabilities()
            .await?
            .has_operation("Patient", "match");
        if !declared {
            return Ok(None);
        }
        Ok(Some(self.client.match_patients(patient, count).await?))
    }
}
