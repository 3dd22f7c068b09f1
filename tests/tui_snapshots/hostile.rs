//! A hostile record: control sequences, bidi overrides and zero-width characters in every
//! field; none of it may reach a cell, typed and pasted text included.

use super::*;

const EVIL: &str =
    "\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202e}\u{200b}\u{2066}\u{feff}\u{7f}";

fn hostile_bundle() -> String {
    let e = |s: &str| format!("{s}{EVIL}{s}");
    let note = format!(
        "Line one {EVIL}\r\nLine two\u{1b}P+q\u{1b}\\ \u{90}dcs\u{9c} \u{85} \u{2028}end\u{202e}gnirts\u{2069}\u{0}"
    );
    let b64 = base64_encode(note.as_bytes());
    serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "evil-1",
                "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                    "system": "urn:example:mrn", "value": e("MRN")}],
                "name": [{"family": e("Evil"), "given": [e("Mallory")]}],
                "gender": "female", "birthDate": "1980-05-05"}},
            {"resource": {"resourceType": "AllergyIntolerance", "id": "evil-alg",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "criticality": "low",
                "code": {"text": e("Peanut")},
                "patient": {"reference": "Patient/evil-1"},
                "reaction": [{"manifestation": [{"text": e("Hives")}]}]}},
            {"resource": {"resourceType": "Condition", "id": "evil-cond",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "code": {"text": e("Asthma"), "coding": [{"system": "http://snomed.info/sct", "code": e("195967001")}]},
                "subject": {"reference": "Patient/evil-1"}, "onsetString": e("Childhood")}},
            {"resource": {"resourceType": "MedicationRequest", "id": "evil-mr",
                "status": "active", "intent": "order",
                "medicationCodeableConcept": {"text": e("Salbutamol inhaler")},
                "subject": {"reference": "Patient/evil-1"}, "authoredOn": "2026-10-01",
                "requester": {"display": e("Dr. Eve")},
                "dosageInstruction": [{"text": e("Two puffs as needed")}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-lab", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": e("Potassium"), "coding": [{"system": "http://loinc.org", "code": e("2823-3")}]},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-20T09:30:00-04:00",
                "valueQuantity": {"value": 6.9, "unit": e("mmol/L")},
                "interpretation": [{"coding": [{"code": "HH"}], "text": e("critical")}],
                "referenceRange": [{"low": {"value": 3.5, "unit": e("mmol/L")}, "high": {"value": 5.1, "unit": e("mmol/L")}}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-lab-2", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": e("Culture")},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-19T09:30:00-04:00",
                "valueString": e("Growth"),
                "referenceRange": [{"text": e("No growth")}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-vital", "status": "final",
                "category": [{"coding": [{"code": "vital-signs"}]}],
                "code": {"text": e("Heart rate"), "coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-20T09:30:00-04:00",
                "valueQuantity": {"value": 88, "unit": e("/min")}}},
            {"resource": {"resourceType": "Encounter", "id": "evil-enc", "status": "finished",
                "class": {"code": "AMB", "display": e("ambulatory")},
                "type": [{"text": e("Office visit")}],
                "subject": {"reference": "Patient/evil-1"},
                "participant": [{"individual": {"display": e("Dr. Eve")}}],
                "location": [{"location": {"display": e("Room 101")}}],
                "period": {"start": "2026-10-20T08:45:00-04:00"},
                "reasonCode": [{"text": e("Wheeze")}]}},
            {"resource": {"resourceType": "Immunization", "id": "evil-imm", "status": "completed",
                "vaccineCode": {"text": e("Influenza vaccine")},
                "patient": {"reference": "Patient/evil-1"},
                "occurrenceDateTime": "2026-10-20T09:20:00-04:00",
                "lotNumber": e("LOT"),
                "site": {"text": e("Left arm")},
                "doseQuantity": {"value": 0.5, "unit": e("mL")}}},
            {"resource": {"resourceType": "MedicationStatement", "id": "evil-ms", "status": "active",
                "medicationCodeableConcept": {"text": e("Black cohosh")},
                "subject": {"reference": "Patient/evil-1"},
                "effectivePeriod": {"start": "2025-01-01"},
                "informationSource": {"display": e("Daughter")},
                "dosage": [{"text": e("One a day")}], "note": [{"text": e("Herbal")}]}},
            {"resource": {"resourceType": "Flag", "id": "evil-flag", "status": "active",
                "category": [{"text": e("Clinical")}],
                "code": {"text": e("Immunocompromised")},
                "subject": {"reference": "Patient/evil-1"},
                "period": {"start": "2025-01-01"},
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/flag-priority",
                    "valueCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/flag-priority-code", "code": "PH"}]}}]}},
            {"resource": {"resourceType": "Procedure", "id": "evil-proc", "status": "completed",
                "code": {"text": e("Pacemaker insertion")},
                "subject": {"reference": "Patient/evil-1"},
                "performedDateTime": "2021-11-03T10:00:00-04:00",
                "bodySite": [{"text": e("Heart")}], "outcome": {"text": e("Successful")},
                "performer": [{"actor": {"display": e("Dr. Eve")}}],
                "complication": [{"text": e("None")}], "note": [{"text": e("Uneventful")}],
                "focalDevice": [{"manipulated": {"reference": "Device/evil-dev"}}]}},
            {"resource": {"resourceType": "Device", "id": "evil-dev", "status": "active",
                "patient": {"reference": "Patient/evil-1"},
                "type": {"text": e("Cardiac pacemaker")},
                "deviceName": [{"name": e("Zz pacer"), "type": "user-friendly-name"}],
                "udiCarrier": [{"carrierHRF": e("(01)00999")}],
                "manufacturer": e("Zz Devices"), "lotNumber": e("LOT"), "serialNumber": e("SN")}},
            {"resource": {"resourceType": "DocumentReference", "id": "evil-adi", "status": "current",
                "type": {"coding": [{"system": "http://loinc.org", "code": "84095-9"}], "text": e("Do Not Resuscitate")},
                "category": [{"coding": [{"system": "http://loinc.org", "code": "42348-3"}]}],
                "subject": {"reference": "Patient/evil-1"},
                "date": "2025-06-02T10:00:00-04:00",
                "content": [{"attachment": {"contentType": "text/plain", "data": b64.clone()}}]}},
            {"resource": {"resourceType": "DiagnosticReport", "id": "evil-dr", "status": "final",
                "category": [{"text": e("Radiology")}],
                "code": {"text": e("XR chest")},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-20T11:00:00-04:00",
                "conclusion": e("No acute abnormality"),
                "result": [{"reference": "Observation/evil-lab"}, {"display": e("Impression")}],
                "presentedForm": [{"contentType": e("text/html"), "data": b64.clone()}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-other", "status": "final",
                "code": {"text": e("Glucose POC")},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-20T12:00:00-04:00",
                "valueQuantity": {"value": 189, "unit": e("mg/dL")},
                "note": [{"text": e("Fasting")}]}},
            {"resource": {"resourceType": "DocumentReference", "id": "evil-doc", "status": "current",
                "type": {"text": e("Progress note")},
                "subject": {"reference": "Patient/evil-1"},
                "date": "2026-10-20T10:05:00-04:00",
                "author": [{"display": e("Dr. Eve")}],
                "description": e("Follow-up"),
                "content": [
                    {"attachment": {"contentType": "text/plain; charset=utf-8", "data": b64}},
                    {"attachment": {"contentType": e("application/pdf"), "title": e("Scan"), "url": "https://example.org/scan.pdf"}}
                ]}}
        ]
    })
    .to_string()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let source = inline_source(&hostile_bundle());
    let mut app = file_app(default_theme());

    // The search row.
    let cmds = start_search(&mut app, "Evil");
    answer_search(&mut app, &source, cmds);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        assert_clean(t.backend().buffer(), "search");
    }
    let found = app.search.results.loaded().map_or(0, Vec::len);
    assert_eq!(found, 1, "the hostile patient is found by name");
    press(&mut app, KeyCode::Down);
    let cmds = press(&mut app, KeyCode::Enter);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        assert_clean(t.backend().buffer(), "chart loading");
    }
    answer_chart(&mut app, &source, cmds);
    snap("hostile_cover", &mut app);

    for tab in "123456789".chars() {
        keys(&mut app, &tab.to_string());
        for (w, h) in [(80, 24), (120, 40), (40, 12)] {
            let t = draw(&mut app, w, h);
            assert_clean(t.backend().buffer(), &format!("tab {tab} at {w}x{h}"));
        }
        press(&mut app, KeyCode::Enter);
        for (w, h) in [(80, 24), (120, 40), (40, 12)] {
            let t = draw(&mut app, w, h);
            assert_clean(
                t.backend().buffer(),
                &format!("tab {tab} detail at {w}x{h}"),
            );
        }
        if tab == '8' {
            snap("hostile_note_full", &mut app);
        }
        if tab == '4' {
            snap("hostile_results_detail", &mut app);
        }
        if app.layers.has(rounds::app::LayerKind::Detail) {
            press(&mut app, KeyCode::Esc);
        }
        assert_eq!(app.screen, Screen::Chart);
    }
    keys(&mut app, "4c");
    let t = draw(&mut app, 120, 40);
    assert_clean(t.backend().buffer(), "cumulative");
    keys(&mut app, "c");
    snap("hostile_results", &mut app);

    // Typed and pasted text is cleaned as well.
    keys(&mut app, "/");
    update(&mut app, Msg::Paste(format!("x{EVIL}y")));
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "filter paste");
    press(&mut app, KeyCode::Esc);
    keys(&mut app, ":");
    update(&mut app, Msg::Paste(format!("theme {EVIL}")));
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "command paste");
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "command error");
    keys(&mut app, "?/");
    update(&mut app, Msg::Paste(EVIL.into()));
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "help filter");
}

#[test]
fn hostile_chart_error_message_is_cleaned() {
    let mut app = demo_app();
    let cmds = update(&mut app, Msg::OpenPatient(format!("x{EVIL}y")));
    let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "loading by id");
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::ServerRefused,
                format!("server said {EVIL} no"),
            ))),
        }),
    );
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        assert_clean(t.backend().buffer(), "chart error");
    }
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    let [Command::Search { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::ServerRefused,
                format!("bad {EVIL} gateway"),
            ))),
        }),
    );
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "search error");
}
