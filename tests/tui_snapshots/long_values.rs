//! Very long values: a 200-character name, a 300-character sig, long units and test names.
//! The banner compacts, lists cut with "…", and nothing panics down to a 1x1 screen.

use super::*;

fn long_bundle() -> String {
    let name = format!("Bartholomew-{}", "Longname".repeat(24)); // 200+ characters
    assert!(name.len() >= 200);
    let sig = format!(
        "Take one tablet by mouth {} then stop",
        "and then another tablet after the meal ".repeat(7)
    );
    assert!(sig.len() >= 300);
    let lab = "Hemoglobin A1c/Hemoglobin.total in Blood by HPLC with an unusually verbose laboratory-specific description";
    let unit = "millimoles per litre of plasma (calculated, verbose unit)";
    serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "long-1",
                "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                    "system": "urn:example:mrn", "value": "MRN-0000000000000000000000000042"}],
                "name": [{"family": name, "given": ["Maximilian", "Alexander", "Fitzgerald"]}],
                "gender": "male", "birthDate": "1970-01-01"}},
            {"resource": {"resourceType": "AllergyIntolerance", "id": "long-alg",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "criticality": "high",
                "code": {"text": "Amoxicillin-clavulanate potassium and every other beta-lactam antibiotic in the hospital formulary"},
                "patient": {"reference": "Patient/long-1"},
                "reaction": [{"manifestation": [{"text": "Generalised urticaria with angioedema of the lips, tongue and airway"}]}]}},
            {"resource": {"resourceType": "Condition", "id": "long-cond",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "code": {"text": "Chronic kidney disease stage 3b with proteinuria, due to type 2 diabetes mellitus and hypertension, under nephrology review"},
                "subject": {"reference": "Patient/long-1"}, "onsetDateTime": "2019-05-01"}},
            {"resource": {"resourceType": "MedicationRequest", "id": "long-mr",
                "status": "active", "intent": "order",
                "medicationCodeableConcept": {"text": "Amlodipine besylate 10 mg / valsartan 320 mg / hydrochlorothiazide 25 mg film-coated tablet"},
                "subject": {"reference": "Patient/long-1"}, "authoredOn": "2026-10-01",
                "requester": {"display": "Dr. Evangelina Montgomery-Featherstonehaugh-Cholmondeley"},
                "dosageInstruction": [{"text": sig}]}},
            {"resource": {"resourceType": "Observation", "id": "long-lab-1", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": lab}, "subject": {"reference": "Patient/long-1"},
                "effectiveDateTime": "2026-10-20T09:30:00-04:00",
                "valueQuantity": {"value": 123456.789, "unit": unit},
                "referenceRange": [{"low": {"value": 100000, "unit": unit}, "high": {"value": 120000, "unit": unit}}]}},
            {"resource": {"resourceType": "Observation", "id": "long-lab-2", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": lab}, "subject": {"reference": "Patient/long-1"},
                "effectiveDateTime": "2026-09-20T09:30:00-04:00",
                "valueQuantity": {"value": 110000.5, "unit": unit},
                "referenceRange": [{"low": {"value": 100000, "unit": unit}, "high": {"value": 120000, "unit": unit}}]}},
            {"resource": {"resourceType": "Encounter", "id": "long-enc", "status": "finished",
                "class": {"code": "AMB", "display": "ambulatory"},
                "type": [{"text": "Comprehensive multidisciplinary outpatient review with pharmacist-led medication reconciliation"}],
                "subject": {"reference": "Patient/long-1"},
                "period": {"start": "2026-10-20T08:45:00-04:00"},
                "reasonCode": [{"text": "Follow-up of poorly controlled hypertension despite triple therapy and lifestyle advice"}]}}
        ]
    })
    .to_string()
}

#[test]
fn long_values_compact_and_never_panic() {
    let source = inline_source(&long_bundle());
    let mut app = file_app(default_theme());
    open(&mut app, &source, "long-1");
    snap("long_cover", &mut app);

    // The banner compacts: the name is cut, born date and sex stay on line one.
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let first = row_text(buf, 0);
    assert!(first.contains('…'), "name not cut: {first:?}");
    assert!(first.contains("01-Jan-1970"), "born date lost: {first:?}");
    assert!(first.contains(" M"), "sex lost: {first:?}");
    assert_eq!(find_all(buf, "Born").len(), 0, "labels kept: {first:?}");
    assert!(
        row_text(buf, 1).contains("ALLERGIES (1) HIGH RISK"),
        "{:?}",
        row_text(buf, 1)
    );

    for (tab, name) in [('2', "problems"), ('3', "medications"), ('4', "results")] {
        keys(&mut app, &tab.to_string());
        snap(&format!("long_{tab}_{name}"), &mut app);
    }
    keys(&mut app, "c");
    snap("long_results_cumulative", &mut app);
    keys(&mut app, "c3");
    press(&mut app, KeyCode::Enter);
    snap("long_medication_detail", &mut app);

    // Every screen at a tiny 40x12 (and smaller) draws without panicking.
    for (w, h) in [(40, 12), (20, 6), (1, 1)] {
        for tab in "12345678".chars() {
            keys(&mut app, &tab.to_string());
            for extra in [None, Some(KeyCode::Enter)] {
                if let Some(k) = extra {
                    press(&mut app, k);
                }
                let t = draw(&mut app, w, h);
                if (w, h) == (40, 12) {
                    let buf = t.backend().buffer();
                    let first = row_text(buf, 0);
                    assert!(first.contains("01-Jan-1970"), "40x12 banner: {first:?}");
                }
                if app.layers.has(rounds::app::LayerKind::Detail) {
                    press(&mut app, KeyCode::Esc);
                }
            }
        }
        keys(&mut app, "4c");
        draw(&mut app, w, h);
        keys(&mut app, "c?");
        draw(&mut app, w, h);
        press(&mut app, KeyCode::Esc);
        keys(&mut app, "1");
    }
    update(&mut app, Msg::Resize(40, 12));
    keys(&mut app, "1");
    let t = draw(&mut app, 40, 12);
    assert_screen("long_cover_40x12", &t);
    keys(&mut app, "3");
    let t = draw(&mut app, 40, 12);
    assert_screen("long_medications_40x12", &t);
    keys(&mut app, "4");
    let t = draw(&mut app, 40, 12);
    assert_screen("long_results_40x12", &t);
}

#[test]
fn long_search_row() {
    let source = inline_source(&long_bundle());
    let mut app = file_app(default_theme());
    let cmds = start_search(&mut app, "Bartholomew");
    answer_search(&mut app, &source, cmds);
    snap("long_search", &mut app);
}
