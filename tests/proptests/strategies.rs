//! Strategies for what a hostile server controls: text made of escape-sequence fragments,
//! controls, bidi and invisible characters, markup, CJK and emoji; and the JSON building
//! blocks of FHIR resources (junk where a field should be, codings, quantities,
//! references, dates, attachments). The resources themselves are in `clinical`, `care`,
//! `newer` and `resources`.

pub mod care;
pub mod clinical;
pub mod newer;
pub mod resources;

use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

pub use resources::{patient, record, resource};

// ---------------------------------------------------------------------------------------
// Hostile text

/// Pieces hostile text is made of: escape-sequence fragments, controls, bidi and invisible
/// characters, combining marks, markup and entities, CJK and emoji, and ordinary words.
pub fn piece() -> impl Strategy<Value = String> {
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

pub fn hostile_string() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat()),
        // Invalid UTF-8, decoded the way rounds decodes attachments.
        2 => prop::collection::vec(any::<u8>(), 0..64)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => any::<String>(),
    ]
}

// ---------------------------------------------------------------------------------------
// Hostile resources

/// Any JSON, a few levels deep, with FHIR-ish keys: what a broken server sends where a
/// field should be.
pub fn junk() -> BoxedStrategy<Value> {
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

pub fn key() -> impl Strategy<Value = String> {
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
pub fn field(s: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        12 => s.prop_map(Some),
        5 => Just(None),
        1 => junk().prop_map(Some),
    ]
    .boxed()
}

pub fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
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

pub fn s() -> BoxedStrategy<Value> {
    hostile_string().prop_map(Value::String).boxed()
}

pub fn one_of(values: &[&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        4 => prop::sample::select(values.to_vec()).prop_map(|v| Value::String(v.to_owned())),
        1 => s(),
    ]
    .boxed()
}

pub fn date() -> BoxedStrategy<Value> {
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

pub fn number() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (-1000.0f64..1000.0).prop_map(|f| json!(f)),
        1 => prop::sample::select(vec![0.0, -0.0, 1e308, -1e308, 1e-300, 5e-324, 123_456.789_012_345])
            .prop_map(|f| json!(f)),
        1 => any::<i64>().prop_map(|i| json!(i)),
    ]
    .boxed()
}

pub fn list(item: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    prop::collection::vec(item, 0..max)
        .prop_map(Value::Array)
        .boxed()
}

pub fn coding(codes: &[&'static str]) -> BoxedStrategy<Value> {
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
pub fn concept_of(codes: &[&'static str]) -> BoxedStrategy<Value> {
    object(vec![("coding", list(coding(codes), 3)), ("text", s())])
}

pub fn concept() -> BoxedStrategy<Value> {
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

pub fn quantity() -> BoxedStrategy<Value> {
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

pub fn range() -> BoxedStrategy<Value> {
    object(vec![("low", quantity()), ("high", quantity())])
}

pub fn reference() -> BoxedStrategy<Value> {
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

pub fn subject() -> BoxedStrategy<Value> {
    prop_oneof![
        6 => Just(json!({"reference": "Patient/p"})),
        1 => reference(),
    ]
    .boxed()
}

pub fn period() -> BoxedStrategy<Value> {
    object(vec![("start", date()), ("end", date())])
}

pub fn annotation() -> BoxedStrategy<Value> {
    object(vec![("text", s()), ("time", date())])
}

pub fn attachment() -> BoxedStrategy<Value> {
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

pub fn narrative() -> BoxedStrategy<Value> {
    object(vec![
        ("status", one_of(&["generated", "empty"])),
        ("div", s()),
    ])
}
