//! The patient banner: who this is, shown on every patient screen and every exported line.
//! Name, born date with age, sex, MRN, deceased, an inactive or replaced record, and the
//! allergy flag; "Not known" rather than a blank (NHS CUI patient banner guidance).

use chrono::NaiveDate;
use serde::Serialize;

use super::ChartOptions;
use super::allergies::AllergyFlag;
use super::date::{FhirDate, age};
use super::format::NOT_KNOWN;
use super::person::{mrn, patient_name, patient_sex};
use super::postings::{Posting, PostingKind};
use crate::fhir::model::Patient;

/// The patient banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Banner {
    /// The server's id of the Patient resource.
    pub patient_id: String,
    /// `FAMILY, Given (Title)`, or "Name not known".
    pub name: String,
    /// `14-Jul-1945`, or "Not known".
    pub born: String,
    /// The birth date as sent (`YYYY-MM-DD`).
    pub birth_date: Option<String>,
    /// `81y`, `7w`; at death for a deceased patient.
    pub age: Option<String>,
    /// `Male`, `Female`, `Other`, `Unknown`, `Female (sex for clinical use)` (from a US
    /// Core extension when `gender` is absent), or "Not known".
    pub sex: String,
    /// The medical record number, or "Not known" (never another identifier in its place).
    pub mrn: String,
    /// Present when the patient has died.
    pub deceased: Option<Deceased>,
    pub allergies: AllergyFlag,
    /// Whether the record is marked inactive (`active: false`): its data is shown, with a
    /// warning.
    pub inactive: bool,
    /// The id of the record that replaces this one (`link` type `replaced-by`).
    pub replaced_by: Option<String>,
    /// Ids of other records of the same person (`link` types `seealso`, `refer`).
    pub see_also: Vec<String>,
}

/// The words a posting shows, on the banner, the cover sheet and the CLI alike: `FLAG
/// Immunocompromised` for a flag, the directive as it is (`DNR`); and whether it is urgent
/// (a high-priority flag, or a directive), for its style.
pub fn posting_words(p: &Posting) -> (String, bool) {
    match p.kind {
        PostingKind::Flag { high_priority } => (format!("FLAG {}", p.text), high_priority),
        PostingKind::Directive => (p.text.clone(), true),
    }
}

/// The id of the Patient a link points at (`Patient/id`, relative or absolute).
fn linked_id(p: &Patient, types: &[&str]) -> Vec<String> {
    p.link
        .iter()
        .filter(|l| {
            l.type_
                .as_deref()
                .is_some_and(|t| types.contains(&t.trim()))
        })
        .filter_map(|l| l.other.as_ref()?.local_key())
        .filter_map(|k| k.strip_prefix("Patient/").map(str::to_owned))
        .collect()
}

/// The record's standing, for the banner and search rows: inactive, and the record that
/// replaces it, as ids.
pub fn record_standing(p: &Patient) -> (bool, Option<String>) {
    (
        p.active == Some(false),
        linked_id(p, &["replaced-by"]).into_iter().next(),
    )
}

/// That a patient has died, and when if known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deceased {
    /// `14-Feb-2026`, or "Not known".
    pub date: String,
    pub date_iso: Option<String>,
}

impl Banner {
    /// Build the banner; ages are computed as of `today` (or the date of death).
    pub fn new(
        patient: &Patient,
        allergies: AllergyFlag,
        today: NaiveDate,
        options: &ChartOptions,
    ) -> Banner {
        let birth = patient.birth_date.as_deref().and_then(FhirDate::parse);
        let death = patient
            .deceased_date_time
            .as_deref()
            .and_then(FhirDate::parse);
        let deceased = match (&patient.deceased_date_time, patient.deceased_boolean) {
            (Some(iso), _) => Some(Deceased {
                date: death
                    .map(|d| d.display_date())
                    .unwrap_or_else(|| NOT_KNOWN.to_owned()),
                date_iso: Some(iso.clone()),
            }),
            (None, Some(true)) => Some(Deceased {
                date: NOT_KNOWN.to_owned(),
                date_iso: None,
            }),
            _ => None,
        };
        let age_on = match (&deceased, death) {
            (Some(_), Some(d)) => Some(d.first_day()),
            (Some(_), None) => None,
            (None, _) => Some(today),
        };
        let (inactive, replaced_by) = record_standing(patient);
        Banner {
            patient_id: patient.id.clone().unwrap_or_default(),
            name: patient_name(patient).unwrap_or_else(|| "Name not known".to_owned()),
            born: birth
                .map(|b| b.display_date())
                .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            birth_date: patient.birth_date.clone(),
            age: birth.zip(age_on).and_then(|(b, on)| age(&b, on)),
            sex: patient_sex(patient).unwrap_or_else(|| NOT_KNOWN.to_owned()),
            mrn: mrn(&patient.identifier, options.mrn_system.as_deref())
                .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            deceased,
            allergies,
            inactive,
            replaced_by,
            see_also: linked_id(patient, &["seealso", "refer"]),
        }
    }

    /// `INACTIVE RECORD — replaced by ID`, `INACTIVE RECORD`, or `REPLACED by ID` for a
    /// record that is not the live one; `None` for a live record.
    pub fn record_warning(&self) -> Option<String> {
        match (self.inactive, &self.replaced_by) {
            (true, Some(id)) => Some(format!("INACTIVE RECORD — replaced by {id}")),
            (true, None) => Some("INACTIVE RECORD".to_owned()),
            (false, Some(id)) => Some(format!("REPLACED by {id}")),
            (false, None) => None,
        }
    }

    /// `14-Jul-1945 (81y)`, or just the date when the age is unknown.
    pub fn born_with_age(&self) -> String {
        match &self.age {
            Some(a) => format!("{} ({a})", self.born),
            None => self.born.clone(),
        }
    }

    /// `Died 14-Feb-2026`, or `None` for a living patient.
    pub fn deceased_label(&self) -> Option<String> {
        self.deceased.as_ref().map(|d| {
            if d.date == NOT_KNOWN {
                "Deceased (date not known)".to_owned()
            } else {
                format!("Died {}", d.date)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_info() -> AllergyFlag {
        AllergyFlag::NoInformation { ids: vec![] }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn living_patient() {
        let p: Patient = serde_json::from_str(
            r#"{"id":"p1","name":[{"use":"official","family":"Trantow","given":["Kermit"],"prefix":["Mr."]}],
                "gender":"male","birthDate":"1993-06-21",
                "identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"M1"}]}"#,
        )
        .unwrap();
        let b = Banner::new(&p, no_info(), today(), &ChartOptions::default());
        assert_eq!(b.name, "TRANTOW, Kermit (Mr)");
        assert_eq!(b.born_with_age(), "21-Jun-1993 (33y)");
        assert_eq!(b.sex, "Male");
        assert_eq!(b.mrn, "M1");
        assert_eq!(b.deceased_label(), None);
    }

    #[test]
    fn deceased_patient_age_at_death() {
        let p: Patient = serde_json::from_str(
            r#"{"id":"p3","birthDate":"1931-11-30","deceasedDateTime":"2026-02-14T09:30:00-05:00"}"#,
        )
        .unwrap();
        let b = Banner::new(&p, no_info(), today(), &ChartOptions::default());
        assert_eq!(b.born_with_age(), "30-Nov-1931 (94y)");
        assert_eq!(b.deceased_label().unwrap(), "Died 14-Feb-2026");
        assert_eq!(b.name, "Name not known");
        assert_eq!(b.sex, "Not known");
        assert_eq!(b.mrn, "Not known");
        let unknown_date: Patient =
            serde_json::from_str(r#"{"id":"p","birthDate":"1931-11-30","deceasedBoolean":true}"#)
                .unwrap();
        let b = Banner::new(&unknown_date, no_info(), today(), &ChartOptions::default());
        assert_eq!(b.deceased_label().unwrap(), "Deceased (date not known)");
        assert_eq!(b.age, None);
    }

    #[test]
    fn an_inactive_record_names_its_replacement() {
        let p: Patient = serde_json::from_str(
            r#"{"id":"old","active":false,
                "link":[{"other":{"reference":"Patient/new"},"type":"replaced-by"},
                        {"other":{"reference":"https://x/fhir/Patient/other"},"type":"seealso"}]}"#,
        )
        .unwrap();
        let b = Banner::new(&p, no_info(), today(), &ChartOptions::default());
        assert_eq!(
            b.record_warning().unwrap(),
            "INACTIVE RECORD — replaced by new"
        );
        assert_eq!(b.see_also, ["other"]);
    }

    #[test]
    fn nothing_known() {
        let p: Patient = serde_json::from_str(r#"{"id":"p4"}"#).unwrap();
        let b = Banner::new(&p, no_info(), today(), &ChartOptions::default());
        assert_eq!(b.born_with_age(), "Not known");
    }
}
