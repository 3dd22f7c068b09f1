//! A day's appointments: one GET search (`Appointment?…`, the parameters the caller built:
//! no names or birth dates, only dates and ids, so the URL carries no more than the search
//! must), `_elements` trimmed to what a row shows (sent again without it when a server
//! refuses it), revalidated with the caller's `ETag` (`If-None-Match`: a 304 keeps the
//! list the caller has), and `next` pages followed on this server up to a bound.

use serde_json::Value;
use url::Url;

use super::FhirClient;
use super::http::Validators;
use crate::fhir::error::FhirError;
use crate::fhir::query::encode_params;

/// Most pages followed for one day.
const MAX_PAGES: usize = 5;

/// Most entries taken from one page.
const MAX_ENTRIES_PER_PAGE: usize = 1000;

/// What a search for a day's appointments found.
#[derive(Debug, Clone, PartialEq)]
pub enum Appointments {
    /// Unchanged since the validators given: keep the list.
    NotModified,
    /// The resources of every page (appointments and the patients included).
    Found {
        resources: Vec<Value>,
        /// The first page's validators, for the next refresh.
        validators: Validators,
        /// More pages were left (past the bound).
        more: bool,
        /// Whether `_elements` was taken (else the full resources came).
        trimmed: bool,
    },
}

impl FhirClient {
    /// Search appointments with `params` (and `_count`), first with `_elements`
    /// (`elements`, when given), then without it if the server refuses it.
    pub async fn search_appointments(
        &self,
        params: &[(String, String)],
        count: u32,
        elements: Option<&str>,
        known: Option<&Validators>,
    ) -> Result<Appointments, FhirError> {
        let mut params = params.to_vec();
        params.push(("_count".into(), count.to_string()));
        let Some(elements) = elements else {
            let mut found = self.appointment_pages(&params, known).await?;
            if let Appointments::Found { trimmed, .. } = &mut found {
                *trimmed = false;
            }
            return Ok(found);
        };
        let mut trimmed = params.clone();
        trimmed.push(("_elements".into(), elements.into()));
        match self.appointment_pages(&trimmed, known).await {
            Err(e) if e.is_refusal() => {
                let mut found = self.appointment_pages(&params, known).await?;
                if let Appointments::Found { trimmed, .. } = &mut found {
                    *trimmed = false;
                }
                Ok(found)
            }
            done => done,
        }
    }

    async fn appointment_pages(
        &self,
        params: &[(String, String)],
        known: Option<&Validators>,
    ) -> Result<Appointments, FhirError> {
        let url = self.url(&format!("Appointment?{}", encode_params(params)))?;
        let none = Validators::default();
        let resp = self
            .get_if_changed(url, "Appointment search".into(), known.unwrap_or(&none))
            .await?;
        if resp.status == 304 && known.is_some() {
            return Ok(Appointments::NotModified);
        }
        let validators = resp.validators.clone();
        let resp = resp.ok_or_error("the appointment search")?;
        let mut page = resp.json_resource(&["Bundle"])?;
        let mut resources = Vec::new();
        let mut pages = 1;
        loop {
            let next = next_link(&page);
            take_entries(&mut page, &mut resources);
            let Some(link) = next else {
                return Ok(Appointments::Found {
                    resources,
                    validators,
                    more: false,
                    trimmed: true,
                });
            };
            if pages >= MAX_PAGES {
                return Ok(Appointments::Found {
                    resources,
                    validators,
                    more: true,
                    trimmed: true,
                });
            }
            let url: Url = self.same_server(&link)?;
            let resp = self
                .get_if_changed(url, "Appointment search (next page)".into(), &none)
                .await?;
            page = resp
                .ok_or_error("the appointment search")?
                .json_resource(&["Bundle"])?;
            pages += 1;
        }
    }
}

/// The bundle's `next` link.
fn next_link(bundle: &Value) -> Option<String> {
    bundle["link"]
        .as_array()?
        .iter()
        .find(|l| l["relation"] == "next")
        .and_then(|l| l["url"].as_str())
        .map(str::to_owned)
}

/// Move the entries' resources into `out` (at most `MAX_ENTRIES_PER_PAGE`).
fn take_entries(bundle: &mut Value, out: &mut Vec<Value>) {
    if let Some(list) = bundle["entry"].as_array_mut() {
        out.extend(
            list.iter_mut()
                .take(MAX_ENTRIES_PER_PAGE)
                .map(|e| e["resource"].take())
                .filter(Value::is_object),
        );
    }
}
