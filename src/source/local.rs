//! FHIR Bundles on disk (a file or a folder of transaction, batch, collection, searchset or
//! document Bundles, or single resources) held in memory as a data source. References
//! between entries written as `urn:uuid:` full URLs or absolute URLs are rewritten to
//! `Type/id` on load, so records are assembled exactly as from a server.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde_json::Value;

use super::bundle_read::{read_input, rewrite_references};
use super::matching::matches;
use super::{DataSource, SearchResults, SourceCapabilities, SourceError, SourceInfo, SourceKind};
use crate::fhir::model::Patient;
use crate::fhir::record::{owner_of, resource_type};
use crate::fhir::{PatientQuery, PatientRecord, RecordBuilder, Section};

/// Patients and their resources, loaded from Bundles.
#[derive(Debug, Clone)]
pub struct LocalSource {
    info: SourceInfo,
    patients: Vec<Value>,
    /// Compartment resources by owning `Patient/id`.
    by_patient: HashMap<String, Vec<Value>>,
    /// Medications, Practitioners and Organizations (shared by records).
    shared: Vec<Value>,
    resources: usize,
    files: usize,
}

/// One input file: its name (for messages) and its JSON text.
pub struct Input<'a> {
    pub name: String,
    pub text: &'a str,
}

impl LocalSource {
    /// Load a file, or every `*.json` file directly inside a folder.
    pub fn open(path: &Path) -> Result<LocalSource, SourceError> {
        let shown = path.display().to_string();
        let err = |problem: String| SourceError::Local {
            path: shown.clone(),
            problem,
        };
        let meta = std::fs::metadata(path).map_err(|e| err(io_problem(&e)))?;
        let files: Vec<PathBuf> = if meta.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| err(io_problem(&e)))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                })
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(err("the folder has no .json files".into()));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut texts = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).map_err(|e| SourceError::Local {
                path: f.display().to_string(),
                problem: io_problem(&e),
            })?;
            texts.push((f.display().to_string(), text));
        }
        let inputs: Vec<Input<'_>> = texts
            .iter()
            .map(|(name, text)| Input {
                name: name.clone(),
                text,
            })
            .collect();
        LocalSource::from_inputs(
            SourceInfo {
                kind: SourceKind::Files,
                label: shown.clone(),
                tls_unverified: false,
            },
            &inputs,
            meta.is_dir(),
        )
    }

    /// Load from JSON texts. With `skip_non_fhir`, inputs that are not FHIR are skipped (a
    /// folder may hold other JSON); otherwise any such input is an error.
    pub fn from_inputs(
        info: SourceInfo,
        inputs: &[Input<'_>],
        skip_non_fhir: bool,
    ) -> Result<LocalSource, SourceError> {
        let mut resources: Vec<Value> = Vec::new();
        let mut aliases: HashMap<String, String> = HashMap::new();
        let mut files = 0;
        for input in inputs {
            match read_input(input, &mut resources, &mut aliases) {
                Ok(()) => files += 1,
                Err(problem) if !skip_non_fhir => {
                    return Err(SourceError::Local {
                        path: input.name.clone(),
                        problem,
                    });
                }
                Err(_) => {}
            }
        }
        let mut source = LocalSource {
            info,
            patients: Vec::new(),
            by_patient: HashMap::new(),
            shared: Vec::new(),
            resources: 0,
            files,
        };
        for mut r in resources {
            rewrite_references(&mut r, &aliases);
            source.resources += 1;
            match resource_type(&r) {
                "Patient" => source.patients.push(r),
                "Medication" | "Practitioner" | "Organization" => source.shared.push(r),
                _ => {
                    let owner = owner_of(&r);
                    if let Some(owner) = owner.filter(|o| o.starts_with("Patient/")) {
                        source.by_patient.entry(owner).or_default().push(r);
                    }
                }
            }
        }
        if source.patients.is_empty() {
            return Err(SourceError::Local {
                path: source.info.label.clone(),
                problem: "no Patient resources were found in it".into(),
            });
        }
        Ok(source)
    }

    /// How many patients are loaded.
    pub fn patient_count(&self) -> usize {
        self.patients.len()
    }
}

fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot be read ({e})"),
    }
}

/// The section a resource belongs to, if any.
fn section_of(r: &Value) -> Option<Section> {
    Some(match resource_type(r) {
        "AllergyIntolerance" => Section::Allergies,
        "Condition" => Section::Problems,
        "MedicationRequest" => Section::Medications,
        "Encounter" => Section::Encounters,
        "Immunization" => Section::Immunizations,
        "DocumentReference" | "DiagnosticReport" => Section::Notes,
        // Placed as the chart places it (category, else LOINC code and value); one that
        // cannot be decoded goes with labs, so the record reports it.
        "Observation" => serde_json::from_value(r.clone())
            .map_or(Section::Labs, |o| crate::chart::observation_section(&o)),
        // An IPS document's Composition says which sections are empty and why: read with
        // the allergies, which every chart loads (the banner needs them).
        "Composition" => Section::Allergies,
        _ => return None,
    })
}

#[async_trait]
impl DataSource for LocalSource {
    fn info(&self) -> SourceInfo {
        self.info.clone()
    }

    async fn capabilities(&self) -> Result<SourceCapabilities, SourceError> {
        Ok(SourceCapabilities::Local {
            label: self.info.label.clone(),
            patients: self.patients.len(),
            resources: self.resources,
            files: self.files,
        })
    }

    async fn search(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError> {
        if query.is_empty() {
            return Err(SourceError::Invalid(
                "give at least one search term (name, birth date or identifier)".into(),
            ));
        }
        let mut out = SearchResults::default();
        let mut found: Vec<Patient> = Vec::new();
        for raw in &self.patients {
            match serde_json::from_value::<Patient>(raw.clone()) {
                Ok(p) if matches(&p, query) => found.push(p),
                Ok(_) => {}
                Err(_) => out.unreadable += 1,
            }
        }
        found.sort_by_key(|p| crate::chart::patient_name(p).unwrap_or_default());
        out.total = Some(found.len() as u64);
        out.more = found.len() > limit;
        found.truncate(limit);
        out.patients = found;
        Ok(out)
    }

    async fn record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, SourceError> {
        let patient = self
            .patients
            .iter()
            .find(|p| p.get("id").and_then(Value::as_str) == Some(patient_id))
            .ok_or_else(|| SourceError::NotFound {
                what: format!("Patient '{patient_id}'"),
                source_label: self.info.label.clone(),
            })?;
        let mut builder = RecordBuilder::new(patient.clone()).map_err(|e| SourceError::Local {
            path: self.info.label.clone(),
            problem: e.to_string(),
        })?;
        let key = builder.patient_key().to_owned();
        if sections.contains(&Section::Medications)
            || sections.contains(&Section::Encounters)
            || sections.contains(&Section::Notes)
        {
            for r in &self.shared {
                builder.add(r.clone());
            }
        }
        for r in self.by_patient.get(&key).into_iter().flatten() {
            if section_of(r).is_some_and(|s| sections.contains(&s)) {
                builder.add(r.clone());
            }
        }
        for s in sections {
            builder.mark_loaded(*s);
        }
        Ok(builder.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> SourceInfo {
        SourceInfo {
            kind: SourceKind::Files,
            label: "test".into(),
            tls_unverified: false,
        }
    }

    #[tokio::test]
    async fn urn_uuid_references_resolve_through_full_urls() {
        let text = r#"{"resourceType":"Bundle","type":"collection","entry":[
            {"fullUrl":"urn:uuid:aaaa","resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Lastday"}]}},
            {"fullUrl":"urn:uuid:bbbb","resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:aaaa"},"code":{"text":"Gout"}}},
            {"fullUrl":"https://ehr.example/fhir/Observation/o1","resource":{"resourceType":"Observation","id":"o1",
              "category":[{"coding":[{"code":"laboratory"}]}],
              "subject":{"reference":"https://ehr.example/fhir/Patient/p1"},"code":{"text":"Na"}}}]}"#;
        let src = LocalSource::from_inputs(
            info(),
            &[Input {
                name: "a.json".into(),
                text,
            }],
            false,
        )
        .unwrap();
        let rec = src.record("p1", &Section::ALL).await.unwrap();
        assert_eq!(rec.conditions.len(), 1);
        assert_eq!(rec.conditions[0].id.as_deref(), Some("bbbb"));
        assert_eq!(rec.observations.len(), 1);
        let labs_only = src.record("p1", &[Section::Labs]).await.unwrap();
        assert!(labs_only.conditions.is_empty());
        assert!(matches!(
            src.record("nope", &[]).await,
            Err(SourceError::NotFound { .. })
        ));
    }

    #[test]
    fn non_fhir_input_is_a_clear_error() {
        let bad = |text: &str| {
            LocalSource::from_inputs(
                info(),
                &[Input {
                    name: "x.json".into(),
                    text,
                }],
                false,
            )
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            bad(r#"{"hello":"world"}"#),
            "'x.json': not a FHIR resource (it has no resourceType)"
        );
        assert!(
            bad(r#"{"resourceType":"Bundle","entry":["#).starts_with("'x.json': not valid JSON")
        );
        assert_eq!(
            bad(r#"{"resourceType":"Bundle","entry":[]}"#),
            "'test': no Patient resources were found in it"
        );
    }
}
