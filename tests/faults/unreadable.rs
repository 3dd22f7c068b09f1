//! Faults: missing required fields, unknown fields and extensions, wrong types

use super::*;

const SECRET: &str = "SECRET-K-6.9";

/// Extensions nested `depth` deep.
fn deep_extension(depth: usize) -> Value {
    let mut ext = json!({"url": "http://example.org/leaf", "valueString": "deep"});
    for i in 0..depth {
        ext = json!({"url": format!("http://example.org/level{i}"), "extension": [ext]});
    }
    ext
}

/// Real Observations changed on the way through: sodium and BMI without `code` and `status`,
/// glucose with unknown elements and deep extensions, potassium with a string where
/// `valueQuantity.value` belongs.
fn mutate_observations(resp: Answer) -> Fault {
    if !resp.body.starts_with(b"{") {
        return Fault::Pass(resp);
    }
    let mut body = resp.body_json();
    each_resource(
        &mut body,
        "Observation",
        &mut |obs| match obs.get("id").and_then(Value::as_str) {
            Some("rnd-ada-lab-sodium-20261020" | "rnd-ada-vs-bmi-20261020") => {
                obs.remove("code");
                obs.remove("status");
            }
            Some("rnd-ada-lab-glucose-20261020") => {
                obs.insert("futureElement".into(), json!({"nested": [1, {"x": null}]}));
                obs.insert("_status".into(), json!({"extension": [deep_extension(20)]}));
                obs.insert("extension".into(), json!([deep_extension(20)]));
            }
            Some("rnd-ada-lab-potassium-20261020") => {
                obs.insert(
                    "valueQuantity".into(),
                    json!({"value": SECRET, "unit": "mmol/L"}),
                );
            }
            _ => {}
        },
    );
    let mut resp = resp.without_validators();
    resp.set_json(&body);
    Fault::Pass(resp)
}

#[tokio::test]
async fn unreadable_and_unknown_elements_leave_the_chart_readable() {
    let proxy = Proxy::start(|_: &Request, resp| mutate_observations(resp));
    let client = new_client(&proxy);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    first_screen_loaded(&chart, None);
    assert_eq!(
        chart.warnings,
        vec![
            "1 Observation resource was unreadable and not shown ('valueQuantity.value' has the \
             wrong type)"
        ]
    );
    let labs = &part_loaded(&chart.labs).results;
    let id = |i: &str| labs.iter().find(|r| r.id.as_deref() == Some(i));
    // Unknown elements and extensions are ignored.
    let glucose = id("rnd-ada-lab-glucose-20261020").expect("glucose is shown");
    assert_eq!(
        (glucose.name.as_str(), glucose.value_text.as_str()),
        ("Glucose", "250 mg/dL")
    );
    // Missing elements are shown as missing; the result itself is not lost.
    let sodium = id("rnd-ada-lab-sodium-20261020").expect("sodium is shown");
    assert_eq!(
        (sodium.name.as_str(), sodium.value_text.as_str()),
        ("Test not named", "128 mmol/L")
    );
    let bmi = part_loaded(&chart.vitals)
        .readings
        .iter()
        .find(|r| r.id.as_deref() == Some("rnd-ada-vs-bmi-20261020"))
        .expect("the uncoded vital is shown");
    assert_eq!(
        (bmi.name.as_str(), bmi.value_text.as_str()),
        ("Vital sign", "30.3 kg/m²")
    );
    // The unreadable one is left out, and its value appears nowhere.
    assert!(id("rnd-ada-lab-potassium-20261020").is_none());
    let all = serde_json::to_string(&chart).unwrap();
    assert!(!all.contains(SECRET));
    recovers(&proxy, &client).await;
}

#[test]
fn the_cli_warns_about_unreadable_resources_by_path() {
    let proxy = Proxy::start(|_: &Request, resp| mutate_observations(resp));
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA, "--section", "labs"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "Warning: 1 Observation resource was unreadable and not shown \
             ('valueQuantity.value' has the wrong type)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Glucose"));
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
}
