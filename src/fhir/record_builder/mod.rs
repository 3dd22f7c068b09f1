//! `RecordBuilder`: raw resources in, a `PatientRecord` out. It decodes each resource by
//! type, keeps only those that belong to the patient (never another patient's data under
//! this banner), leaves out resources with modifier extensions it does not understand,
//! removes duplicates, and counts everything it could not use so the chart can say so.
//! No I/O.

use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::model::{OperationOutcome, Patient, parse_reference, relative_reference};
use super::query::Section;
use super::record::{PatientRecord, RecordProblem};

mod status;

use status::withdrawn;

/// The patient-compartment resource types a chart is made of.
const CHART_TYPES: [&str; 12] = [
    "AllergyIntolerance",
    "Condition",
    "MedicationRequest",
    "MedicationStatement",
    "Observation",
    "Encounter",
    "Immunization",
    "DiagnosticReport",
    "DocumentReference",
    "Procedure",
    "Device",
    "Flag",
];

/// Decodes raw resources into a `PatientRecord`, checking each belongs to the patient.
#[derive(Debug)]
pub struct RecordBuilder {
    record: PatientRecord,
    patient_key: String,
    /// The server base references may name the patient by (`None`: any, for files whose
    /// references the file reader has already resolved).
    base: Option<String>,
    /// `Type/id` of every resource kept, with a digest of its content.
    seen: HashMap<String, u64>,
    /// Resources that came again with other content, by type (the first copy is kept).
    twice: BTreeMap<String, usize>,
    /// How many resources were offered (`add`), kept or not: for budgets.
    offered: usize,
    unreadable: BTreeMap<String, (usize, String)>,
    foreign: BTreeMap<String, usize>,
    modified: BTreeMap<String, usize>,
}

/// Why a Patient resource could not start a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("expected a Patient but got a resource of type '{found}'")]
    NotAPatient { found: String },
    #[error("the Patient resource could not be read: {detail}")]
    Unreadable { detail: String },
    #[error("the Patient resource has no id")]
    NoId,
}

impl RecordBuilder {
    /// Start a record from a raw Patient resource.
    pub fn new(patient: Value) -> Result<Self, RecordError> {
        let ty = resource_type(&patient);
        if ty != "Patient" {
            return Err(RecordError::NotAPatient {
                found: if ty.is_empty() {
                    "none".into()
                } else {
                    ty.to_owned()
                },
            });
        }
        let patient: Patient =
            decode(patient).map_err(|detail| RecordError::Unreadable { detail })?;
        let id = patient
            .id
            .clone()
            .filter(|id| !id.trim().is_empty())
            .ok_or(RecordError::NoId)?;
        Ok(RecordBuilder {
            record: PatientRecord {
                patient,
                ..PatientRecord::default()
            },
            patient_key: format!("Patient/{id}"),
            base: None,
            seen: HashMap::new(),
            twice: BTreeMap::new(),
            offered: 0,
            unreadable: BTreeMap::new(),
            foreign: BTreeMap::new(),
            modified: BTreeMap::new(),
        })
    }

    /// Accept absolute references to the patient only on `base` (the server's base URL): a
    /// resource naming `https://other.example/fhir/Patient/ID` is another server's patient.
    pub fn with_base(mut self, base: &str) -> Self {
        self.base = Some(base.trim_end_matches('/').to_owned());
        self
    }

    /// How many resources have been offered so far, kept or not.
    pub fn offered(&self) -> usize {
        self.offered
    }

    /// The patient's `Patient/id`.
    pub fn patient_key(&self) -> &str {
        &self.patient_key
    }

    /// Record that `section` was fetched (even if it had no entries).
    pub fn mark_loaded(&mut self, section: Section) {
        self.record.loaded.insert(section);
    }

    /// Record that `section` failed to load, with a message for the user.
    pub fn mark_failed(&mut self, section: Section, message: String) {
        self.record.loaded.insert(section);
        self.record.failed.insert(section, message);
    }

    /// Record that `section` has older entries still to be fetched.
    pub fn mark_pending(&mut self, section: Section) {
        self.record.pending.insert(section);
    }

    /// The Patient resource as JSON (to start another builder for the same patient).
    pub fn patient_json(&self) -> Value {
        let mut v = serde_json::to_value(&self.record.patient).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            map.insert("resourceType".into(), Value::String("Patient".into()));
        }
        v
    }

    /// Record that `section` had more entries than were fetched.
    pub fn mark_truncated(&mut self, section: Section) {
        self.record.truncated.insert(section);
    }

    /// Add a problem to show with the chart.
    pub fn problem(&mut self, section: Option<Section>, message: String) {
        self.record
            .problems
            .push(RecordProblem { section, message });
    }

    /// Add one raw resource. Resources of types the chart does not use are ignored;
    /// patient-compartment resources whose subject is another patient are dropped and counted.
    pub fn add(&mut self, resource: Value) {
        self.offered += 1;
        let ty = resource_type(&resource).to_owned();
        let key = resource
            .get("id")
            .and_then(Value::as_str)
            .map(|id| format!("{ty}/{id}"));
        match ty.as_str() {
            "Medication" | "Practitioner" | "Organization" => {
                let Some(key) = key else { return };
                match ty.as_str() {
                    "Medication" => self.keyed(resource, key, |r| &mut r.medications),
                    "Practitioner" => self.keyed(resource, key, |r| &mut r.practitioners),
                    _ => self.keyed(resource, key, |r| &mut r.organizations),
                }
            }
            "OperationOutcome" => {
                if let Ok(outcome) = serde_json::from_value::<OperationOutcome>(resource) {
                    let text = outcome.summary();
                    if !text.is_empty() {
                        self.problem(None, format!("The server noted: {text}"));
                    }
                }
            }
            "Composition" if owner_of(&resource).as_deref() == Some(&self.patient_key) => {
                self.record
                    .empty_sections
                    .extend(status::empty_sections(&resource));
            }
            t if CHART_TYPES.contains(&t) => {
                if let Some(k) = &key {
                    if let Some(digest) = self.seen.get(k) {
                        // The same resource again (pages that overlap) is dropped; one whose
                        // content differs is dropped too, but said.
                        if *digest != content_digest(&resource) {
                            *self.twice.entry(ty).or_default() += 1;
                        }
                        return;
                    }
                }
                if !self.owns(&resource) {
                    *self.foreign.entry(ty).or_default() += 1;
                    return;
                }
                // A modifier extension changes what the resource means (FHIR: a reader that
                // does not understand it must not show the resource as if it were not there).
                if has_modifier_extension(&resource) {
                    *self.modified.entry(ty).or_default() += 1;
                    return;
                }
                let digest = content_digest(&resource);
                let withdrawn = withdrawn(&resource);
                let ok = match ty.as_str() {
                    "AllergyIntolerance" => self.push(resource, &ty, |r| &mut r.allergies),
                    "Condition" => self.push(resource, &ty, |r| &mut r.conditions),
                    "MedicationRequest" => self.push(resource, &ty, |r| &mut r.medication_requests),
                    "Observation" => self.push(resource, &ty, |r| &mut r.observations),
                    "Encounter" => self.push(resource, &ty, |r| &mut r.encounters),
                    "Immunization" => self.push(resource, &ty, |r| &mut r.immunizations),
                    "DiagnosticReport" => self.push(resource, &ty, |r| &mut r.reports),
                    "MedicationStatement" => {
                        self.push(resource, &ty, |r| &mut r.medication_statements)
                    }
                    "Procedure" => self.push(resource, &ty, |r| &mut r.procedures),
                    "Device" => self.push(resource, &ty, |r| &mut r.devices),
                    "Flag" => self.push(resource, &ty, |r| &mut r.flags),
                    _ => self.push(resource, &ty, |r| &mut r.documents),
                };
                if let (true, Some(k)) = (ok, key) {
                    self.record.held.insert(k.clone(), withdrawn);
                    self.seen.insert(k, digest);
                }
            }
            _ => {}
        }
    }

    /// Whether the resource's subject (or patient) is this patient: a well-formed
    /// reference to `Patient/ID`, relative or on this server's base.
    fn owns(&self, resource: &Value) -> bool {
        let Some(reference) = owner_reference(resource) else {
            return false;
        };
        let Some(parts) = parse_reference(reference) else {
            return false;
        };
        let on_this_server = match (parts.base, &self.base) {
            (Some(theirs), Some(ours)) => theirs == ours,
            _ => true,
        };
        on_this_server && self.patient_key == format!("{}/{}", parts.ty, parts.id)
    }

    fn push<T: DeserializeOwned>(
        &mut self,
        resource: Value,
        ty: &str,
        list: impl FnOnce(&mut PatientRecord) -> &mut Vec<T>,
    ) -> bool {
        match decode::<T>(resource) {
            Ok(v) => {
                list(&mut self.record).push(v);
                true
            }
            Err(detail) => {
                let slot = self.unreadable.entry(ty.to_owned()).or_insert((0, detail));
                slot.0 += 1;
                false
            }
        }
    }

    fn keyed<T: DeserializeOwned>(
        &mut self,
        resource: Value,
        key: String,
        map: impl FnOnce(&mut PatientRecord) -> &mut BTreeMap<String, T>,
    ) {
        if let Ok(v) = decode::<T>(resource) {
            map(&mut self.record).insert(key, v);
        }
    }

    /// Finish: turn the tallies of unreadable and misattributed resources into problems.
    pub fn finish(mut self) -> PatientRecord {
        for (ty, (n, detail)) in std::mem::take(&mut self.unreadable) {
            let what = resources_were(n);
            self.problem(
                None,
                format!("{n} {ty} {what} unreadable and not shown ({detail})"),
            );
        }
        for (ty, n) in std::mem::take(&mut self.modified) {
            let (what, it) = if n == 1 {
                ("resource was", "it carries")
            } else {
                ("resources were", "they carry")
            };
            self.problem(
                None,
                format!(
                    "{n} {ty} {what} not shown: {it} a modifier extension rounds does not \
                     understand (check in the EHR)"
                ),
            );
        }
        for (ty, n) in std::mem::take(&mut self.twice) {
            let what = resources_were(n);
            self.problem(
                None,
                format!(
                    "{n} {ty} {what} sent twice with different content; the first copy is shown"
                ),
            );
        }
        for (ty, n) in std::mem::take(&mut self.foreign) {
            let what = resources_were(n);
            self.problem(
                None,
                format!("{n} {ty} {what} not for this patient and left out"),
            );
        }
        self.record
    }
}

/// The `Patient/id` a patient-compartment resource belongs to: its `patient` for
/// AllergyIntolerance, Immunization and Device, its `subject` for the rest (one rule for the
/// server and the file reader, so a resource naming two patients is filed the same way by both).
pub fn owner_of(resource: &Value) -> Option<String> {
    owner_reference(resource).and_then(relative_reference)
}

/// The reference text of a resource's owner field (`patient` or `subject`).
pub fn owner_reference(resource: &Value) -> Option<&str> {
    let field = if matches!(
        resource_type(resource),
        "AllergyIntolerance" | "Immunization" | "Device"
    ) {
        "patient"
    } else {
        "subject"
    };
    resource.get(field)?.get("reference")?.as_str()
}

/// A digest of a resource's content, to tell a repeat from a different resource under the
/// same id (FNV-1a over the JSON text: stable, and cheap next to decoding it).
fn content_digest(resource: &Value) -> u64 {
    fnv1a(&serde_json::to_vec(resource).unwrap_or_default())
}

/// FNV-1a of `bytes`: stable across runs and platforms, to tell contents apart.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether a non-empty `modifierExtension` appears anywhere in the resource.
fn has_modifier_extension(v: &Value) -> bool {
    match v {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == "modifierExtension" && v.as_array().is_some_and(|a| !a.is_empty()))
                || has_modifier_extension(v)
        }),
        Value::Array(items) => items.iter().any(has_modifier_extension),
        _ => false,
    }
}

/// The `resourceType` of a raw resource, or "" when it has none.
pub fn resource_type(resource: &Value) -> &str {
    resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Decode a resource, describing a failure by the JSON path of the bad element (never by
/// its value, which may be patient data).
fn decode<T: DeserializeOwned>(resource: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(resource).map_err(|e| {
        let path = e.path().to_string();
        if path.is_empty() || path == "." {
            "unexpected structure".to_owned()
        } else {
            format!("'{path}' has the wrong type")
        }
    })
}

/// "resource was" or "resources were", for a count of resources.
fn resources_were(n: usize) -> &'static str {
    if n == 1 {
        "resource was"
    } else {
        "resources were"
    }
}

#[cfg(test)]
mod tests;
