//! The cover sheet: the one-screen summary a clinician reads first (after CPRS): active
//! problems, allergies, active medications, latest vitals, recent abnormal labs and recent
//! encounters, each cut to a few rows with a count of the rest.

use serde::Serialize;

use super::{AllergyRow, Chart, EncounterRow, LabResult, MedRow, ProblemRow, VitalReading};

/// How many recent abnormal labs and encounters the cover sheet lists.
const RECENT: usize = 5;

/// The cover sheet. `None` for a list means its section did not load.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverSheet {
    pub active_problems: Option<Vec<ProblemRow>>,
    /// "Problems not known" and the like, when the record says so (IPS).
    pub problems_statement: Option<String>,
    pub allergies: Option<Vec<AllergyRow>>,
    /// What the banner says of allergies (`Allergies not known`, `NKA`): what to say when
    /// no allergy is listed, never "none".
    pub allergy_summary: String,
    pub active_medications: Option<Vec<MedRow>>,
    /// What to say when no medication is listed because the record says there is no
    /// information (`Medications not known`) or none (`No known medications`).
    pub no_medications: Option<String>,
    pub latest_vitals: Option<Vec<VitalReading>>,
    /// Abnormal results: critical ones first, then newest first.
    pub recent_abnormal_labs: Option<Vec<LabResult>>,
    /// How many labs are abnormal in all (the list holds the newest few).
    pub abnormal_lab_count: usize,
    pub recent_encounters: Option<Vec<EncounterRow>>,
}

impl CoverSheet {
    /// Summarise a chart.
    pub fn from_chart(chart: &Chart) -> CoverSheet {
        // Critical results first, then the rest newest first: a panic value must never
        // fall off the cover sheet because newer, merely abnormal results pushed it out.
        let abnormal: Option<Vec<LabResult>> = chart.labs.data().map(|l| {
            let mut list: Vec<LabResult> = l
                .results
                .iter()
                .filter(|r| r.flag.is_some_and(|f| f.is_abnormal()))
                .cloned()
                .collect();
            list.sort_by_key(|r| !r.flag.is_some_and(|f| f.is_critical()));
            list
        });
        CoverSheet {
            active_problems: chart.problems.data().map(|p| p.active.clone()),
            problems_statement: chart
                .problems
                .data()
                .and_then(|p| p.statement.as_ref())
                .map(|s| s.text.clone()),
            allergies: chart
                .allergies
                .data()
                .map(|a| a.iter().filter(|r| r.active).cloned().collect()),
            active_medications: chart
                .medications
                .data()
                .map(|m| m.iter().filter(|r| r.current).cloned().collect()),
            no_medications: chart.no_medications.as_ref().map(|n| n.text.clone()),
            allergy_summary: chart.banner.allergies.summary(),
            latest_vitals: chart.vitals.data().map(|v| v.latest.clone()),
            abnormal_lab_count: abnormal.as_ref().map_or(0, Vec::len),
            recent_abnormal_labs: abnormal.map(|a| a.into_iter().take(RECENT).collect()),
            recent_encounters: chart
                .encounters
                .data()
                .map(|e| e.iter().take(RECENT).cloned().collect()),
        }
    }
}
