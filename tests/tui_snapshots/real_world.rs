//! What real EHRs send (issue 11): a banner with long SNOMED allergen names at 80 and 100
//! columns (cut with "…", never dropped), with a look-alike, with postings; an inactive
//! record replaced by another; SpO2 on oxygen; "Other results".

use super::*;

use rounds::chart::postings::{Posting, PostingKind};
use rounds::common::Remote;

/// Two patients of the same name and birth date; the first has two allergies with long
/// SNOMED display names.
fn long_allergen_bundle() -> String {
    let patient = |id: &str, mrn: &str| {
        serde_json::json!({"resource": {"resourceType": "Patient", "id": id,
            "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                "system": "urn:oid:2.999.1", "value": mrn}],
            "name": [{"family": "Snomedly", "given": ["Zz"]}], "gender": "female", "birthDate": "1960-02-29"}})
    };
    let allergy = |id: &str, code: &str, display: &str, crit: &str| {
        serde_json::json!({"resource": {"resourceType": "AllergyIntolerance", "id": id,
            "clinicalStatus": {"coding": [{"code": "active"}]}, "criticality": crit,
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": code, "display": display}]},
            "patient": {"reference": "Patient/zz-snomed-1"}}})
    };
    serde_json::json!({"resourceType": "Bundle", "type": "collection", "entry": [
        patient("zz-snomed-1", "SNO-0001"),
        patient("zz-snomed-2", "SNO-0002"),
        allergy("a1", "764146007",
            "Substance with penicillin structure and antibacterial mechanism of action (substance)", "high"),
        allergy("a2", "387406002", "Sulfonamide (substance)", "low"),
    ]})
    .to_string()
}

/// Open the first look-alike through the search, as a clinician would.
fn opened_from_search(source: &LocalSource) -> App {
    let mut app = file_app(default_theme());
    let cmds = start_search(&mut app, "Snomedly");
    answer_search(&mut app, source, cmds);
    let cmds = press(&mut app, KeyCode::Enter);
    answer_chart(&mut app, source, cmds);
    app
}

#[test]
fn a_long_allergen_is_cut_never_dropped() {
    let source = inline_source(&long_allergen_bundle());
    let mut app = file_app(default_theme());
    open(&mut app, &source, "zz-snomed-1");
    for w in [80, 100] {
        let t = snap_at("long_allergen_banner", &mut app, w, 24);
        let line = row_text(t.backend().buffer(), 1);
        assert!(
            line.contains("ALLERGIES (2) HIGH RISK: Substance with"),
            "{w}: {line:?}"
        );
        assert!(line.contains('…'), "{w}: {line:?}");
    }
    // With the look-alike warning beside it, the substance is still there.
    let mut app = opened_from_search(&source);
    let t = snap_at("long_allergen_lookalike_banner", &mut app, 80, 24);
    let line = row_text(t.backend().buffer(), 1);
    assert!(line.contains("HIGH RISK: Substance"), "{line:?}");
    assert!(line.contains("LOOK-ALIKE"), "{line:?}");
    assert_text_style(
        t.backend().buffer(),
        "LOOK-ALIKE",
        app.theme.lookalike,
        "look-alike",
    );
}

#[test]
fn postings_follow_the_allergy_flag_and_top_the_cover_sheet() {
    let source = inline_source(&long_allergen_bundle());
    let mut app = file_app(default_theme());
    open(&mut app, &source, "zz-snomed-1");
    let chart = app.chart.as_mut().unwrap();
    let Remote::Loaded(c) = &mut chart.data else {
        panic!("not loaded");
    };
    c.postings = vec![
        Posting {
            kind: PostingKind::Flag {
                high_priority: true,
            },
            text: "Immunocompromised".into(),
            ids: vec!["Flag/f1".into()],
            detail: None,
        },
        Posting {
            kind: PostingKind::Directive,
            text: "DNR".into(),
            ids: vec!["DocumentReference/d1".into()],
            detail: None,
        },
    ];
    let t = snap_at("postings_cover", &mut app, 80, 24);
    let buf = t.backend().buffer();
    let line = row_text(buf, 1);
    // Everything cut rather than dropped: both substances, both postings.
    for part in ["HIGH RISK: Substance", "Sulfonamide", "FLAG Immunoc", "DNR"] {
        assert!(line.contains(part), "{part}: {line:?}");
    }
    assert!(row_text(buf, 3).contains("Postings: FLAG Immunocompromised  DNR"));
}

#[test]
fn an_inactive_record_names_its_replacement() {
    let source = LocalSource::open(
        &common::repo().join("fixtures/corpus/vendor/merged-patient-replaced-by.json"),
    )
    .unwrap();
    let mut app = file_app(default_theme());
    open(&mut app, &source, "zz-merged-old");
    let t = snap_at("inactive_record", &mut app, 80, 24);
    let buf = t.backend().buffer();
    assert_text_style(buf, "INACTIVE RECORD", app.theme.banner_unknown, "record");
    let line = row_text(buf, 1);
    assert!(
        line.contains("INACTIVE RECORD — replaced by zz-merged-survivor"),
        "{line:?}"
    );
    // The way to the live record: on the banner when it fits, else on the status line.
    let status = row_text(buf, 23);
    assert!(status.contains(":patient zz-merged-survivor"), "{status:?}");
    let t = snap_at("inactive_record", &mut app, 120, 24);
    let line = row_text(t.backend().buffer(), 1);
    assert!(line.contains("(:patient zz-merged-survivor)"), "{line:?}");
    // Its data is not hidden.
    assert!(screen_text(buf).contains("Asthma"));
}

#[test]
fn spo2_on_oxygen_and_other_results() {
    let source = LocalSource::open(
        &common::repo().join("fixtures/corpus/uscore/amy-shaw-vitals-sex-extension.json"),
    )
    .unwrap();
    let mut app = file_app(default_theme());
    open(&mut app, &source, "example");
    keys(&mut app, "5");
    let t = snap_at("spo2_on_oxygen", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("95% on 6 L/min"), "{text}");
    assert!(text.contains("109/-- mmHg"), "{text}");
    keys(&mut app, "4");
    let t = snap_at("other_results", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Other: Pregnancy Status"), "{text}");
    assert!(text.contains("Other: Tobacco smoking"), "{text}");
}

#[test]
fn search_rows_mark_an_inactive_record() {
    let source = LocalSource::open(
        &common::repo().join("fixtures/corpus/vendor/merged-patient-replaced-by.json"),
    )
    .unwrap();
    let mut app = file_app(default_theme());
    let cmds = start_search(&mut app, "Dupli");
    answer_search(&mut app, &source, cmds);
    let t = snap_at("inactive_record_search", &mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    // (The row is the selected one: the selection's style is over its marks.)
    assert!(text.contains("LOOK-ALIKE  INACTIVE"), "{text}");
    let t = snap_at("inactive_record_search", &mut app, 120, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("INACTIVE → zz-merged-survivor"), "{text}");
}
