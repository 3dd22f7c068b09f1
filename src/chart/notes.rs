//! Notes: clinical documents (DocumentReference) and reports (DiagnosticReport) of any
//! category (laboratory, imaging, procedure, exam) with their text. Plain-text and (X)HTML
//! content is decoded and shown (`attachment`); other attachments (PDF, images) are
//! listed, never opened. A report shows its conclusion, its text, and its results with
//! their values under it (`results`). Text is returned raw; it is sanitized when displayed.

mod attachment;
mod results;

use serde::Serialize;

use super::codes::{label_or, labels, words};
use super::date::{show_date_time, sort_key};
use super::format::NOT_KNOWN;
use super::person::who;
use crate::fhir::model::{
    CodeableConcept, DiagnosticReport, DocumentReference, Narrative, non_empty,
};
use crate::fhir::record::PatientRecord;
use crate::text::html_to_text;
use attachment::contents;

pub use results::ReportResult;

/// Where a note came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteSource {
    Document,
    Report,
}

/// An attachment that is not shown inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentInfo {
    pub title: String,
    pub content_type: String,
    /// Where to fetch it, when given by URL.
    pub url: Option<String>,
}

/// One note or report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteRow {
    pub id: Option<String>,
    pub source: NoteSource,
    pub title: String,
    pub date: String,
    pub date_iso: Option<String>,
    pub author: String,
    /// `Final`, `Preliminary`, `Current`, `Amended`...
    pub status: String,
    /// The text, plain, with line breaks; `None` when there is none to show.
    pub text: Option<String>,
    /// Attachments not shown inline.
    pub attachments: Vec<AttachmentInfo>,
    /// A report's kind (`Radiology`, `Laboratory`, `Cardiology`), from its category.
    pub category: Option<String>,
    /// A report's results with their values (also in `text`, under `Results:`).
    pub results: Vec<ReportResult>,
    /// `Type/id` of the resources shown: the note, and a report's result Observations.
    pub ids: Vec<String>,
}

/// The notes of a record, newest first.
pub fn notes(record: &PatientRecord) -> Vec<NoteRow> {
    let documents = record
        .documents
        .iter()
        .filter(|d| d.status.as_deref() != Some("entered-in-error"))
        .map(|d| document(record, d));
    let reports = record
        .reports
        .iter()
        .filter(|r| !matches!(r.status.as_deref(), Some("entered-in-error" | "cancelled")))
        .map(|r| report(record, r));
    let mut rows: Vec<NoteRow> = documents.chain(reports).collect();
    rows.sort_by(|a, b| {
        sort_key(b.date_iso.as_deref())
            .cmp(&sort_key(a.date_iso.as_deref()))
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// A clinical document: its text attachments (else its description, else its narrative).
fn document(record: &PatientRecord, d: &DocumentReference) -> NoteRow {
    let (text, attachments) = contents(
        record,
        d.content.iter().filter_map(|c| c.attachment.as_ref()),
    );
    let mut texts: Vec<String> = text.into_iter().collect();
    if texts.is_empty() {
        texts.extend(
            d.description
                .as_deref()
                .and_then(|s| non_empty(Some(s)))
                .map(str::to_owned),
        );
    }
    if texts.is_empty() {
        texts.extend(narrative(d.text.as_ref()));
    }
    let status = d.doc_status.as_deref().or(d.status.as_deref());
    NoteRow {
        id: d.id.clone(),
        source: NoteSource::Document,
        title: d
            .type_
            .as_ref()
            .and_then(|t| t.label())
            .or_else(|| non_empty(d.description.as_deref()))
            .map(|s| s.trim().to_owned())
            .or_else(|| labels(&d.category))
            .unwrap_or_else(|| "Document".to_owned()),
        date: show_date_time(d.date.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        date_iso: d.date.clone(),
        author: d
            .author
            .iter()
            .find_map(|a| who(record, Some(a)))
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        status: status.map(words).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        text: join_texts(texts),
        attachments,
        category: category(&d.category),
        results: Vec::new(),
        ids: d
            .id
            .iter()
            .map(|id| format!("DocumentReference/{id}"))
            .collect(),
    }
}

/// A report: its conclusion and text attachments (else its narrative), then its results
/// with their values.
fn report(record: &PatientRecord, r: &DiagnosticReport) -> NoteRow {
    let mut texts = Vec::new();
    if let Some(c) = non_empty(r.conclusion.as_deref()) {
        texts.push(format!("Conclusion: {}", c.trim()));
    } else if let Some(c) = labels(&r.conclusion_code) {
        texts.push(format!("Conclusion: {c}"));
    }
    let (text, attachments) = contents(record, &r.presented_form);
    texts.extend(text);
    if texts.is_empty() {
        texts.extend(narrative(r.text.as_ref()));
    }
    let results = results::report_results(record, r);
    texts.extend(results::results_text(&results));
    let date_iso = r
        .effective_date_time
        .clone()
        .or_else(|| r.effective_period.as_ref().and_then(|p| p.start.clone()))
        .or_else(|| r.issued.clone());
    let ids =
        r.id.iter()
            .map(|id| format!("DiagnosticReport/{id}"))
            .chain(
                results
                    .iter()
                    .filter(|x| x.value.is_some())
                    .filter_map(|x| x.id.clone()),
            )
            .fold(Vec::new(), |mut all: Vec<String>, id| {
                if !all.contains(&id) {
                    all.push(id);
                }
                all
            });
    NoteRow {
        id: r.id.clone(),
        source: NoteSource::Report,
        title: label_or(r.code.as_ref(), "Report"),
        date: show_date_time(date_iso.as_deref()).unwrap_or_else(|| NOT_KNOWN.to_owned()),
        date_iso,
        author: r
            .performer
            .iter()
            .find_map(|a| who(record, Some(a)))
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        status: r
            .status
            .as_deref()
            .map(words)
            .unwrap_or_else(|| NOT_KNOWN.to_owned()),
        text: join_texts(texts),
        attachments,
        category: category(&r.category),
        results,
        ids,
    }
}

/// A note's kind, each name once: a report filed under a LOINC and a v2 code says
/// "Radiology" twice.
fn category(cs: &[CodeableConcept]) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for label in cs.iter().filter_map(|c| c.label()).map(str::trim) {
        if !names.contains(&label) {
            names.push(label);
        }
    }
    (!names.is_empty()).then(|| names.join(", "))
}

fn join_texts(texts: Vec<String>) -> Option<String> {
    let texts: Vec<String> = texts.into_iter().filter(|t| !t.trim().is_empty()).collect();
    (!texts.is_empty()).then(|| texts.join("\n\n"))
}

fn narrative(n: Option<&Narrative>) -> Option<String> {
    let n = n?;
    if n.status.as_deref() == Some("empty") {
        return None;
    }
    let text = html_to_text(n.div.as_deref()?);
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::record::RecordBuilder;
    use base64::Engine as _;
    use serde_json::json;

    #[test]
    fn text_html_and_pdf_attachments() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        let s = json!({"reference":"Patient/p"});
        b.add(json!({"resourceType":"DocumentReference","id":"d1","status":"current","docStatus":"final",
            "subject":s,"date":"2026-10-20T10:00:00-05:00","type":{"text":"Progress note"},
            "author":[{"display":"Dr. Okafor"}],
            "content":[{"attachment":{"contentType":"text/plain; charset=utf-8","data":b64("Line 1\nCaf\u{e9}\n")}}]}));
        b.add(json!({"resourceType":"DocumentReference","id":"d2","status":"current","subject":s,
            "date":"2026-01-01","type":{"text":"Discharge summary"},
            "content":[{"attachment":{"contentType":"text/html","data":b64("<p>Home &amp; well</p><ul><li>Rest</li></ul>")}},
                       {"attachment":{"contentType":"application/pdf","url":"Binary/1","title":"Scan"}}]}));
        b.add(json!({"resourceType":"DiagnosticReport","id":"r1","status":"final","subject":s,
            "code":{"text":"Basic metabolic panel"},"effectiveDateTime":"2025-05-05",
            "result":[{"reference":"Observation/o1","display":"Sodium"},{"reference":"Observation/o2"}]}));
        let rows = notes(&b.finish());
        assert_eq!(rows[0].title, "Progress note");
        assert_eq!(rows[0].text.as_deref(), Some("Line 1\nCaf\u{e9}\n"));
        assert_eq!(rows[0].status, "Final");
        assert_eq!(rows[1].text.as_deref(), Some("Home & well\n• Rest"));
        assert_eq!(rows[1].attachments[0].title, "Scan");
        assert_eq!(rows[1].author, "Not known");
        assert_eq!(
            rows[2].text.as_deref(),
            Some("Results:\n  Sodium: (result not loaded)\n  Result: (result not loaded)")
        );
        assert_eq!(rows[2].ids, ["DiagnosticReport/r1"]);
    }

    #[test]
    fn reports_show_their_results_and_any_category_and_xhtml() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        let s = json!({"reference":"Patient/p"});
        b.add(json!({"resourceType":"Observation","id":"na","status":"final","subject":s,
            "code":{"text":"Sodium"},"valueQuantity":{"value":128,"unit":"mmol/L"},
            "referenceRange":[{"low":{"value":136,"unit":"mmol/L"},"high":{"value":145,"unit":"mmol/L"}}]}));
        b.add(
            json!({"resourceType":"Observation","id":"bp","status":"final","subject":s,
            "code":{"text":"BP"},"component":[
                {"code":{"text":"Systolic"},"valueQuantity":{"value":150,"unit":"mmHg"},
                 "interpretation":[{"coding":[{"code":"H"}]}]},
                {"code":{"text":"Diastolic"},"valueQuantity":{"value":80,"unit":"mmHg"}}]}),
        );
        b.add(
            json!({"resourceType":"Observation","id":"gone","status":"entered-in-error",
            "subject":s,"code":{"text":"Potassium"},"valueQuantity":{"value":9,"unit":"mmol/L"}}),
        );
        b.add(json!({"resourceType":"DiagnosticReport","id":"lab","status":"final","subject":s,
            "code":{"text":"Panel"},"conclusion":"Low sodium",
            "result":[{"reference":"Observation/na"},{"reference":"Observation/bp"},
                      {"reference":"Observation/gone"},{"reference":"Observation/x","display":"Impression"}]}));
        b.add(
            json!({"resourceType":"DiagnosticReport","id":"xr","status":"final","subject":s,
            "category":[{"coding":[{"code":"LP29684-5"}],"text":"Radiology"}],
            "code":{"text":"Portable XR Chest"},"effectiveDateTime":"2019-02-03",
            "presentedForm":[{"contentType":"application/xhtml",
                "data":b64("<html><body><p>No acute abnormality.</p></body></html>")}]}),
        );
        let rows = notes(&b.finish());
        let lab = rows.iter().find(|r| r.title == "Panel").unwrap();
        assert_eq!(
            lab.text.as_deref(),
            Some(
                "Conclusion: Low sodium\n\nResults:\n  Sodium: 128 mmol/L L (ref 136-145)\n  \
                 BP: Systolic: 150 mmHg H\n  BP: Diastolic: 80 mmHg\n  Impression: (result not loaded)"
            )
        );
        assert_eq!(
            lab.ids,
            ["DiagnosticReport/lab", "Observation/na", "Observation/bp"]
        );
        assert_eq!(lab.results[0].flag, "L");
        let xr = rows
            .iter()
            .find(|r| r.title == "Portable XR Chest")
            .unwrap();
        assert_eq!(xr.text.as_deref(), Some("No acute abnormality."));
        assert_eq!(xr.category.as_deref(), Some("Radiology"));
        assert!(xr.attachments.is_empty());
    }
}
