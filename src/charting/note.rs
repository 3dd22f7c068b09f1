//! A clinical note as a US Core DocumentReference: status `current`, `docStatus` final
//! when signed (preliminary otherwise), a LOINC type (progress, consult, telephone
//! encounter), category clinical-note, the patient, the date, the author, the visit when
//! there is one, and the text as a `text/plain; charset=utf-8` attachment in base64. A
//! correction is a new note that `replaces` the old one; a note entered in error is
//! retracted by setting its status to `entered-in-error` (a version-aware update).
//!
//! Also the editor's file: a SOAP template under a header that names the patient (lines
//! starting `#` at the top, stripped before anything is kept or sent).

use base64::Engine as _;
use serde_json::{Value, json};

use super::{Context, LOINC, coding, date_time, identifiers};
use crate::fhir::ClientId;

/// The kinds of note rounds writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Progress,
    Consult,
    Telephone,
}

impl NoteKind {
    /// The LOINC code and its display.
    pub fn loinc(self) -> (&'static str, &'static str) {
        match self {
            NoteKind::Progress => ("11506-3", "Progress note"),
            NoteKind::Consult => ("11488-4", "Consult note"),
            NoteKind::Telephone => ("34748-4", "Telephone encounter Note"),
        }
    }

    /// The kind's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            NoteKind::Progress => "progress",
            NoteKind::Consult => "consult",
            NoteKind::Telephone => "telephone",
        }
    }

    /// The title the chart shows for it.
    pub fn title(self) -> &'static str {
        self.loinc().1
    }
}

/// A note as written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    pub kind: NoteKind,
    /// The text, header stripped.
    pub text: String,
    /// Signed (docStatus final) or not (preliminary).
    pub signed: bool,
    /// The id of a note this one corrects (`relatesTo` replaces).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
}

/// The note as a DocumentReference carrying `id` as its identifier.
pub fn document_reference(note: &Note, ctx: &Context, id: &ClientId) -> Value {
    let (code, display) = note.kind.loinc();
    let data = base64::engine::general_purpose::STANDARD.encode(note.text.as_bytes());
    let mut doc = json!({
        "resourceType": "DocumentReference",
        "identifier": identifiers(id),
        "status": "current",
        "docStatus": if note.signed { "final" } else { "preliminary" },
        "type": {"coding": [coding(LOINC, code, display)], "text": display},
        "category": [{"coding": [coding(
            "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
            "clinical-note",
            "Clinical Note",
        )]}],
        "subject": ctx.subject(),
        "date": date_time(&ctx.now),
        "content": [{"attachment": {
            "contentType": "text/plain; charset=utf-8",
            "data": data,
            "title": display,
            "creation": date_time(&ctx.now),
        }}],
    });
    let authors = ctx.author_refs();
    if !authors.is_empty() {
        doc["author"] = Value::Array(authors);
    }
    if let Some(enc) = ctx.encounter_ref() {
        doc["context"] = json!({"encounter": [enc]});
    }
    if let Some(old) = &note.replaces {
        let target = old.strip_prefix("DocumentReference/").unwrap_or(old);
        doc["relatesTo"] = json!([{"code": "replaces", "target": {"reference": format!("DocumentReference/{target}")}}]);
    }
    doc
}

/// `doc` retracted: the same resource with status `entered-in-error` (what a
/// version-aware update sends).
pub fn retracted(doc: &Value) -> Value {
    let mut out = doc.clone();
    out["status"] = json!("entered-in-error");
    if let Some(m) = out.as_object_mut() {
        m.remove("meta");
    }
    out
}

/// The mark at the start of every header line.
const HEADER_MARK: &str = "#";

/// The SOAP template under the header.
pub const SOAP: &str = "S: \n\nO: \n\nA: \n\nP: \n";

/// The editor's file: header lines naming the patient (`who`: name, born, MRN) and the
/// note's kind, then the body (a SOAP template, or a draft's text).
pub fn editor_file(who: &str, kind: NoteKind, body: &str) -> String {
    let who = crate::text::clean_line(who);
    format!(
        "{HEADER_MARK} {} for {who}\n\
         {HEADER_MARK} Lines starting with '{HEADER_MARK}' up here are not kept or sent.\n\
         {HEADER_MARK} Save and quit to go on (sign and send, keep as draft, or discard);\n\
         {HEADER_MARK} quit without changing anything, or empty the note, to abandon it.\n\n{body}",
        kind.title()
    )
}

/// The note's text from the editor's file: the header block removed, trailing spaces and
/// blank lines trimmed, line endings made `\n`. `None` when nothing was written (empty,
/// or the template unchanged).
pub fn text_from_editor(file: &str, template_body: &str) -> Option<String> {
    let text = strip_header(file);
    let clean = |s: &str| {
        s.replace("\r\n", "\n")
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    };
    let text = clean(&text);
    if text.is_empty() || text == clean(template_body) || text == clean(SOAP) {
        return None;
    }
    Some(text)
}

/// The file without its header: the lines starting with `#` at the top, and the blank
/// line after them.
pub fn strip_header(file: &str) -> String {
    let mut lines = file.lines().peekable();
    while lines.peek().is_some_and(|l| l.starts_with(HEADER_MARK)) {
        lines.next();
    }
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    lines.collect::<Vec<_>>().join("\n")
}

/// The note in a few words: `Progress note, 12 lines`.
pub fn summary(note: &Note) -> String {
    let lines = note.text.lines().count();
    format!(
        "{}, {lines} line{}{}",
        note.kind.title(),
        if lines == 1 { "" } else { "s" },
        if note.replaces.is_some() {
            " (correction)"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ctx() -> Context {
        Context {
            patient_id: "rnd-ada-testwell".into(),
            author: Some("Practitioner/p1".into()),
            encounter: Some("Encounter/e1".into()),
            now: chrono::FixedOffset::west_opt(6 * 3600)
                .unwrap()
                .with_ymd_and_hms(2026, 11, 22, 9, 30, 0)
                .unwrap(),
        }
    }

    #[test]
    fn a_signed_progress_note_is_a_us_core_document_reference() {
        let note = Note {
            kind: NoteKind::Progress,
            text: "S: well\nP: review — 2 weeks".into(),
            signed: true,
            replaces: Some("old-1".into()),
        };
        let id = ClientId::new_uuid();
        let doc = document_reference(&note, &ctx(), &id);
        assert_eq!(doc["status"], "current");
        assert_eq!(doc["docStatus"], "final");
        assert_eq!(doc["type"]["coding"][0]["code"], "11506-3");
        assert_eq!(doc["category"][0]["coding"][0]["code"], "clinical-note");
        assert_eq!(doc["subject"]["reference"], "Patient/rnd-ada-testwell");
        assert_eq!(doc["date"], "2026-11-22T09:30:00-06:00");
        assert_eq!(doc["author"][0]["reference"], "Practitioner/p1");
        assert_eq!(doc["context"]["encounter"][0]["reference"], "Encounter/e1");
        assert_eq!(doc["identifier"][0]["value"], id.value);
        assert_eq!(doc["relatesTo"][0]["code"], "replaces");
        let att = &doc["content"][0]["attachment"];
        assert_eq!(att["contentType"], "text/plain; charset=utf-8");
        let data = base64::engine::general_purpose::STANDARD
            .decode(att["data"].as_str().unwrap())
            .unwrap();
        assert_eq!(String::from_utf8(data).unwrap(), note.text);
        assert_eq!(retracted(&doc)["status"], "entered-in-error");
    }

    #[test]
    fn the_editor_header_is_stripped_and_an_untouched_template_abandoned() {
        let file = editor_file(
            "TESTWELL, Ada  Born 04-Mar-1958  MRN RND100101",
            NoteKind::Progress,
            SOAP,
        );
        assert!(file.starts_with("# Progress note for TESTWELL, Ada"));
        assert_eq!(text_from_editor(&file, SOAP), None);
        assert_eq!(text_from_editor("", SOAP), None);
        let written = file.replace("A: \n", "A: stable\n");
        let text = text_from_editor(&written, SOAP).unwrap();
        assert!(
            text.starts_with("S:") && text.contains("A: stable"),
            "{text}"
        );
        assert!(!text.contains("TESTWELL"));
        // A '#' line in the body stays.
        let body = format!("{file}# not a header\n");
        assert!(
            text_from_editor(&body, SOAP)
                .unwrap()
                .contains("# not a header")
        );
    }
}
