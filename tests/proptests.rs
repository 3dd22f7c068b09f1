#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests over what a hostile server controls: the sanitizer and the HTML-to-text
//! converter, the resource model and `RecordBuilder`, `Chart::build`, the JSON parsing of
//! response bodies and files, and the TUI panes. Nothing may panic, and nothing a terminal
//! would act on may come out of the sanitizer or land in a drawn cell. Fast enough for every
//! CI run (256 cases each; `PROPTEST_CASES` raises it for a longer soak).

use std::io::Write;

use base64::Engine as _;
use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::Config;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rounds::app::{App, Command, Msg, Response, ResponseResult, update};
use rounds::chart::Chart;
use rounds::config::{Keymap, Theme};
use rounds::fhir::model::{
    AllergyIntolerance, Bundle, Condition, DiagnosticReport, DocumentReference, Encounter,
    Immunization, Medication, MedicationRequest, Observation, OperationOutcome, Patient,
};
use rounds::fhir::{PatientRecord, RecordBuilder, Section};
use rounds::source::{DataSource as _, LocalSource};
use rounds::text::{clean_block, clean_line, html_to_text};
use serde_json::{Map, Value, json};

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        // Failures are reported with their minimal input; no regression files are written.
        failure_persistence: None,
        ..Config::default()
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

// ---------------------------------------------------------------------------------------
// What may not come out

/// What a terminal would act on or that reorders or hides text.
fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}'
        | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

fn first_forbidden(s: &str, allow_newline: bool) -> Option<char> {
    s.chars()
        .find(|&c| forbidden(c) && !(allow_newline && c == '\n'))
}

// ---------------------------------------------------------------------------------------
// Hostile text

/// Pieces hostile text is made of: escape-sequence fragments, controls, bidi and invisible
/// characters, combining marks, markup and entities, CJK and emoji, and ordinary words.
fn piece() -> impl Strategy<Value = String> {
    let fragments = prop::sample::select(vec![
        "\u{1b}",
        "\u{1b}[",
        "\u{1b}[2J",
        "\u{1b}[31;1m",
        "\u{1b}[?1049h",
        "\u{1b}]",
        "\u{1b}]52;c;",
        "\u{1b}]8;;http://x/",
        "\u{1b}\\",
        "\u{1b}P",
        "\u{1b}_",
        "\u{1b}^",
        "\u{1b}X",
        "\u{1b}(0",
        "\u{1b}#8",
        "\u{1b} F",
        "\u{1b}c",
        "\u{7}",
        "\u{8}",
        "\u{9b}",
        "\u{9b}1m",
        "\u{9c}",
        "\u{9d}",
        "\u{90}",
        "\u{98}",
        "\u{9e}",
        "\u{9f}",
        "\u{85}",
        "\u{18}",
        "\u{1a}",
        "\u{7f}",
        "\r",
        "\n",
        "\r\n",
        "\t",
        "\u{2028}",
        "\u{2029}",
        "\u{202e}",
        "\u{202d}",
        "\u{2066}",
        "\u{2069}",
        "\u{200e}",
        "\u{200f}",
        "\u{61c}",
        "\u{200b}",
        "\u{200d}",
        "\u{2060}",
        "\u{feff}",
        "\u{e0041}",
        "\u{fff9}",
        "\u{301}",
        "\u{301}\u{302}\u{303}\u{304}\u{305}",
        "\u{fe0f}",
        "\u{20e3}",
        "<",
        ">",
        "&",
        "<p>",
        "</p>",
        "<br/>",
        "<li>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&#27;",
        "&#x9b;",
        "&#x202e;",
        "&#0;",
        "&amp;",
        "&#xD800;",
        "&#1114112;",
        "\u{5f20}\u{4f1f}",
        "\u{1f469}\u{200d}\u{2695}\u{fe0f}",
        "\u{1f1ef}\u{1f1f5}",
        "\u{fffd}",
        " ",
        "  ",
        "word",
        "Potassium",
        "6.9",
        "/",
        "-",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        4 => fragments,
        2 => any::<char>().prop_map(String::from),
        1 => "[a-zA-Z0-9 ;\\[\\]]{0,8}",
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat()),
        // Invalid UTF-8, decoded the way rounds decodes attachments.
        2 => prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn clean_line_is_inert_single_line_and_idempotent(s in hostile_string()) {
        let once = clean_line(&s);
        prop_assert_eq!(first_forbidden(&once, false), None, "{:?} -> {:?}", s, once);
        let breaks = ['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'];
        prop_assert!(!once.contains(breaks), "a line break in {:?}", once);
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(!once.contains("  "));
        prop_assert_eq!(clean_line(&once), once.clone(), "not idempotent: {:?}", s);
    }

    #[test]
    fn clean_block_is_inert(s in hostile_string()) {
        let out = clean_block(&s);
        prop_assert_eq!(first_forbidden(&out, true), None, "{:?} -> {:?}", s, out);
        prop_assert!(!out.contains('\t'));
        prop_assert_eq!(clean_block(&out), out.clone(), "not idempotent: {:?}", s);
    }

    #[test]
    fn html_to_text_never_panics_and_cleans_up(s in hostile_string(), wrap in any::<bool>()) {
        let html = if wrap { format!("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{s}</p></div>") } else { s };
        let text = html_to_text(&html);
        let shown = clean_block(&text);
        prop_assert_eq!(first_forbidden(&shown, true), None, "{:?} -> {:?}", html, shown);
        let _ = clean_line(&text);
    }

    #[test]
    fn plain_text_survives(s in "[\\p{L}\\p{N}\\p{P} ]{0,40}") {
        // Letters, digits and punctuation of any script, single spaces: shown as sent.
        let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assume!(first_forbidden(&words, false).is_none());
        prop_assert_eq!(clean_line(&words), words);
    }
}

// ---------------------------------------------------------------------------------------
// Hostile resources

/// Any JSON, a few levels deep, with FHIR-ish keys: what a broken server sends where a
/// field should be.
fn junk() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        hostile_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "resourceType", "id", "text", "code", "coding", "system", "display", "value", "unit",
            "reference", "subject", "patient", "status", "div", "data", "contentType", "extension",
            "url", "valueString", "valueQuantity", "component", "low", "high", "start", "end",
        ]).prop_map(str::to_owned),
        1 => hostile_string(),
    ]
}

/// A field: usually well formed, sometimes absent, sometimes junk of any type.
fn field(s: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        12 => s.prop_map(Some),
        5 => Just(None),
        1 => junk().prop_map(Some),
    ]
    .boxed()
}

fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let (keys, strategies): (Vec<&'static str>, Vec<BoxedStrategy<Value>>) =
        fields.into_iter().unzip();
    let strategies: Vec<BoxedStrategy<Option<Value>>> = strategies.into_iter().map(field).collect();
    strategies
        .prop_map(move |values| {
            let mut map = Map::new();
            for (k, v) in keys.iter().zip(values) {
                if let Some(v) = v {
                    map.insert((*k).to_owned(), v);
                }
            }
            Value::Object(map)
        })
        .boxed()
}

fn s() -> BoxedStrategy<Value> {
    hostile_string().prop_map(Value::String).boxed()
}

fn one_of(values: &[&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::sample::select(values.to_vec()).prop_map(|v| Value::String(v.to_owned())),
        1 => s(),
    ]
    .boxed()
}

fn date() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (1900i32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60).prop_map(|(y, m, d, h, mi)| {
            Value::String(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:00Z"))
        }),
        2 => (1900i32..2100, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| Value::String(format!("{y:04}-{m:02}-{d:02}"))),
        1 => prop::sample::select(vec!["2026", "2026-02", "0000-00-00", "9999-12-31T23:59:59+14:00", "-0001-01-01", "2026-13-45T99:99:99Z", ""])
            .prop_map(|v| Value::String(v.to_owned())),
        1 => s(),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (-1000.0f64..1000.0).prop_map(|f| json!(f)),
        1 => prop::sample::select(vec![0.0, -0.0, 1e308, -1e308, 1e-300, 5e-324, 123_456.789_012_345])
            .prop_map(|f| json!(f)),
        1 => any::<i64>().prop_map(|i| json!(i)),
    ]
    .boxed()
}

fn list(item: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    prop::collection::vec(item, 0..max)
        .prop_map(Value::Array)
        .boxed()
}

fn coding(codes: &[&'static str]) -> BoxedStrategy<Value> {
    object(vec![
        (
            "system",
            one_of(&[
                "http://loinc.org",
                "http://snomed.info/sct",
                "http://unitsofmeasure.org",
            ]),
        ),
        ("code", one_of(codes)),
        ("display", s()),
    ])
}

/// A CodeableConcept whose codes come from `codes` (vital-sign LOINC codes, statuses...).
fn concept_of(codes: &[&'static str]) -> BoxedStrategy<Value> {
    object(vec![("coding", list(coding(codes), 3)), ("text", s())])
}

fn concept() -> BoxedStrategy<Value> {
    concept_of(&[
        "x",
        "active",
        "HH",
        "H",
        "L",
        "N",
        "716186003",
        "laboratory",
        "vital-signs",
    ])
}

fn quantity() -> BoxedStrategy<Value> {
    object(vec![
        ("value", number()),
        ("comparator", one_of(&["<", "<=", ">", ">="])),
        (
            "unit",
            one_of(&[
                "mmol/L", "mg", "Cel", "%", "/min", "mm[Hg]", "1", "{score}", "10*3/uL", "",
            ]),
        ),
        ("system", one_of(&["http://unitsofmeasure.org"])),
        ("code", one_of(&["mmol/L", "mg", "1", "Cel"])),
    ])
}

fn range() -> BoxedStrategy<Value> {
    object(vec![("low", quantity()), ("high", quantity())])
}

fn reference() -> BoxedStrategy<Value> {
    object(vec![
        (
            "reference",
            one_of(&[
                "Patient/p",
                "Patient/other",
                "Practitioner/dr",
                "Organization/org",
                "Medication/m",
                "#med",
                "urn:uuid:1",
                "https://x/fhir/Patient/p/_history/2",
                "Observation/o0",
            ]),
        ),
        ("display", s()),
    ])
}

fn subject() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => Just(json!({"reference": "Patient/p"})),
        1 => reference(),
    ]
    .boxed()
}

fn period() -> BoxedStrategy<Value> {
    object(vec![("start", date()), ("end", date())])
}

fn annotation() -> BoxedStrategy<Value> {
    object(vec![("text", s()), ("time", date())])
}

fn attachment() -> BoxedStrategy<Value> {
    let data = prop_oneof![
        4 => hostile_string().prop_map(|t| base64::engine::general_purpose::STANDARD.encode(t)),
        2 => prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| base64::engine::general_purpose::STANDARD.encode(b)),
        1 => hostile_string(),
    ]
    .prop_map(Value::String)
    .boxed();
    object(vec![
        (
            "contentType",
            one_of(&[
                "text/plain",
                "text/plain; charset=utf-8",
                "text/html",
                "application/xhtml+xml",
                "application/pdf",
                "TEXT/HTML",
                "text/plain; charset=iso-8859-1",
                "text/plain; charset=utf-16",
                "text/html; charset=\"UTF-16BE\"",
            ]),
        ),
        ("data", data),
        ("url", s()),
        ("title", s()),
        ("size", number()),
    ])
}

fn narrative() -> BoxedStrategy<Value> {
    object(vec![
        ("status", one_of(&["generated", "empty"])),
        ("div", s()),
    ])
}

fn observation_value(into: &mut Vec<(&'static str, BoxedStrategy<Value>)>) {
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

fn observation() -> BoxedStrategy<Value> {
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

fn condition() -> BoxedStrategy<Value> {
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

fn allergy() -> BoxedStrategy<Value> {
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

fn dosage() -> BoxedStrategy<Value> {
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

fn medication() -> BoxedStrategy<Value> {
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

fn medication_request() -> BoxedStrategy<Value> {
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

fn encounter() -> BoxedStrategy<Value> {
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

fn immunization() -> BoxedStrategy<Value> {
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

fn report() -> BoxedStrategy<Value> {
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

fn document() -> BoxedStrategy<Value> {
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

fn human_name() -> BoxedStrategy<Value> {
    object(vec![
        ("use", one_of(&["official", "usual", "old", "maiden"])),
        ("text", s()),
        ("family", s()),
        ("given", list(s(), 3)),
        ("prefix", list(s(), 2)),
        ("suffix", list(s(), 1)),
    ])
}

fn person(kind: &'static str, id: &'static str) -> BoxedStrategy<Value> {
    object(vec![
        ("resourceType", Just(json!(kind)).boxed()),
        ("id", Just(json!(id)).boxed()),
        ("name", list(human_name(), 2)),
    ])
}

fn patient() -> BoxedStrategy<Value> {
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

fn resource() -> BoxedStrategy<Value> {
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
        1 => person("Practitioner", "dr"),
        1 => object(vec![("resourceType", Just(json!("Organization")).boxed()), ("id", Just(json!("org")).boxed()), ("name", s())]),
        1 => object(vec![("resourceType", Just(json!("OperationOutcome")).boxed()), ("issue", list(object(vec![("severity", one_of(&["error", "warning"])), ("code", s()), ("diagnostics", s()), ("details", concept())]), 2))]),
        1 => junk(),
    ]
    .boxed()
}

/// A record from hostile resources, with sections loaded, failed, cut short or pending.
fn record() -> impl Strategy<Value = Option<PatientRecord>> {
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

// ---------------------------------------------------------------------------------------
// The TUI

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn draw(app: &mut App, size: (u16, u16), what: &str) -> Result<(), TestCaseError> {
    update(app, Msg::Resize(size.0, size.1));
    let mut t = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    t.draw(|f| rounds::ui::render(f, app)).unwrap();
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            prop_assert!(
                !sym.chars().any(forbidden),
                "{}: cell ({}, {}) holds {:?}",
                what,
                x,
                y,
                sym
            );
        }
    }
    Ok(())
}

/// Open the record's chart in a fresh app (answering the load the way the worker does).
fn open_chart(record: PatientRecord) -> App {
    // A source description, made once (loading the demo patients per case is slow).
    static INFO: std::sync::OnceLock<rounds::source::SourceInfo> = std::sync::OnceLock::new();
    let info = INFO.get_or_init(|| rounds::source::demo_source().unwrap().info());
    let mut app = App::new(
        info.clone(),
        today(),
        Theme::built_in("default").unwrap(),
        Keymap::default_keymap(),
    );
    let cmds = update(&mut app, Msg::OpenPatient("p".into()));
    for cmd in cmds {
        if let Command::LoadChart { req, .. } = cmd {
            update(
                &mut app,
                Msg::Response(Response {
                    req,
                    result: ResponseResult::Chart(Ok(Box::new(record.clone()))),
                }),
            );
        }
    }
    app
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn records_and_charts_never_panic(record in record()) {
        let Some(record) = record else { return Ok(()) };
        let chart = Chart::build(&record, today());
        let _ = chart.cover_sheet();
        let json = serde_json::to_string(&chart).unwrap();
        prop_assert!(serde_json::from_str::<Value>(&json).is_ok());
        let mut merged = record.clone();
        merged.merge(record.clone());
        let _ = Chart::build(&merged, today());
        let _ = record.missing_medications();
        for r in &record.medication_requests {
            let _ = record.medication_for(r);
        }
    }
}

/// What to look at after a tab's list.
#[derive(Debug, Clone, Copy)]
enum Then {
    Detail,
    DetailPaged,
    Cumulative,
    Help,
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn hostile_charts_render_inert(
        record in record(),
        size in prop::sample::select(vec![(80u16, 24u16), (120, 40), (40, 12), (200, 8)]),
        tab in 1u8..=8,
        row in 0usize..4,
        then in prop::sample::select(vec![Then::Detail, Then::DetailPaged, Then::Cumulative, Then::Help]),
    ) {
        let Some(record) = record else { return Ok(()) };
        let mut app = open_chart(record);
        press(&mut app, KeyCode::Char(char::from(b'0' + tab)));
        for _ in 0..row {
            press(&mut app, KeyCode::Down);
        }
        draw(&mut app, size, "tab")?;
        match then {
            Then::Detail | Then::DetailPaged => {
                press(&mut app, KeyCode::Enter);
                if matches!(then, Then::DetailPaged) {
                    press(&mut app, KeyCode::PageDown);
                }
                draw(&mut app, size, "detail")?;
            }
            Then::Cumulative => {
                keys_c(&mut app);
                draw(&mut app, size, "results view")?;
            }
            Then::Help => {
                press(&mut app, KeyCode::Char('?'));
                draw(&mut app, size, "help")?;
            }
        }
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('1'));
        draw(&mut app, size, "cover")?;
    }
}

/// Switch the results view (list or cumulative), on the results tab.
fn keys_c(app: &mut App) {
    press(app, KeyCode::Char('4'));
    press(app, KeyCode::Char('c'));
}

// ---------------------------------------------------------------------------------------
// Bytes from the network or a file

/// JSON text of a bundle of hostile resources, then damaged: truncated, bytes changed, or
/// bytes inserted (invalid UTF-8 among them).
fn body() -> impl Strategy<Value = Vec<u8>> {
    let bundle = (patient(), prop::collection::vec(resource(), 0..6), any::<bool>()).prop_map(
        |(p, rs, searchset)| {
            let entry: Vec<Value> = std::iter::once(p)
                .chain(rs)
                .map(|r| json!({"fullUrl": "urn:uuid:x", "resource": r, "search": {"mode": "match"}}))
                .collect();
            let kind = if searchset { "searchset" } else { "collection" };
            serde_json::to_vec(&json!({"resourceType": "Bundle", "type": kind, "total": entry.len(), "entry": entry}))
                .unwrap()
        },
    );
    let edit = prop_oneof![
        (any::<prop::sample::Index>()).prop_map(|i| (0u8, i, 0u8)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| (1u8, i, b)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| (2u8, i, b)),
    ];
    prop_oneof![
        6 => (bundle, prop::collection::vec(edit, 0..4)).prop_map(|(mut bytes, edits)| {
            for (kind, at, b) in edits {
                if bytes.is_empty() {
                    break;
                }
                let i = at.index(bytes.len());
                match kind {
                    0 => bytes.truncate(i),
                    1 => bytes[i] = b,
                    _ => bytes.insert(i, b),
                }
            }
            bytes
        }),
        1 => prop::collection::vec(any::<u8>(), 0..256),
        1 => junk().prop_map(|v| serde_json::to_vec(&v).unwrap()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn response_bodies_never_panic(bytes in body()) {
        let _ = serde_json::from_slice::<Bundle>(&bytes);
        let _ = serde_json::from_slice::<OperationOutcome>(&bytes);
        let _ = serde_json::from_slice::<Patient>(&bytes);
        let _ = serde_json::from_slice::<Observation>(&bytes);
        let _ = serde_json::from_slice::<Condition>(&bytes);
        let _ = serde_json::from_slice::<AllergyIntolerance>(&bytes);
        let _ = serde_json::from_slice::<MedicationRequest>(&bytes);
        let _ = serde_json::from_slice::<Medication>(&bytes);
        let _ = serde_json::from_slice::<Encounter>(&bytes);
        let _ = serde_json::from_slice::<Immunization>(&bytes);
        let _ = serde_json::from_slice::<DiagnosticReport>(&bytes);
        let _ = serde_json::from_slice::<DocumentReference>(&bytes);
        // A page that parses goes on into a record and a chart, as the client does.
        if let Ok(bundle) = serde_json::from_slice::<Bundle>(&bytes) {
            let _ = bundle.next_link();
            let mut resources = bundle.entry.into_iter().filter_map(|e| e.resource);
            if let Some(Ok(mut b)) = resources.next().map(RecordBuilder::new) {
                resources.for_each(|r| b.add(r));
                Section::ALL.into_iter().for_each(|s| b.mark_loaded(s));
                let _ = Chart::build(&b.finish(), today());
            }
        }
    }

    #[test]
    fn files_never_panic(bytes in body()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bundle.json");
        std::fs::File::create(&path).unwrap().write_all(&bytes).unwrap();
        // Raw bytes (invalid UTF-8 included) from disk, as a file and as a folder.
        for target in [path.as_path(), dir.path()] {
            if let Ok(source) = LocalSource::open(target) {
                let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
                let record = rt.block_on(source.record("p", &Section::ALL));
                if let Ok(record) = record {
                    let _ = Chart::build(&record, today());
                }
                let _ = rt.block_on(source.search(
                    &rounds::fhir::PatientQuery { name: Some("a".into()), ..Default::default() },
                    10,
                ));
            }
        }
    }
}
