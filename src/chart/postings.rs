//! Postings (CPRS "CWAD"): what every patient screen must show beside the allergies, on the
//! banner's second line and at the top of the cover sheet: active `Flag`s ("Patient
//! immunocompromised"), and advance directives and code status (DNR, POLST).
//!
//! Built from the record like every other part of the chart; rows carry the ids of the
//! resources they came from. Directives come from advance-directive documents
//! (DocumentReference in category LOINC 42348-3 or of an advance-directive type), from
//! code-status observations (LOINC advance directive, POLST, DNR order) and from flags
//! filed as advance directives; the same words from several resources are one posting.
//! Superseded and entered-in-error documents, and observations that say "no", post
//! nothing.

use serde::Serialize;

use super::date::show_date;
use super::flags::{FlagRow, short_text};
use crate::fhir::model::{CodeableConcept, DocumentReference, Observation, non_empty};
use crate::fhir::query::{ADI_DOCUMENT_CATEGORY, DIRECTIVE_OBSERVATION_CODES};
use crate::fhir::record::PatientRecord;

/// What kind of posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingKind {
    /// An active clinical flag (`Flag`), high priority or not.
    Flag { high_priority: bool },
    /// An advance directive or code status (DNR, POLST, living will).
    Directive,
}

/// One posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Posting {
    pub kind: PostingKind,
    /// Short words for the banner, e.g. "Immunocompromised", "DNR".
    pub text: String,
    /// `Type/id` of the resources it was built from.
    pub ids: Vec<String>,
    /// Where it comes from in a few words, for the cover sheet and the CLI:
    /// `Do Not Resuscitate (document, 02-Sep-2023)`, `Clinical, since 01-Sep-2023`.
    pub detail: Option<String>,
}

/// LOINC document types of advance directives: advance directives, DNR, National POLST,
/// portable medical order, personal advance care plan, living will, power of attorney,
/// both, DNR order in place, POLST in place, advance directive.
const ADI_DOCUMENT_TYPES: [&str; 11] = [
    "42348-3", "84095-9", "100821-8", "93037-0", "81334-5", "86533-7", "64298-3", "92664-2",
    "81351-9", "81352-7", "75320-2",
];

/// The words a directive is posted with.
const DNR: &str = "DNR";
const POLST: &str = "POLST";
const FULL_CODE: &str = "Full code";
const ON_FILE: &str = "Advance directive on file";

/// The postings of a record, from its flags (`flags::flags`) and its directive documents
/// and observations: high-priority flags first, then directives, then the other flags.
pub fn postings(record: &PatientRecord, flags: &[FlagRow]) -> Vec<Posting> {
    let active = flags.iter().filter(|f| f.active);
    let flag_posting = |f: &FlagRow| Posting {
        kind: PostingKind::Flag {
            high_priority: f.high_priority,
        },
        text: f.text.clone(),
        ids: f.ids.clone(),
        detail: flag_detail(f),
    };
    let mut directives: Vec<Posting> = Vec::new();
    let mut add = |text: &str, id: String, detail: String| match directives
        .iter_mut()
        .find(|p| p.text == text)
    {
        Some(p) => p.ids.push(id),
        None => directives.push(Posting {
            kind: PostingKind::Directive,
            text: text.to_owned(),
            ids: vec![id],
            detail: Some(detail),
        }),
    };
    for d in record.documents.iter().filter(|d| is_directive_document(d)) {
        let words = document_words(d);
        let title = d
            .type_
            .as_ref()
            .and_then(|t| t.label())
            .unwrap_or("Document");
        let when = show_date(d.date.as_deref()).map(|w| format!(", {w}"));
        let detail = format!("{} (document{})", title.trim(), when.unwrap_or_default());
        add(words, key("DocumentReference", d.id.as_ref()), detail);
    }
    for o in &record.observations {
        if let Some(words) = observation_words(o) {
            let title = short_text(o.code.as_ref()).unwrap_or_else(|| "Observation".into());
            let when = show_date(o.effective_date_time.as_deref()).map(|w| format!(", {w}"));
            let detail = format!("{title} (observation{})", when.unwrap_or_default());
            add(words, key("Observation", o.id.as_ref()), detail);
        }
    }
    for f in active.clone().filter(|f| f.directive) {
        let words = classify(&f.text).unwrap_or(ON_FILE);
        let detail = flag_detail(f).unwrap_or_default();
        for id in &f.ids {
            add(words, id.clone(), format!("{} (flag{detail})", f.text));
        }
    }
    let (high, other): (Vec<&FlagRow>, Vec<&FlagRow>) = active
        .filter(|f| !f.directive)
        .partition(|f| f.high_priority);
    high.into_iter()
        .map(flag_posting)
        .chain(directives)
        .chain(other.into_iter().map(flag_posting))
        .collect()
}

fn key(ty: &str, id: Option<&String>) -> String {
    format!("{ty}/{}", id.map(String::as_str).unwrap_or(""))
}

/// `Clinical, since 01-Sep-2023`.
fn flag_detail(f: &FlagRow) -> Option<String> {
    let since = f.start.as_ref().map(|s| format!("since {s}"));
    let parts: Vec<String> = f.category.iter().cloned().chain(since).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Whether a document is a current advance directive: filed in the advance-directive
/// category or of an advance-directive type, and not superseded or entered in error.
fn is_directive_document(d: &DocumentReference) -> bool {
    let gone =
        |s: Option<&String>| matches!(s.map(|s| s.trim()), Some("superseded" | "entered-in-error"));
    if gone(d.status.as_ref()) || gone(d.doc_status.as_ref()) {
        return false;
    }
    d.category.iter().any(|c| c.has_code(ADI_DOCUMENT_CATEGORY))
        || d.type_
            .as_ref()
            .is_some_and(|t| ADI_DOCUMENT_TYPES.iter().any(|code| t.has_code(code)))
}

/// DNR, POLST or "on file", from a directive document's type and words.
fn document_words(d: &DocumentReference) -> &'static str {
    let by_code = d.type_.as_ref().and_then(by_code);
    let text = [
        d.type_.as_ref().and_then(|t| t.label()),
        d.description.as_deref(),
    ];
    by_code
        .or_else(|| text.iter().flatten().find_map(|t| classify(t)))
        .unwrap_or(ON_FILE)
}

/// What a code-status observation posts: `None` when it is not one, was entered in
/// error, or says no.
fn observation_words(o: &Observation) -> Option<&'static str> {
    let code = o.code.as_ref()?;
    let coded = code.coding.iter().any(|c| {
        c.system.as_deref() == Some("http://loinc.org")
            && c.code
                .as_deref()
                .is_some_and(|x| DIRECTIVE_OBSERVATION_CODES.contains(&x))
    });
    if !coded
        || matches!(o.status.as_deref(), Some("entered-in-error" | "cancelled"))
        || o.data_absent_reason.is_some()
    {
        return None;
    }
    let said = |answer: Option<bool>| match answer {
        Some(false) => None,
        _ => Some(by_code(code).unwrap_or(ON_FILE)),
    };
    if let Some(b) = o.value_boolean {
        return said(Some(b));
    }
    if let Some(v) = &o.value_codeable_concept {
        if v.has_code("304253006") {
            return Some(DNR);
        }
        if v.has_code("304252001") {
            return Some(FULL_CODE);
        }
        if let Some(answer) = yes_no(v.label().unwrap_or(""))
            .or_else(|| (v.has_code("373067005") || v.has_code("N")).then_some(false))
            .or_else(|| (v.has_code("373066001") || v.has_code("Y")).then_some(true))
        {
            return said(Some(answer));
        }
        return v.label().and_then(classify).or_else(|| said(None));
    }
    if let Some(s) = non_empty(o.value_string.as_deref()) {
        return match yes_no(s) {
            Some(answer) => said(Some(answer)),
            None => classify(s).or_else(|| said(None)),
        };
    }
    said(None)
}

/// The words of a directive code: DNR (LOINC DNR document, DNR order in place), POLST
/// (National POLST, portable medical order, POLST/MOLST in place).
fn by_code(c: &CodeableConcept) -> Option<&'static str> {
    if c.has_code("84095-9") || c.has_code("81351-9") {
        Some(DNR)
    } else if c.has_code("100821-8") || c.has_code("93037-0") || c.has_code("81352-7") {
        Some(POLST)
    } else {
        None
    }
}

/// DNR, POLST or full code from free words; `None` when they say none of these.
fn classify(text: &str) -> Option<&'static str> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&[
        "dnr",
        "dnar",
        "do not resuscitate",
        "do-not-resuscitate",
        "not for resuscitation",
        "do not attempt",
        "allow natural death",
        "no cpr",
    ]) {
        Some(DNR)
    } else if has(&["polst", "molst", "portable medical order"]) {
        Some(POLST)
    } else if has(&["full code", "for resuscitation", "attempt resuscitation"]) {
        Some(FULL_CODE)
    } else {
        None
    }
}

/// A plain yes or no.
fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" | "none" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
