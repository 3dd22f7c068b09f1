//! Searches of any resource type for the front desk and the clinician's lists: a search
//! sent as a form (`POST Type/_search`, so a name, birth date or phone stays out of URLs;
//! by GET only where the server refuses the form), and `Patient/$match` (the server's own
//! duplicate finder, where it declares it). Both answer the Bundle's entries as JSON, at
//! most `MAX_ENTRIES`: the caller reads the resources (and `search.mode`, `search.score`).

use serde_json::{Value, json};

use super::FhirClient;
use super::http::FHIR_JSON;
use crate::fhir::error::FhirError;
use crate::fhir::query::encode_params;

/// Most entries of one answer kept (a list on screen is never longer).
pub const MAX_ENTRIES: usize = 500;

impl FhirClient {
    /// `POST [base]/Type/_search` with `params` and `_count=count`: the Bundle's entries.
    pub async fn search_form(
        &self,
        resource_type: &str,
        params: &[(String, String)],
        count: u32,
    ) -> Result<Vec<Value>, FhirError> {
        let mut params = params.to_vec();
        params.push(("_count".into(), count.to_string()));
        let form = encode_params(&params);
        let url = self.url(&format!("{resource_type}/_search"))?;
        let label = format!("{resource_type} search (POST)");
        let resp = self
            .post(
                url,
                "application/x-www-form-urlencoded",
                form.clone().into_bytes(),
                label,
                None,
            )
            .await?;
        let resp = if super::patients::refuses_post(&resp) {
            let url = self.url(&format!("{resource_type}?{form}"))?;
            self.get(url, format!("{resource_type} search (GET)"))
                .await?
        } else {
            resp
        };
        let bundle = resp
            .ok_or_error(&format!("the {resource_type} search"))?
            .json_resource(&["Bundle"])?;
        Ok(entries(bundle))
    }

    /// `POST [base]/Patient/$match` with `patient` (FHIR R4: `Parameters` with `resource`,
    /// `count`, `onlyCertainMatches` false): the Bundle's entries, each with its
    /// `search.score` (0 to 1) and match-grade extension when the server sends them.
    pub async fn match_patients(
        &self,
        patient: &Value,
        count: u32,
    ) -> Result<Vec<Value>, FhirError> {
        let body = match_parameters(patient, count);
        let body = serde_json::to_vec(&body).map_err(|e| FhirError::InvalidRequest {
            detail: format!("the $match request could not be encoded ({e})"),
        })?;
        let url = self.url("Patient/$match")?;
        let resp = self
            .post(url, FHIR_JSON, body, "Patient $match".into(), None)
            .await?;
        let bundle = resp
            .ok_or_error("the Patient $match")?
            .json_resource(&["Bundle"])?;
        Ok(entries(bundle))
    }
}

/// The `Parameters` of a `Patient/$match` for `patient`.
pub fn match_parameters(patient: &Value, count: u32) -> Value {
    json!({
        "resourceType": "Parameters",
        "parameter": [
            {"name": "resource", "resource": patient},
            {"name": "onlyCertainMatches", "valueBoolean": false},
            {"name": "count", "valueInteger": count},
        ]
    })
}

/// A Bundle's entries (at most `MAX_ENTRIES`).
fn entries(mut bundle: Value) -> Vec<Value> {
    match bundle.get_mut("entry").map(Value::take) {
        Some(Value::Array(mut list)) => {
            list.truncate(MAX_ENTRIES);
            list
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_asks_for_every_grade_and_entries_are_capped() {
        let p = json!({"resourceType": "Patient", "birthDate": "1970-01-01"});
        let body = match_parameters(&p, 10);
        assert_eq!(body["parameter"][0]["resource"], p);
        assert_eq!(body["parameter"][1]["valueBoolean"], false);
        assert_eq!(body["parameter"][2]["valueInteger"], 10);
        let many: Vec<Value> = (0..MAX_ENTRIES + 3).map(|i| json!({"i": i})).collect();
        assert_eq!(entries(json!({"entry": many})).len(), MAX_ENTRIES);
        assert!(entries(json!({"resourceType": "Bundle"})).is_empty());
    }
}
