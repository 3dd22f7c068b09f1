//! FHIR data on disk as a data source: a file, or the `*.json` and `*.ndjson` files in a
//! folder (transaction, batch, collection, searchset or document Bundles, single resources,
//! Bulk Data NDJSON exports). Each resource is known by where it came from (`store.rs`),
//! so two exports that both call their patient `Patient/1` never make one chart; what
//! cannot be read is said (`warnings`), never passed over; only regular files are read,
//! each up to a size limit (`ROUNDS_OPEN_MAX_MB`, 64 by default).
//!
//! It owns reading and indexing; the records it builds go through the same `RecordBuilder`
//! as a server's, so a chart is assembled exactly as from a server.

mod index;
mod read;
mod store;

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde_json::Value;

use super::matching::matches;
use super::{DataSource, SearchResults, SourceCapabilities, SourceError, SourceInfo, SourceKind};
use crate::fhir::model::Patient;
use crate::fhir::query::found_by_postings_search;
use crate::fhir::record::resource_type;
use crate::fhir::{PatientQuery, PatientRecord, RecordBuilder, Section};
use crate::text::clean_line;
use index::{Patients, add_shared, resolved};
use read::{Kind, Refusal, read_file, read_json};
use store::Store;

/// The largest file read when `ROUNDS_OPEN_MAX_MB` does not say: a big export of one
/// patient is a few megabytes; a file of gigabytes is a mistake or an attack.
pub const DEFAULT_MAX_FILE_MB: u64 = 64;

/// The most bytes read from one file: `ROUNDS_OPEN_MAX_MB` megabytes, else 64.
pub fn max_file_bytes() -> u64 {
    std::env::var("ROUNDS_OPEN_MAX_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_MAX_FILE_MB)
        .saturating_mul(1024 * 1024)
}

/// Patients and their resources, read from files.
#[derive(Debug)]
pub struct LocalSource {
    info: SourceInfo,
    store: Store,
    patients: Patients,
    files: usize,
    skipped: usize,
    warnings: Vec<String>,
}

/// One input file: its name (for messages) and its JSON text.
pub struct Input<'a> {
    pub name: String,
    pub text: &'a str,
}

/// What has been read so far, before it is indexed.
struct Reading {
    store: Store,
    files: usize,
    /// Files left out, with why (for the messages).
    skipped: Vec<String>,
    warnings: Vec<String>,
}

impl LocalSource {
    /// Read a file, or every `*.json` and `*.ndjson` file directly inside a folder.
    pub fn open(path: &Path) -> Result<LocalSource, SourceError> {
        let shown = path.display().to_string();
        let err = |problem: String| SourceError::Local {
            path: clean_line(&shown),
            problem,
        };
        let meta =
            std::fs::metadata(path).map_err(|e| err(crate::files::ReadError::Io(e).problem()))?;
        let folder = meta.is_dir();
        let files: Vec<PathBuf> = if folder {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| err(crate::files::ReadError::Io(e).problem()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| Kind::of(p).is_some())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(err("the folder has no .json, .ndjson or .xml files".into()));
            }
            files
        } else {
            vec![path.to_path_buf()]
        };
        let mut reading = Reading {
            store: Store::default(),
            files: 0,
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        let limit = max_file_bytes();
        let export = reading.store.scope(format!("export:{shown}"));
        for f in &files {
            let name = f.display().to_string();
            let kind = Kind::of(f).unwrap_or(Kind::Json);
            let export = folder.then_some(export);
            let read = read_file(&mut reading.store, f, &name, kind, export, limit);
            match read {
                Ok(lines) => {
                    reading.files += 1;
                    reading.warnings.extend(lines);
                }
                Err(Refusal::Unreadable(problem)) if folder => {
                    reading.skipped.push(format!("'{name}': {problem}"));
                }
                Err(Refusal::Unreadable(problem) | Refusal::Conflict(problem)) => {
                    return Err(SourceError::Local {
                        path: clean_line(&name),
                        problem,
                    });
                }
            }
        }
        LocalSource::indexed(
            SourceInfo {
                kind: SourceKind::Files,
                label: shown,
                tls_unverified: false,
            },
            reading,
        )
    }

    /// Read JSON texts (the demo's, a test's). With `skip_non_fhir`, inputs that are not
    /// FHIR are left out with a warning (a folder may hold other JSON); otherwise any such
    /// input is an error.
    pub fn from_inputs(
        info: SourceInfo,
        inputs: &[Input<'_>],
        skip_non_fhir: bool,
    ) -> Result<LocalSource, SourceError> {
        let mut reading = Reading {
            store: Store::default(),
            files: 0,
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        for input in inputs {
            let file = reading.store.add_file(&input.name);
            let text = input.text.strip_prefix('\u{feff}').unwrap_or(input.text);
            match read_json(&mut reading.store, file, text) {
                Ok(()) => reading.files += 1,
                Err(Refusal::Unreadable(problem)) if skip_non_fhir => {
                    reading.skipped.push(format!("'{}': {problem}", input.name));
                }
                Err(Refusal::Unreadable(problem) | Refusal::Conflict(problem)) => {
                    return Err(SourceError::Local {
                        path: clean_line(&input.name),
                        problem,
                    });
                }
            }
        }
        LocalSource::indexed(info, reading)
    }

    fn indexed(info: SourceInfo, reading: Reading) -> Result<LocalSource, SourceError> {
        let Reading {
            store,
            files,
            skipped,
            mut warnings,
        } = reading;
        let (patients, orphans) = Patients::index(&store).map_err(|same| SourceError::Local {
            path: clean_line(&store.files[same.second].name),
            problem: format!(
                "Patient '{}' is also in '{}', from another source (another server, or a file \
                 that gives no server address): they may be different people, and rounds will \
                 not put them in one chart; open the files one at a time",
                same.id,
                clean_line(&store.files[same.first].name)
            ),
        })?;
        let mut all: Vec<String> = skipped
            .iter()
            .map(|s| format!("{s}; the file was left out"))
            .collect();
        all.append(&mut warnings);
        all.extend(store.differing_warnings());
        all.extend(orphans);
        if patients.by_id.is_empty() {
            let mut problem = "no Patient resources were found in it".to_owned();
            if !skipped.is_empty() {
                problem.push_str(&format!(
                    "; {} file(s) could not be read: {}",
                    skipped.len(),
                    skipped.join("; ")
                ));
            }
            return Err(SourceError::Local {
                path: clean_line(&info.label),
                problem,
            });
        }
        Ok(LocalSource {
            info,
            files,
            skipped: skipped.len(),
            warnings: all.iter().map(|w| clean_line(w)).collect(),
            store,
            patients,
        })
    }

    /// How many patients are loaded.
    pub fn patient_count(&self) -> usize {
        self.patients.by_id.len()
    }
}

/// The section a resource belongs to, if any.
fn section_of(r: &Value) -> Option<Section> {
    Some(match resource_type(r) {
        "AllergyIntolerance" => Section::Allergies,
        "Condition" => Section::Problems,
        "MedicationRequest" => Section::Medications,
        "MedicationStatement" => Section::MedicationStatements,
        "Flag" => Section::Postings,
        "Procedure" | "Device" => Section::Procedures,
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
            patients: self.patients.by_id.len(),
            resources: self.store.held.len(),
            files: self.files,
        })
    }

    async fn search(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError> {
        if query.is_empty() && !query.all {
            return Err(SourceError::Invalid(
                "give at least one search term (name, birth date or identifier)".into(),
            ));
        }
        let mut out = SearchResults::default();
        let mut found: Vec<Patient> = Vec::new();
        for entry in self.patients.by_id.values() {
            match &entry.decoded {
                Some(p) if matches(p, query) => found.push(p.clone()),
                Some(_) => {}
                None => out.unreadable += 1,
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
        let entry = self
            .patients
            .by_id
            .get(patient_id)
            .ok_or_else(|| SourceError::NotFound {
                what: format!("Patient '{patient_id}'"),
                source_label: self.info.label.clone(),
            })?;
        let unreadable = |problem: String| SourceError::Local {
            path: self.info.label.clone(),
            problem,
        };
        let (patient, mut targets) = resolved(&self.store, entry.held)
            .ok_or_else(|| unreadable("the Patient resource could not be read".into()))?;
        let mut builder = RecordBuilder::new(patient).map_err(|e| unreadable(e.to_string()))?;
        for &i in &entry.resources {
            let Some((value, to)) = resolved(&self.store, i) else {
                continue;
            };
            if section_of(&value).is_some_and(|s| sections.contains(&s))
                || (sections.contains(&Section::Postings) && found_by_postings_search(&value))
            {
                builder.add(value);
                targets.extend(to);
            }
        }
        let binaries = add_shared(&self.store, &mut builder, targets);
        for s in sections {
            builder.mark_loaded(*s);
        }
        let mut record = builder.finish();
        record.binaries.extend(binaries);
        Ok(record)
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn skipped_files(&self) -> usize {
        self.skipped
    }
}

#[cfg(test)]
mod tests;
