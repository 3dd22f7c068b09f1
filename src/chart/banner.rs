//! The patient banner: who this is, shown on every patient screen and every exported line.
//! Name, born date with age, sex, MRN, deceased, and the allergy flag; "Not known" rather
//! than a blank (NHS CUI patient banner guidance).

use chrono::NaiveDate;
use serde::Serialize;

use super::allergies::AllergyFlag;
use super::date::{FhirDate, age};
use super::format::NOT_KNOWN;
use super::person::{mrn, patient_name, sex};
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
    /// `Male`, `Female`, `Other`, `Unknown`, or "Not known".
    pub sex: String,
    /// The medical record number, or "Not known".
    pub mrn: String,
    /// Present when the patient has died.
    pub deceased: Option<Deceased>,
    pub allergies: AllergyFlag,
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
    pub fn new(patient: &Patient, allergies: AllergyFlag, today: NaiveDate) -> Banner {
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
        Banner {
            patient_id: patient.id.clone().unwrap_or_default(),
            name: patient_name(patient).unwrap_or_else(|| "Name not known".to_owned()),
            born: birth
                .map(|b| b.display_date())
                .unwrap_or_else(|| NOT_KNOWN.to_owned()),
            birth_date: patient.birth_date.clone(),
            age: birth.zip(age_on).and_then(|(b, on)| age(&b, on)),
            sex: sex(patient.gender.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
            mrn: mrn(&patient.identifier).unwrap_or_else(|| NOT_KNOWN.to_owned()),
            deceased,
            allergies,
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
        let b = Banner::new(&p, AllergyFlag::NoInformation, today());
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
        let b = Banner::new(&p, AllergyFlag::NoInformation, today());
        assert_eq!(b.born_with_age(), "30-Nov-1931 (94y)");
        assert_eq!(b.deceased_label().unwrap(), "Died 14-Feb-2026");
        assert_eq!(b.name, "Name not known");
        assert_eq!(b.sex, "Not known");
        assert_eq!(b.mrn, "Not known");
        let unknown_date: Patient =
            serde_json::from_str(r#"{"id":"p","birthDate":"1931-11-30","deceasedBoolean":true}"#)
                .unwrap();
        let b = Banner::new(&unknown_date, AllergyFlag::NoInformation, today());
        assert_eq!(b.deceased_label().unwrap(), "Deceased (date not known)");
        assert_eq!(b.age, None);
    }

    #[test]
    fn nothing_known() {
        let p: Patient = serde_json::from_str(r#"{"id":"p4"}"#).unwrap();
        let b = Banner::new(&p, AllergyFlag::NoInformation, today());
        assert_eq!(b.born_with_age(), "Not known");
    }
}
