//! Fetching the content of notes given by URL (`Binary/id` on this server; which ones, and
//! how they are read, is `fhir::binaries`). Each is a `GET [base]/Binary/id` asking for FHIR
//! JSON (a `Binary` with base64 `data`, which every server answers, where asking for the raw
//! MIME type is refused by some), all at once; one that fails leaves its note saying its
//! attachment is not shown, and the record says how many could not be loaded.

use tokio::task::JoinSet;

use super::FhirClient;
use crate::fhir::Section;
use crate::fhir::binaries::{read_binary, wanted};
use crate::fhir::record::{PatientRecord, RecordProblem};

impl FhirClient {
    /// Fetch the Binaries the record's notes point at and keep them in `record.binaries`.
    pub(crate) async fn resolve_binaries(&self, record: &mut PatientRecord) {
        let want = wanted(record, self.base_url());
        if want.is_empty() {
            return;
        }
        let mut set = JoinSet::new();
        for (url, key) in want {
            let client = self.clone();
            set.spawn(async move {
                let id = key.trim_start_matches("Binary/").to_owned();
                let got = client.read("Binary", &id).await;
                (url, got)
            });
        }
        let mut failed = Vec::new();
        while let Some(joined) = set.join_next().await {
            let Ok((url, got)) = joined else { continue };
            match got.map(|v| read_binary(&v)) {
                Ok(Some(content)) => {
                    record.binaries.insert(url, content);
                }
                Ok(None) => failed.push("not a Binary".to_owned()),
                Err(e) => failed.push(e.to_string()),
            }
        }
        if let Some(first) = failed.first() {
            record.problems.push(RecordProblem {
                section: Some(Section::Notes),
                message: format!(
                    "The text of {} note(s) kept on the server as a Binary could not be \
                     loaded ({first}): those notes say their attachment is not shown",
                    failed.len()
                ),
            });
        }
    }
}
