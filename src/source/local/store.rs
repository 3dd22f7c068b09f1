//! The resources of local files, each known by where it came from. A resource's identity
//! is its **scope** and its `Type/id`: the scope is the server base of its `fullUrl`
//! (`https://ehr.example/fhir`), or, with no such base, the file it is in (an NDJSON export
//! folder counts as one file). Two files that both name `Patient/1` are therefore two
//! patients unless both say they come from the same server, and then they are one: a
//! resource met again with other content is kept once and the difference is said.
//!
//! References resolve within their own scope or their own file only: a `fullUrl` or
//! `urn:uuid:` of the same file, `Type/id` in the same scope, or an absolute URL on the
//! same base. One to another server, or written to walk a path (`../`), names nothing.
//! Resources are kept as compact JSON text and parsed again when a chart is built, so the
//! memory held is about the size of the files.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::fhir::model::{is_fhir_id, parse_reference};
use crate::fhir::record::{fnv1a, resource_type};

/// The index of a scope in `Store::scopes`.
pub(super) type ScopeId = usize;

/// What a resource is known by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Key {
    pub scope: ScopeId,
    pub ty: String,
    pub id: String,
}

/// One resource as read.
#[derive(Debug)]
pub(super) struct Held {
    pub file: usize,
    pub key: Key,
    /// The resource as compact JSON.
    pub text: Box<str>,
    /// Its owner's reference (`subject` or `patient`), as written.
    pub owner: Option<Box<str>>,
    digest: u64,
}

/// One file read (or one NDJSON export folder).
#[derive(Debug, Default)]
pub(super) struct FileIndex {
    /// The path, for messages (not yet cleaned for a terminal).
    pub name: String,
    /// Full URLs (`urn:uuid:…` or absolute) of its entries.
    aliases: HashMap<String, usize>,
    /// Its resources by `Type/id`.
    local: HashMap<String, Vec<usize>>,
}

/// Every resource read, with the indexes references are resolved through.
#[derive(Debug, Default)]
pub(super) struct Store {
    pub files: Vec<FileIndex>,
    scope_ids: HashMap<String, ScopeId>,
    /// For each scope, whether it is a server base (else a file or an export).
    based: Vec<bool>,
    pub held: Vec<Held>,
    by_key: HashMap<Key, usize>,
    /// Resources met again with other content: (file, file kept) → how many.
    differing: BTreeMap<(usize, usize), usize>,
}

/// Two copies of one Patient (same server, same id) that cannot be the same person: the
/// id and the file that had it first (the second is the one being read).
#[derive(Debug)]
pub(super) struct Conflict {
    pub id: String,
    pub first: usize,
}

impl Store {
    /// A new file (or export folder) to read into; its index.
    pub fn add_file(&mut self, name: &str) -> usize {
        self.files.push(FileIndex {
            name: name.to_owned(),
            ..FileIndex::default()
        });
        self.files.len() - 1
    }

    /// The scope named `name` (`base:URL`, `file:N`, `export:PATH`).
    pub fn scope(&mut self, name: String) -> ScopeId {
        if let Some(id) = self.scope_ids.get(&name) {
            return *id;
        }
        self.based.push(name.starts_with("base:"));
        self.scope_ids.insert(name, self.based.len() - 1);
        self.based.len() - 1
    }

    /// The scope of a file's resources that have no server base of their own.
    pub fn file_scope(&mut self, file: usize) -> ScopeId {
        self.scope(format!("file:{file}"))
    }

    /// Add one resource of `file`, known by `full_url` if the Bundle gave one; resources
    /// with no base of their own go in `default_scope`.
    pub fn add(
        &mut self,
        file: usize,
        full_url: Option<&str>,
        mut value: Value,
        default_scope: ScopeId,
    ) -> Result<(), Conflict> {
        let ty = resource_type(&value).to_owned();
        if ty.is_empty() {
            return Ok(());
        }
        if value.get("id").and_then(Value::as_str).is_none() {
            // POST entries in transactions often carry only a urn:uuid full URL.
            if let Some(id) = full_url.and_then(|u| u.strip_prefix("urn:uuid:")) {
                value["id"] = Value::String(id.to_owned());
            }
        }
        let id = match value.get("id").and_then(Value::as_str) {
            Some(id) if is_fhir_id(id) => id.to_owned(),
            // No usable id: known only inside this store, never by a reference.
            _ => format!("_{}", self.held.len()),
        };
        let scope = match full_url.and_then(parse_reference) {
            Some(p) if p.ty == ty && p.id == id => match p.base {
                Some(base) => self.scope(format!("base:{base}")),
                None => default_scope,
            },
            _ => default_scope,
        };
        let key = Key { scope, ty, id };
        let text = serde_json::to_string(&value).unwrap_or_default();
        // Over the compact JSON: tells a repeat from a resource that differs.
        let digest = fnv1a(text.as_bytes());
        if let Some(&first) = self.by_key.get(&key) {
            if self.held[first].digest != digest {
                if key.ty == "Patient" && !same_person(&self.held[first].text, &text) {
                    return Err(Conflict {
                        id: key.id,
                        first: self.held[first].file,
                    });
                }
                *self
                    .differing
                    .entry((file, self.held[first].file))
                    .or_default() += 1;
            }
            if let Some(url) = full_url {
                self.files[file].aliases.insert(url.to_owned(), first);
            }
            return Ok(());
        }
        let index = self.held.len();
        if let Some(url) = full_url {
            self.files[file].aliases.insert(url.to_owned(), index);
        }
        self.files[file]
            .local
            .entry(format!("{}/{}", key.ty, key.id))
            .or_default()
            .push(index);
        self.by_key.insert(key.clone(), index);
        let owner = crate::fhir::record::owner_reference(&value).map(Box::from);
        self.held.push(Held {
            file,
            key,
            text: text.into_boxed_str(),
            owner,
            digest,
        });
        Ok(())
    }

    /// What `reference`, written in resource `from`, names: a resource of the same file
    /// (by full URL, or by `Type/id` when that is unique there), or one of the same scope.
    pub fn resolve(&self, reference: &str, from: usize) -> Option<usize> {
        let origin = &self.held[from];
        let file = &self.files[origin.file];
        if let Some(&i) = file.aliases.get(reference) {
            return Some(i);
        }
        let parts = parse_reference(reference)?;
        let local = format!("{}/{}", parts.ty, parts.id);
        // The one resource of this file with that `Type/id`, if `fits` its scope.
        let in_file = |fits: &dyn Fn(ScopeId) -> bool| -> Option<usize> {
            match file.local.get(&local).map(Vec::as_slice) {
                Some([only]) if fits(self.held[*only].key.scope) => Some(*only),
                _ => None,
            }
        };
        let key = |scope: ScopeId| Key {
            scope,
            ty: parts.ty.to_owned(),
            id: parts.id.to_owned(),
        };
        match parts.base {
            Some(base) => {
                let named = self.scope_ids.get(&format!("base:{base}")).copied();
                if let Some(i) = named
                    .filter(|s| *s == origin.key.scope)
                    .and_then(|s| self.by_key.get(&key(s)))
                {
                    return Some(*i);
                }
                // In this file: one on exactly that server, or one that names no server.
                // Never one that another server's address names.
                in_file(&|s| Some(s) == named || !self.based[s])
            }
            // Relative: on the referring resource's server; in this file, one that names no
            // server too (and any, when the referring resource names none itself).
            None => self
                .by_key
                .get(&key(origin.key.scope))
                .copied()
                .or_else(|| {
                    in_file(&|s| {
                        !self.based[origin.key.scope] || s == origin.key.scope || !self.based[s]
                    })
                }),
        }
    }

    /// The words for resources met again with other content (one line per pair of files).
    pub fn differing_warnings(&self) -> Vec<String> {
        self.differing
            .iter()
            .map(|((file, kept), n)| {
                let (what, copies) = if *n == 1 {
                    ("resource is", "copy")
                } else {
                    ("resources are", "copies")
                };
                format!(
                    "'{}': {n} {what} also in '{}' (same server, same id) with other content; \
                     the {copies} from '{}' shown",
                    self.files[*file].name, self.files[*kept].name, self.files[*kept].name,
                )
            })
            .collect()
    }
}

/// Whether two Patient resources under one identity can be the same person: not when both
/// give a birth date and they differ, nor when both give family names and none is shared.
fn same_person(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (
        serde_json::from_str::<Value>(a),
        serde_json::from_str::<Value>(b),
    ) else {
        return false;
    };
    let born = |p: &Value| {
        p.get("birthDate")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let families = |p: &Value| -> Vec<String> {
        p.get("name")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|n| n.get("family").and_then(Value::as_str))
                    .map(|f| crate::text::fold(f.trim()))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let (Some(x), Some(y)) = (born(&a), born(&b)) {
        if x != y {
            return false;
        }
    }
    let (fa, fb) = (families(&a), families(&b));
    fa.is_empty() || fb.is_empty() || fa.iter().any(|f| fb.contains(f))
}
