//! A patient as one search-result row: two identifiers at least (name and born date, plus
//! the MRN), so the right patient is picked.

use chrono::NaiveDate;
use serde::Serialize;

use super::date::{FhirDate, age};
use super::format::NOT_KNOWN;
use super::person::{mrn, patient_name, sex};
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
}

impl PatientSummary {
    pub fn new(p: &Patient, today: NaiveDate) -> PatientSummary {
        let birth = p.birth_date.as_deref().and_then(FhirDate::parse);
        let deceased = p.deceased_date_time.is_some() || p.deceased_boolean == Some(true);
        let death = p.deceased_date_time.as_deref().and_then(FhirDate::parse);
        let on = if deceased {
            death.map(|d| d.first_day())
        } else {
            Some(today)
        };
        PatientSummary {
            id: p.id.clone().unwrap_or_default(),
            name: patient_name(p).unwrap_or_else(|| "Name not known".to_owned()),
            born: birth
                .map(|b| b.display_date())
                .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            birth_date: p.birth_date.clone(),
            age: birth.zip(on).and_then(|(b, on)| age(&b, on)),
            sex: sex(p.gender.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
            mrn: mrn(&p.identifier).unwrap_or_else(|| NOT_KNOWN.to_owned()),
            deceased,
            lookalike: false,
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
    pub fn list(patients: &[Patient], today: NaiveDate) -> Vec<PatientSummary> {
        let mut rows: Vec<PatientSummary> = patients
            .iter()
            .map(|p| PatientSummary::new(p, today))
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
