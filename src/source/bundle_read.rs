//! Reading FHIR JSON files: the resources of a Bundle (any type) or of a single resource,
//! the full URLs entries are known by, and references rewritten to `Type/id` through them.

use std::collections::HashMap;

use serde_json::Value;

use super::local::Input;
use crate::fhir::model::relative_reference;
use crate::fhir::record::resource_type;

/// Collect the resources of one input into `out`, and the full URLs they are known by.
pub(super) fn read_input(
    input: &Input<'_>,
    out: &mut Vec<Value>,
    aliases: &mut HashMap<String, String>,
) -> Result<(), String> {
    let value: Value = serde_json::from_str(input.text).map_err(|e| {
        format!(
            "not valid JSON (line {}, column {}): is it a FHIR JSON file?",
            e.line(),
            e.column()
        )
    })?;
    match resource_type(&value) {
        "" => Err("not a FHIR resource (it has no resourceType)".into()),
        "Bundle" => {
            let entries = value
                .get("entry")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for entry in entries {
                let Some(mut resource) = entry.get("resource").cloned() else {
                    continue;
                };
                if resource_type(&resource).is_empty() {
                    continue;
                }
                let full_url = entry.get("fullUrl").and_then(Value::as_str);
                if resource.get("id").and_then(Value::as_str).is_none() {
                    // POST entries in transactions often carry only a urn:uuid full URL.
                    if let Some(id) = full_url.and_then(|u| u.strip_prefix("urn:uuid:")) {
                        resource["id"] = Value::String(id.to_owned());
                    }
                }
                if let (Some(url), Some(id)) =
                    (full_url, resource.get("id").and_then(Value::as_str))
                {
                    aliases.insert(url.to_owned(), format!("{}/{id}", resource_type(&resource)));
                }
                out.push(resource);
            }
            Ok(())
        }
        _ => {
            out.push(value);
            Ok(())
        }
    }
}

/// Rewrite every `reference` in a resource to `Type/id` where it names a known full URL or
/// an absolute URL ending in `Type/id`.
pub(super) fn rewrite_references(v: &mut Value, aliases: &HashMap<String, String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("reference") {
                if let Some(local) = aliases.get(r.as_str()).cloned().or_else(|| {
                    (r.starts_with("http://") || r.starts_with("https://"))
                        .then(|| relative_reference(r))
                        .flatten()
                }) {
                    *r = local;
                }
            }
            for child in map.values_mut() {
                rewrite_references(child, aliases);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| rewrite_references(i, aliases)),
        _ => {}
    }
}
