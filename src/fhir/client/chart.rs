//! Loading a patient's chart in as few round trips as the server allows: one `batch` Bundle
//! holding the Patient read and every section search when the server supports batch,
//! otherwise all of them concurrently. Paging links are then followed for all sections at
//! once, and Medications that `_include` did not bring are read in one more request.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tokio::task::JoinSet;

use super::http::{FHIR_JSON, RawResponse, check_resource, status_error};
use super::{BatchMode, FhirClient};
use crate::fhir::error::FhirError;
use crate::fhir::model::{Bundle, BundleEntry};
use crate::fhir::query::{SearchRequest, Section, encode_params, section_searches};
use crate::fhir::record::{PatientRecord, RecordBuilder};

/// The outcome of one search: its first page, or why it failed.
type SearchResult = Result<Bundle, FhirError>;

impl FhirClient {
    /// Load the Patient and the given sections of their chart.
    pub async fn fetch_record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, FhirError> {
        let patient_id = patient_id.trim();
        if patient_id.is_empty() || patient_id.contains('/') {
            return Err(FhirError::InvalidRequest {
                detail: format!("'{patient_id}' is not a valid patient id"),
            });
        }
        let mut searches = Vec::new();
        for s in sections {
            searches.extend(section_searches(*s, patient_id, self.inner.config.page));
        }
        let (patient, results) = if self.should_batch().await {
            match self.load_by_batch(patient_id, &searches).await {
                Ok(loaded) => loaded,
                Err(None) => {
                    self.inner.batch_refused.store(true, Ordering::Relaxed);
                    self.load_concurrently(patient_id, &searches).await?
                }
                Err(Some(e)) => return Err(e),
            }
        } else {
            self.load_concurrently(patient_id, &searches).await?
        };

        let mut builder = RecordBuilder::new(patient).map_err(|e| FhirError::BadResponse {
            detail: e.to_string(),
        })?;
        if builder.patient_key() != format!("Patient/{patient_id}") {
            // Never show another patient's record under the one asked for.
            return Err(FhirError::BadResponse {
                detail: "the server returned a different patient than the one asked for".into(),
            });
        }
        self.absorb(&mut builder, &searches, results).await?;
        let mut record = builder.finish();
        self.resolve_medications(&mut record).await;
        Ok(record)
    }

    async fn should_batch(&self) -> bool {
        match self.inner.config.batch {
            BatchMode::Always => true,
            BatchMode::Never => false,
            BatchMode::Auto => {
                !self.inner.batch_refused.load(Ordering::Relaxed)
                    && self
                        .capabilities()
                        .await
                        .map(|c| c.supports_batch())
                        .unwrap_or(false)
            }
        }
    }

    /// One POST of a batch Bundle. `Err(None)` means the server does not take batches.
    async fn load_by_batch(
        &self,
        patient_id: &str,
        searches: &[SearchRequest],
    ) -> Result<(Value, Vec<SearchResult>), Option<FhirError>> {
        let mut entries =
            vec![json!({"request": {"method": "GET", "url": format!("Patient/{patient_id}")}})];
        entries.extend(
            searches
                .iter()
                .map(|s| json!({"request": {"method": "GET", "url": s.relative_url()}})),
        );
        let bundle = json!({"resourceType": "Bundle", "type": "batch", "entry": entries});
        let body = serde_json::to_vec(&bundle).map_err(|_| None)?;
        let url = self.url("").map_err(Some)?;
        let label = format!("batch ({} requests)", searches.len() + 1);
        let resp = self.post(url, FHIR_JSON, body, label).await.map_err(Some)?;
        if matches!(resp.status, 400 | 403 | 404 | 405 | 415 | 422 | 501) {
            return Err(None);
        }
        let resp = resp.ok_or_error("The chart request").map_err(Some)?;
        let value = resp.json_resource(&["Bundle"]).map_err(Some)?;
        let reply: Bundle = serde_json::from_value(value).map_err(|_| {
            Some(FhirError::BadResponse {
                detail: "the batch response has an unexpected structure".into(),
            })
        })?;
        if reply.entry.len() != searches.len() + 1 {
            return Err(Some(FhirError::BadResponse {
                detail: format!(
                    "the batch response has {} entries for {} requests",
                    reply.entry.len(),
                    searches.len() + 1
                ),
            }));
        }
        let mut entries = reply.entry.into_iter();
        let first = entries.next().unwrap_or_default();
        let patient =
            entry_result(first, &["Patient"], &format!("Patient '{patient_id}'")).map_err(Some)?;
        let results = entries
            .map(|e| {
                entry_result(e, &["Bundle"], "The search").and_then(|v| {
                    serde_json::from_value::<Bundle>(v).map_err(|_| FhirError::BadResponse {
                        detail: "a search result has an unexpected structure".into(),
                    })
                })
            })
            .collect();
        Ok((patient, results))
    }

    /// The Patient read and every search at once, on separate requests.
    async fn load_concurrently(
        &self,
        patient_id: &str,
        searches: &[SearchRequest],
    ) -> Result<(Value, Vec<SearchResult>), FhirError> {
        let mut set = JoinSet::new();
        for (i, s) in searches.iter().enumerate() {
            let client = self.clone();
            let url = self.url(&s.relative_url());
            let label = format!("{} search", s.resource_type);
            set.spawn(async move {
                let result = match url {
                    Ok(url) => client.get(url, label).await.and_then(bundle_from),
                    Err(e) => Err(e),
                };
                (i, result)
            });
        }
        let patient = self.read("Patient", patient_id).await;
        let mut results: Vec<SearchResult> = searches
            .iter()
            .map(|_| {
                Err(FhirError::Connection {
                    detail: "the request did not finish".into(),
                })
            })
            .collect();
        while let Some(joined) = set.join_next().await {
            if let Ok((i, r)) = joined {
                if let Some(slot) = results.get_mut(i) {
                    *slot = r;
                }
            }
        }
        Ok((patient?, results))
    }

    /// Feed every first page into the builder, then follow `next` links for all sections
    /// concurrently, up to `max_pages` per search.
    async fn absorb(
        &self,
        builder: &mut RecordBuilder,
        searches: &[SearchRequest],
        results: Vec<SearchResult>,
    ) -> Result<(), FhirError> {
        let mut failures: BTreeMap<Section, FhirError> = BTreeMap::new();
        let mut pending: Vec<(usize, String)> = Vec::new();
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(bundle) => {
                    if let Some(next) = bundle.next_link() {
                        pending.push((i, next.to_owned()));
                    }
                    add_entries(builder, bundle.entry);
                }
                Err(FhirError::Unauthorized) => return Err(FhirError::Unauthorized),
                Err(e) => {
                    if let Some(section) = searches.get(i).and_then(|s| s.section) {
                        failures.entry(section).or_insert(e);
                    }
                }
            }
        }
        let max_pages = self.inner.config.max_pages.max(1);
        let mut page = 1;
        while !pending.is_empty() {
            if page >= max_pages {
                for (i, _) in &pending {
                    if let Some(section) = searches.get(*i).and_then(|s| s.section) {
                        builder.mark_truncated(section);
                    }
                }
                break;
            }
            page += 1;
            let mut set = JoinSet::new();
            for (i, link) in pending.drain(..) {
                let client = self.clone();
                let label = format!(
                    "{} search (next page)",
                    searches.get(i).map(|s| s.resource_type).unwrap_or("")
                );
                let url = self.same_server(&link);
                set.spawn(async move {
                    let result = match url {
                        Ok(url) => client.get(url, label).await.and_then(bundle_from),
                        Err(e) => Err(e),
                    };
                    (i, result)
                });
            }
            while let Some(joined) = set.join_next().await {
                let Ok((i, result)) = joined else { continue };
                match result {
                    Ok(bundle) => {
                        if let Some(next) = bundle.next_link() {
                            pending.push((i, next.to_owned()));
                        }
                        add_entries(builder, bundle.entry);
                    }
                    Err(FhirError::Unauthorized) => return Err(FhirError::Unauthorized),
                    Err(e) => {
                        if let Some(section) = searches.get(i).and_then(|s| s.section) {
                            builder.mark_truncated(section);
                            builder.problem(
                                Some(section),
                                format!("Only part of the {} could be loaded: {e}", section.name()),
                            );
                        }
                    }
                }
            }
        }
        for s in searches.iter().filter_map(|s| s.section) {
            match failures.get(&s) {
                Some(e) => builder.mark_failed(s, e.to_string()),
                None => builder.mark_loaded(s),
            }
        }
        Ok(())
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
            Err(e) => record.problems.push(crate::fhir::record::RecordProblem {
                section: Some(Section::Medications),
                message: format!("Some medication details could not be loaded: {e}"),
            }),
        }
    }
}

fn add_entries(builder: &mut RecordBuilder, entries: Vec<BundleEntry>) {
    for resource in entries.into_iter().filter_map(|e| e.resource) {
        builder.add(resource);
    }
}

fn bundle_from(resp: RawResponse) -> Result<Bundle, FhirError> {
    let resp = resp.ok_or_error("The search")?;
    let value = resp.json_resource(&["Bundle"])?;
    serde_json::from_value(value).map_err(|_| FhirError::BadResponse {
        detail: "a search result has an unexpected structure".into(),
    })
}

/// The resource of one batch-response entry, or the error its status stands for.
fn entry_result(entry: BundleEntry, expected: &[&str], what: &str) -> Result<Value, FhirError> {
    let status = entry
        .response
        .as_ref()
        .and_then(|r| r.status_code())
        .unwrap_or(if entry.resource.is_some() { 200 } else { 500 });
    if !(200..300).contains(&status) {
        let body = entry
            .resource
            .as_ref()
            .or(entry.response.as_ref().and_then(|r| r.outcome.as_ref()))
            .and_then(|v| serde_json::to_vec(v).ok())
            .unwrap_or_default();
        return Err(status_error(status, &body, None, what));
    }
    match entry.resource {
        Some(resource) => check_resource(resource, expected, status),
        None => Err(FhirError::BadResponse {
            detail: "a batch entry succeeded but carried no resource".into(),
        }),
    }
}
