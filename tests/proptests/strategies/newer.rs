//! The resource types issue 11 added to the chart, built from hostile parts like the
//! others: medication statements (including IPS "no information" codes), flags (with the
//! priority extension and periods), procedures (done or not, with devices) and devices.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;

pub fn medication_statement() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("MedicationStatement")).boxed()),
        ("id", one_of(&["ms0", "ms1", "ms2"])),
        (
            "status",
            one_of(&[
                "active",
                "completed",
                "not-taken",
                "intended",
                "entered-in-error",
                "x",
            ]),
        ),
        (
            "medicationCodeableConcept",
            concept_of(&["no-medication-info", "no-known-medications", "1049221", "x"]),
        ),
        ("medicationReference", reference()),
        ("subject", subject()),
        ("effectivePeriod", period()),
        ("effectiveDateTime", date()),
        ("informationSource", reference()),
        ("reasonReference", list(reference(), 2)),
        ("dosage", list(object(vec![("text", s())]), 2)),
        ("note", list(annotation(), 1)),
    ])
}

pub fn flag() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Flag")).boxed()),
        ("id", one_of(&["f0", "f1"])),
        (
            "status",
            one_of(&["active", "inactive", "entered-in-error", "x"]),
        ),
        (
            "category",
            list(concept_of(&["clinical", "safety", "advance-directive"]), 2),
        ),
        ("code", concept()),
        ("subject", subject()),
        ("period", period()),
        (
            "extension",
            list(
                object(vec![
                    (
                        "url",
                        one_of(&["http://hl7.org/fhir/StructureDefinition/flag-priority", "x"]),
                    ),
                    (
                        "valueCodeableConcept",
                        concept_of(&["PH", "PM", "PL", "PN"]),
                    ),
                ]),
                2,
            ),
        ),
        ("author", reference()),
    ])
}

pub fn procedure() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Procedure")).boxed()),
        ("id", one_of(&["p0", "p1", "p2"])),
        (
            "status",
            one_of(&[
                "completed",
                "not-done",
                "in-progress",
                "entered-in-error",
                "x",
            ]),
        ),
        ("statusReason", concept()),
        ("category", concept()),
        ("code", concept()),
        ("subject", subject()),
        ("performedDateTime", date()),
        ("performedPeriod", period()),
        ("performedString", s()),
        ("bodySite", list(concept(), 2)),
        ("outcome", concept()),
        ("complication", list(concept(), 2)),
        ("performer", list(object(vec![("actor", reference())]), 2)),
        (
            "focalDevice",
            list(object(vec![("manipulated", reference())]), 2),
        ),
        ("note", list(annotation(), 1)),
    ])
}

pub fn device() -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!("Device")).boxed()),
        ("id", one_of(&["d0", "d1"])),
        (
            "status",
            one_of(&["active", "inactive", "entered-in-error", "x"]),
        ),
        ("patient", subject()),
        ("type", concept()),
        (
            "deviceName",
            list(object(vec![("name", s()), ("type", s())]), 2),
        ),
        (
            "udiCarrier",
            list(
                object(vec![("carrierHRF", s()), ("deviceIdentifier", s())]),
                2,
            ),
        ),
        ("manufacturer", s()),
        ("lotNumber", s()),
        ("serialNumber", s()),
        ("expirationDate", date()),
    ])
}
