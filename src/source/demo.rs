//! The built-in demo: synthetic patients embedded in the binary (Synthea patients and
//! hand-made ones covering reference ranges, flags, contained and included Medications,
//! notes, NKA, a deceased patient and a look-alike). No network, no files needed.

use super::local::{Input, LocalSource};
use super::{SourceError, SourceInfo, SourceKind};

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

/// The demo data source.
pub fn demo_source() -> Result<LocalSource, SourceError> {
    let inputs: Vec<Input<'_>> = DEMO_BUNDLES
        .iter()
        .map(|(name, text)| Input {
            name: (*name).to_owned(),
            text,
        })
        .collect();
    LocalSource::from_inputs(
        SourceInfo {
            kind: SourceKind::Demo,
            label: "built-in demo patients (synthetic)".into(),
            tls_unverified: false,
        },
        &inputs,
        false,
    )
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
}
