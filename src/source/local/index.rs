//! From a `Store` of everything read to the patients a user can open: each Patient with the
//! resources that name it (resolved within their scope or file, see `store.rs`), refusing
//! two different patients under one id, and saying what could not be filed under anyone.
//! Then, for one patient, the record: each resource parsed again from its text, its
//! references rewritten to `Type/id` where they resolve (and dropped where they do not, so
//! another server's `Medication/1` can never be taken for this file's), and the Medications,
//! Practitioners and Organizations they point at.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::store::Store;
use crate::fhir::binaries::BinaryContent;
use crate::fhir::model::Patient;
use crate::fhir::record::RecordBuilder;

/// Types a record takes only when something in it points at them.
const SHARED: [&str; 4] = ["Medication", "Practitioner", "Organization", "Binary"];

/// A patient that can be opened.
#[derive(Debug)]
pub(super) struct PatientEntry {
    /// The Patient's index in the store.
    pub held: usize,
    /// The Patient as the search reads it (`None` if it cannot be read).
    pub decoded: Option<Patient>,
    /// Its resources, by index in the store.
    pub resources: Vec<usize>,
}

/// The patients of a store, by id.
#[derive(Debug, Default)]
pub(super) struct Patients {
    pub by_id: BTreeMap<String, PatientEntry>,
}

/// Two patients with one id from different sources.
#[derive(Debug)]
pub(super) struct SameId {
    pub id: String,
    pub first: usize,
    pub second: usize,
}

impl Patients {
    /// Index the patients of `store`; warnings for resources whose patient is not there.
    pub fn index(store: &Store) -> Result<(Patients, Vec<String>), SameId> {
        let mut out = Patients::default();
        let mut by_held: HashMap<usize, String> = HashMap::new();
        for (i, h) in store.held.iter().enumerate() {
            if h.key.ty != "Patient" || h.key.id.starts_with('_') {
                continue;
            }
            if let Some(other) = out.by_id.get(&h.key.id) {
                return Err(SameId {
                    id: h.key.id.clone(),
                    first: store.held[other.held].file,
                    second: h.file,
                });
            }
            let decoded = serde_json::from_str::<Patient>(&h.text).ok();
            by_held.insert(i, h.key.id.clone());
            out.by_id.insert(
                h.key.id.clone(),
                PatientEntry {
                    held: i,
                    decoded,
                    resources: Vec::new(),
                },
            );
        }
        let mut orphans: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, h) in store.held.iter().enumerate() {
            let Some(owner) = h.owner.as_deref() else {
                continue;
            };
            let id = store.resolve(owner, i).and_then(|p| by_held.get(&p));
            match id.and_then(|id| out.by_id.get_mut(id)) {
                Some(entry) => entry.resources.push(i),
                None => *orphans.entry(h.file).or_default() += 1,
            }
        }
        let warnings = orphans
            .into_iter()
            .map(|(file, n)| {
                let what = if n == 1 {
                    "resource names a patient"
                } else {
                    "resources name a patient"
                };
                format!(
                    "'{}': {n} {what} that is not in the files read (or is on another server); \
                     left out",
                    store.files[file].name
                )
            })
            .collect();
        Ok((out, warnings))
    }
}

/// A resource of the store, parsed, with its references rewritten; the indexes of the
/// resources it points at.
pub(super) fn resolved(store: &Store, index: usize) -> Option<(Value, BTreeSet<usize>)> {
    let mut value: Value = serde_json::from_str(&store.held[index].text).ok()?;
    let mut targets = BTreeSet::new();
    rewrite(&mut value, store, index, &mut targets);
    Some((value, targets))
}

fn rewrite(v: &mut Value, store: &Store, from: usize, targets: &mut BTreeSet<usize>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("reference") {
                if !r.starts_with('#') {
                    match store.resolve(r, from) {
                        Some(t) => {
                            let key = &store.held[t].key;
                            map.insert(
                                "reference".into(),
                                Value::String(format!("{}/{}", key.ty, key.id)),
                            );
                            targets.insert(t);
                        }
                        // Names nothing here: kept as its display only.
                        None => {
                            map.remove("reference");
                        }
                    }
                }
            }
            attachment_url(map, store, from, targets);
            for child in map.values_mut() {
                rewrite(child, store, from, targets);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| rewrite(i, store, from, targets)),
        _ => {}
    }
}

/// An attachment (`contentType` and `url`) whose URL names a Binary of this file or
/// scope: rewritten to `Binary/id` and the Binary taken with the record, as a server's is
/// fetched. A URL naming anything else is left as written (shown, never followed).
fn attachment_url(
    map: &mut serde_json::Map<String, Value>,
    store: &Store,
    from: usize,
    targets: &mut BTreeSet<usize>,
) {
    if !map.contains_key("contentType") {
        return;
    }
    let Some(Value::String(url)) = map.get("url") else {
        return;
    };
    let Some(t) = store.resolve(url, from) else {
        return;
    };
    let key = &store.held[t].key;
    if key.ty == "Binary" {
        map.insert("url".into(), Value::String(format!("Binary/{}", key.id)));
        targets.insert(t);
    }
}

/// Add the resources `targets` point at that a record takes by reference (Medications and
/// the like), and those they point at in turn, once each; the Binaries its notes name, to
/// be kept in the record's `binaries`.
pub(super) fn add_shared(
    store: &Store,
    builder: &mut RecordBuilder,
    targets: BTreeSet<usize>,
) -> Vec<(String, BinaryContent)> {
    let mut binaries = Vec::new();
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    let mut queue: Vec<usize> = targets.into_iter().collect();
    while let Some(t) = queue.pop() {
        if !SHARED.contains(&store.held[t].key.ty.as_str()) || !seen.insert(t) {
            continue;
        }
        if let Some((value, more)) = resolved(store, t) {
            if store.held[t].key.ty == "Binary" {
                let url = format!("Binary/{}", store.held[t].key.id);
                binaries.extend(crate::fhir::binaries::read_binary(&value).map(|c| (url, c)));
                continue;
            }
            builder.add(value);
            queue.extend(more);
        }
    }
    binaries
}
