//! One patient's offline copy as plain data: the chart's resources as the record holds
//! them (written back to FHIR JSON from the decoded model), what was loaded, cut short or
//! failed, and the problems the server's answer had; read back into a `PatientRecord` by
//! the same `RecordBuilder` the server's answers go through (so the same checks apply:
//! another patient's resource is still dropped).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fhir::binaries::BinaryContent;
use crate::fhir::{EmptySection, PatientRecord, RecordBuilder, RecordProblem, Section};

/// Most resources one copy holds (the client's own bound on a record is higher; a copy
/// past this is refused rather than cut silently).
pub const MAX_RESOURCES: usize = 100_000;

/// A patient's record as kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeptRecord {
    pub patient: Value,
    pub resources: Vec<Value>,
    pub loaded: Vec<Section>,
    pub truncated: Vec<Section>,
    pub failed: Vec<(Section, String)>,
    pub problems: Vec<(Option<Section>, String)>,
    pub empty_sections: Vec<(Option<String>, Option<String>, String)>,
    /// Note contents by URL: (url, content type, data).
    pub binaries: Vec<(String, Option<String>, Option<String>)>,
}

/// The resource as FHIR JSON, with its type (the model does not carry it).
fn typed(ty: &str, value: &impl Serialize) -> Option<Value> {
    let mut v = serde_json::to_value(value).ok()?;
    if let Value::Object(map) = &mut v {
        map.insert("resourceType".into(), Value::String(ty.into()));
    }
    Some(v)
}

fn all<T: Serialize>(out: &mut Vec<Value>, ty: &str, list: &[T]) {
    out.extend(list.iter().filter_map(|r| typed(ty, r)));
}

impl KeptRecord {
    /// The record as kept (the sections still pending are not kept: they were not loaded).
    pub fn from_record(record: &PatientRecord) -> Option<KeptRecord> {
        let mut resources = Vec::new();
        all(&mut resources, "AllergyIntolerance", &record.allergies);
        all(&mut resources, "Condition", &record.conditions);
        all(
            &mut resources,
            "MedicationRequest",
            &record.medication_requests,
        );
        all(
            &mut resources,
            "MedicationStatement",
            &record.medication_statements,
        );
        all(&mut resources, "Observation", &record.observations);
        all(&mut resources, "Encounter", &record.encounters);
        all(&mut resources, "Immunization", &record.immunizations);
        all(&mut resources, "DiagnosticReport", &record.reports);
        all(&mut resources, "DocumentReference", &record.documents);
        all(&mut resources, "Procedure", &record.procedures);
        all(&mut resources, "Device", &record.devices);
        all(&mut resources, "Flag", &record.flags);
        resources.extend(
            record
                .medications
                .values()
                .filter_map(|m| typed("Medication", m)),
        );
        resources.extend(
            record
                .practitioners
                .values()
                .filter_map(|p| typed("Practitioner", p)),
        );
        resources.extend(
            record
                .organizations
                .values()
                .filter_map(|o| typed("Organization", o)),
        );
        Some(KeptRecord {
            patient: typed("Patient", &record.patient)?,
            resources,
            loaded: record
                .loaded
                .iter()
                .filter(|s| !record.pending.contains(s))
                .copied()
                .collect(),
            truncated: record.truncated.iter().copied().collect(),
            failed: record.failed.iter().map(|(s, m)| (*s, m.clone())).collect(),
            problems: record
                .problems
                .iter()
                .map(|p| (p.section, p.message.clone()))
                .collect(),
            empty_sections: record
                .empty_sections
                .iter()
                .map(|e| (e.code.clone(), e.title.clone(), e.reason.clone()))
                .collect(),
            binaries: record
                .binaries
                .iter()
                .map(|(u, b)| (u.clone(), b.content_type.clone(), b.data.clone()))
                .collect(),
        })
    }

    /// The record again, with the sections asked for that the copy does not hold (never
    /// loaded, or failed when it was made) marked failed as "not kept offline": never
    /// shown as if none were recorded.
    pub fn into_record(self, wanted: &[Section]) -> Option<PatientRecord> {
        if self.resources.len() > MAX_RESOURCES {
            return None;
        }
        let mut b = RecordBuilder::new(self.patient).ok()?;
        for r in self.resources {
            b.add(r);
        }
        for s in &self.loaded {
            b.mark_loaded(*s);
        }
        for s in self.truncated {
            b.mark_truncated(s);
        }
        // A section that failed when the copy was made is not kept: said so first (the
        // failure of then after it), never as if the server were failing now.
        for (s, m) in self.failed {
            b.mark_failed(s, format!("{NOT_KEPT} (when kept: {m})"));
        }
        for s in wanted {
            if !self.loaded.contains(s) {
                b.mark_failed(*s, NOT_KEPT.into());
            }
        }
        for (s, m) in self.problems {
            b.problem(s, m);
        }
        let mut record = b.finish();
        // Problems the first builder already reported are in `problems`: the second
        // builder's own tallies would say them twice.
        dedup_problems(&mut record.problems);
        record.empty_sections = self
            .empty_sections
            .into_iter()
            .map(|(code, title, reason)| EmptySection {
                code,
                title,
                reason,
            })
            .collect();
        record.binaries = self
            .binaries
            .into_iter()
            .map(|(u, content_type, data)| (u, BinaryContent { content_type, data }))
            .collect();
        Some(record)
    }
}

/// What a section not in the copy says.
pub const NOT_KEPT: &str = "not kept offline";

fn dedup_problems(problems: &mut Vec<RecordProblem>) {
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.section, p.message.clone())));
}
