//! The searches behind the banner's postings (CPRS "CWAD"): the patient's `Flag`s, their
//! advance-directive documents (DocumentReference category LOINC 42348-3 "Advance
//! directives", as US Core ADI and PACIO ADI file them) and code-status observations
//! (LOINC advance directive, POLST and DNR-order codes). They go with the first screen,
//! so a DNR is on the banner as soon as the chart opens; directive documents filed under
//! another category still become postings once the notes arrive.
//!
//! `found_by_postings_search` says which raw resources these searches return, so a
//! source reading files hands over exactly what a server would.

use serde_json::Value;

use super::{PageSize, SearchRequest, Section};

/// The DocumentReference category (LOINC) of advance-directive documents.
pub const ADI_DOCUMENT_CATEGORY: &str = "42348-3";

/// LOINC codes of observations that record an advance directive or code status:
/// advance directive, advance directives, National POLST form, portable medical order
/// form, DNR order in place, POLST/MOLST in place.
pub const DIRECTIVE_OBSERVATION_CODES: [&str; 6] = [
    "75320-2", "42348-3", "100821-8", "93037-0", "81351-9", "81352-7",
];

const LOINC: &str = "http://loinc.org";

/// The three postings searches for `patient_id`.
pub(super) fn searches(patient_id: &str, page: PageSize) -> Vec<SearchRequest> {
    let count = page.other.to_string();
    let codes: Vec<String> = DIRECTIVE_OBSERVATION_CODES
        .iter()
        .map(|c| format!("{LOINC}|{c}"))
        .collect();
    let req = |ty: &'static str, filter: Option<(&str, String)>| SearchRequest {
        section: Some(Section::Postings),
        resource_type: ty,
        operation: None,
        params: std::iter::once(("patient".to_owned(), patient_id.to_owned()))
            .chain(filter.map(|(k, v)| (k.to_owned(), v)))
            .chain(std::iter::once(("_count".to_owned(), count.clone())))
            .collect(),
    };
    vec![
        req("Flag", None),
        req(
            "DocumentReference",
            Some(("category", ADI_DOCUMENT_CATEGORY.to_owned())),
        ),
        req("Observation", Some(("code", codes.join(",")))),
    ]
}

/// Whether a raw resource is one the postings searches find: any Flag, a
/// DocumentReference in the advance-directive category (any code system), an
/// Observation coded with a directive LOINC code.
pub fn found_by_postings_search(resource: &Value) -> bool {
    let codings = |v: Option<&Value>| -> Vec<(String, String)> {
        v.and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let code = c.get("code")?.as_str()?.to_owned();
                let system = c.get("system").and_then(Value::as_str).unwrap_or("");
                Some((system.to_owned(), code))
            })
            .collect()
    };
    match resource.get("resourceType").and_then(Value::as_str) {
        Some("Flag") => true,
        Some("DocumentReference") => resource
            .get("category")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|c| codings(c.get("coding")))
            .any(|(_, code)| code == ADI_DOCUMENT_CATEGORY),
        Some("Observation") => codings(resource.get("code").and_then(|c| c.get("coding")))
            .iter()
            .any(|(system, code)| {
                system == LOINC && DIRECTIVE_OBSERVATION_CODES.contains(&code.as_str())
            }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_directive_documents_and_code_status_observations() {
        let urls: Vec<String> = searches("Patient/7", PageSize::default())
            .iter()
            .map(SearchRequest::relative_url)
            .collect();
        assert_eq!(urls[0], "Flag?patient=Patient%2F7&_count=100");
        assert_eq!(
            urls[1],
            "DocumentReference?patient=Patient%2F7&category=42348-3&_count=100"
        );
        assert!(
            urls[2].starts_with(
                "Observation?patient=Patient%2F7&code=http%3A%2F%2Floinc.org%7C75320-2%2C"
            ),
            "{}",
            urls[2]
        );
        let doc = |code: &str| {
            json!({"resourceType":"DocumentReference",
                "category":[{"coding":[{"system":"urn:oid:1.2","code":code}]}]})
        };
        assert!(found_by_postings_search(&doc("42348-3")));
        assert!(!found_by_postings_search(&doc("11506-3")));
        let obs = |system: &str| {
            json!({"resourceType":"Observation",
                "code":{"coding":[{"system":system,"code":"75320-2"}]}})
        };
        assert!(found_by_postings_search(&obs("http://loinc.org")));
        assert!(!found_by_postings_search(&obs("urn:local")));
        assert!(found_by_postings_search(&json!({"resourceType":"Flag"})));
        assert!(!found_by_postings_search(
            &json!({"resourceType":"Procedure"})
        ));
    }
}
