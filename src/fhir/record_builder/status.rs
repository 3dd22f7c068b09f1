//! What a resource says about itself that decides whether a chart may leave it out: a
//! status of entered-in-error (in any coding, not only the first), refuted or cancelled;
//! and, for an IPS document's Composition, the sections it says are empty and why
//! (`section.emptyReason`). Read from the raw JSON, so it holds for every resource type
//! alike. No I/O.

use serde_json::Value;

use crate::fhir::model::CodeableConcept;
use crate::fhir::record::EmptySection;

/// Why a resource is deliberately not shown, when its own status says so: "entered in
/// error", "refuted" or "cancelled"; `None` for a resource that should be on the chart.
pub fn withdrawn(resource: &Value) -> Option<&'static str> {
    let word = |code: &str| match code.trim() {
        "entered-in-error" => Some("entered in error"),
        "refuted" => Some("refuted"),
        "cancelled" => Some("cancelled"),
        _ => None,
    };
    let plain = ["status", "docStatus"]
        .iter()
        .filter_map(|k| resource.get(*k)?.as_str())
        .find_map(word);
    plain.or_else(|| {
        ["verificationStatus", "clinicalStatus"]
            .iter()
            .filter_map(|k| resource.get(*k))
            .filter_map(|v| serde_json::from_value::<CodeableConcept>(v.clone()).ok())
            .flat_map(|c| c.coding)
            .filter_map(|c| c.code)
            .find_map(|c| word(&c))
    })
}

/// The sections of a Composition that carry no entries and say why (`emptyReason`).
pub fn empty_sections(composition: &Value) -> Vec<EmptySection> {
    let Some(sections) = composition.get("section").and_then(Value::as_array) else {
        return Vec::new();
    };
    sections
        .iter()
        .filter(|s| {
            s.get("entry")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
        })
        .filter_map(|s| {
            let reason: CodeableConcept =
                serde_json::from_value(s.get("emptyReason")?.clone()).ok()?;
            let code: Option<CodeableConcept> = s
                .get("code")
                .and_then(|c| serde_json::from_value(c.clone()).ok());
            Some(EmptySection {
                code: code
                    .as_ref()
                    .and_then(|c| c.code_in("http://loinc.org").or_else(|| c.first_code()))
                    .map(str::to_owned),
                title: s.get("title").and_then(Value::as_str).map(str::to_owned),
                reason: reason
                    .label()
                    .map(str::to_owned)
                    .unwrap_or_else(|| "no reason given".to_owned()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn entered_in_error_in_any_coding() {
        assert_eq!(
            withdrawn(&json!({"status":"entered-in-error"})),
            Some("entered in error")
        );
        let second = json!({"verificationStatus":{"coding":[
            {"system":"http://example.org/local","code":"X"},
            {"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification","code":"entered-in-error"}]}});
        assert_eq!(withdrawn(&second), Some("entered in error"));
        assert_eq!(
            withdrawn(&json!({"verificationStatus":{"coding":[{"code":"refuted"}]}})),
            Some("refuted")
        );
        assert_eq!(withdrawn(&json!({"status":"final"})), None);
    }

    #[test]
    fn empty_sections_with_their_reason() {
        let c = json!({"section":[
            {"title":"Allergies","code":{"coding":[{"system":"http://loinc.org","code":"48765-2"}]},
             "emptyReason":{"coding":[{"code":"unavailable","display":"Unavailable"}]}},
            {"title":"Problems","code":{"coding":[{"system":"http://loinc.org","code":"11450-4"}]},
             "entry":[{"reference":"Condition/1"}]}]});
        let e = empty_sections(&c);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].code.as_deref(), Some("48765-2"));
        assert_eq!(e[0].reason, "Unavailable");
    }
}
