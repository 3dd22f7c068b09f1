//! Nothing silently dropped: the last pass of `Chart::build`. Every chart-relevant resource
//! the record holds (`PatientRecord::held`) must be named by some row, posting or section
//! statement of the chart (`ids`); one that is not is listed in `Chart::not_shown` with
//! why. A resource whose own status withdraws it (entered in error, refuted, cancelled) is
//! left out on purpose and listed quietly; any other gets a warning line.
//!
//! A section takes part by reporting the ids of its rows (`Sourced`) in `shown`: a new
//! section adds one line there, nothing else.

use std::collections::HashSet;

use serde::Serialize;

use super::obs::{Place, place};
use super::{Chart, Part};
use crate::fhir::PatientRecord;

/// A resource of the record that the chart does not show, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotShown {
    /// `Type/id`.
    pub resource: String,
    /// `entered in error`, `refuted`, `cancelled`, or why nothing shows it.
    pub reason: String,
}

/// The reason given for a resource no section shows (and not withdrawn on purpose).
pub const NOT_PLACED: &str = "no section of the chart shows it";

/// A row that names the resources it was built from (`Type/id`).
pub trait Sourced {
    fn source_ids(&self) -> Vec<&str>;
}

macro_rules! sourced_by_ids {
    ($($ty:ty),*) => {$(
        impl Sourced for $ty {
            fn source_ids(&self) -> Vec<&str> {
                self.ids.iter().map(String::as_str).collect()
            }
        }
    )*};
}

sourced_by_ids!(
    super::AllergyRow,
    super::ProblemRow,
    super::LabResult,
    super::VitalReading,
    super::EncounterRow,
    super::ImmunizationRow,
    super::postings::Posting,
    super::absent::Statement,
    super::MedRow,
    super::NoteRow,
    super::procedures::ProcedureRow,
    super::procedures::DeviceRow,
    super::flags::FlagRow,
    super::NoMedications
);

/// The ids every part of the chart names.
fn shown(chart: &Chart) -> HashSet<String> {
    let mut s = Shown::default();
    s.rows(chart.allergies.data().into_iter().flatten());
    s.names(chart.banner.allergies.ids());
    if let Some(p) = chart.problems.data() {
        s.rows(&p.active);
        s.rows(&p.resolved);
        s.rows(&p.encounter_diagnoses);
        s.rows(&p.statement);
    }
    if let Some(l) = chart.labs.data() {
        s.rows(&l.results);
        s.rows(&l.other);
    }
    s.rows(chart.vitals.data().into_iter().flat_map(|v| &v.readings));
    s.rows(chart.encounters.data().into_iter().flatten());
    s.rows(chart.immunizations.data().into_iter().flatten());
    s.rows(&chart.postings);
    s.rows(chart.medications.data().into_iter().flatten());
    s.rows(&chart.no_medications);
    s.rows(chart.notes.data().into_iter().flatten());
    if let Some(p) = chart.procedures.data() {
        s.rows(&p.procedures);
        s.rows(&p.devices);
    }
    s.rows(chart.flags.data().into_iter().flatten());
    s.0
}

#[derive(Default)]
struct Shown(HashSet<String>);

impl Shown {
    fn rows<'a, R: Sourced + 'a>(&mut self, rows: impl IntoIterator<Item = &'a R>) {
        for r in rows {
            self.0.extend(r.source_ids().into_iter().map(str::to_owned));
        }
    }

    fn names(&mut self, ids: &[String]) {
        self.0.extend(ids.iter().cloned());
    }
}

/// Whether the part of the chart a resource type is shown in was loaded (in whole or in
/// its first pages): resources of a section still loading, failed or not asked for are
/// not for this pass to report (the section says what happened to it). A type with no
/// section of its own (postings) is always checked.
fn section_loaded(chart: &Chart, record: &PatientRecord, key: &str) -> bool {
    fn loaded<T>(p: &Part<T>) -> bool {
        matches!(p, Part::Loaded { .. })
    }
    let (resource_type, id) = key.split_once('/').unwrap_or((key, ""));
    match resource_type {
        // Placed as the chart places it: lab results and other results, or vital signs.
        "Observation" => match record
            .observations
            .iter()
            .find(|o| o.id.as_deref() == Some(id))
            .map(|o| place(o).0)
        {
            Some(Place::Vital) => loaded(&chart.vitals),
            Some(_) => loaded(&chart.labs),
            None => true,
        },
        "AllergyIntolerance" => loaded(&chart.allergies),
        "Condition" => loaded(&chart.problems),
        "MedicationRequest" | "MedicationStatement" => loaded(&chart.medications),
        "Encounter" => loaded(&chart.encounters),
        "Immunization" => loaded(&chart.immunizations),
        "DiagnosticReport" | "DocumentReference" => loaded(&chart.notes),
        "Procedure" | "Device" => loaded(&chart.procedures),
        "Flag" => loaded(&chart.flags),
        _ => true,
    }
}

/// The resources of `record` that `chart` does not show, in `Type/id` order, and the
/// warning lines for those not left out on purpose.
pub fn account(chart: &Chart, record: &PatientRecord) -> (Vec<NotShown>, Vec<String>) {
    let shown = shown(chart);
    let not_shown: Vec<NotShown> = record
        .held
        .iter()
        .filter(|(key, _)| !shown.contains(*key))
        .filter(|(key, _)| section_loaded(chart, record, key))
        .map(|(key, withdrawn)| NotShown {
            resource: key.clone(),
            reason: withdrawn.unwrap_or(NOT_PLACED).to_owned(),
        })
        .collect();
    let unplaced: Vec<&str> = not_shown
        .iter()
        .filter(|n| n.reason == NOT_PLACED)
        .map(|n| n.resource.as_str())
        .collect();
    let warnings = match unplaced.len() {
        0 => vec![],
        n => {
            let listed: Vec<&str> = unplaced.iter().take(3).copied().collect();
            let more = if n > 3 {
                format!(" and {} more", n - 3)
            } else {
                String::new()
            };
            let what = if n == 1 {
                "resource is"
            } else {
                "resources are"
            };
            vec![format!(
                "{n} {what} in the record but not on this chart: {}{more} (check in the EHR)",
                listed.join(", ")
            )]
        }
    };
    (not_shown, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::postings::{Posting, PostingKind};
    use crate::fhir::Section;
    use crate::fhir::record::RecordBuilder;
    use serde_json::json;

    #[test]
    fn what_no_part_shows_is_named_and_warned_of_and_postings_count() {
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        b.add(
            json!({"resourceType":"Immunization","id":"i1","status":"completed",
            "patient":{"reference":"Patient/p"},"vaccineCode":{"text":"Flu"}}),
        );
        b.mark_loaded(Section::Immunizations);
        b.mark_loaded(Section::Postings);
        let mut record = b.finish();
        // Flags the record holds but no row shows (here: held without their resources).
        record.held.insert("Flag/f1".into(), None);
        record.held.insert("Flag/f2".into(), None);
        let mut chart = Chart::build(&record, chrono::NaiveDate::MIN);
        assert_eq!(
            chart.not_shown,
            [
                NotShown {
                    resource: "Flag/f1".into(),
                    reason: NOT_PLACED.into()
                },
                NotShown {
                    resource: "Flag/f2".into(),
                    reason: NOT_PLACED.into()
                }
            ]
        );
        assert_eq!(
            chart.warnings,
            [
                "2 resources are in the record but not on this chart: Flag/f1, Flag/f2 (check in \
              the EHR)"
            ]
        );
        // A posting that names it accounts for it.
        chart.postings.push(Posting {
            kind: PostingKind::Flag {
                high_priority: true,
            },
            text: "Immunocompromised".into(),
            ids: vec!["Flag/f1".into()],
            detail: None,
        });
        let (not_shown, _) = account(&chart, &record);
        assert_eq!(not_shown.len(), 1);
        assert_eq!(not_shown[0].resource, "Flag/f2");
    }
}
