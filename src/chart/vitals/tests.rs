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
