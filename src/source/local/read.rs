//! Reading what `--open` names into a `Store`: a file, or the `*.json` and `*.ndjson` files
//! directly in a folder (`*.xml` ones are named as not read). JSON files are a Bundle (any type; Bundles inside Bundles too) or
//! one resource; NDJSON files (FHIR Bulk Data `$export` output) hold one resource per line,
//! and the NDJSON files of one folder are one export. A UTF-8 byte order mark is skipped.
//!
//! Whatever cannot be read is said, never skipped in silence: a folder's unreadable file
//! becomes a warning naming it and why (XML, FHIR DSTU2, cut-off JSON, not a regular file,
//! too large), an NDJSON line that cannot be read a warning naming its file and line. A
//! Bundle is parsed entry by entry from its text, never into one tree of the whole file.

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::store::{ScopeId, Store};

/// Resource types that exist only in FHIR DSTU2 (or DSTU2 and STU3): a file holding one is
/// not R4, and reading the rest as R4 would misread it.
const DSTU2_ONLY: [&str; 6] = [
    "MedicationOrder",
    "DiagnosticOrder",
    "DeviceUseRequest",
    "Order",
    "OrderResponse",
    "Conformance",
];

/// How deep Bundles inside Bundles are read (a batch response of searchsets is two).
const MAX_NESTING: usize = 3;

/// Why a file (or a line) was not taken in.
#[derive(Debug)]
pub(super) enum Refusal {
    /// It cannot be read as FHIR R4 JSON: in a folder, it is left out with a warning.
    Unreadable(String),
    /// It names a patient another file names too, as someone else: nothing is opened.
    Conflict(String),
}

impl From<String> for Refusal {
    fn from(problem: String) -> Refusal {
        Refusal::Unreadable(problem)
    }
}

/// The kind of a file, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Json,
    Ndjson,
    /// FHIR XML: named in a folder so that it is said why it was not read.
    Xml,
}

impl Kind {
    /// The kind of a file named `name`, if rounds reads it.
    pub fn of(name: &std::path::Path) -> Option<Kind> {
        let ext = name.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Kind::Json),
            "ndjson" => Some(Kind::Ndjson),
            "xml" => Some(Kind::Xml),
            _ => None,
        }
    }
}

/// The text of a file's bytes: UTF-8, with a byte order mark skipped.
pub(super) fn text_of(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|_| {
        if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            "the file is UTF-16 text: save it as UTF-8 JSON".to_owned()
        } else {
            "not UTF-8 text: is it a FHIR JSON file?".to_owned()
        }
    })
}

/// The start of a JSON resource: its type only (everything else is skipped, not kept).
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "resourceType", default)]
    resource_type: Option<String>,
}

/// A Bundle as text: its entries, each resource still raw text.
#[derive(Deserialize)]
struct RawBundle<'a> {
    #[serde(default, borrow)]
    entry: Vec<RawEntry<'a>>,
}

#[derive(Deserialize)]
struct RawEntry<'a> {
    #[serde(rename = "fullUrl", default)]
    full_url: Option<String>,
    #[serde(default, borrow)]
    resource: Option<&'a RawValue>,
}

fn json_problem(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => format!(
            "not valid JSON: it ends early (line {}), the file is cut short",
            e.line()
        ),
        _ => format!(
            "not valid JSON (line {}, column {}): is it a FHIR JSON file?",
            e.line(),
            e.column()
        ),
    }
}

fn dstu2(ty: &str) -> String {
    format!("this is FHIR DSTU2 (it has a {ty}); rounds reads FHIR R4: export the data as R4")
}

/// The resource type at the start of `raw`, read without keeping anything else.
fn type_of(raw: &str) -> Result<String, String> {
    let head: Head = serde_json::from_str(raw).map_err(|e| json_problem(&e))?;
    Ok(head.resource_type.unwrap_or_default())
}

/// Check a document before anything of it is kept: R4 JSON, and the types of its entries.
fn check_document(raw: &str, depth: usize) -> Result<(), String> {
    let ty = type_of(raw)?;
    if DSTU2_ONLY.contains(&ty.as_str()) {
        return Err(dstu2(&ty));
    }
    if ty != "Bundle" || depth >= MAX_NESTING {
        return Ok(());
    }
    let bundle: RawBundle<'_> = serde_json::from_str(raw).map_err(|e| json_problem(&e))?;
    for entry in bundle.entry.iter().filter_map(|e| e.resource) {
        check_document(entry.get(), depth + 1)?;
    }
    Ok(())
}

/// Read the file at `path` (shown as `name`) into `store`: its warnings (NDJSON lines left
/// out), or why it was not read. An NDJSON file's resources go in the scope of `export`
/// (its folder's) when given, else in its own. Only a regular file of at most `limit`
/// bytes is read.
pub(super) fn read_file(
    store: &mut Store,
    path: &std::path::Path,
    name: &str,
    kind: Kind,
    export: Option<ScopeId>,
    limit: u64,
) -> Result<Vec<String>, Refusal> {
    if kind == Kind::Xml {
        return Err(Refusal::Unreadable(XML.into()));
    }
    let bytes =
        crate::files::read_regular(path, limit).map_err(|e| Refusal::Unreadable(e.problem()))?;
    let text = text_of(&bytes)?;
    let file = store.add_file(name);
    match kind {
        Kind::Ndjson => {
            let scope = export.unwrap_or_else(|| store.file_scope(file));
            read_ndjson(store, file, name, text, scope)
        }
        _ => read_json(store, file, text).map(|()| Vec::new()),
    }
}

/// Why FHIR XML is not read.
pub(super) const XML: &str = "FHIR XML is not supported: export the data as JSON";

/// Read one JSON file (a Bundle or a resource) into `store` as `file`.
pub(super) fn read_json(store: &mut Store, file: usize, text: &str) -> Result<(), Refusal> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        return Err(Refusal::Unreadable(XML.into()));
    }
    check_document(text, 0)?;
    if type_of(text)?.is_empty() {
        return Err(Refusal::Unreadable(
            "not a FHIR resource (it has no resourceType)".into(),
        ));
    }
    let scope = store.file_scope(file);
    add_document(store, file, None, text, scope, 0)
}

fn add_document(
    store: &mut Store,
    file: usize,
    full_url: Option<&str>,
    raw: &str,
    scope: ScopeId,
    depth: usize,
) -> Result<(), Refusal> {
    if type_of(raw)? == "Bundle" && depth < MAX_NESTING {
        let bundle: RawBundle<'_> = serde_json::from_str(raw).map_err(|e| json_problem(&e))?;
        for entry in bundle.entry {
            if let Some(resource) = entry.resource {
                add_document(
                    store,
                    file,
                    entry.full_url.as_deref(),
                    resource.get(),
                    scope,
                    depth + 1,
                )?;
            }
        }
        return Ok(());
    }
    let value: Value = serde_json::from_str(raw).map_err(|e| json_problem(&e))?;
    if !value.is_object() {
        return Ok(());
    }
    store.add(file, full_url, value, scope).map_err(|c| {
        Refusal::Conflict(format!(
            "Patient '{}' is also in '{}', from the same server address but with another \
             birth date or family name: rounds will not take them for one person; open the \
             files one at a time",
            c.id, store.files[c.first].name
        ))
    })
}

/// Read one NDJSON file into `store` as `file`, its resources in `scope` (the export's).
/// Lines that cannot be read are left out and returned as warnings naming file and line.
pub(super) fn read_ndjson(
    store: &mut Store,
    file: usize,
    name: &str,
    text: &str,
    scope: ScopeId,
) -> Result<Vec<String>, Refusal> {
    let mut warnings = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let read = match type_of(line) {
            Ok(ty) if ty.is_empty() => Err(Refusal::Unreadable(
                "not a FHIR resource (it has no resourceType)".to_owned(),
            )),
            Ok(ty) if DSTU2_ONLY.contains(&ty.as_str()) => Err(Refusal::Unreadable(dstu2(&ty))),
            Ok(_) => add_document(store, file, None, line, scope, MAX_NESTING),
            Err(problem) => Err(Refusal::Unreadable(problem)),
        };
        match read {
            Ok(()) => {}
            Err(Refusal::Unreadable(problem)) => {
                warnings.push(format!("'{name}' line {}: {problem}; left out", n + 1));
            }
            Err(conflict) => return Err(conflict),
        }
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cannot_be_read_says_why() {
        let mut store = Store::default();
        let f = store.add_file("x.json");
        let mut read = |text: &str| match read_json(&mut store, f, text) {
            Err(Refusal::Unreadable(p)) => p,
            other => panic!("{other:?}"),
        };
        assert_eq!(read("<Patient xmlns=\"http://hl7.org/fhir\"/>"), XML);
        assert!(read(r#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"MedicationOrder"}}]}"#)
            .contains("FHIR DSTU2 (it has a MedicationOrder)"));
        assert!(
            read(r#"{"resourceType":"Bundle","entry":[{"resource":{"res"#).contains("cut short")
        );
        assert!(read(r#"{"resourceType":"Bundle" "entry":[]}"#).contains("not valid JSON (line 1"));
        assert!(read(r#"{"hello":"world"}"#).contains("no resourceType"));
        assert!(store.held.is_empty(), "nothing of a refused file is kept");
        assert_eq!(text_of(b"\xEF\xBB\xBF{}"), Ok("{}"));
        assert!(text_of(b"\xFF\xFE{\x00").unwrap_err().contains("UTF-16"));
    }

    #[test]
    fn ndjson_lines_are_read_one_by_one() {
        let mut store = Store::default();
        let f = store.add_file("Observation.ndjson");
        let scope = store.scope("export:x".into());
        let text = "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n\n{\"resourceType\":\"Obs\n{\"id\":\"b\"}\n";
        let warnings = read_ndjson(&mut store, f, "Observation.ndjson", text, scope).unwrap();
        assert_eq!(store.held.len(), 1);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("'Observation.ndjson' line 3: "),
            "{warnings:?}"
        );
        assert!(warnings[1].starts_with("'Observation.ndjson' line 4: not a FHIR resource"));
    }
}
