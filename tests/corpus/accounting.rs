//! Nothing silently dropped: for every file of the corpus and every fixture, every
//! chart-relevant resource of each patient in it is named by some row of the chart
//! (`ids`) or listed in `not_shown`.

use std::collections::BTreeSet;

use super::*;

/// The resource types a chart must account for (issue 11).
const CHART_RELEVANT: [&str; 12] = [
    "Observation",
    "Condition",
    "AllergyIntolerance",
    "MedicationRequest",
    "MedicationStatement",
    "Immunization",
    "DiagnosticReport",
    "DocumentReference",
    "Encounter",
    "Procedure",
    "Flag",
    "Device",
];

/// Files `LocalSource` refuses: not FHIR or broken on purpose (`fixtures/bundles/`).
fn not_opened_on_purpose(path: &str) -> bool {
    path.contains("fixtures/bundles/")
}

/// The resources of a file, by `Type/id`, that belong to `patient` (its subject or
/// patient names it; a Device names it as `patient`).
fn resources_of(file: &Value, patient: &str) -> BTreeSet<String> {
    let entries: Vec<&Value> = match file["resourceType"].as_str() {
        Some("Bundle") => file["entry"]
            .as_array()
            .map(|e| e.iter().map(|e| &e["resource"]).collect())
            .unwrap_or_default(),
        _ => vec![file],
    };
    let wanted = format!("Patient/{patient}");
    entries
        .into_iter()
        .filter(|r| CHART_RELEVANT.contains(&r["resourceType"].as_str().unwrap_or("")))
        .filter(|r| {
            ["subject", "patient"].iter().any(|k| {
                r[*k]["reference"]
                    .as_str()
                    .is_some_and(|s| s == wanted || s.ends_with(&format!("/{wanted}")))
            })
        })
        .filter_map(|r| {
            Some(format!(
                "{}/{}",
                r["resourceType"].as_str()?,
                r["id"].as_str()?
            ))
        })
        .collect()
}

/// Every `Type/id` the chart names: rows' `ids` (every row type has them) and statements.
fn named(chart: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if matches!(k.as_str(), "ids" | "statements") {
                        for s in v.as_array().into_iter().flatten() {
                            out.extend(s.as_str().map(str::to_owned));
                        }
                    }
                    walk(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(chart, &mut out);
    for n in chart["not_shown"].as_array().into_iter().flatten() {
        out.extend(n["resource"].as_str().map(str::to_owned));
    }
    out
}

#[test]
fn every_chart_relevant_resource_is_shown_or_named_as_not_shown() {
    let mut files = json_files(&repo().join("fixtures/corpus"));
    for dir in ["fixtures/synthea", "fixtures/clinical", "fixtures/bundles"] {
        files.extend(json_files(&repo().join(dir)));
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in &files {
        let name = shown(path);
        if name.contains("/unreadable/") {
            continue; // Refused with a reason, by design (another part of issue 11).
        }
        let Ok(source) = LocalSource::open(path) else {
            assert!(not_opened_on_purpose(&name), "{name} could not be opened");
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        // A byte-order mark is accepted by the reader (issue 12), so read past it here too.
        let raw: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let patients: Vec<String> = match raw["resourceType"].as_str() {
            Some("Bundle") => raw["entry"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| &e["resource"])
                .filter(|r| r["resourceType"] == "Patient")
                .filter_map(|r| r["id"].as_str().map(str::to_owned))
                .collect(),
            _ => vec![],
        };
        for patient in patients {
            let chart = chart_json(&source, &patient);
            let named = named(&chart);
            for key in resources_of(&raw, &patient) {
                checked += 1;
                if !named.contains(&key) {
                    failures.push(format!("{name} {patient}: {key}"));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} resources checked");
    assert!(
        failures.is_empty(),
        "silently dropped:\n{}",
        failures.join("\n")
    );
}

#[test]
fn a_resource_no_section_shows_is_named_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.json");
    std::fs::write(
        &path,
        serde_json::json!({"resourceType":"Bundle","type":"collection","entry":[
            {"resource":{"resourceType":"Patient","id":"zz-acc"}},
            {"resource":{"resourceType":"Observation","id":"shown","status":"final",
              "subject":{"reference":"Patient/zz-acc"},"code":{"text":"Potassium"},
              "valueQuantity":{"value":4.1,"unit":"mmol/L"}}},
            {"resource":{"resourceType":"Observation","id":"wrong","status":"entered-in-error",
              "subject":{"reference":"Patient/zz-acc"},"code":{"text":"Potassium"},
              "valueQuantity":{"value":9.9,"unit":"mmol/L"}}},
            {"resource":{"resourceType":"Condition","id":"refuted","subject":{"reference":"Patient/zz-acc"},
              "verificationStatus":{"coding":[{"system":"urn:local","code":"R"},{"code":"refuted"}]},
              "code":{"text":"Asthma"}}}]})
        .to_string(),
    )
    .unwrap();
    let source = LocalSource::open(&path).unwrap();
    let chart = chart(&source, "zz-acc");
    let not_shown: Vec<(&str, &str)> = chart
        .not_shown
        .iter()
        .map(|n| (n.resource.as_str(), n.reason.as_str()))
        .collect();
    assert_eq!(
        not_shown,
        [
            ("Condition/refuted", "refuted"),
            ("Observation/wrong", "entered in error")
        ]
    );
    // Left out on purpose: no warning.
    assert!(chart.warnings.is_empty(), "{:?}", chart.warnings);
    let labs = chart.labs.data().unwrap();
    assert_eq!(labs.results[0].ids, ["Observation/shown"]);
}
