//! The CLI: hostile strings

use super::*;

/// Terminal escapes (clear screen, OSC 52 clipboard write, OSC 8 hyperlink), a C1 CSI, a
/// right-to-left override and a zero-width space.
const HOSTILE: &str = "Evil\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;http://x\u{1b}\\Link\u{9b}31mRed\u{202e}desrever\u{200b}End";

/// A note with escapes, a bell, a C1 CSI and carriage returns (which could overwrite lines).
const HOSTILE_NOTE: &str = "First line\u{1b}[31m red\u{1b}[0m\r\nSecond line\rOVERWRITTEN\u{1b}]52;c;ZXZpbA==\u{7}\n\u{9b}2J\u{202e}Third line\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\\n";

const HOSTILE_ID: &str = "rnd-hostile";

/// Write a collection Bundle with hostile strings everywhere a chart shows text.
fn hostile_bundle(dir: &Path) -> std::path::PathBuf {
    let subject = json!({ "reference": format!("Patient/{HOSTILE_ID}") });
    let entry = |n: u32, resource: Value| {
        json!({
            "fullUrl": format!("urn:uuid:00000000-0000-4000-8000-{n:012}"),
            "resource": resource,
        })
    };
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            entry(1, json!({
                "resourceType": "Patient",
                "id": HOSTILE_ID,
                "identifier": [{ "system": "urn:example:mrn", "value": "HOSTILE1" }],
                "name": [{ "family": HOSTILE, "given": ["Mallory"] }],
                "gender": "female",
                "birthDate": "1970-01-01",
            })),
            entry(2, json!({
                "resourceType": "Condition",
                "id": "rnd-hostile-cond",
                "clinicalStatus": { "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
                }] },
                "code": { "text": HOSTILE },
                "subject": subject,
                "onsetDateTime": "2020-01-01",
            })),
            entry(3, json!({
                "resourceType": "Observation",
                "id": "rnd-hostile-obs",
                "status": "final",
                "category": [{ "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "laboratory",
                }] }],
                "code": { "text": HOSTILE },
                "subject": subject,
                "effectiveDateTime": "2026-01-01T09:00:00Z",
                "valueQuantity": { "value": 5, "unit": HOSTILE },
            })),
            entry(4, json!({
                "resourceType": "DocumentReference",
                "id": "rnd-hostile-note",
                "status": "current",
                "type": { "text": "Progress note" },
                "subject": subject,
                "date": "2026-01-02T10:00:00Z",
                "description": HOSTILE,
                "content": [{ "attachment": {
                    "contentType": "text/plain",
                    "data": base64::engine::general_purpose::STANDARD.encode(HOSTILE_NOTE),
                } }],
            })),
            entry(5, json!({
                "resourceType": "MedicationStatement",
                "id": "rnd-hostile-ms",
                "status": "active",
                "medicationCodeableConcept": { "text": HOSTILE },
                "subject": subject,
                "dosage": [{ "text": HOSTILE }],
                "informationSource": { "display": HOSTILE },
            })),
            entry(6, json!({
                "resourceType": "Flag",
                "id": "rnd-hostile-flag",
                "status": "active",
                "category": [{ "text": HOSTILE }],
                "code": { "text": HOSTILE },
                "subject": subject,
            })),
            entry(7, json!({
                "resourceType": "Procedure",
                "id": "rnd-hostile-proc",
                "status": "completed",
                "code": { "text": HOSTILE },
                "subject": subject,
                "performedDateTime": "2021-01-01",
                "outcome": { "text": HOSTILE },
                "note": [{ "text": HOSTILE }],
            })),
            entry(8, json!({
                "resourceType": "Device",
                "id": "rnd-hostile-dev",
                "status": "active",
                "patient": subject,
                "type": { "text": HOSTILE },
                "manufacturer": HOSTILE,
                "udiCarrier": [{ "carrierHRF": HOSTILE }],
            })),
            entry(9, json!({
                "resourceType": "AllergyIntolerance",
                "id": "rnd-hostile-alg",
                "clinicalStatus": { "coding": [{ "code": "active" }] },
                "code": { "text": HOSTILE },
                "patient": subject,
                "reaction": [{ "manifestation": [{ "text": HOSTILE }] }],
                "note": [{ "text": HOSTILE }],
            })),
            entry(10, json!({
                "resourceType": "Observation",
                "id": "rnd-hostile-vital",
                "status": "final",
                "category": [{ "coding": [{ "code": "vital-signs" }] }],
                "code": { "coding": [{ "system": "http://loinc.org", "code": "8867-4" }], "text": HOSTILE },
                "subject": subject,
                "effectiveDateTime": "2026-01-01T09:00:00Z",
                "valueQuantity": { "value": 70, "unit": HOSTILE },
            })),
            entry(11, json!({
                "resourceType": "Encounter",
                "id": "rnd-hostile-enc",
                "status": "finished",
                "class": { "code": "AMB", "display": HOSTILE },
                "type": [{ "text": HOSTILE }],
                "subject": subject,
                "period": { "start": "2026-01-01T08:00:00Z" },
            })),
            entry(12, json!({
                "resourceType": "Immunization",
                "id": "rnd-hostile-imm",
                "status": "completed",
                "vaccineCode": { "text": HOSTILE },
                "patient": subject,
                "occurrenceDateTime": "2026-01-01",
                "lotNumber": HOSTILE,
            })),
            entry(13, json!({
                "resourceType": "Observation",
                "id": "rnd-hostile-other",
                "status": "final",
                "code": { "text": HOSTILE },
                "subject": subject,
                "effectiveDateTime": "2026-01-01T09:00:00Z",
                "valueString": HOSTILE,
            })),
        ],
    });
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
    path
}

/// No terminal control in the text a terminal would show.
fn assert_inert(what: &str, text: &str) {
    for (bad, name) in [
        ("\u{1b}", "ESC"),
        ("\u{9b}", "C1 CSI"),
        ("\u{7}", "BEL"),
        ("\u{202e}", "right-to-left override"),
    ] {
        assert!(!text.contains(bad), "{what} contains {name}:\n{text:?}");
    }
}

#[test]
fn hostile_strings_are_neutralised_in_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_bundle(dir.path());

    let r = run(open(&file, &["search", "--name", "mallory"]))
        .ok()
        .stdout_has(HOSTILE_ID)
        .stdout_has("EVIL");
    assert_inert("search stdout", &r.stdout);
    assert_inert("search stderr", &r.stderr);

    let r = run(open(&file, &["chart", HOSTILE_ID]))
        .ok()
        .stdout_has("Mallory")
        .stdout_has("First line")
        .stdout_has("Third line");
    assert_inert("chart stdout", &r.stdout);
    assert_inert("chart stderr", &r.stderr);
    // The hostile resources all made it into the chart, cleaned: the lab and the
    // observation with no category (a value: a result), the statement, the procedure.
    assert!(
        !table_rows(&r.stdout, "PROBLEMS").is_empty(),
        "{}",
        r.stdout
    );
    assert_eq!(table_rows(&r.stdout, "LABS").len(), 2, "{}", r.stdout);
    assert!(r.stdout.contains("Postings: FLAG EvilLink"), "{}", r.stdout);

    for section in [
        "banner",
        "cover",
        "problems",
        "allergies",
        "meds",
        "labs",
        "vitals",
        "encounters",
        "immunizations",
        "notes",
        "procedures",
        "postings",
    ] {
        let r = run(open(&file, &["chart", HOSTILE_ID, "--section", section])).ok();
        assert_inert(&format!("--section {section}"), &r.stdout);
    }
}

#[test]
fn hostile_strings_are_escaped_not_altered_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_bundle(dir.path());
    let r = run(open(&file, &["chart", HOSTILE_ID, "--json"])).ok();
    // JSON escapes control characters, so the raw output carries none.
    assert!(!r.stdout.contains('\u{1b}'), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{7}'), "{}", r.stdout);
    let doc = r.json();
    let name = doc["banner"]["name"].as_str().unwrap();
    assert!(name.contains('\u{1b}'), "the data should be kept: {name:?}");
    // The name is display text (the family in capitals), but every control character is
    // still there.
    for c in ['\u{7}', '\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(name.contains(c), "{c:?} dropped from {name:?}");
    }
    assert!(name.contains("\u{1b}[2J"), "{name:?}");

    let doc = run(open(&file, &["search", "--name", "mallory", "--json"]))
        .ok()
        .json();
    assert!(
        doc["patients"][0]["name"]
            .as_str()
            .unwrap()
            .contains('\u{1b}'),
        "{doc:#}"
    );
}
