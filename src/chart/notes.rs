//! Notes: clinical documents (DocumentReference) and reports (DiagnosticReport) with their
//! text. Plain-text and HTML content is decoded and shown; other attachments (PDF, images)
//! are listed, never opened. Text is returned raw; it is sanitized when displayed.

use base64::Engine as _;
use serde::Serialize;

use super::codes::{label_or, labels, words};
use super::date::{show_date_time, sort_key};
use super::format::NOT_KNOWN;
use super::person::who;
use crate::fhir::model::{Attachment, DiagnosticReport, DocumentReference, Narrative, non_empty};
use crate::fhir::record::PatientRecord;
use crate::text::html_to_text;

/// Most bytes of one attachment decoded for display.
const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

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
    let mut texts = Vec::new();
    let mut attachments = Vec::new();
    for a in d.content.iter().filter_map(|c| c.attachment.as_ref()) {
        match attachment_text(a) {
            Some(t) => texts.push(t),
            None => attachments.push(info(a)),
        }
    }
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
    }
}

/// A report: its conclusion and text attachments (else its narrative, else the names of
/// its results).
fn report(record: &PatientRecord, r: &DiagnosticReport) -> NoteRow {
    let mut texts = Vec::new();
    if let Some(c) = non_empty(r.conclusion.as_deref()) {
        texts.push(format!("Conclusion: {}", c.trim()));
    }
    let mut attachments = Vec::new();
    for a in &r.presented_form {
        match attachment_text(a) {
            Some(t) => texts.push(t),
            None => attachments.push(info(a)),
        }
    }
    if texts.is_empty() {
        texts.extend(narrative(r.text.as_ref()));
    }
    if texts.is_empty() && !r.result.is_empty() {
        texts.push(format!("Results: {}", result_names(record, r)));
    }
    let date_iso = r
        .effective_date_time
        .clone()
        .or_else(|| r.effective_period.as_ref().and_then(|p| p.start.clone()))
        .or_else(|| r.issued.clone());
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
    }
}

fn join_texts(texts: Vec<String>) -> Option<String> {
    let texts: Vec<String> = texts.into_iter().filter(|t| !t.trim().is_empty()).collect();
    (!texts.is_empty()).then(|| texts.join("\n\n"))
}

/// The names of a report's results: each reference's display, else the loaded
/// Observation's code.
fn result_names(record: &PatientRecord, r: &DiagnosticReport) -> String {
    let names: Vec<String> = r
        .result
        .iter()
        .filter_map(|res| {
            non_empty(res.display.as_deref())
                .map(|d| d.trim().to_owned())
                .or_else(|| {
                    let key = res.local_key()?;
                    let id = key.strip_prefix("Observation/")?;
                    let o = record
                        .observations
                        .iter()
                        .find(|o| o.id.as_deref() == Some(id))?;
                    o.code.as_ref()?.label().map(|l| l.trim().to_owned())
                })
        })
        .collect();
    if names.is_empty() {
        match r.result.len() {
            1 => "1 result".to_owned(),
            n => format!("{n} results"),
        }
    } else {
        names.join(", ")
    }
}

fn narrative(n: Option<&Narrative>) -> Option<String> {
    let n = n?;
    if n.status.as_deref() == Some("empty") {
        return None;
    }
    let text = html_to_text(n.div.as_deref()?);
    (!text.trim().is_empty()).then_some(text)
}

/// The text of a text/plain or text/html attachment given inline; `None` for anything else.
fn attachment_text(a: &Attachment) -> Option<String> {
    let ct = a
        .content_type
        .as_deref()
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let mime = ct.split(';').next().unwrap_or("").trim().to_owned();
    let is_html = matches!(mime.as_str(), "text/html" | "application/xhtml+xml");
    if !(mime.starts_with("text/") || is_html) {
        return None;
    }
    let data = a.data.as_deref()?;
    // Decode no more than is shown: a 50 MB attachment costs what 2 MB does.
    let limit = (MAX_TEXT_BYTES / 3 + 1) * 4;
    let compact: String = data
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(limit)
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.as_bytes()))
        .ok()?;
    let truncated = bytes.len() > MAX_TEXT_BYTES;
    let bytes = &bytes[..bytes.len().min(MAX_TEXT_BYTES)];
    let charset = ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim() == "charset").then(|| v.trim().trim_matches('"').to_owned())
    });
    let text = decode_text(bytes, charset.as_deref());
    let mut text = if is_html { html_to_text(&text) } else { text };
    if truncated {
        text.push_str("\n[…the rest of this document is too long to show]");
    }
    Some(text)
}

/// Text from bytes in the declared charset: UTF-8 (the default; invalid bytes become
/// U+FFFD), ISO-8859-1, or UTF-16 (by its byte-order mark, else as declared).
fn decode_text(bytes: &[u8], charset: Option<&str>) -> String {
    match charset.unwrap_or("utf-8") {
        "iso-8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" => {
            bytes.iter().map(|&b| char::from(b)).collect()
        }
        cs @ ("utf-16" | "utf-16le" | "utf-16be") => {
            let (big_endian, body) = match bytes {
                [0xfe, 0xff, rest @ ..] => (true, rest),
                [0xff, 0xfe, rest @ ..] => (false, rest),
                _ => (cs == "utf-16be", bytes),
            };
            let units = body.chunks_exact(2).map(|c| {
                let pair = [c[0], c[1]];
                if big_endian {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            let mut text: String = char::decode_utf16(units)
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            if body.len() % 2 == 1 {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            text
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn info(a: &Attachment) -> AttachmentInfo {
    let ct = a
        .content_type
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    AttachmentInfo {
        title: non_empty(a.title.as_deref())
            .map(|t| t.trim().to_owned())
            .unwrap_or_else(|| "Attachment".to_owned()),
        content_type: ct.unwrap_or("unknown type").to_owned(),
        url: a.url.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::record::RecordBuilder;
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
        assert_eq!(rows[2].text.as_deref(), Some("Results: Sodium"));
    }

    #[test]
    fn declared_charsets_and_invalid_bytes() {
        assert_eq!(decode_text(b"caf\xe9 \xff", None), "caf\u{fffd} \u{fffd}");
        assert_eq!(decode_text(b"caf\xe9", Some("iso-8859-1")), "caf\u{e9}");
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Hi \u{5f20}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&utf16, Some("utf-16")), "Hi \u{5f20}");
        assert_eq!(
            decode_text(&[0x00, 0x48, 0x00], Some("utf-16be")),
            "H\u{fffd}"
        );
        assert_eq!(decode_text(&[0x00, 0xd8], Some("utf-16le")), "\u{fffd}");
    }
}
