//! The front desk's writes on a patient record through a data source, one definition for
//! the command line (`rounds patient new`, `rounds patient update`) and the screen
//! (`:register`, the demographics form): the duplicate check of a registration
//! (`find_duplicates`: `Patient/$match` where the source declares it, else the searches of
//! `Registration::searches`, leaving out those whose parameter the server does not
//! declare), and a demographics change (`update_demographics`: the record read with its
//! version, the change applied keeping the old values ended, sent through the outbox as a
//! JSON Patch or a PUT with `If-Match`, the record read again for the banner).

use chrono::NaiveDate;
use serde_json::Value;

use super::{DataSource, SourceCapabilities, SourceError, Submitted};
use crate::chart::ChartOptions;
use crate::common::SourceKind;
use crate::fhir::PatientQuery;
use crate::frontdesk::demographics::{Change, Read, apply, demographics_item};
use crate::frontdesk::patient_new::{
    Candidate, Registration, SEARCH_COUNT, candidates, patients_of,
};
use crate::outbox::Author;

/// What the duplicate check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicates {
    /// Each Patient found (as JSON) with why.
    pub found: Vec<(String, Value)>,
    /// `match` or `search`.
    pub method: String,
    /// Searches left out (a parameter the server does not declare), in words.
    pub warnings: Vec<String>,
}

impl Duplicates {
    /// The candidates, each Patient once with every reason that found it.
    pub fn candidates(
        &self,
        reg: &Registration,
        today: NaiveDate,
        options: &ChartOptions,
    ) -> Vec<Candidate> {
        candidates(reg, &self.found, today, options)
    }
}

/// Look for the person `reg` (whose create is `resource`) before creating them.
pub async fn find_duplicates(
    source: &dyn DataSource,
    reg: &Registration,
    resource: &Value,
) -> Result<Duplicates, SourceError> {
    if let Some(entries) = source.match_patients(resource, SEARCH_COUNT).await? {
        let found = patients_of(&entries)
            .into_iter()
            .map(|(p, score)| {
                let why = match score {
                    Some(s) => format!("$match score {}", (s * 100.0).round() / 100.0),
                    None => "$match".to_owned(),
                };
                (why, p)
            })
            .collect();
        return Ok(Duplicates {
            found,
            method: "match".into(),
            warnings: vec![],
        });
    }
    let server = source.info().kind == SourceKind::Server;
    // A server that does not declare a parameter may ignore it (and answer with everyone
    // born that day): such a search is left out and said so.
    let caps = match source.capabilities().await {
        Ok(SourceCapabilities::Server { capabilities, .. }) => Some(capabilities),
        _ => None,
    };
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for (why, params) in reg.searches() {
        let undeclared = params.iter().find(|(k, _)| {
            caps.as_ref()
                .is_some_and(|c| !c.has_search_param("Patient", k))
        });
        if let Some((k, _)) = undeclared {
            warnings.push(format!(
                "the server does not declare the Patient search parameter '{k}': \
                 the search '{why}' was left out of the duplicate check"
            ));
            continue;
        }
        if server {
            let entries = source
                .search_entries("Patient", &params, SEARCH_COUNT)
                .await?;
            found.extend(
                patients_of(&entries)
                    .into_iter()
                    .map(|(p, _)| (why.to_owned(), p)),
            );
            continue;
        }
        // The demo and files: the same criteria through the source's own search (a
        // phone is not searched there).
        let mut q = PatientQuery::default();
        for (k, v) in &params {
            match k.as_str() {
                "family" => q.family = Some(v.clone()),
                "given" => q.given = Some(v.clone()),
                "birthdate" => q.birthdate = Some(reg.birth_date),
                "gender" => q.gender = Some(v.clone()),
                "identifier" => q.identifier = Some(v.clone()),
                _ => q.all = true,
            }
        }
        if q.all {
            continue;
        }
        let results = source.search(&q, SEARCH_COUNT as usize).await?;
        for p in results.patients {
            if let Ok(v) = serde_json::to_value(&p) {
                found.push((why.to_owned(), v));
            }
        }
    }
    Ok(Duplicates {
        found,
        method: "search".into(),
        warnings,
    })
}

/// How a demographics change ended.
#[derive(Debug, Clone, PartialEq)]
pub enum DemographicsOutcome {
    /// The record already holds every value given: nothing was sent.
    Unchanged { patient_id: String },
    /// Submitted (sent, kept, or a conflict); `now`: the record read again after it was
    /// sent (the one in hand when the read failed), for the banner.
    Submitted {
        patient_id: String,
        submitted: Box<Submitted>,
        now: Option<Value>,
    },
}

impl DemographicsOutcome {
    /// The patient the answer is about (checked against the chart on screen).
    pub fn patient_id(&self) -> &str {
        match self {
            DemographicsOutcome::Unchanged { patient_id }
            | DemographicsOutcome::Submitted { patient_id, .. } => patient_id,
        }
    }
}

/// Change patient `patient_id`'s contact details (`label`: the patient's two identifiers,
/// for the outbox item), version-aware, nothing overwritten.
pub async fn update_demographics(
    source: &dyn DataSource,
    patient_id: &str,
    label: &str,
    change: &Change,
    today: NaiveDate,
    author: Author,
) -> Result<DemographicsOutcome, SourceError> {
    if source.info().kind != SourceKind::Server {
        return Err(SourceError::Invalid(
            "a demographics change is made on a FHIR server's record: the demo and files \
             have none to change (nothing was written)"
                .into(),
        ));
    }
    let (current, version) = source.read_current("Patient", patient_id).await?;
    if current["id"].as_str() != Some(patient_id) {
        return Err(SourceError::Invalid(
            "the server answered another record than the one asked for: nothing was changed".into(),
        ));
    }
    let Some(new) = apply(&current, change, today) else {
        return Ok(DemographicsOutcome::Unchanged {
            patient_id: patient_id.to_owned(),
        });
    };
    let patch = match source.capabilities().await {
        Ok(SourceCapabilities::Server { capabilities, .. }) => {
            capabilities.supports_json_patch("Patient")
        }
        _ => false,
    };
    let read = Read {
        id: patient_id.to_owned(),
        resource: current,
        version,
    };
    let item = demographics_item(
        &read,
        new.clone(),
        patch,
        label,
        format!("Demographics: {}", change.summary()),
        &source.info().label,
        author,
    );
    let submitted = source.submit(item).await?;
    let now = if submitted.item.state == crate::outbox::State::Sent {
        // The record as it stands now: read again (never the one in hand).
        let again = source.read_current("Patient", patient_id).await;
        Some(again.map(|(p, _)| p).unwrap_or(new)).filter(|p| p["id"].as_str() == Some(patient_id))
    } else {
        None
    };
    Ok(DemographicsOutcome::Submitted {
        patient_id: patient_id.to_owned(),
        submitted: Box::new(submitted),
        now,
    })
}
