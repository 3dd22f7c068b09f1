//! Status codes and concepts turned into words, shared by the chart sections.

use crate::fhir::model::CodeableConcept;

/// The first code of a status concept (clinicalStatus, verificationStatus).
pub fn status_code(c: Option<&CodeableConcept>) -> Option<&str> {
    c.and_then(|c| c.first_code()).map(str::trim)
}

/// Whether any coding of a status concept is one of `codes` (a server may send its own
/// coding first and the HL7 one second).
pub fn status_is(c: Option<&CodeableConcept>, codes: &[&str]) -> bool {
    c.is_some_and(|c| {
        c.coding
            .iter()
            .filter_map(|cd| cd.code.as_deref())
            .any(|code| codes.contains(&code.trim()))
    })
}

/// Whether a verification status withdraws the resource: entered in error or refuted, in
/// any of its codings.
pub fn withdrawn(verification: Option<&CodeableConcept>) -> bool {
    status_is(verification, &["entered-in-error", "refuted"])
}

/// `Type/id` of a resource, as rows name the resources they were built from.
pub fn source_ids(resource_type: &str, id: Option<&String>) -> Vec<String> {
    id.map(|i| vec![format!("{resource_type}/{i}")])
        .unwrap_or_default()
}

/// The texts of a resource's `note` entries joined with "; ", or `None` when there are none.
pub fn notes(list: &[crate::fhir::model::Annotation]) -> Option<String> {
    let parts: Vec<&str> = list
        .iter()
        .filter_map(|a| a.text.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// A code such as `on-hold` or `entered-in-error` as words: `On hold`.
pub fn words(code: &str) -> String {
    let spaced = code.trim().replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A concept's label, or `fallback`.
pub fn label_or(c: Option<&CodeableConcept>, fallback: &str) -> String {
    c.and_then(|c| c.label())
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| fallback.to_owned())
}

/// The labels of several concepts joined with ", ", or `None` when none has a label.
pub fn labels(cs: &[CodeableConcept]) -> Option<String> {
    let parts: Vec<&str> = cs.iter().filter_map(|c| c.label()).map(str::trim).collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// SNOMED CT names end in a semantic tag that says what kind of concept they are:
/// "Patient immunocompromised (finding)", "Product containing anastrozole (medicinal
/// product)". Shown to a clinician, the tag is noise; this is the name without it.
pub fn without_semantic_tag(name: &str) -> &str {
    const TAGS: [&str; 10] = [
        " (finding)",
        " (disorder)",
        " (situation)",
        " (procedure)",
        " (observable entity)",
        " (regime/therapy)",
        " (medicinal product)",
        " (medicinal product form)",
        " (clinical drug)",
        " (substance)",
    ];
    let name = name.trim();
    TAGS.iter()
        .find_map(|t| name.strip_suffix(t))
        .unwrap_or(name)
        .trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_read_in_any_coding() {
        let c: CodeableConcept = serde_json::from_str(
            r#"{"coding":[{"system":"urn:local","code":"X"},{"code":"entered-in-error"}]}"#,
        )
        .unwrap();
        assert!(withdrawn(Some(&c)));
        assert_eq!(status_code(Some(&c)), Some("X"));
        assert!(!withdrawn(None));
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(words("on-hold"), "On hold");
        assert_eq!(words("entered-in-error"), "Entered in error");
        assert_eq!(words(""), "");
        assert_eq!(
            without_semantic_tag("Product containing anastrozole (medicinal product) "),
            "Product containing anastrozole"
        );
        assert_eq!(without_semantic_tag("Hip (left)"), "Hip (left)");
    }
}
