//! Vital signs: latest per kind, blood pressure, oxygen, percentiles, precision.

use super::*;

#[test]
fn latest_per_kind_with_blood_pressure_from_components() {
    let list: Vec<Observation> = serde_json::from_str(
        r#"[{"id":"bp1","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}],"text":"Blood pressure panel"},
             "effectiveDateTime":"2025-09-12T09:00:00-05:00",
             "component":[{"code":{"coding":[{"code":"8480-6"}]},"valueQuantity":{"value":130,"unit":"mm[Hg]"}},
                          {"code":{"coding":[{"code":"8462-4"}]},"valueQuantity":{"value":82,"unit":"mm[Hg]"}}]},
            {"id":"bp2","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
             "effectiveDateTime":"2026-10-20T09:00:00-05:00",
             "component":[{"code":{"coding":[{"code":"8480-6"}]},"valueQuantity":{"value":142,"unit":"mm[Hg]"},
                           "interpretation":[{"coding":[{"code":"H"}]}]},
                          {"code":{"coding":[{"code":"8462-4"}]},"valueQuantity":{"value":88,"unit":"mm[Hg]"}}]},
            {"id":"t","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"code":"8310-5"}],"text":"Body temperature"},
             "effectiveDateTime":"2026-10-20T09:00:00-05:00","valueQuantity":{"value":37.1,"unit":"Cel"}},
            {"id":"hr","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"code":"8867-4"}],"text":"Heart rate"},
             "effectiveDateTime":"2026-10-20T09:00:00-05:00","valueQuantity":{"value":78,"unit":"/min"}}]"#,
    )
    .unwrap();
    let v = vitals(&list);
    let latest: Vec<(&str, &str)> = v
        .latest
        .iter()
        .map(|r| (r.label.as_str(), r.value_text.as_str()))
        .collect();
    assert_eq!(
        latest,
        [("BP", "142/88 mmHg"), ("HR", "78/min"), ("Temp", "37.1 °C")]
    );
    assert_eq!(v.latest[0].flag_symbol, "H");
    assert_eq!(v.readings.len(), 4);
    let sys = v.series.iter().find(|s| s.name == "Systolic BP").unwrap();
    assert_eq!(
        sys.points.iter().map(|p| p.value).collect::<Vec<_>>(),
        [130.0, 142.0]
    );
}

fn parse(json: &str) -> Vec<Observation> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn a_blood_pressure_keeps_what_is_known() {
    let v = vitals(&parse(
        r#"[{"id":"bp","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"code":"85354-9"}]},"effectiveDateTime":"2024-02-10T09:30:00Z",
             "component":[{"code":{"coding":[{"code":"8480-6"}]},"valueQuantity":{"value":109,"code":"mm[Hg]"}},
                          {"code":{"coding":[{"code":"8462-4"}]},
                           "dataAbsentReason":{"coding":[{"code":"not-performed"}],"text":"Cuff deflated"}}]},
            {"id":"avg","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"code":"96607-7"},{"code":"85354-9"}]},"effectivePeriod":{"start":"2024-02-09"},
             "component":[{"code":{"coding":[{"code":"96608-5"}]},"valueQuantity":{"value":121,"unit":"mm[Hg]"}},
                          {"code":{"coding":[{"code":"96609-3"}]},"valueQuantity":{"value":79,"unit":"mm[Hg]"}}]}]"#,
    ));
    let bp = v
        .readings
        .iter()
        .find(|r| r.id.as_deref() == Some("bp"))
        .unwrap();
    assert_eq!(bp.value_text, "109/-- mmHg");
    assert_eq!(bp.numbers, [109.0]);
    assert_eq!(
        bp.note.as_deref(),
        Some("Diastolic not known (Cuff deflated)")
    );
    let avg = v
        .readings
        .iter()
        .find(|r| r.id.as_deref() == Some("avg"))
        .unwrap();
    assert_eq!(
        (avg.label.as_str(), avg.value_text.as_str()),
        ("BP (average)", "121/79 mmHg")
    );
    // Both are the latest of their kind.
    assert_eq!(v.latest.len(), 2);
    assert!(v.series.iter().any(|s| s.name == "Systolic BP (average)"));
}

#[test]
fn spo2_carries_the_oxygen_it_was_taken_on() {
    let v = vitals(&parse(
        r#"[{"id":"s1","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"code":"59408-5"}]},"effectiveDateTime":"2024-03-02T16:45:00Z",
             "valueQuantity":{"value":95,"unit":"%"},
             "component":[{"code":{"coding":[{"code":"3151-8"}]},"valueQuantity":{"value":6,"unit":"liters/min","code":"L/min"}},
                          {"code":{"coding":[{"code":"3150-0"}]},"valueQuantity":{"value":44,"unit":"%"}}]},
            {"id":"s2","status":"final","code":{"coding":[{"code":"2708-6"}]},
             "effectiveDateTime":"2024-03-03T08:00:00Z","valueQuantity":{"value":91,"unit":"%"}},
            {"id":"o2","status":"final","code":{"coding":[{"code":"3151-8"}]},
             "effectiveDateTime":"2024-03-03T08:00:00Z","valueQuantity":{"value":2,"code":"L/min"}},
            {"id":"s3","status":"final","code":{"coding":[{"code":"2708-6"}]},
             "effectiveDateTime":"2024-03-04T08:00:00Z","valueQuantity":{"value":97,"unit":"%"}}]"#,
    ));
    let text = |id: &str| {
        let r = v
            .readings
            .iter()
            .find(|r| r.id.as_deref() == Some(id))
            .unwrap();
        (r.value_text.clone(), r.ids.clone())
    };
    assert_eq!(text("s1").0, "95% on 6 L/min, FiO2 44%");
    // From a separate observation at the same time, which the row names too.
    assert_eq!(
        text("s2"),
        (
            "91% on 2 L/min".to_owned(),
            vec!["Observation/s2".to_owned(), "Observation/o2".to_owned()]
        )
    );
    // Nothing sent: nothing said (room air is not assumed).
    assert_eq!(text("s3").0, "97%");
}

#[test]
fn a_known_code_names_a_percentile_and_measurements_keep_their_precision() {
    let v = vitals(&parse(
        r#"[{"id":"p","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"59576-9"}],"text":"BMI"},
             "effectiveDateTime":"2021-01-01","valueQuantity":{"value":65,"unit":"%"}},
            {"id":"h","status":"final","category":[{"coding":[{"code":"vital-signs"}]}],
             "code":{"coding":[{"code":"8302-2"}]},"effectiveDateTime":"2021-01-01",
             "valueQuantity":{"value":111.506,"unit":"cm"}},
            {"id":"t","status":"final","code":{"coding":[{"code":"8310-5"}]},"effectiveDateTime":"2021-01-01",
             "valueQuantity":{"value":38.24,"unit":"degC"}}]"#,
    ));
    let r = |id: &str| {
        v.readings
            .iter()
            .find(|r| r.id.as_deref() == Some(id))
            .unwrap()
    };
    assert_eq!(
        (
            r("p").label.as_str(),
            r("p").name.as_str(),
            r("p").value_text.as_str()
        ),
        ("BMI-for-age", "BMI-for-age percentile", "65th percentile")
    );
    assert_eq!(
        (r("h").value_text.as_str(), r("h").numbers[0]),
        ("111.5 cm", 111.506)
    );
    // A temperature with no category is a vital sign by its code; degC reads °C.
    assert_eq!(r("t").value_text, "38.2 °C");
}
