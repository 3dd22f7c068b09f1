//! Patients by id, in one search (`Patient?_id=a,b,c`): for a list whose server did not
//! honour `_include` (so its rows name patients it did not send). Only ids go in the URL,
//! as in a chart's own reads; at most `MAX_IDS` per call, one page.

use serde_json::Value;

use super::FhirClient;
use crate::fhir::error::FhirError;
use crate::fhir::model::is_fhir_id;

/// Most patients asked for at once (a list on screen is never longer).
pub const MAX_IDS: usize = 100;

impl FhirClient {
    /// The Patients with these ids (at most `MAX_IDS`, ids that are not FHIR ids skipped),
    /// as the server sent them: only `Patient` resources whose id was asked for.
    pub async fn patients_by_id(&self, ids: &[String]) -> Result<Vec<Value>, FhirError> {
        let ids: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .filter(|i| is_fhir_id(i))
            .take(MAX_IDS)
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut url = self.url("Patient")?;
        url.query_pairs_mut()
            .append_pair("_id", &ids.join(","))
            .append_pair("_count", &ids.len().to_string());
        let bundle = self
            .get(url, "Patient search by id".into())
            .await?
            .ok_or_error("the patients' search by id")?
            .json_resource(&["Bundle"])?;
        Ok(bundle["entry"]
            .as_array()
            .into_iter()
            .flatten()
            .take(MAX_IDS)
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == "Patient")
            .filter(|r| r["id"].as_str().is_some_and(|id| ids.contains(&id)))
            .cloned()
            .collect())
    }
}
