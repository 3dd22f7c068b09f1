//! `RecordBuilder`: what it keeps, what it reports, and how.

use super::*;
use serde_json::json;

fn builder() -> RecordBuilder {
    RecordBuilder::new(json!({"resourceType":"Patient","id":"p1"})).unwrap()
}

#[test]
fn keeps_only_this_patients_resources() {
    let mut b = builder();
    b.add(json!({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}));
    b.add(json!({"resourceType":"Condition","id":"c2",
        "subject":{"reference":"https://ehr.example/fhir/Patient/p1"}}));
    b.add(json!({"resourceType":"Condition","id":"c3","subject":{"reference":"Patient/p2"}}));
    b.add(json!({"resourceType":"Condition","id":"c4"}));
    b.add(json!({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}));
    let r = b.finish();
    assert_eq!(r.conditions.len(), 2);
    assert_eq!(r.problems.len(), 1);
    assert_eq!(
        r.problems[0].message,
        "2 Condition resources were not for this patient and left out"
    );
}

#[test]
fn unreadable_resources_are_reported_by_path_not_value() {
    let mut b = builder();
    b.add(
        json!({"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},
        "valueQuantity":{"value":"SECRET-VALUE"}}),
    );
    let r = b.finish();
    assert!(r.observations.is_empty());
    let msg = &r.problems[0].message;
    assert!(msg.contains("valueQuantity.value"), "{msg}");
    assert!(!msg.contains("SECRET"), "{msg}");
}

#[test]
fn medication_resolved_from_contained_or_included() {
    let mut b = builder();
    b.add(json!({"resourceType":"MedicationRequest","id":"m1","subject":{"reference":"Patient/p1"},
        "contained":[{"resourceType":"Medication","id":"med1","code":{"text":"Lisinopril 10 mg tablet"}}],
        "medicationReference":{"reference":"#med1"}}));
    b.add(
        json!({"resourceType":"MedicationRequest","id":"m2","subject":{"reference":"Patient/p1"},
        "medicationReference":{"reference":"Medication/x"}}),
    );
    b.add(
        json!({"resourceType":"MedicationRequest","id":"m3","subject":{"reference":"Patient/p1"},
        "medicationReference":{"reference":"Medication/y"}}),
    );
    b.add(json!({"resourceType":"Medication","id":"x","code":{"text":"Metformin 500 mg tablet"}}));
    let r = b.finish();
    let label = |i: usize| {
        r.medication_for(&r.medication_requests[i])
            .and_then(|m| m.code.and_then(|c| c.label().map(str::to_owned)))
    };
    assert_eq!(label(0).as_deref(), Some("Lisinopril 10 mg tablet"));
    assert_eq!(label(1).as_deref(), Some("Metformin 500 mg tablet"));
    assert_eq!(label(2), None);
    assert_eq!(r.missing_medications(), vec!["Medication/y".to_owned()]);
}

#[test]
fn modifier_extensions_keep_a_resource_off_the_chart() {
    let mut b = builder();
    b.add(
        json!({"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},
        "code":{"text":"Diabetes"},
        "modifierExtension":[{"url":"http://example.org/negated","valueBoolean":true}]}),
    );
    b.add(
        json!({"resourceType":"MedicationRequest","id":"m1","subject":{"reference":"Patient/p1"},
        "dosageInstruction":[{"modifierExtension":[{"url":"http://x","valueBoolean":true}]}]}),
    );
    b.add(
        json!({"resourceType":"Condition","id":"c2","subject":{"reference":"Patient/p1"},
        "modifierExtension":[]}),
    );
    let r = b.finish();
    assert_eq!(r.conditions.len(), 1);
    assert!(r.medication_requests.is_empty());
    assert_eq!(r.problems.len(), 2, "{:?}", r.problems);
    let msg = &r.problems[0].message;
    assert!(msg.contains("modifier extension"), "{msg}");
}

#[test]
fn held_resources_are_listed_with_why_they_are_withdrawn() {
    let mut b = builder();
    b.add(json!({"resourceType":"Observation","id":"o1","status":"final","subject":{"reference":"Patient/p1"}}));
    b.add(json!({"resourceType":"Observation","id":"o2","status":"entered-in-error","subject":{"reference":"Patient/p1"}}));
    b.add(json!({"resourceType":"Observation","id":"o3","subject":{"reference":"Patient/p2"}}));
    b.add(
        json!({"resourceType":"Composition","id":"doc","subject":{"reference":"Patient/p1"},
        "section":[{"code":{"coding":[{"system":"http://loinc.org","code":"11450-4"}]},
                    "emptyReason":{"coding":[{"code":"unavailable"}],"text":"Unavailable"}}]}),
    );
    let r = b.finish();
    let held: Vec<(&str, Option<&str>)> = r.held.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        held,
        [
            ("Observation/o1", None),
            ("Observation/o2", Some("entered in error"))
        ]
    );
    assert_eq!(r.empty_sections.len(), 1);
    assert_eq!(r.empty_sections[0].reason, "Unavailable");
}

#[test]
fn rejects_a_non_patient() {
    let err = RecordBuilder::new(json!({"resourceType":"Observation","id":"1"})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "expected a Patient but got a resource of type 'Observation'"
    );
    assert_eq!(
        RecordBuilder::new(json!({"resourceType":"Patient"})).unwrap_err(),
        RecordError::NoId
    );
}

#[test]
fn hostile_and_other_server_references_are_not_this_patient() {
    let mut b = builder().with_base("https://ehr.example/fhir/");
    let cond = |id: &str, reference: &str| json!({"resourceType":"Condition","id":id,"subject":{"reference":reference}});
    b.add(cond("c1", "https://ehr.example/fhir/Patient/p1"));
    b.add(cond("c2", "Patient/p1/_history/7"));
    b.add(cond("c3", "https://other.example/fhir/Patient/p1"));
    b.add(cond("c4", "Patient/p1/_history/../../p2"));
    b.add(cond("c5", "Patient/p2/_history/../../p1"));
    b.add(cond("c6", "https://ehr.example/fhir/../evil/Patient/p1"));
    let r = b.finish();
    let kept: Vec<_> = r
        .conditions
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect();
    assert_eq!(kept, ["c1", "c2"]);
    assert_eq!(
        r.problems[0].message,
        "4 Condition resources were not for this patient and left out"
    );
}

#[test]
fn a_resource_sent_again_with_other_content_is_said() {
    let mut b = builder();
    let obs = |value: f64| {
        json!({"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},
            "code":{"text":"K"},"valueQuantity":{"value":value,"unit":"mmol/L"}})
    };
    b.add(obs(4.1));
    b.add(obs(4.1));
    let r = builder_with(&[obs(4.1), obs(4.1)]);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    b.add(obs(6.9));
    let r = b.finish();
    assert_eq!(r.observations.len(), 1);
    assert_eq!(
        r.problems[0].message,
        "1 Observation resource was sent twice with different content; the first copy is shown"
    );
}

fn builder_with(resources: &[Value]) -> PatientRecord {
    let mut b = builder();
    for r in resources {
        b.add(r.clone());
    }
    b.finish()
}
