//! A list row's glance at the patient: the allergy flag (`Allergies: yes (2, high
//! criticality)`, `NKA`, `Not known`) and the latest vital signs with their units and
//! date (`05-Dec-2026 09:10 BP 142/88 mmHg H · HR 78/min`), built from a record that holds
//! only those two sections. The record comes from the source's one batch for the visible
//! rows (`fhir/client/glance.rs`), whose builder already dropped another patient's
//! resources; the glance carries the patient id it was built for, and the screen shows it
//! only on that patient's row. A section that failed says so: never blank, never "none".
//! Pure: no I/O.

use chrono::NaiveDate;
use serde::Serialize;

use crate::chart::format::NOT_KNOWN;
use crate::chart::{AllergyFlag, Chart, ChartOptions, Part};
use crate::fhir::PatientRecord;
use crate::text::{clean_line, truncate_to};

/// Most patients in one batch (the visible rows of a list on a large terminal).
pub const MAX_BATCH: usize = 24;

/// Longest allergy or vitals text kept (characters).
const MAX_TEXT: usize = 120;

/// What the allergy flag says, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AllergyMark {
    /// Allergies are recorded.
    Yes,
    /// A "no known allergy" statement is recorded.
    None,
    /// Nothing is recorded: not known (which is not "none").
    NotKnown,
    /// The allergy list could not be loaded.
    Failed,
}

/// One patient's glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Glance {
    /// The patient it was built for (`Patient/ID`'s id).
    pub patient_id: String,
    /// `Allergies: yes (2, high criticality)`, `Allergies: NKA`,
    /// `Allergies: Not known`, or why they could not be loaded.
    pub allergies: String,
    pub mark: AllergyMark,
    /// `05-Dec-2026 09:10 BP 142/88 mmHg H · HR 78/min`, `Vitals: Not known`, or why
    /// they could not be loaded.
    pub vitals: String,
    /// Whether a latest vital sign is flagged abnormal.
    pub vitals_abnormal: bool,
    /// Whether the vital signs could not be loaded.
    pub vitals_failed: bool,
}

impl Glance {
    /// The glance of a patient whose record could not be loaded at all.
    pub fn failed(patient_id: &str, why: &str) -> Glance {
        let why = truncate_to(&clean_line(why), 60);
        Glance {
            patient_id: patient_id.to_owned(),
            allergies: format!("Allergies and vitals could not be loaded: {why}"),
            mark: AllergyMark::Failed,
            vitals: String::new(),
            vitals_abnormal: false,
            vitals_failed: true,
        }
    }

    /// The glance of `record` (allergies and vital signs loaded, or failed).
    pub fn build(record: &PatientRecord, today: NaiveDate) -> Glance {
        let chart = Chart::build_with(record, today, &ChartOptions::default());
        let patient_id = record.patient.id.clone().unwrap_or_default();
        let (allergies, mark) = allergy_words(&chart.banner.allergies);
        let (vitals, vitals_abnormal, vitals_failed) = match &chart.vitals {
            Part::Loaded { data, .. } => {
                let (text, abnormal) = vitals_words(&data.latest);
                (text, abnormal, false)
            }
            Part::Failed { message } => (
                format!(
                    "Vitals could not be loaded: {}",
                    truncate_to(&clean_line(message), 60)
                ),
                false,
                true,
            ),
            Part::Loading | Part::NotLoaded => ("Vitals not fetched".to_owned(), false, false),
        };
        Glance {
            patient_id,
            allergies: truncate_to(&allergies, MAX_TEXT),
            mark,
            vitals: truncate_to(&vitals, MAX_TEXT),
            vitals_abnormal,
            vitals_failed,
        }
    }

    /// The glance as one line: allergies, then vitals.
    pub fn line(&self) -> String {
        if self.vitals.is_empty() {
            self.allergies.clone()
        } else {
            format!("{} · {}", self.allergies, self.vitals)
        }
    }
}

fn allergy_words(flag: &AllergyFlag) -> (String, AllergyMark) {
    match flag {
        AllergyFlag::Allergies {
            count,
            highest_criticality,
            ..
        } => {
            let crit = match highest_criticality.as_deref() {
                Some("high") => ", high criticality",
                Some("low") => ", low criticality",
                _ => "",
            };
            // The count and the criticality: the substances are the chart's (a glance
            // line has no room for them and the vitals both).
            (format!("Allergies: yes ({count}{crit})"), AllergyMark::Yes)
        }
        AllergyFlag::NoKnownAllergies { label, .. } => (
            format!("Allergies: {}", clean_line(label)),
            AllergyMark::None,
        ),
        AllergyFlag::NoInformation { .. } => {
            (format!("Allergies: {NOT_KNOWN}"), AllergyMark::NotKnown)
        }
        AllergyFlag::NotLoaded { message: Some(m) } => (
            format!(
                "Allergies could not be loaded: {}",
                truncate_to(&clean_line(m), 60)
            ),
            AllergyMark::Failed,
        ),
        AllergyFlag::NotLoaded { message: None } => {
            ("Allergies not fetched".to_owned(), AllergyMark::Failed)
        }
    }
}

/// The date of the newest reading, then the latest reading of each kind (at most five, in
/// the usual order); a reading taken on another day carries its own date.
fn vitals_words(latest: &[crate::chart::VitalReading]) -> (String, bool) {
    if latest.is_empty() {
        return (format!("Vitals: {NOT_KNOWN}"), false);
    }
    let newest = latest
        .iter()
        .max_by_key(|r| crate::chart::date::sort_key(r.date_iso.as_deref()));
    let newest_day = newest.and_then(|r| r.date.get(..11)).unwrap_or_default();
    // The date first: a line cut at the screen's edge loses readings, never the date.
    let mut parts = vec![match newest {
        Some(n) if !n.date.is_empty() => clean_line(&n.date),
        _ => format!("Vitals (date {NOT_KNOWN}):"),
    }];
    let mut abnormal = false;
    for r in latest.iter().take(5) {
        let mut s = format!("{} {}", clean_line(&r.label), clean_line(&r.value_text));
        if !r.flag_symbol.is_empty() {
            abnormal = true;
            s.push(' ');
            s.push_str(&r.flag_symbol);
        }
        let day = r.date.get(..11).unwrap_or_default();
        if day != newest_day && !day.is_empty() {
            s.push_str(&format!(" ({day})"));
        }
        parts.push(s);
    }
    let head = parts.remove(0);
    (format!("{head} {}", parts.join(" · ")), abnormal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(allergies: Vec<serde_json::Value>, obs: Vec<serde_json::Value>) -> PatientRecord {
        let mut b =
            crate::fhir::record::RecordBuilder::new(json!({"resourceType": "Patient", "id": "p1"}))
                .unwrap();
        for r in allergies.into_iter().chain(obs) {
            b.add(r);
        }
        b.mark_loaded(crate::fhir::Section::Allergies);
        b.mark_loaded(crate::fhir::Section::Vitals);
        b.finish()
    }

    fn hr(value: f64, when: &str, patient: &str) -> serde_json::Value {
        json!({"resourceType": "Observation", "id": format!("hr-{when}"), "status": "final",
               "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
               "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
               "subject": {"reference": format!("Patient/{patient}")},
               "effectiveDateTime": when,
               "valueQuantity": {"value": value, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"}})
    }

    #[test]
    fn nothing_recorded_is_not_known_never_none() {
        let g = Glance::build(&record(vec![], vec![]), NaiveDate::MIN);
        assert_eq!(g.allergies, "Allergies: Not known");
        assert_eq!(g.mark, AllergyMark::NotKnown);
        assert_eq!(g.vitals, "Vitals: Not known");
    }

    #[test]
    fn the_latest_heart_rate_with_unit_no_trailing_zeros_and_a_full_date() {
        let obs = vec![
            hr(80.0, "2026-12-04T09:10:00Z", "p1"),
            hr(72.50, "2026-12-05T09:10:00Z", "p1"),
            // Another patient's reading is dropped by the builder, never shown here.
            hr(150.0, "2026-12-05T10:00:00Z", "p2"),
        ];
        let g = Glance::build(&record(vec![], obs), NaiveDate::MIN);
        assert!(
            g.vitals.starts_with("05-Dec-2026 09:10 HR 72.5/min"),
            "{}",
            g.vitals
        );
        assert!(g.vitals.contains("05-Dec-2026"), "{}", g.vitals);
        assert!(!g.vitals.contains("150"), "{}", g.vitals);
        assert_eq!(g.patient_id, "p1");
    }

    #[test]
    fn nka_and_failures_are_said() {
        let nka = json!({"resourceType": "AllergyIntolerance", "id": "a1",
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "verificationStatus": {"coding": [{"code": "confirmed"}]},
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "716186003"}]},
            "patient": {"reference": "Patient/p1"}});
        let g = Glance::build(&record(vec![nka], vec![]), NaiveDate::MIN);
        assert_eq!(g.allergies, "Allergies: NKA");
        assert_eq!(g.mark, AllergyMark::None);
        let f = Glance::failed("p1", "timed out");
        assert!(f.line().contains("could not be loaded: timed out"));
        assert_eq!(f.mark, AllergyMark::Failed);
    }
}
