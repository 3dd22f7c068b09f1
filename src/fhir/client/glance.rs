//! The glance at the visible rows of a list: each patient's allergies and latest vital
//! signs, for up to `MAX_GLANCE` patients, in one round trip (one `batch` Bundle where the
//! server takes it; otherwise the searches go at once on concurrent requests). Vital signs
//! come from `Observation/$lastn` (the latest of each kind) where the server declares it,
//! else the newest page. Each patient's answers go through a `RecordBuilder` of their own,
//! which drops any resource naming another patient: one patient's data never lands on
//! another's row. Only first pages: a glance, not the chart.

use serde_json::json;

use super::FhirClient;
use crate::fhir::error::FhirError;
use crate::fhir::model::is_fhir_id;
use crate::fhir::query::{PageSize, SearchRequest, Section, lastn_search, section_searches};
use crate::fhir::record::{PatientRecord, RecordBuilder};

/// Most patients in one glance batch.
pub const MAX_GLANCE: usize = 24;

/// Allergies and vital signs fetched per patient (a first page).
const GLANCE_PAGE: PageSize = PageSize {
    observations: 20,
    other: 20,
};

impl FhirClient {
    /// The allergies and latest vital signs of each of `patient_ids` (at most
    /// `MAX_GLANCE`; ids that are not FHIR ids are skipped), in one round trip. Each
    /// patient's record holds only those two sections, marked loaded or failed.
    pub async fn fetch_glances(
        &self,
        patient_ids: &[String],
    ) -> Result<Vec<PatientRecord>, FhirError> {
        let ids: Vec<&str> = patient_ids
            .iter()
            .map(|s| s.trim())
            .filter(|s| is_fhir_id(s))
            .take(MAX_GLANCE)
            .collect();
        let lastn = self.uses_lastn().await;
        let per_patient = |id: &str| -> Vec<SearchRequest> {
            let patient = format!("Patient/{id}");
            let mut s = section_searches(Section::Allergies, &patient, GLANCE_PAGE);
            if lastn {
                s.push(lastn_search(Section::Vitals, &patient, "vital-signs", 1));
            } else {
                s.extend(section_searches(Section::Vitals, &patient, GLANCE_PAGE));
            }
            s
        };
        let asked: Vec<Vec<SearchRequest>> = ids.iter().map(|id| per_patient(id)).collect();
        let all: Vec<SearchRequest> = asked.iter().flatten().cloned().collect();
        let (_, results) = self.run_searches(None, &all, None).await?;
        let mut results = results.into_iter();
        let mut records = Vec::with_capacity(ids.len());
        for (id, searches) in ids.iter().zip(&asked) {
            let mine: Vec<_> = results.by_ref().take(searches.len()).collect();
            let mut builder = RecordBuilder::new(json!({"resourceType": "Patient", "id": id}))
                .map_err(|e| FhirError::BadResponse {
                    detail: e.to_string(),
                })?
                .with_base(self.base_url());
            // Only the first page: later pages are the chart's.
            let _ = self.take_first_pages(&mut builder, searches, mine)?;
            records.push(builder.finish());
        }
        Ok(records)
    }
}
