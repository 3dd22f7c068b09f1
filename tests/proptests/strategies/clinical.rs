//! Hostile observations (every R4 value type), conditions and allergies: each field
//! usually well formed, sometimes absent, sometimes junk.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

pub fn observation_value(into: &mut Vec<(&'static str, BoxedStrategy<Value>)>) {
    into.extend([
        ("valueQuantity", quantity()),
        ("valueString", s()),
        ("valueCodeableConcept", concept()),
        ("valueInteger", number()),
        ("valueBoolean", any::<bool>().prop_map(Value::Bool).boxed()),
        ("valueRange", range()),
        (
            "valueRatio",
            object(vec![("numerator", quantity()), ("denominator", quantity())]),
        ),
        ("dataAbsentReason", concept()),
    ]);
}

pub fn observation() -> BoxedStrategy<Value> {
    let vital_codes = [
        "85354-9", "8480-6", "8462-4", "8867-4", "9279-1", "8310-5", "59408-5", "29463-7",
        "8302-2", "39156-5", "72514-3", "2823-3",
    ];
    let mut component = vec![
        ("code", concept_of(&vital_codes)),
        (
            "referenceRange",
            list(
                object(vec![
                    ("low", quantity()),
                    ("high", quantity()),
                    ("text", s()),
                ]),
                2,
            ),
        ),
    ];
    observation_value(&mut component);
    let mut fields = vec![
        ("resourceType", Just(json!("Observation")).boxed()),
        ("id", one_of(&["o0", "o1", "o2", "o3"])),
        (
            "status",
            one_of(&[
                "final",
                "amended",
                "preliminary",
                "entered-in-error",
                "cancelled",
            ]),
        ),
        (
            "category",
            list(
                concept_of(&["laboratory", "vital-signs", "social-history"]),
                2,
            ),
        ),
        ("code", concept_of(&vital_codes)),
        ("subject", subject()),
        ("effectiveDateTime", date()),
        ("effectivePeriod", period()),
        ("issued", date()),
        ("performer", list(reference(), 2)),
        ("interpretation", list(concept(), 2)),
        ("note", list(annotation(), 2)),
        (
            "referenceRange",
            list(
                object(vec![
                    ("low", quantity()),
                    ("high", quantity()),
                    ("text", s()),
                    ("type", concept()),
                ]),
                2,
            ),
        ),
        ("component", list(object(component), 3)),
    ];
    observation_value(&mut fields);
    object(fields)
}

pub fn condition() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Condition")).boxed()),
        ("id", one_of(&["c0", "c1", "c2"])),
        (
            "clinicalStatus",
            concept_of(&[
                "active",
                "recurrence",
                "relapse",
                "inactive",
                "remission",
                "resolved",
            ]),
        ),
        (
            "verificationStatus",
            concept_of(&["confirmed", "provisional", "refuted", "entered-in-error"]),
        ),
        (
            "category",
            list(concept_of(&["problem-list-item", "encounter-diagnosis"]), 2),
        ),
        ("severity", concept()),
        ("code", concept()),
        ("subject", subject()),
        ("onsetDateTime", date()),
        ("onsetAge", quantity()),
        ("onsetString", s()),
        ("abatementDateTime", date()),
        ("recordedDate", date()),
        ("note", list(annotation(), 2)),
    ])
}

pub fn allergy() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("AllergyIntolerance")).boxed()),
        ("id", one_of(&["a0", "a1", "a2"])),
        (
            "clinicalStatus",
            concept_of(&["active", "inactive", "resolved"]),
        ),
        (
            "verificationStatus",
            concept_of(&["confirmed", "unconfirmed", "refuted", "entered-in-error"]),
        ),
        ("type", one_of(&["allergy", "intolerance"])),
        (
            "category",
            list(
                one_of(&["food", "medication", "environment", "biologic"]),
                2,
            ),
        ),
        ("criticality", one_of(&["low", "high", "unable-to-assess"])),
        ("code", concept_of(&["716186003", "409137002", "x"])),
        ("patient", subject()),
        ("recordedDate", date()),
        (
            "reaction",
            list(
                object(vec![
                    ("manifestation", list(concept(), 2)),
                    ("severity", one_of(&["mild", "moderate", "severe"])),
                    ("description", s()),
                ]),
                2,
            ),
        ),
        ("note", list(annotation(), 1)),
    ])
}
