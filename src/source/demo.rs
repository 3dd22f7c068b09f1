//! The built-in demo: synthetic patients embedded in the binary (Synthea patients and
//! hand-made ones covering reference ranges, flags, contained and included Medications,
//! notes, NKA, a deceased patient and a look-alike). No network, no files needed.
//!
//! Reading the Bundles (about 2.5 MB of JSON) takes a tenth of a second, so `DemoSource`
//! reads them on first use, on the worker, after the first frame is on screen.

use async_trait::async_trait;
use tokio::sync::OnceCell;

use super::demo_writes::DemoWrites;
use super::local::{Input, LocalSource};
use super::{
    DataSource, SearchResults, SourceCapabilities, SourceError, SourceInfo, SourceKind, Submitted,
    WriteMode, Writer,
};
use crate::fhir::client::Continuation;
use crate::fhir::{PatientQuery, PatientRecord, Section};
use crate::outbox::{Author, Item};

/// The embedded Bundles: (file name, JSON).
const DEMO_BUNDLES: [(&str, &str); 10] = [
    (
        "clinical/01-ada-testwell.json",
        include_str!("../../fixtures/clinical/01-ada-testwell.json"),
    ),
    (
        "clinical/02-ben-nkaman.json",
        include_str!("../../fixtures/clinical/02-ben-nkaman.json"),
    ),
    (
        "clinical/03-cora-lastday.json",
        include_str!("../../fixtures/clinical/03-cora-lastday.json"),
    ),
    (
        "clinical/04-dee-sparse.json",
        include_str!("../../fixtures/clinical/04-dee-sparse.json"),
    ),
    (
        "clinical/05-ada-testwell-lookalike.json",
        include_str!("../../fixtures/clinical/05-ada-testwell-lookalike.json"),
    ),
    (
        "synthea/01-kermit-trantow.json",
        include_str!("../../fixtures/synthea/01-kermit-trantow.json"),
    ),
    (
        "synthea/07-hernan-heredia.json",
        include_str!("../../fixtures/synthea/07-hernan-heredia.json"),
    ),
    (
        "synthea/11-mathilda-o-keefe.json",
        include_str!("../../fixtures/synthea/11-mathilda-o-keefe.json"),
    ),
    (
        "synthea/13-dennis-durgan.json",
        include_str!("../../fixtures/synthea/13-dennis-durgan.json"),
    ),
    (
        "synthea/14-kimiko-dooley.json",
        include_str!("../../fixtures/synthea/14-kimiko-dooley.json"),
    ),
];

fn demo_info() -> SourceInfo {
    SourceInfo {
        kind: SourceKind::Demo,
        label: "built-in demo patients (synthetic)".into(),
        tls_unverified: false,
    }
}

/// The demo data, read now.
pub fn demo_source() -> Result<LocalSource, SourceError> {
    let inputs: Vec<Input<'_>> = DEMO_BUNDLES
        .iter()
        .map(|(name, text)| Input {
            name: (*name).to_owned(),
            text,
        })
        .collect();
    LocalSource::from_inputs(demo_info(), &inputs, false)
}

/// The demo data source, read on first use (off the async threads) and kept.
#[derive(Debug, Default)]
pub struct DemoSource {
    built: OnceCell<LocalSource>,
    /// What was written in this session (memory only).
    writes: DemoWrites,
}

impl DemoSource {
    /// The source, with nothing read yet.
    pub fn new() -> DemoSource {
        DemoSource::default()
    }

    /// Whether the Bundles have been read.
    pub fn is_read(&self) -> bool {
        self.built.initialized()
    }

    async fn source(&self) -> Result<&LocalSource, SourceError> {
        self.built
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(demo_source)
                    .await
                    .map_err(|e| {
                        SourceError::Invalid(format!("the demo data could not be read: {e}"))
                    })?
            })
            .await
    }
}

#[async_trait]
impl DataSource for DemoSource {
    fn info(&self) -> SourceInfo {
        demo_info()
    }

    async fn capabilities(&self) -> Result<SourceCapabilities, SourceError> {
        self.source().await?.capabilities().await
    }

    async fn search(
        &self,
        query: &PatientQuery,
        limit: usize,
    ) -> Result<SearchResults, SourceError> {
        self.source().await?.search(query, limit).await
    }

    async fn record(
        &self,
        patient_id: &str,
        sections: &[Section],
    ) -> Result<PatientRecord, SourceError> {
        let mut record = self.source().await?.record(patient_id, sections).await?;
        self.writes.overlay(&mut record);
        Ok(record)
    }

    async fn first_screen(
        &self,
        patient_id: &str,
    ) -> Result<(PatientRecord, Option<Continuation>), SourceError> {
        let (mut record, rest) = self.source().await?.first_screen(patient_id).await?;
        self.writes.overlay(&mut record);
        Ok((record, rest))
    }

    async fn rest(&self, continuation: Continuation) -> Result<PatientRecord, SourceError> {
        let mut record = self.source().await?.rest(continuation).await?;
        self.writes.overlay(&mut record);
        Ok(record)
    }

    fn writer(&self) -> Writer {
        Writer {
            author: Author {
                profile: "demo".into(),
                fhir_user: Some("Practitioner/demo-clinician".into()),
            },
            mode: WriteMode::Memory,
        }
    }

    async fn submit(&self, item: Item) -> Result<Submitted, SourceError> {
        self.writes.apply(item).map_err(SourceError::Invalid)
    }

    async fn schedule(
        &self,
        request: &super::schedule::ScheduleRequest,
        _known: Option<&crate::fhir::client::Validators>,
    ) -> Result<super::schedule::ScheduleFetch, SourceError> {
        let written = self.writes.written("Appointment");
        let mut resources =
            super::schedule_demo::appointments(&request.zone, request.query.window.date, &written);
        let mut allergies = std::collections::HashMap::new();
        for id in super::schedule_demo::patient_ids(&resources) {
            let Ok(record) = self.record(&id, &[Section::Allergies]).await else {
                continue;
            };
            let chart = crate::chart::Chart::build_with(&record, request.today, &request.options);
            allergies.insert(id, chart.banner.allergies.summary());
            if let Ok(mut p) = serde_json::to_value(&record.patient) {
                p["resourceType"] = serde_json::json!("Patient");
                resources.push(p);
            }
        }
        let mut schedule = crate::frontdesk::schedule::Schedule::build(
            &request.query,
            &request.zone,
            &resources,
            request.today,
            &request.options,
        );
        for row in &mut schedule.rows {
            row.allergies = row
                .patient_id
                .as_ref()
                .and_then(|p| allergies.get(p).cloned());
        }
        Ok(super::schedule::ScheduleFetch::Fresh {
            schedule,
            validators: Default::default(),
            trimmed: false,
        })
    }

    /// The demo ward's census and the demo clinician's day (`lists_demo.rs`), with their
    /// patients included; other searches find nothing.
    async fn search_entries(
        &self,
        resource_type: &str,
        params: &[(String, String)],
        count: u32,
    ) -> Result<Vec<serde_json::Value>, SourceError> {
        let today = crate::frontdesk::day::ClinicZone::system().today();
        let mut entries = match resource_type {
            "Encounter" => super::lists_demo::census(params, today),
            "Appointment" => {
                super::lists_demo::appointments(params, &self.writes.written("Appointment"))
            }
            _ => Vec::new(),
        };
        entries.truncate(count as usize);
        for id in super::lists_demo::patient_ids(&entries) {
            let Ok(record) = self.record(&id, &[]).await else {
                continue;
            };
            if let Ok(mut p) = serde_json::to_value(&record.patient) {
                p["resourceType"] = serde_json::json!("Patient");
                entries.push(serde_json::json!({"search": {"mode": "include"}, "resource": p}));
            }
        }
        Ok(entries)
    }

    async fn appointment(&self, id: &str) -> Result<super::schedule::AppointmentRead, SourceError> {
        let zone = crate::frontdesk::day::ClinicZone::system();
        let written = self.writes.written("Appointment");
        let day = super::schedule_demo::appointments(&zone, zone.today(), &written);
        let appointment =
            day.into_iter()
                .find(|a| a["id"] == id)
                .ok_or_else(|| SourceError::NotFound {
                    what: format!("appointment '{}'", crate::text::clean_line(id)),
                    source_label: demo_info().label,
                })?;
        let patient = match crate::frontdesk::schedule::patient_of(&appointment) {
            Some(p) => self
                .record(&p, &[])
                .await
                .ok()
                .and_then(|r| serde_json::to_value(&r.patient).ok())
                .map(|mut p| {
                    p["resourceType"] = serde_json::json!("Patient");
                    p
                }),
            None => None,
        };
        Ok(super::schedule::AppointmentRead {
            version: appointment["meta"]["versionId"].as_str().map(str::to_owned),
            appointment,
            patient,
        })
    }

    async fn read_current(
        &self,
        resource_type: &str,
        id: &str,
    ) -> Result<(serde_json::Value, Option<String>), SourceError> {
        if resource_type == "Appointment" {
            let read = self.appointment(id).await?;
            return Ok((read.appointment, read.version));
        }
        Err(SourceError::NotFound {
            what: format!("{resource_type} '{}'", crate::text::clean_line(id)),
            source_label: demo_info().label,
        })
    }

    fn forget(&self) {
        if let Some(s) = self.built.get() {
            s.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::PatientQuery;
    use crate::source::DataSource;

    #[tokio::test]
    async fn demo_loads_every_patient_offline() {
        let demo = demo_source().unwrap();
        assert_eq!(demo.patient_count(), 10);
        let q = PatientQuery {
            name: Some("testwell".into()),
            ..PatientQuery::default()
        };
        let found = demo.search(&q, 10).await.unwrap();
        assert_eq!(found.patients.len(), 2);
    }

    /// Nothing is read until the first question; then the answers are the eager source's.
    #[tokio::test]
    async fn the_lazy_demo_reads_its_bundles_on_first_use() {
        let lazy = DemoSource::new();
        assert!(!lazy.is_read());
        assert_eq!(lazy.info(), demo_source().unwrap().info());
        assert!(!lazy.is_read(), "its description needs no data");
        let q = PatientQuery {
            name: Some("testwell".into()),
            ..PatientQuery::default()
        };
        let found = lazy.search(&q, 10).await.unwrap();
        assert!(lazy.is_read());
        assert_eq!(found, demo_source().unwrap().search(&q, 10).await.unwrap());
        let (record, _) = lazy.first_screen("rnd-ada-testwell").await.unwrap();
        assert_eq!(record.patient_id(), "rnd-ada-testwell");
        let eager = demo_source().unwrap();
        assert_eq!(
            lazy.capabilities().await.unwrap(),
            eager.capabilities().await.unwrap()
        );
    }
}
