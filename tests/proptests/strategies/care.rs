//! Hostile medications and their requests (with dosages), encounters, immunizations,
//! reports and documents.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

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
