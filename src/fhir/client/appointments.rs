//! Today's patients from the schedule: `Appointment?date=` for one local day, with the
//! clinic's UTC offset (a bare date is read as a UTC day by some servers), with
//! `_include=Appointment:patient`. Only the patient ids are returned: `rounds sync --today`
//! keeps their charts. The day's bounds come from the same `frontdesk::day` window as the
//! schedule's; this query asks only for the ids, not the schedule's rows.

use super::FhirClient;
use crate::fhir::error::FhirError;
use crate::fhir::model::is_fhir_id;

/// Most pages of appointments read, and most patients returned.
const MAX_PAGES: usize = 5;
const MAX_PATIENTS: usize = 500;

impl FhirClient {
    /// The ids of the patients with an appointment between `start` and `end` (the local
    /// day's bounds with their offsets, from `frontdesk::day`), in the order the server
    /// lists them, each once.
    pub async fn patients_booked_on(
        &self,
        start: &str,
        end: &str,
    ) -> Result<Vec<String>, FhirError> {
        let mut url = self.url("Appointment")?;
        url.query_pairs_mut()
            .append_pair("date", &format!("ge{start}"))
            .append_pair("date", &format!("lt{end}"))
            .append_pair("_include", "Appointment:patient")
            .append_pair("_count", "100");
        let mut ids: Vec<String> = Vec::new();
        for _ in 0..MAX_PAGES {
            let resp = self.get(url.clone(), "Appointment search".into()).await?;
            let bundle = resp
                .ok_or_error("The appointment search")?
                .json_resource(&["Bundle"])?;
            for entry in bundle["entry"].as_array().into_iter().flatten() {
                let r = &entry["resource"];
                if r["resourceType"] != "Appointment" {
                    continue;
                }
                for p in r["participant"].as_array().into_iter().flatten() {
                    let reference = p["actor"]["reference"].as_str().unwrap_or("");
                    if let Some(id) = reference.strip_prefix("Patient/") {
                        if is_fhir_id(id) && !ids.iter().any(|i| i == id) {
                            ids.push(id.to_owned());
                        }
                    }
                }
            }
            let next_link = bundle["link"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|l| l["relation"] == "next")
                .and_then(|l| l["url"].as_str());
            // Only links on this server are followed (`same_server`: a link to another
            // origin is replayed on this one when its path is under the base, else it is
            // an error, not a shorter list): the login's token never goes elsewhere.
            match next_link {
                Some(n) if ids.len() < MAX_PATIENTS => url = self.same_server(n)?,
                _ => break,
            }
        }
        ids.truncate(MAX_PATIENTS);
        Ok(ids)
    }
}
