//! Unit tests of the postings: flags posted or not, directives from documents,
//! observations and flags, one posting for the same words, "no" answers posting nothing.

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::*;
use crate::chart::flags::flags;
use crate::fhir::record::RecordBuilder;

fn record(resources: Vec<Value>) -> PatientRecord {
    let mut b = RecordBuilder::new(json!({"resourceType":"Patient","id":"p"})).unwrap();
    for r in resources {
        b.add(r);
    }
    b.finish()
}

fn posted(record: &PatientRecord) -> Vec<(PostingKind, String, Vec<String>)> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    postings(record, &flags(record, today))
        .into_iter()
        .map(|p| (p.kind, p.text, p.ids))
        .collect()
}

fn loinc(code: &str, text: &str) -> Value {
    json!({"coding":[{"system":"http://loinc.org","code":code}],"text":text})
}

#[test]
fn flags_and_directives_in_order() {
    let s = json!({"reference":"Patient/p"});
    let r = record(vec![
        json!({"resourceType":"Flag","id":"f1","status":"active","subject":s,
            "code":{"text":"Interpreter needed"}}),
        json!({"resourceType":"Flag","id":"f2","status":"active","subject":s,
            "category":[{"coding":[{"code":"safety"}]}],"code":{"text":"Violent behaviour"}}),
        json!({"resourceType":"Flag","id":"f3","status":"inactive","subject":s,
            "code":{"text":"Fall risk"}}),
        json!({"resourceType":"DocumentReference","id":"d1","status":"current","subject":s,
            "category":[{"coding":[{"system":"http://loinc.org","code":"42348-3"}]}],
            "type":loinc("84095-9","Do Not Resuscitate"),"date":"2023-09-02"}),
        json!({"resourceType":"Observation","id":"o1","status":"final","subject":s,
            "code":loinc("75320-2","Advance directive"),
            "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"304253006"}]}}),
        json!({"resourceType":"Observation","id":"o2","status":"final","subject":s,
            "code":loinc("100821-8","POLST"),"valueBoolean":true}),
    ]);
    let f = |high_priority| PostingKind::Flag { high_priority };
    assert_eq!(
        posted(&r),
        [
            (f(true), "Violent behaviour".into(), vec!["Flag/f2".into()]),
            (
                PostingKind::Directive,
                "DNR".into(),
                vec!["DocumentReference/d1".into(), "Observation/o1".into()]
            ),
            (
                PostingKind::Directive,
                "POLST".into(),
                vec!["Observation/o2".into()]
            ),
            (
                f(false),
                "Interpreter needed".into(),
                vec!["Flag/f1".into()]
            ),
        ]
    );
}

#[test]
fn superseded_documents_and_no_answers_post_nothing() {
    let s = json!({"reference":"Patient/p"});
    let r = record(vec![
        json!({"resourceType":"DocumentReference","id":"d1","status":"superseded","subject":s,
            "type":loinc("84095-9","DNR")}),
        json!({"resourceType":"Observation","id":"o1","status":"final","subject":s,
            "code":loinc("81351-9","DNR order in place"),"valueBoolean":false}),
        json!({"resourceType":"Observation","id":"o2","status":"entered-in-error","subject":s,
            "code":loinc("75320-2","Advance directive"),"valueString":"DNR"}),
        json!({"resourceType":"Observation","id":"o3","status":"final","subject":s,
            "code":loinc("75320-2","Advance directive"),
            "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"373067005"}],"text":"No"}}),
        json!({"resourceType":"DocumentReference","id":"d2","status":"current","subject":s,
            "type":{"text":"Progress note"}}),
    ]);
    assert_eq!(posted(&r), []);
}

#[test]
fn living_wills_are_on_file_and_full_code_is_said() {
    let s = json!({"reference":"Patient/p"});
    let r = record(vec![
        json!({"resourceType":"DocumentReference","id":"d1","status":"current","subject":s,
            "type":loinc("86533-7","Living will")}),
        json!({"resourceType":"Observation","id":"o1","status":"final","subject":s,
            "code":loinc("75320-2","Code status"),"valueString":"Full code"}),
        json!({"resourceType":"Flag","id":"f1","status":"active","subject":s,
            "category":[{"coding":[{"code":"advance-directive"}]}],
            "code":{"text":"DNR - do not attempt resuscitation"}}),
    ]);
    let texts: Vec<String> = posted(&r).into_iter().map(|p| p.1).collect();
    assert_eq!(texts, [ON_FILE, FULL_CODE, DNR]);
}
