//! FHIR resources built from hostile parts: observations, conditions, allergies,
//! medications and their requests, encounters, immunizations, reports, documents and
//! patients, each field usually well formed, sometimes absent, sometimes junk; and a
//! `PatientRecord` from them with sections loaded, failed, cut short or pending.

use proptest::prelude::*;
use rounds::fhir::{PatientRecord, RecordBuilder, Section};
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

pub fn dosage() -> BoxedStrategy<Value> {
    let repeat = object(vec![
        ("frequency", number()),
        ("period", number()),
        (
            "periodUnit",
            one_of(&["h", "d", "wk", "mo", "min", "s", "a"]),
        ),
        ("count", number()),
        ("when", list(one_of(&["MORN", "HS", "AC", "PC"]), 2)),
        ("timeOfDay", list(one_of(&["08:00:00", "25:99"]), 2)),
        ("dayOfWeek", list(one_of(&["mon", "tue"]), 2)),
        ("boundsDuration", quantity()),
    ]);
    object(vec![
        ("text", s()),
        ("patientInstruction", s()),
        (
            "timing",
            object(vec![("repeat", repeat), ("code", concept())]),
        ),
        (
            "asNeededBoolean",
            any::<bool>().prop_map(Value::Bool).boxed(),
        ),
        ("asNeededCodeableConcept", concept()),
        ("route", concept()),
        ("site", concept()),
        (
            "doseAndRate",
            list(
                object(vec![
                    ("doseQuantity", quantity()),
                    ("doseRange", range()),
                    ("rateQuantity", quantity()),
                ]),
                2,
            ),
        ),
        (
            "maxDosePerPeriod",
            object(vec![("numerator", quantity()), ("denominator", quantity())]),
        ),
    ])
}

pub fn medication() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Medication")).boxed()),
        ("id", one_of(&["m", "med"])),
        ("code", concept()),
        ("form", concept()),
        (
            "ingredient",
            list(
                object(vec![
                    ("itemCodeableConcept", concept()),
                    ("itemReference", reference()),
                    (
                        "strength",
                        object(vec![("numerator", quantity()), ("denominator", quantity())]),
                    ),
                ]),
                2,
            ),
        ),
    ])
}

pub fn medication_request() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("MedicationRequest")).boxed()),
        ("id", one_of(&["mr0", "mr1", "mr2"])),
        (
            "status",
            one_of(&[
                "active",
                "on-hold",
                "stopped",
                "completed",
                "entered-in-error",
                "draft",
            ]),
        ),
        ("intent", one_of(&["order", "plan", "proposal"])),
        ("medicationCodeableConcept", concept()),
        ("medicationReference", reference()),
        ("contained", list(medication(), 2)),
        ("subject", subject()),
        ("authoredOn", date()),
        ("requester", reference()),
        ("reasonCode", list(concept(), 2)),
        ("dosageInstruction", list(dosage(), 3)),
        (
            "dispenseRequest",
            object(vec![
                ("quantity", quantity()),
                ("numberOfRepeatsAllowed", number()),
                ("validityPeriod", period()),
            ]),
        ),
    ])
}

pub fn encounter() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Encounter")).boxed()),
        ("id", one_of(&["e0", "e1"])),
        (
            "status",
            one_of(&["finished", "in-progress", "cancelled", "entered-in-error"]),
        ),
        (
            "class",
            object(vec![
                ("system", s()),
                ("code", one_of(&["AMB", "EMER", "IMP", "VR"])),
                ("display", s()),
            ]),
        ),
        ("type", list(concept(), 2)),
        ("serviceType", concept()),
        ("subject", subject()),
        (
            "participant",
            list(
                object(vec![
                    ("type", list(concept(), 1)),
                    ("individual", reference()),
                ]),
                2,
            ),
        ),
        ("period", period()),
        ("reasonCode", list(concept(), 2)),
        ("location", list(object(vec![("location", reference())]), 2)),
        ("serviceProvider", reference()),
    ])
}

pub fn immunization() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Immunization")).boxed()),
        ("id", one_of(&["i0", "i1"])),
        (
            "status",
            one_of(&["completed", "not-done", "entered-in-error"]),
        ),
        ("statusReason", concept()),
        ("vaccineCode", concept()),
        ("patient", subject()),
        ("occurrenceDateTime", date()),
        ("occurrenceString", s()),
        ("lotNumber", s()),
        ("site", concept()),
        ("route", concept()),
        ("doseQuantity", quantity()),
        (
            "protocolApplied",
            list(
                object(vec![
                    ("series", s()),
                    ("doseNumberPositiveInt", number()),
                    ("doseNumberString", s()),
                ]),
                2,
            ),
        ),
    ])
}

pub fn report() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("DiagnosticReport")).boxed()),
        ("id", one_of(&["r0", "r1"])),
        ("text", narrative()),
        (
            "status",
            one_of(&["final", "preliminary", "cancelled", "entered-in-error"]),
        ),
        ("code", concept()),
        ("subject", subject()),
        ("effectiveDateTime", date()),
        ("issued", date()),
        ("performer", list(reference(), 2)),
        ("result", list(reference(), 3)),
        ("conclusion", s()),
        ("presentedForm", list(attachment(), 2)),
    ])
}

pub fn document() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("DocumentReference")).boxed()),
        ("id", one_of(&["d0", "d1"])),
        ("text", narrative()),
        (
            "status",
            one_of(&["current", "superseded", "entered-in-error"]),
        ),
        ("docStatus", one_of(&["final", "preliminary", "amended"])),
        ("type", concept()),
        ("category", list(concept(), 1)),
        ("subject", subject()),
        ("date", date()),
        ("author", list(reference(), 2)),
        ("description", s()),
        (
            "content",
            list(object(vec![("attachment", attachment())]), 3),
        ),
    ])
}

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
