//! Sending a set of searches (and optionally the Patient read) in as few round trips as
//! the server allows: one `batch` Bundle when it supports batch, otherwise all at once on
//! concurrent requests. A batch the server refuses is remembered and not tried again.

use std::sync::atomic::Ordering;

use serde_json::{Value, json};
use tokio::task::JoinSet;

use serde_json::value::RawValue;

use super::decode::{check_resource, parse_resource, status_error, too_large};
use super::early::{EarlyPatient, PatientSink};
use super::http::{FHIR_JSON, RawResponse};
use super::measure::{PARSER_DEPTH_LIMIT, bundle_entry_count, nests_deeper_than};
use super::{BatchMode, FhirClient};
use crate::fhir::error::FhirError;
use crate::fhir::model::{Bundle, EntryResponse, MAX_ENTRIES};
use crate::fhir::query::SearchRequest;

/// The outcome of one search: its first page, or why it failed.
pub(crate) type SearchResult = Result<Bundle, FhirError>;

impl FhirClient {
    /// Run `searches`, with the read of `Patient/{patient_read}` first when given.
    /// `early`, with the Patient read, is given the Patient as soon as it is in: from the
    /// first entry of the batch answer while the rest still arrives, or from its own
    /// request when there is no batch.
    pub(crate) async fn run_searches(
        &self,
        patient_read: Option<&str>,
        searches: &[SearchRequest],
        early: Option<PatientSink>,
    ) -> Result<(Option<Value>, Vec<SearchResult>), FhirError> {
        if searches.is_empty() && patient_read.is_none() {
            return Ok((None, vec![]));
        }
        let mut early = match (patient_read, early) {
            (Some(id), Some(sink)) => Some(EarlyPatient::new(id, sink)),
            _ => None,
        };
        if self.should_batch().await {
            match self
                .load_by_batch(patient_read, searches, early.as_mut())
                .await
            {
                Ok(loaded) => return Ok(loaded),
                Err(BatchFailure::Refused) => {
                    self.inner.batch_refused.store(true, Ordering::Relaxed)
                }
                // One search's answer spoiled the whole batch (too large, too deeply
                // nested): ask again one search at a time, so only that section fails.
                Err(BatchFailure::Unusable) => {}
                Err(BatchFailure::Failed(e)) => return Err(e),
            }
        }
        let early = early.and_then(EarlyPatient::into_sink);
        self.load_concurrently(patient_read, searches, early).await
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

    /// One POST of a batch Bundle.
    async fn load_by_batch(
        &self,
        patient_read: Option<&str>,
        searches: &[SearchRequest],
        early: Option<&mut EarlyPatient>,
    ) -> Result<(Option<Value>, Vec<SearchResult>), BatchFailure> {
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
        let body = serde_json::to_vec(&bundle).map_err(|_| BatchFailure::Unusable)?;
        let url = self.url("").map_err(BatchFailure::Failed)?;
        let label = format!("batch ({expected} requests)");
        let resp = match self.post(url, FHIR_JSON, body, label, early).await {
            Ok(r) => r,
            Err(e) if e == too_large(self.inner.config.max_body_bytes) => {
                return Err(BatchFailure::Unusable);
            }
            Err(e) => return Err(BatchFailure::Failed(e)),
        };
        if matches!(resp.status, 400 | 403 | 404 | 405 | 415 | 422 | 501) {
            return Err(BatchFailure::Refused);
        }
        let resp = resp
            .ok_or_error("The chart request")
            .map_err(BatchFailure::Failed)?;
        // Entries stay raw JSON text until each is parsed on its own, with the entry limit:
        // one huge search result cannot balloon into a tree of millions of values.
        let reply = match serde_json::from_slice::<BatchReply<'_>>(&resp.body) {
            Ok(r) if r.resource_type.as_deref() == Some("Bundle") => r,
            Err(_) if nests_deeper_than(&resp.body, PARSER_DEPTH_LIMIT) => {
                return Err(BatchFailure::Unusable);
            }
            _ => {
                let err = parse_resource(&resp.body, &["Bundle"], resp.status)
                    .err()
                    .unwrap_or(FhirError::BadResponse {
                        detail: "the batch response has an unexpected structure".into(),
                    });
                return Err(BatchFailure::Failed(err));
            }
        };
        if reply.entry.len() != expected {
            return Err(BatchFailure::Failed(FhirError::BadResponse {
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
                let value =
                    batch_entry(&first, &format!("Patient '{id}'")).and_then(|(status, raw)| {
                        let v: Value = serde_json::from_str(raw.get()).map_err(|_| {
                            FhirError::BadResponse {
                                detail: "the Patient in the batch response is not valid JSON"
                                    .into(),
                            }
                        })?;
                        check_resource(v, &["Patient"], status)
                    });
                Some(value.map_err(BatchFailure::Failed)?)
            }
            None => None,
        };
        let results = entries
            .map(|e| {
                batch_entry(&e, "The search")
                    .and_then(|(status, raw)| parse_bundle(raw.get().as_bytes(), status))
            })
            .collect();
        Ok((patient, results))
    }

    /// The Patient read and every search at once, on separate requests.
    async fn load_concurrently(
        &self,
        patient_read: Option<&str>,
        searches: &[SearchRequest],
        early: Option<PatientSink>,
    ) -> Result<(Option<Value>, Vec<SearchResult>), FhirError> {
        let mut set = JoinSet::new();
        for (i, s) in searches.iter().enumerate() {
            let client = self.clone();
            let url = self.url(&s.relative_url());
            let label = s.label();
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
        if let (Some(Ok(p)), Some(sink)) = (&patient, early) {
            // The searches are still running: the banner need not wait for them.
            if patient_read.is_some_and(|id| p.get("id").and_then(Value::as_str) == Some(id)) {
                sink(p.clone());
            }
        }
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

/// A searchset from a response body, parsed straight into a `Bundle` (never a whole JSON
/// tree first, so the entry limit holds memory down).
pub(crate) fn bundle_from(resp: RawResponse) -> Result<Bundle, FhirError> {
    let resp = resp.ok_or_error("The search")?;
    parse_bundle(&resp.body, resp.status)
}

/// Parse a Bundle from JSON text: the entry limit, the resourceType check, and an
/// OperationOutcome (or anything else) in its place described as `parse_resource` does.
pub(crate) fn parse_bundle(body: &[u8], status: u16) -> Result<Bundle, FhirError> {
    let unexpected = || FhirError::BadResponse {
        detail: "a search result has an unexpected structure".into(),
    };
    match serde_json::from_slice::<Bundle>(body) {
        Ok(b) if b.resource_type.as_deref() == Some("Bundle") => Ok(b),
        Err(_) if bundle_entry_count(body).is_some_and(|n| n > MAX_ENTRIES) => {
            Err(FhirError::BadResponse {
                detail: format!(
                    "a page of results has more than the {MAX_ENTRIES} entries rounds accepts"
                ),
            })
        }
        _ => parse_resource(body, &["Bundle"], status).and_then(|_| Err(unexpected())),
    }
}

/// Why a batch did not give an answer.
#[derive(Debug)]
enum BatchFailure {
    /// The server does not take batches: use single requests from now on.
    Refused,
    /// This answer cannot be used as a whole; single requests may still work.
    Unusable,
    /// An error to report.
    Failed(FhirError),
}

/// A batch-response Bundle with each entry's resource kept as raw JSON text.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchReply<'a> {
    #[serde(default)]
    resource_type: Option<String>,
    #[serde(default, borrow, deserialize_with = "crate::fhir::model::bounded_vec")]
    entry: Vec<BatchEntry<'a>>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct BatchEntry<'a> {
    #[serde(default)]
    response: Option<EntryResponse>,
    #[serde(default, borrow)]
    resource: Option<&'a RawValue>,
}

/// The status and raw resource of one batch-response entry, or the error its status
/// stands for.
fn batch_entry<'a>(entry: &BatchEntry<'a>, what: &str) -> Result<(u16, &'a RawValue), FhirError> {
    let status = entry
        .response
        .as_ref()
        .and_then(|r| r.status_code())
        .unwrap_or(if entry.resource.is_some() { 200 } else { 500 });
    if !(200..300).contains(&status) {
        let body = entry
            .resource
            .map(|r| r.get().as_bytes().to_vec())
            .or_else(|| {
                entry
                    .response
                    .as_ref()
                    .and_then(|r| r.outcome.as_ref())
                    .and_then(|v| serde_json::to_vec(v).ok())
            })
            .unwrap_or_default();
        return Err(status_error(status, &body, None, what));
    }
    entry
        .resource
        .map(|r| (status, r))
        .ok_or_else(|| FhirError::BadResponse {
            detail: "a batch entry succeeded but carried no resource".into(),
        })
}
