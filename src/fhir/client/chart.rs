//! Loading a patient's chart. `fetch_record` loads the sections asked for completely.
//! `fetch_first_screen` loads only what the banner and cover sheet need, in one round trip
//! (one batch, or concurrent requests), and returns a `Continuation` (`..._with` hands the
//! Patient over for the banner as soon as it is in); `fetch_rest` then
//! loads the other sections and the older pages in the background. Where the server has
//! `Observation/$lastn`, the first screen takes the latest results of each test from it,
//! and the rest loads labs and vital signs whole. Medications that
//! `_include` did not bring are read in one more request.

use std::sync::atomic::Ordering;

use serde_json::Value;

use super::FhirClient;
use super::early::PatientSink;
use super::paging::{Limits, PendingPage};
use super::transport::bundle_from;
use crate::fhir::BatchMode;
use crate::fhir::error::FhirError;
use crate::fhir::model::is_fhir_id;
use crate::fhir::query::{
    FIRST_SCREEN, SearchRequest, Section, encode_params, first_screen_searches, section_searches,
};
use crate::fhir::record::{PatientRecord, RecordBuilder, RecordProblem};

/// What is left to load after the first screen: older pages and whole sections.
#[derive(Debug, Clone, PartialEq)]
pub struct Continuation {
    patient: Value,
    pending: Vec<PendingPage>,
    sections: Vec<Section>,
}

impl Continuation {
    /// The sections that will change when the rest arrives.
    pub fn sections(&self) -> Vec<Section> {
        let mut s: Vec<Section> = self.sections.clone();
        s.extend(self.pending.iter().filter_map(|p| p.section));
        s.sort();
        s.dedup();
        s
    }

    /// Whether nothing is left to load.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty() && self.sections.is_empty()
    }
}

fn check_id(patient_id: &str) -> Result<&str, FhirError> {
    let id = patient_id.trim();
    if !is_fhir_id(id) {
        return Err(FhirError::InvalidRequest {
            detail: format!("'{id}' is not a valid patient id"),
        });
    }
    Ok(id)
}

impl FhirClient {
    /// Load the Patient and the given sections of their chart, every page of them.
    pub async fn fetch_record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, FhirError> {
        let id = check_id(patient_id)?;
        let page = self.inner.config.page;
        let searches = |patient: &str| -> Vec<SearchRequest> {
            sections
                .iter()
                .flat_map(|s| section_searches(*s, patient, page))
                .collect()
        };
        let (mut builder, pending) = self.first_wave(id, &searches, None).await?;
        let pages = self.inner.config.max_pages.saturating_sub(1);
        let config = &self.inner.config;
        let limits = Limits {
            per_section: usize::MAX,
            entries: config.record_max_entries,
            bytes: config.record_max_bytes,
        };
        self.follow_pages(&mut builder, pending, pages, limits)
            .await?;
        let mut record = builder.finish();
        self.resolve_medications(&mut record).await;
        self.resolve_binaries(&mut record).await;
        Ok(record)
    }

    /// Load what the banner and the cover sheet need (in one round trip where the server
    /// allows), and say what is left.
    pub async fn fetch_first_screen(
        &self,
        patient_id: &str,
    ) -> Result<(PatientRecord, Continuation), FhirError> {
        self.fetch_first_screen_with(patient_id, None).await
    }

    /// `fetch_first_screen`, giving `banner` the Patient as soon as it is in (the first
    /// entry of the batch answer, while the cover sheet still arrives): no extra request.
    /// It is called only with the patient asked for, and at most once; the record is
    /// still built and checked from the complete answer.
    pub async fn fetch_first_screen_with(
        &self,
        patient_id: &str,
        banner: Option<PatientSink>,
    ) -> Result<(PatientRecord, Continuation), FhirError> {
        let id = check_id(patient_id)?;
        let lastn = self.uses_lastn().await;
        let searches = |patient: &str| first_screen_searches(patient, lastn);
        // Sections the first screen took only the latest of (`$lastn`): loaded whole later.
        let latest_only: Vec<Section> = searches(id)
            .iter()
            .filter(|s| s.operation.is_some())
            .filter_map(|s| s.section)
            .collect();
        let (mut builder, mut pending) = self.first_wave(id, &searches, banner).await?;
        pending.retain(|p| p.section.is_none_or(|s| !latest_only.contains(&s)));
        for s in pending
            .iter()
            .filter_map(|p| p.section)
            .chain(latest_only.iter().copied())
        {
            builder.mark_pending(s);
        }
        let rest: Vec<Section> = Section::ALL
            .iter()
            .copied()
            .filter(|s| !FIRST_SCREEN.contains(s) || latest_only.contains(s))
            .collect();
        for s in &rest {
            builder.mark_pending(*s);
        }
        let patient = builder.patient_json();
        let mut record = builder.finish();
        self.resolve_medications(&mut record).await;
        let cont = Continuation {
            patient,
            pending,
            sections: rest,
        };
        Ok((record, cont))
    }

    /// Load what `fetch_first_screen` left: the other sections and the older pages. The
    /// result holds only those resources; merge it into the first record.
    pub async fn fetch_rest(&self, cont: Continuation) -> Result<PatientRecord, FhirError> {
        let mut builder = RecordBuilder::new(cont.patient)
            .map_err(|e| FhirError::BadResponse {
                detail: e.to_string(),
            })?
            .with_base(self.base_url());
        let id = builder
            .patient_key()
            .trim_start_matches("Patient/")
            .to_owned();
        let patient = self.patient_ref(&id);
        let searches: Vec<SearchRequest> = cont
            .sections
            .iter()
            .flat_map(|s| section_searches(*s, &patient, self.inner.config.page))
            .collect();
        // The new sections' first pages and the old sections' next pages go at the same time.
        let pages = self.inner.config.max_pages.saturating_sub(1);
        let older: Vec<Section> = cont.pending.iter().filter_map(|p| p.section).collect();
        // The first screen's small pages continue at the full page size.
        let full = self.inner.config.page;
        let continued: Vec<PendingPage> = cont
            .pending
            .into_iter()
            .map(|p| {
                let count = if p.resource_type == "Observation" {
                    full.observations
                } else {
                    full.other
                };
                p.widened(count)
            })
            .collect();
        let most = self.inner.config.rest_max_entries;
        let (fresh, followed) = tokio::join!(
            self.run_searches(None, &searches, None),
            self.follow_pages(&mut builder, continued, pages, Limits::per_section(most))
        );
        followed?;
        let (_, results) = fresh?;
        for s in older {
            builder.mark_loaded(s);
        }
        let pending = self.take_first_pages(&mut builder, &searches, results)?;
        self.follow_pages(&mut builder, pending, pages, Limits::per_section(most))
            .await?;
        let mut record = builder.finish();
        self.resolve_medications(&mut record).await;
        self.resolve_binaries(&mut record).await;
        Ok(record)
    }

    /// Whether the first screen asks `Observation/$lastn`: the server declares it. With batch
    /// forced on or off (`BatchMode::Always`/`Never`) the client does not ask the server
    /// what it supports, and goes by what it was told (`set_capabilities`), if anything.
    pub(super) async fn uses_lastn(&self) -> bool {
        let caps = match self.inner.config.batch {
            BatchMode::Auto => self.capabilities().await.ok(),
            BatchMode::Always | BatchMode::Never => self.known_capabilities(),
        };
        caps.is_some_and(|c| c.has_operation("Observation", "lastn"))
    }

    /// The value chart searches give `patient`: the typed reference `Patient/ID`, one of
    /// the forms R4 defines for reference parameters. It names the patient exactly, and a
    /// server can match it against stored references as they are: on the test server the
    /// first-screen batch takes 70 ms instead of 160 ms. The bare id once the server has
    /// refused the typed form.
    fn patient_ref(&self, id: &str) -> String {
        if self.inner.typed_refs_refused.load(Ordering::Relaxed) {
            id.to_owned()
        } else {
            format!("Patient/{id}")
        }
    }

    /// The Patient read and the first page of every search (`searches` for a `patient`
    /// value); checks the Patient is the one asked for. Returns the builder and the next
    /// pages still to fetch. A server that refuses every search by `Patient/ID` (400 or
    /// 422) is asked again with the bare id, and from then on.
    async fn first_wave(
        &self,
        id: &str,
        searches: &(dyn Fn(&str) -> Vec<SearchRequest> + Sync),
        banner: Option<PatientSink>,
    ) -> Result<(RecordBuilder, Vec<PendingPage>), FhirError> {
        let typed = !self.inner.typed_refs_refused.load(Ordering::Relaxed);
        let mut asked = searches(&self.patient_ref(id));
        let (patient, mut results) = self.run_searches(Some(id), &asked, banner).await?;
        if typed
            && !results.is_empty()
            && results
                .iter()
                .all(|r| r.as_ref().is_err_and(FhirError::is_refusal))
        {
            self.inner.typed_refs_refused.store(true, Ordering::Relaxed);
            asked = searches(id);
            results = self.run_searches(None, &asked, None).await?.1;
        }
        let searches = &asked;
        let patient = patient.ok_or_else(|| FhirError::BadResponse {
            detail: "the Patient was not returned".into(),
        })?;
        let mut builder = RecordBuilder::new(patient)
            .map_err(|e| FhirError::BadResponse {
                detail: e.to_string(),
            })?
            .with_base(self.base_url());
        if builder.patient_key() != format!("Patient/{id}") {
            // Never show another patient's record under the one asked for.
            return Err(FhirError::BadResponse {
                detail: "the server returned a different patient than the one asked for".into(),
            });
        }
        let pending = self.take_first_pages(&mut builder, searches, results)?;
        Ok((builder, pending))
    }

    /// Read Medications that requests reference but `_include` did not bring, in one search.
    async fn resolve_medications(&self, record: &mut PatientRecord) {
        let missing = record.missing_medications();
        if missing.is_empty() {
            return;
        }
        let ids: Vec<&str> = missing
            .iter()
            .filter_map(|k| k.strip_prefix("Medication/"))
            .collect();
        let params = vec![
            ("_id".to_owned(), ids.join(",")),
            ("_count".to_owned(), ids.len().to_string()),
        ];
        let fetched = match self.url(&format!("Medication?{}", encode_params(&params))) {
            Ok(url) => self
                .get(url, "Medication search".into())
                .await
                .and_then(bundle_from),
            Err(e) => Err(e),
        };
        match fetched {
            Ok(bundle) => {
                for resource in bundle.entry.into_iter().filter_map(|e| e.resource) {
                    if let (Some("Medication"), Some(id)) = (
                        resource.get("resourceType").and_then(Value::as_str),
                        resource.get("id").and_then(Value::as_str),
                    ) {
                        let key = format!("Medication/{id}");
                        if let Ok(m) = serde_json::from_value(resource) {
                            record.medications.insert(key, m);
                        }
                    }
                }
            }
            Err(e) => record.problems.push(RecordProblem {
                section: Some(Section::Medications),
                message: format!("Some medication details could not be loaded: {e}"),
            }),
        }
    }
}
