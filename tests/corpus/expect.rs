//! `fixtures/corpus/expect.json`: what a clinician must see, per file and patient, checked
//! on the chart as `--json` prints it (banner, allergies, problems, results and vitals,
//! immunizations, medications orders and statements, "not known" statements, postings),
//! and that the files rounds cannot read are refused with the reason.

use super::*;

/// Lower-cased, for the case-insensitive substring matches `expect.json` asks for.
fn low(v: &Value) -> String {
    v.as_str().unwrap_or("").to_lowercase()
}

fn has(hay: &Value, needle: &Value) -> bool {
    low(hay).contains(&low(needle))
}

/// The rows a result or vital is looked for in: lab results, other results, vitals.
fn observation_rows(chart: &Value) -> Vec<&Value> {
    let labs = &chart["labs"]["data"];
    let vitals = &chart["vitals"]["data"]["readings"];
    [&labs["results"], &labs["other"], vitals]
        .into_iter()
        .flat_map(|l| l.as_array().into_iter().flatten())
        .collect()
}

/// Whether some row shows the expected result or vital: its name (or label), value, unit,
/// flag symbol and context (the oxygen an SpO2 was on, "percentile"). The value may be
/// the displayed one or the number as sent (`number`, `numbers`): a height of 111.506 cm
/// is displayed as 111.5 cm (charted precision) and printed as sent in the JSON.
fn shows(rows: &[&Value], want: &Value) -> bool {
    rows.iter().any(|r| {
        let named = has(&r["name"], &want["name"]) || has(&r["label"], &want["name"]);
        let text = format!(
            "{} {} {} {} {}",
            low(&r["value_text"]),
            low(&r["value"]),
            low(&r["name"]),
            r["number"],
            r["numbers"]
        );
        let value = text.contains(&low(&want["value"]));
        let unit = want["unit"].is_null() || has(&r["unit"], &want["unit"]);
        let flag = want["flag"].is_null() || r["flag_symbol"] == want["flag"];
        let context = want["context"].is_null() || text.contains(&low(&want["context"]));
        named && value && unit && flag && context
    })
}

/// Check one entry; returns the failures.
fn check(entry: &Value, chart: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut fail = |what: String| out.push(what);
    let b = &chart["banner"];
    let want = &entry["banner"];
    match want["mrn"].as_str() {
        None if b["mrn"] != "Not known" => {
            fail(format!("MRN should be not known, is {}", b["mrn"]))
        }
        None => {}
        Some(m) if !low(&b["mrn"]).contains(&m.to_lowercase()) => {
            fail(format!("MRN {m}, shown {}", b["mrn"]))
        }
        _ => {}
    }
    for key in ["sex", "name", "born"] {
        if !has(&b[key], &want[key]) {
            fail(format!(
                "banner {key}: want {}, shown {}",
                want[key], b[key]
            ));
        }
    }
    if b["inactive"] != want["inactive"] {
        fail(format!("banner inactive: want {}", want["inactive"]));
    }
    let allergies = chart["allergies"]["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for a in entry["allergies"].as_array().into_iter().flatten() {
        let found = allergies.iter().any(|r| {
            has(&r["substance"], &a["substance"]) && has(&r["criticality"], &a["criticality"])
        });
        if !found {
            fail(format!("allergy {a}"));
        }
    }
    let flag = b["allergies"]["status"].as_str().unwrap_or("");
    let state = match flag {
        "allergies" => "recorded",
        "no_known_allergies" => "nka",
        _ => "not_known",
    };
    if entry["allergies_state"]
        .as_str()
        .is_some_and(|s| s != state)
    {
        fail(format!(
            "allergies state {state}, want {}",
            entry["allergies_state"]
        ));
    }
    let problems = &chart["problems"]["data"];
    let problem_rows: Vec<&Value> = ["active", "resolved", "encounter_diagnoses"]
        .iter()
        .flat_map(|k| problems[*k].as_array().into_iter().flatten())
        .collect();
    for p in entry["problems"].as_array().into_iter().flatten() {
        if !problem_rows
            .iter()
            .any(|r| has(&r["name"], &p["name"]) && has(&r["status"], &p["status"]))
        {
            fail(format!("problem {p}"));
        }
    }
    match entry["problems_state"].as_str() {
        Some("not_known") if !problem_rows.is_empty() => {
            fail("problems should not be known, rows are listed".into())
        }
        Some("recorded") if problem_rows.is_empty() => fail("no problems listed".into()),
        _ => {}
    }
    let rows = observation_rows(chart);
    for key in ["results", "vitals"] {
        for r in entry[key].as_array().into_iter().flatten() {
            if !shows(&rows, r) {
                fail(format!("{key}: {r}"));
            }
        }
    }
    let immunizations = chart["immunizations"]["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for i in entry["immunizations"].as_array().into_iter().flatten() {
        if !immunizations.iter().any(|r| has(&r["vaccine"], i)) {
            fail(format!("immunization {i}"));
        }
    }
    let meds = chart["medications"]["data"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for m in entry["medications"].as_array().into_iter().flatten() {
        // An order and a statement of the same medicine are one row (`request_and_statement`).
        let kind_fits = |r: &Value| {
            let k = r["kind"].as_str().unwrap_or("");
            m["kind"].is_null() || k.contains(m["kind"].as_str().unwrap_or(""))
        };
        if !meds
            .iter()
            .any(|r| has(&r["name"], &m["name"]) && kind_fits(r))
        {
            fail(format!("medication {m}"));
        }
        if m["kind"] == "statement"
            && !meds
                .iter()
                .any(|r| has(&r["name"], &m["name"]) && r["reported"] == true)
        {
            fail(format!("medication {m} not marked as reported"));
        }
    }
    // "Not known" is never "none": no row, and nothing that says there are none.
    if entry["medications_state"] == "not_known" {
        if !meds.is_empty() {
            fail("medications should not be known, rows are listed".into());
        }
        if chart["no_medications"]["stated"] == "none_known" {
            fail("medications not known, shown as none known".into());
        }
        // A patient summary says so on purpose (absent/unknown codes, an empty section
        // with a reason): the chart must say "Medications not known".
        if entry["file"]
            .as_str()
            .is_some_and(|f| f.starts_with("ips/bundle-no-info"))
            && chart["no_medications"]["stated"] != "not_known"
        {
            fail(format!(
                "a summary that says medications are not known: {}",
                chart["no_medications"]
            ));
        }
    }
    let postings = chart["postings"].as_array().cloned().unwrap_or_default();
    for f in entry["banner"]["flags"].as_array().into_iter().flatten() {
        if !postings.iter().any(|p| has(&p["text"], f)) {
            fail(format!("posting {f} not on the banner"));
        }
    }
    out
}

#[test]
fn what_a_clinician_must_see_is_on_the_chart() {
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("fixtures/corpus/expect.json")).unwrap(),
    )
    .unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in expect["files"].as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let Some(patient) = entry["patient"].as_str() else {
            continue; // A refused file: see the next test.
        };
        let source = LocalSource::open(&repo().join("fixtures/corpus").join(file)).unwrap();
        let chart = chart_json(&source, patient);
        checked += 1;
        for f in check(entry, &chart) {
            failures.push(format!("{file} {patient}: {f}"));
        }
    }
    assert_eq!(checked, 21, "every patient of expect.json is checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The files rounds cannot read are refused, saying why (XML, DSTU2, cut-off JSON), not
/// read in part.
#[test]
fn unreadable_files_are_refused_with_the_reason() {
    let expect: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("fixtures/corpus/expect.json")).unwrap(),
    )
    .unwrap();
    let mut refused = 0;
    for entry in expect["files"].as_array().unwrap() {
        let Some(why) = entry["refused"].as_str() else {
            continue;
        };
        let file = entry["file"].as_str().unwrap();
        let err = LocalSource::open(&repo().join("fixtures/corpus").join(file))
            .err()
            .unwrap_or_else(|| panic!("{file} was read"));
        let text = err.to_string();
        assert!(text.contains(why), "{file}: {text}");
        refused += 1;
    }
    assert_eq!(refused, 3);
}
