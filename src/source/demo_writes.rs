//! Writes to the demo: kept in memory for the session, shown on the chart at once (laid
//! over the built-in patients' records), gone at exit. Nothing is kept on disk.

use std::sync::Mutex;

use serde_json::{Value, json};

use super::write::Submitted;
use crate::fhir::model::{AllergyIntolerance, DocumentReference, Observation};
use crate::fhir::{PatientRecord, Section, WriteAnswer, WriteOp};
use crate::outbox::{Item, Outcome, State};

/// What was written to the demo in this session.
#[derive(Debug, Default)]
pub struct DemoWrites {
    written: Mutex<Vec<(String, Value)>>,
}

impl DemoWrites {
    /// Apply `item` at once (a draft is refused: the demo keeps nothing to come back to).
    pub fn apply(&self, mut item: Item) -> Result<Submitted, String> {
        if item.state == State::Draft {
            return Err("the demo keeps no drafts: sign and send it, or discard it".into());
        }
        let mut written = self
            .written
            .lock()
            .map_err(|_| "the demo's memory failed".to_owned())?;
        for w in &mut item.writes {
            let (id, status, mut resource) = match &w.op {
                WriteOp::Create { resource, .. } => (
                    format!("demo-{}", crate::fhir::write::new_uuid()),
                    201,
                    resource.clone(),
                ),
                WriteOp::Update { id, resource, .. } => (id.clone(), 200, resource.clone()),
                WriteOp::Patch { .. } => return Err("the demo does not take patches".into()),
            };
            resource["id"] = json!(id);
            resource["meta"] = json!({"versionId": "1"});
            written.retain(|(_, r)| r["id"] != resource["id"]);
            written.push((item.patient_id.clone(), resource));
            w.answer = Some(WriteAnswer {
                status,
                id: Some(id),
                version: Some("1".into()),
            });
        }
        item.state = State::Sent;
        Ok(Submitted {
            item,
            outcome: Some(Outcome {
                state: State::Sent,
                failure: None,
            }),
            kept: false,
        })
    }

    /// Every resource of `resource_type` written in this session (the schedule's
    /// appointments checked in).
    pub fn written(&self, resource_type: &str) -> Vec<Value> {
        self.written
            .lock()
            .map(|w| {
                w.iter()
                    .filter(|(_, r)| r["resourceType"] == resource_type)
                    .map(|(_, r)| r.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Lay what was written for the record's patient over it (in the sections it holds).
    pub fn overlay(&self, record: &mut PatientRecord) {
        let Ok(written) = self.written.lock() else {
            return;
        };
        let patient = record.patient_id().to_owned();
        for (_, r) in written.iter().filter(|(p, _)| *p == patient) {
            match r["resourceType"].as_str() {
                Some("DocumentReference") if record.loaded.contains(&Section::Notes) => {
                    put(&mut record.documents, r, |d: &DocumentReference| {
                        d.id.clone()
                    });
                }
                Some("Observation") if record.loaded.contains(&Section::Vitals) => {
                    put(&mut record.observations, r, |o: &Observation| o.id.clone());
                }
                Some("AllergyIntolerance") if record.loaded.contains(&Section::Allergies) => {
                    put(&mut record.allergies, r, |a: &AllergyIntolerance| {
                        a.id.clone()
                    });
                }
                _ => {}
            }
        }
    }
}

/// Put `value` in `list`, replacing the resource with its id.
fn put<T: serde::de::DeserializeOwned>(
    list: &mut Vec<T>,
    value: &Value,
    id: impl Fn(&T) -> Option<String>,
) {
    let Ok(item) = serde_json::from_value::<T>(value.clone()) else {
        return;
    };
    let new_id = id(&item);
    list.retain(|x| new_id.is_none() || id(x) != new_id);
    list.push(item);
}
