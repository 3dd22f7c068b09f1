//! Notes whose text is not in the note but at a URL: `DocumentReference.content.attachment`
//! and `DiagnosticReport.presentedForm` with `url` = `Binary/id` (how Epic and Oracle Health
//! send clinical notes). This module decides which Binaries a record wants (on this
//! server only, text formats only, the newest notes first, a bounded number) and reads a
//! fetched `Binary` resource; the client fetches them (`client/binaries.rs`) and the chart
//! reads the text from `PatientRecord::binaries`. No I/O here.

use serde_json::Value;

use super::model::{Attachment, parse_reference};
use super::record::PatientRecord;

/// At most this many note contents are fetched with a chart (the newest notes): each is a
/// round trip without batch, and a long history has hundreds of notes.
pub const MAX_BINARIES: usize = 20;

/// The content of a `Binary`: its MIME type and its base64 data, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryContent {
    pub content_type: Option<String>,
    pub data: Option<String>,
}

/// Whether an attachment of this MIME type can be shown as text (or says no type, which a
/// text note often does).
pub fn is_text_type(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else {
        return true;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/xhtml+xml" | "application/xhtml" | "application/rtf" | ""
        )
}

/// `Binary/id` when `url` names a Binary on the server at `base` (relative, or absolute on
/// exactly that base); `None` for anything else: another server's Binary is never fetched.
pub fn binary_key(url: &str, base: &str) -> Option<String> {
    let parts = parse_reference(url.trim())?;
    if parts.ty != "Binary" {
        return None;
    }
    match parts.base {
        None => Some(format!("Binary/{}", parts.id)),
        Some(b) if b == base.trim_end_matches('/') => Some(format!("Binary/{}", parts.id)),
        Some(_) => None,
    }
}

/// Which of a note's formats to fetch: plain text, then (X)HTML, then RTF, then other text
/// or no type; `None` for what is not text.
fn rank(a: &Attachment) -> Option<u8> {
    let ct = a.content_type.as_deref();
    if !is_text_type(ct) {
        return None;
    }
    let mime = ct
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match mime.as_str() {
        "text/plain" => 0,
        "text/html" | "text/xhtml" | "application/xhtml+xml" | "application/xhtml" => 1,
        "text/rtf" | "application/rtf" => 2,
        _ => 3,
    })
}

/// Of one note's attachments, the one to fetch: none when some text is given inline (that
/// is shown), else the best-ranked text format given by URL (the others are the same
/// document in other formats).
fn pick<'a>(list: impl Iterator<Item = &'a Attachment>) -> Option<&'a Attachment> {
    let list: Vec<&Attachment> = list.collect();
    if list.iter().any(|a| a.data.is_some() && rank(a).is_some()) {
        return None;
    }
    list.into_iter()
        .filter(|a| a.url.is_some())
        .filter_map(|a| Some((rank(a)?, a)))
        .min_by_key(|(r, _)| *r)
        .map(|(_, a)| a)
}

/// The text attachment to fetch (by URL) of each of the record's notes, newest note first.
fn url_attachments(record: &PatientRecord) -> Vec<(Option<&str>, &Attachment)> {
    let mut out: Vec<(Option<&str>, &Attachment)> = Vec::new();
    for d in &record.documents {
        let list = d.content.iter().filter_map(|c| c.attachment.as_ref());
        out.extend(pick(list).map(|a| (d.date.as_deref(), a)));
    }
    for r in &record.reports {
        let when = r.effective_date_time.as_deref().or(r.issued.as_deref());
        out.extend(pick(r.presented_form.iter()).map(|a| (when, a)));
    }
    // Newest first (ISO dates sort as text; undated last).
    out.sort_by(|x, y| y.0.unwrap_or("").cmp(x.0.unwrap_or("")));
    out
}

/// The attachment URLs (as written) of the record's notes that name a Binary on the server
/// at `base`, with that `Binary/id`, not held yet: the newest notes' first, at most
/// `MAX_BINARIES`. What is fetched is kept under the URL as written, so a note can only
/// ever show the content its own URL named.
pub fn wanted(record: &PatientRecord, base: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (_, a) in url_attachments(record) {
        let Some(url) = a.url.as_deref().map(str::trim) else {
            continue;
        };
        let Some(key) = binary_key(url, base) else {
            continue;
        };
        if !record.binaries.contains_key(url) && !out.iter().any(|(u, _)| u == url) {
            out.push((url.to_owned(), key));
        }
        if out.len() == MAX_BINARIES {
            break;
        }
    }
    out
}

/// A fetched `Binary` resource (FHIR JSON), if it is one.
pub fn read_binary(v: &Value) -> Option<BinaryContent> {
    (v.get("resourceType")?.as_str()? == "Binary").then(|| BinaryContent {
        content_type: v
            .get("contentType")
            .and_then(Value::as_str)
            .map(str::to_owned),
        data: v.get("data").and_then(Value::as_str).map(str::to_owned),
    })
}

/// The attachment with its content filled in from the Binary fetched for its URL, when the
/// record holds one.
pub fn resolved(record: &PatientRecord, a: &Attachment) -> Option<Attachment> {
    if a.data.is_some() {
        return None;
    }
    let b = record.binaries.get(a.url.as_deref()?.trim())?;
    let mut filled = a.clone();
    filled.data = b.data.clone();
    if filled.content_type.is_none() {
        filled.content_type = b.content_type.clone();
    }
    Some(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_this_servers_binaries_in_text_formats_are_wanted() {
        let base = "https://ehr.example/fhir";
        assert_eq!(binary_key("Binary/n1", base).as_deref(), Some("Binary/n1"));
        assert_eq!(
            binary_key("https://ehr.example/fhir/Binary/n2", base).as_deref(),
            Some("Binary/n2")
        );
        assert_eq!(
            binary_key("https://evil.example/fhir/Binary/n3", base),
            None
        );
        assert_eq!(
            binary_key("https://ehr.example/fhir/../x/Binary/n3", base),
            None
        );
        assert_eq!(binary_key("Patient/p1", base), None);
        assert_eq!(binary_key("[base]/Binary/1-note", base), None);
        assert!(is_text_type(Some("text/html; charset=utf-8")));
        assert!(is_text_type(Some("text/rtf")));
        assert!(is_text_type(None));
        assert!(!is_text_type(Some("application/pdf")));
        assert!(!is_text_type(Some("image/png")));
    }

    #[test]
    fn the_newest_notes_binaries_are_wanted_once_and_bounded() {
        let mut b =
            crate::fhir::RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
        for i in 0..30 {
            b.add(json!({"resourceType":"DocumentReference","id":format!("d{i}"),"status":"current",
                "subject":{"reference":"Patient/p"},"date":format!("2026-01-{:02}", i % 28 + 1),
                "content":[{"attachment":{"contentType":"text/html","url":format!("Binary/b{i}")}},
                           {"attachment":{"contentType":"application/pdf","url":format!("Binary/pdf{i}")}},
                           {"attachment":{"contentType":"text/rtf","url":format!("Binary/r{i}")}}]}));
        }
        let record = b.finish();
        let want = wanted(&record, "https://ehr.example/fhir");
        assert_eq!(want.len(), MAX_BINARIES);
        // One format per note (HTML before RTF), never the PDF.
        assert!(
            want.iter().all(|(u, _)| u.starts_with("Binary/b")),
            "{want:?}"
        );
        assert_eq!(want[0], ("Binary/b27".to_owned(), "Binary/b27".to_owned()));
        let v = json!({"resourceType":"Binary","contentType":"text/plain","data":"aGk="});
        assert_eq!(read_binary(&v).unwrap().data.as_deref(), Some("aGk="));
        assert!(read_binary(&json!({"resourceType":"Patient"})).is_none());
    }
}
