//! Sending a set of searches (and optionally the Patient read) in as few round trips as
//! the server allows: one `batch` Bundle when it supports batch, otherwise all at once on
//! concurrent requests. A batch the server refuses is remembered and not tried again.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tokio::task::JoinSet;

use super::http::{FHIR_JSON, RawResponse, check_resource, status_error};
use super::{BatchMode, FhirClient};
use crate::fhir::error::FhirError;
use crate::fhir::model::{Bundle, BundleEntry};
use crate::fhir::query::SearchRequest;

/// The outcome of one search: its first page, or why it failed.
pub(crate) type SearchResult = Result<Bundle, FhirError>;

impl FhirClient {
    /// Run `searches`, with the read of `Patient/{patient_read}` first when given.
    pub(crate) async fn run_searches(
        &self,
        patient_read: Option<&str>,
        searches: &[SearchRequest],
    ) -> Result<(Option<Value>, Vec<SearchResult>), FhirError> {
        if searches.is_empty() && patient_read.is_none() {
            return Ok((None, vec![]));
        }
        if self.should_batch().await {
            match self.load_by_batch(patient_read, searches).await {
                Ok(loaded) => return Ok(loaded),
                Err(None) => self.inner.batch_refused.store(true, Ordering::Relaxed),
                Err(Some(e)) => return Err(e),
            }
        }
        self.load_concurrently(patient_read, searches).await
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
        patient_read: Option<&str>,
        searches: &[SearchRequest],
    ) -> Result<(Option<Value>, Vec<SearchResult>), Option<FhirError>> {
        let mut entries = Vec::new();
        if let Some(id) = patient_read {
            entries.push(json!({"request": {"method": "GET", "url": format!("Patient/{id}")}}));
        }
        entries.extend(
            searches
                .iter()
                .map(|s| json!({"request": {"method": "GET", "url": s.relative_url()}})),
        );
        let expected = entries.len();
        let bundle = json!({"resourceType": "Bundle", "type": "batch", "entry": entries});
        let body = serde_json::to_vec(&bundle).map_err(|_| None)?;
        let url = self.url("").map_err(Some)?;
        let label = format!("batch ({expected} requests)");
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
        if reply.entry.len() != expected {
            return Err(Some(FhirError::BadResponse {
                detail: format!(
                    "the batch response has {} entries for {expected} requests",
                    reply.entry.len()
                ),
            }));
        }
        let mut entries = reply.entry.into_iter();
        let patient = match patient_read {
            Some(id) => {
                let first = entries.next().unwrap_or_default();
                Some(entry_result(first, &["Patient"], &format!("Patient '{id}'")).map_err(Some)?)
            }
            None => None,
        };
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
        patient_read: Option<&str>,
        searches: &[SearchRequest],
    ) -> Result<(Option<Value>, Vec<SearchResult>), FhirError> {
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
        let patient = match patient_read {
            Some(id) => Some(self.read("Patient", id).await),
            None => None,
        };
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
        Ok((patient.transpose()?, results))
    }
}

/// Most entries one page of results may hold. rounds asks for at most a few hundred; a page
/// of many thousands is a broken or hostile server, and would only cost memory.
pub(crate) const MAX_ENTRIES: usize = 20_000;

pub(crate) fn bundle_from(resp: RawResponse) -> Result<Bundle, FhirError> {
    let resp = resp.ok_or_error("The search")?;
    let value = resp.json_resource(&["Bundle"])?;
    let entries = value
        .get("entry")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if entries > MAX_ENTRIES {
        return Err(FhirError::BadResponse {
            detail: format!(
                "a page of results has {entries} entries, more than the {MAX_ENTRIES} rounds accepts"
            ),
        });
    }
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
