//! A patient as one search-result row: two identifiers at least (name and born date, plus
//! the MRN), so the right patient is picked; an inactive or replaced record is marked.

use chrono::NaiveDate;
use serde::Serialize;

use super::ChartOptions;
use super::banner::record_standing;
use super::date::{FhirDate, age};
use super::format::NOT_KNOWN;
use super::person::{mrn, patient_name, patient_sex};
use crate::fhir::model::Patient;

/// One row of a patient search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientSummary {
    pub id: String,
    pub name: String,
    pub born: String,
    pub birth_date: Option<String>,
    pub age: Option<String>,
    pub sex: String,
    pub mrn: String,
    pub deceased: bool,
    /// Another row in the same result has the same name and birth date.
    pub lookalike: bool,
    /// The record is marked inactive (`active: false`).
    pub inactive: bool,
    /// The id of the record that replaces this one (`link` type `replaced-by`).
    pub replaced_by: Option<String>,
}

impl PatientSummary {
    pub fn new(p: &Patient, today: NaiveDate, options: &ChartOptions) -> PatientSummary {
        let birth = p.birth_date.as_deref().and_then(FhirDate::parse);
        let deceased = p.deceased_date_time.is_some() || p.deceased_boolean == Some(true);
        let death = p.deceased_date_time.as_deref().and_then(FhirDate::parse);
        let on = if deceased {
            death.map(|d| d.first_day())
        } else {
            Some(today)
        };
        let (inactive, replaced_by) = record_standing(p);
        PatientSummary {
            id: p.id.clone().unwrap_or_default(),
            name: patient_name(p).unwrap_or_else(|| "Name not known".to_owned()),
            born: birth
                .map(|b| b.display_date())
                .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            birth_date: p.birth_date.clone(),
            age: birth.zip(on).and_then(|(b, on)| age(&b, on)),
            sex: patient_sex(p).unwrap_or_else(|| NOT_KNOWN.to_owned()),
            mrn: mrn(&p.identifier, options.mrn_system.as_deref())
                .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            deceased,
            lookalike: false,
            inactive,
            replaced_by,
        }
    }

    /// `INACTIVE`, `INACTIVE → ID` or `REPLACED → ID` for a record that is not the live
    /// one.
    pub fn standing(&self) -> Option<String> {
        match (self.inactive, &self.replaced_by) {
            (true, Some(id)) => Some(format!("INACTIVE → {id}")),
            (true, None) => Some("INACTIVE".to_owned()),
            (false, Some(id)) => Some(format!("REPLACED → {id}")),
            (false, None) => None,
        }
    }

    /// `14-Jul-1945 (81y)`.
    pub fn born_with_age(&self) -> String {
        match &self.age {
            Some(a) => format!("{} ({a})", self.born),
            None => self.born.clone(),
        }
    }

    /// Summaries of a result list, sorted by name, with look-alikes (same name and birth
    /// date) marked.
    pub fn list(
        patients: &[Patient],
        today: NaiveDate,
        options: &ChartOptions,
    ) -> Vec<PatientSummary> {
        let mut rows: Vec<PatientSummary> = patients
            .iter()
            .map(|p| PatientSummary::new(p, today, options))
            .collect();
        // A stable order (name, birth date, MRN) so look-alikes always list the same way,
        // whatever order the server sent.
        rows.sort_by(|a, b| {
            (a.name.to_lowercase(), &a.birth_date, &a.mrn, &a.id).cmp(&(
                b.name.to_lowercase(),
                &b.birth_date,
                &b.mrn,
                &b.id,
            ))
        });
        // The same record read twice (the same id in two files) is one row, and never a
        // look-alike of itself.
        let mut seen = std::collections::HashSet::new();
        rows.retain(|r| r.id.is_empty() || seen.insert(r.id.clone()));
        let keys: Vec<(String, Option<String>)> = rows
            .iter()
            .map(|r| (r.name.to_lowercase(), r.birth_date.clone()))
            .collect();
        for (i, row) in rows.iter_mut().enumerate() {
            row.lookalike = keys
                .iter()
                .enumerate()
                .any(|(j, k)| j != i && *k == keys[i] && keys[i].1.is_some());
        }
        rows
    }
}
