//! FHIR resources built from hostile parts: patients and the people around them, any one
//! resource of the chart (`clinical`, `care`, `newer`), and a `PatientRecord` from them
//! with sections loaded, failed, cut short or pending.

use proptest::prelude::*;
use rounds::fhir::{PatientRecord, RecordBuilder, Section};
use serde_json::{Value, json};

use super::care::*;
use super::clinical::*;
use super::*;

pub fn human_name() -> BoxedStrategy<Value> {
    object(vec![
        ("use", one_of(&["official", "usual", "old", "maiden"])),
        ("text", s()),
        ("family", s()),
        ("given", list(s(), 3)),
        ("prefix", list(s(), 2)),
        ("suffix", list(s(), 1)),
    ])
}

pub fn person(kind: &'static str, id: &'static str) -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!(kind)).boxed()),
        ("id", Just(json!(id)).boxed()),
        ("name", list(human_name(), 2)),
    ])
}

pub fn patient() -> BoxedStrategy<Value> {
    let id = prop_oneof![9 => Just(json!("p")), 1 => junk()].boxed();
    let mr = json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]});
    object(vec![
        ("id", id),
        ("name", list(human_name(), 3)),
        (
            "identifier",
            list(
                object(vec![
                    ("type", prop_oneof![Just(mr), concept()].boxed()),
                    ("system", s()),
                    ("value", s()),
                ]),
                3,
            ),
        ),
        ("gender", one_of(&["male", "female", "other", "unknown"])),
        ("birthDate", date()),
        (
            "deceasedBoolean",
            any::<bool>().prop_map(Value::Bool).boxed(),
        ),
        ("deceasedDateTime", date()),
        ("maritalStatus", concept()),
    ])
    .prop_map(|mut p| {
        p["resourceType"] = json!("Patient");
        p
    })
    .boxed()
}

pub fn resource() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => observation(),
        2 => condition(),
        2 => allergy(),
        2 => medication_request(),
        1 => medication(),
        1 => encounter(),
        1 => immunization(),
        1 => report(),
        2 => document(),
        2 => super::newer::medication_statement(),
        1 => super::newer::flag(),
        1 => super::newer::procedure(),
        1 => super::newer::device(),
        1 => person("Practitioner", "dr"),
        1 => object(vec![("resourceType", Just(json!("Organization")).boxed()), ("id", Just(json!("org")).boxed()), ("name", s())]),
        1 => object(vec![("resourceType", Just(json!("OperationOutcome")).boxed()), ("issue", list(object(vec![("severity", one_of(&["error", "warning"])), ("code", s()), ("diagnostics", s()), ("details", concept())]), 2))]),
        1 => junk(),
    ]
    .boxed()
}

/// A record from hostile resources, with sections loaded, failed, cut short or pending.
pub fn record() -> impl Strategy<Value = Option<PatientRecord>> {
    (
        patient(),
        prop::collection::vec(resource(), 0..14),
        prop::collection::vec(0u8..8, Section::ALL.len()),
        hostile_string(),
    )
        .prop_map(|(patient, resources, states, failure)| {
            let mut b = RecordBuilder::new(patient).ok()?;
            for r in resources {
                b.add(r);
            }
            for (s, state) in Section::ALL.into_iter().zip(states) {
                match state {
                    0 => b.mark_failed(s, failure.clone()),
                    1 => {
                        b.mark_loaded(s);
                        b.mark_truncated(s);
                    }
                    2 => b.mark_pending(s),
                    3 => {
                        b.mark_loaded(s);
                        b.mark_pending(s);
                    }
                    _ => b.mark_loaded(s),
                }
            }
            b.problem(None, failure);
            Some(b.finish())
        })
}
