use super::*;
use crate::fhir::model::Observation;

fn obs(json: &str) -> Observation {
    serde_json::from_str(json).unwrap()
}

#[test]
fn values_in_words() {
    let o = obs(r#"{"valueQuantity":{"value":5.0,"unit":"mmol/L"}}"#);
    assert_eq!(show_value(&o.value()).text(), "5 mmol/L");
    let o = obs(r#"{"valueQuantity":{"value":0.3,"comparator":"<","unit":"mg/L"}}"#);
    assert_eq!(show_value(&o.value()).text(), "<0.3 mg/L");
    let o = obs(r#"{"valueQuantity":{"value":7}}"#);
    assert_eq!(show_value(&o.value()).text(), "7 (no unit)");
    let o = obs(r#"{"valueCodeableConcept":{"text":"E. coli >100,000 CFU/mL"}}"#);
    assert_eq!(show_value(&o.value()).text(), "E. coli >100,000 CFU/mL");
    let o = obs(r#"{"dataAbsentReason":{"text":"Specimen hemolyzed"}}"#);
    let v = show_value(&o.value());
    assert!(v.absent);
    assert_eq!(v.text(), "No result (Specimen hemolyzed)");
    assert_eq!(show_value(&obs("{}").value()).text(), "Not known");
    assert_eq!(
        show_value(&obs(r#"{"valueBoolean":false}"#).value()).text(),
        "No"
    );
}

#[test]
fn flags_from_interpretation_then_range() {
    let o = obs(r#"{"valueQuantity":{"value":6.8,"unit":"mmol/L"},
        "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"HH"}]}],
        "referenceRange":[{"low":{"value":3.5,"unit":"mmol/L"},"high":{"value":5.1,"unit":"mmol/L"}}]}"#);
    assert_eq!(
        interpretation_flag(&o.interpretation).0,
        Some(Flag::CriticalHigh)
    );
    let r = pick_range(&o.reference_range).unwrap();
    assert_eq!(range_text(r, "mmol/L").unwrap(), "3.5-5.1");
    let v = show_value(&o.value());
    assert_eq!(
        computed_flag(&v, r, o.value_quantity.as_ref()),
        Some(Flag::High)
    );

    let low = obs(
        r#"{"valueQuantity":{"value":52,"unit":"mL/min"},"referenceRange":[{"low":{"value":60,"unit":"mL/min"}}]}"#,
    );
    let r = pick_range(&low.reference_range).unwrap();
    assert_eq!(range_text(r, "mL/min").unwrap(), ">=60");
    assert_eq!(
        computed_flag(&show_value(&low.value()), r, None),
        Some(Flag::Low)
    );

    let text = obs(
        r#"{"valueQuantity":{"value":0.02,"unit":"ng/mL"},"referenceRange":[{"text":"<0.04 ng/mL"}]}"#,
    );
    let r = pick_range(&text.reference_range).unwrap();
    assert_eq!(range_text(r, "ng/mL").unwrap(), "<0.04 ng/mL");
    assert_eq!(computed_flag(&show_value(&text.value()), r, None), None);

    let other_unit = obs(
        r#"{"valueQuantity":{"value":100,"unit":"mg/dL"},"referenceRange":[{"low":{"value":3,"unit":"mmol/L"},"high":{"value":6,"unit":"mmol/L"}}]}"#,
    );
    let r = pick_range(&other_unit.reference_range).unwrap();
    assert_eq!(
        computed_flag(&show_value(&other_unit.value()), r, None),
        None
    );
    assert_eq!(range_text(r, "mg/dL").unwrap(), "3-6 mmol/L");

    let judge = |value: &str, range: &str| {
        let o = obs(&format!(
            r#"{{"valueQuantity":{value},"referenceRange":[{range}]}}"#
        ));
        computed_flag(
            &show_value(&o.value()),
            pick_range(&o.reference_range).unwrap(),
            None,
        )
    };
    let high5 = r#"{"high":{"value":5,"unit":"mg/L"}}"#;
    let low1 = r#"{"low":{"value":1,"unit":"mg/L"}}"#;
    let both = r#"{"low":{"value":1,"unit":"mg/L"},"high":{"value":5,"unit":"mg/L"}}"#;
    assert_eq!(
        judge(r#"{"value":0.3,"comparator":"<","unit":"mg/L"}"#, high5),
        Some(Flag::Normal)
    );
    assert_eq!(
        judge(r#"{"value":0.3,"comparator":"<","unit":"mg/L"}"#, low1),
        Some(Flag::Low)
    );
    assert_eq!(
        judge(r#"{"value":3,"comparator":"<","unit":"mg/L"}"#, both),
        None
    );
    assert_eq!(
        judge(r#"{"value":90,"comparator":">","unit":"mg/L"}"#, both),
        Some(Flag::High)
    );
    assert_eq!(
        judge(r#"{"value":2,"comparator":">=","unit":"mg/L"}"#, low1),
        Some(Flag::Normal)
    );
}

#[test]
fn flag_symbols() {
    let all = [
        Flag::CriticalLow,
        Flag::Low,
        Flag::Normal,
        Flag::High,
        Flag::CriticalHigh,
        Flag::Abnormal,
        Flag::CriticalAbnormal,
    ];
    let symbols: Vec<&str> = all.iter().map(|f| f.symbol()).collect();
    assert_eq!(symbols, ["LL", "L", "", "H", "HH", "!", "!!"]);
    assert!(Flag::CriticalHigh.is_critical() && !Flag::High.is_critical());
}
