//! `PatientRecord`: the decoded resources of one patient, whichever source they came from.
//!
//! Both the remote client and the local Bundle reader build it with a `RecordBuilder`
//! (`record_builder.rs`). It does no I/O.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::model::{
    AllergyIntolerance, Condition, Device, DiagnosticReport, DocumentReference, Encounter, Flag,
    Immunization, Medication, MedicationRequest, MedicationStatement, Observation, Organization,
    Patient, Practitioner, Procedure, Reference,
};
use super::query::Section;
pub use super::record_builder::{
    RecordBuilder, RecordError, fnv1a, owner_of, owner_reference, resource_type,
};

/// Everything rounds loaded for one patient.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PatientRecord {
    pub patient: Patient,
    pub allergies: Vec<AllergyIntolerance>,
    pub conditions: Vec<Condition>,
    pub medication_requests: Vec<MedicationRequest>,
    pub medication_statements: Vec<MedicationStatement>,
    /// Medications by `Medication/id`, from `_include` or a separate read.
    pub medications: BTreeMap<String, Medication>,
    pub observations: Vec<Observation>,
    pub encounters: Vec<Encounter>,
    pub immunizations: Vec<Immunization>,
    pub reports: Vec<DiagnosticReport>,
    pub documents: Vec<DocumentReference>,
    pub procedures: Vec<Procedure>,
    pub devices: Vec<Device>,
    pub flags: Vec<Flag>,
    /// Practitioners by `Practitioner/id` (prescribers, encounter participants).
    pub practitioners: BTreeMap<String, Practitioner>,
    /// Organizations by `Organization/id`.
    pub organizations: BTreeMap<String, Organization>,
    /// The sections that were asked for and answered (possibly with no entries).
    pub loaded: BTreeSet<Section>,
    /// Sections that were asked for and failed, with a message for the user.
    pub failed: BTreeMap<Section, String>,
    /// Sections cut short because they had more entries than rounds fetched.
    pub truncated: BTreeSet<Section>,
    /// Sections still being fetched: not at all yet, or (when also in `loaded`) their
    /// older entries, after the first screen.
    pub pending: BTreeSet<Section>,
    /// Things the user should know about: unreadable or misattributed resources.
    pub problems: Vec<RecordProblem>,
    /// Every chart-relevant resource held, by `Type/id`, with why it is not to be shown when
    /// its own status says so ("entered in error", "refuted", "cancelled"). The chart checks
    /// that each one is shown or named as not shown.
    pub held: BTreeMap<String, Option<&'static str>>,
    /// Sections an IPS document (`Composition`) says are empty, and why.
    pub empty_sections: Vec<EmptySection>,
    /// The content of notes given by URL (`attachment.url` = `Binary/id` on this server),
    /// by the URL as the note wrote it, fetched with the notes (`binaries.rs`).
    pub binaries: BTreeMap<String, super::binaries::BinaryContent>,
    /// When the record came from an offline copy kept on this device (`offline`), when
    /// that copy was fetched: every screen and output then says so.
    pub offline_as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// A section of a patient summary document left empty on purpose (`section.emptyReason`):
/// not the same as "none recorded".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmptySection {
    /// The section's LOINC code (`48765-2` allergies, `11450-4` problems, `10160-0` medications).
    pub code: Option<String>,
    pub title: Option<String>,
    /// The reason in words (`Unavailable`, `No information`).
    pub reason: String,
}

/// Something wrong with the data, shown with the chart rather than hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    pub section: Option<Section>,
    pub message: String,
}

impl PatientRecord {
    /// The patient's server id.
    pub fn patient_id(&self) -> &str {
        self.patient.id.as_deref().unwrap_or("")
    }

    /// Whether `section` was loaded without error.
    pub fn has(&self, section: Section) -> bool {
        self.loaded.contains(&section) && !self.failed.contains_key(&section)
    }

    /// Add what a later load brought (the rest of a chart): resources not already held,
    /// and the sections it loaded, failed or cut short. Sections it completed are no
    /// longer pending. Both records must be of the same patient.
    pub fn merge(&mut self, other: PatientRecord) {
        if other.patient.id != self.patient.id {
            return;
        }
        fn extend<T>(into: &mut Vec<T>, from: Vec<T>, id: impl Fn(&T) -> Option<&String>) {
            let known: std::collections::HashSet<String> =
                into.iter().filter_map(|x| id(x).cloned()).collect();
            into.extend(
                from.into_iter()
                    .filter(|x| id(x).is_none_or(|i| !known.contains(i))),
            );
        }
        extend(&mut self.allergies, other.allergies, |x| x.id.as_ref());
        extend(&mut self.conditions, other.conditions, |x| x.id.as_ref());
        extend(
            &mut self.medication_requests,
            other.medication_requests,
            |x| x.id.as_ref(),
        );
        extend(&mut self.observations, other.observations, |x| {
            x.id.as_ref()
        });
        extend(&mut self.encounters, other.encounters, |x| x.id.as_ref());
        extend(&mut self.immunizations, other.immunizations, |x| {
            x.id.as_ref()
        });
        extend(&mut self.reports, other.reports, |x| x.id.as_ref());
        extend(&mut self.documents, other.documents, |x| x.id.as_ref());
        extend(
            &mut self.medication_statements,
            other.medication_statements,
            |x| x.id.as_ref(),
        );
        extend(&mut self.procedures, other.procedures, |x| x.id.as_ref());
        extend(&mut self.devices, other.devices, |x| x.id.as_ref());
        extend(&mut self.flags, other.flags, |x| x.id.as_ref());
        self.medications.extend(other.medications);
        self.practitioners.extend(other.practitioners);
        self.organizations.extend(other.organizations);
        self.binaries.extend(other.binaries);
        for s in &other.loaded {
            self.pending.remove(s);
            if !other.failed.contains_key(s) {
                // Loaded whole now: an earlier partial load's failure no longer holds.
                self.failed.remove(s);
            }
        }
        self.loaded.extend(other.loaded);
        self.failed.extend(other.failed);
        self.truncated.extend(other.truncated);
        self.pending.extend(other.pending);
        self.problems.extend(other.problems);
        self.held.extend(other.held);
        for e in other.empty_sections {
            if !self.empty_sections.contains(&e) {
                self.empty_sections.push(e);
            }
        }
    }

    /// The contained or referenced Medication of a request, resolved from the request's
    /// `contained` list (`#id`) or from the medications loaded with the record.
    pub fn medication_for(&self, request: &MedicationRequest) -> Option<Medication> {
        self.medication_in(request.medication_reference.as_ref(), &request.contained)
    }

    /// The Medication of a statement, resolved as for a request.
    pub fn statement_medication(&self, statement: &MedicationStatement) -> Option<Medication> {
        self.medication_in(
            statement.medication_reference.as_ref(),
            &statement.contained,
        )
    }

    /// The Medication `reference` names: in `contained` (`#id`), or loaded with the record.
    fn medication_in(
        &self,
        reference: Option<&Reference>,
        contained: &[Value],
    ) -> Option<Medication> {
        let reference = reference?;
        if let Some(local) = reference.contained_id() {
            return contained
                .iter()
                .find(|c| {
                    c.get("resourceType").and_then(Value::as_str) == Some("Medication")
                        && c.get("id").and_then(Value::as_str) == Some(local)
                })
                .and_then(|c| serde_json::from_value(c.clone()).ok());
        }
        self.medications.get(&reference.local_key()?).cloned()
    }

    /// `Medication/id` keys that requests and statements point at but the record does
    /// not hold.
    pub fn missing_medications(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .medication_requests
            .iter()
            .filter_map(|r| r.medication_reference.as_ref())
            .chain(
                self.medication_statements
                    .iter()
                    .filter_map(|s| s.medication_reference.as_ref()),
            )
            .filter(|r| r.contained_id().is_none())
            .filter_map(|r| r.local_key())
            .filter(|k| k.starts_with("Medication/") && !self.medications.contains_key(k))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
