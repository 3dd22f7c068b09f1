//! Tests of the local files source: references, identity by source, what is said.

use super::*;

fn info() -> SourceInfo {
    SourceInfo {
        kind: SourceKind::Files,
        label: "test".into(),
        tls_unverified: false,
    }
}

#[tokio::test]
async fn urn_uuid_references_resolve_through_full_urls() {
    let text = r#"{"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"urn:uuid:aaaa","resource":{"resourceType":"Patient","id":"p1","name":[{"family":"Lastday"}]}},
        {"fullUrl":"urn:uuid:bbbb","resource":{"resourceType":"Condition","subject":{"reference":"urn:uuid:aaaa"},"code":{"text":"Gout"}}},
        {"fullUrl":"https://ehr.example/fhir/Observation/o1","resource":{"resourceType":"Observation","id":"o1",
          "category":[{"coding":[{"code":"laboratory"}]}],
          "subject":{"reference":"https://ehr.example/fhir/Patient/p1"},"code":{"text":"Na"}}}]}"#;
    let src = LocalSource::from_inputs(
        info(),
        &[Input {
            name: "a.json".into(),
            text,
        }],
        false,
    )
    .unwrap();
    let rec = src.record("p1", &Section::ALL).await.unwrap();
    assert_eq!(rec.conditions.len(), 1);
    assert_eq!(rec.conditions[0].id.as_deref(), Some("bbbb"));
    assert_eq!(rec.observations.len(), 1);
    let labs_only = src.record("p1", &[Section::Labs]).await.unwrap();
    assert!(labs_only.conditions.is_empty());
    assert!(matches!(
        src.record("nope", &[]).await,
        Err(SourceError::NotFound { .. })
    ));
}

#[test]
fn non_fhir_input_is_a_clear_error() {
    let bad = |text: &str| {
        LocalSource::from_inputs(
            info(),
            &[Input {
                name: "x.json".into(),
                text,
            }],
            false,
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        bad(r#"{"hello":"world"}"#),
        "'x.json': not a FHIR resource (it has no resourceType)"
    );
    assert!(bad(r#"{"resourceType":"Bundle","entry":["#).starts_with("'x.json': not valid JSON"));
    assert_eq!(
        bad(r#"{"resourceType":"Bundle","entry":[]}"#),
        "'test': no Patient resources were found in it"
    );
}

fn two(a: &str, b: &str) -> Result<LocalSource, SourceError> {
    LocalSource::from_inputs(
        info(),
        &[
            Input {
                name: "a.json".into(),
                text: a,
            },
            Input {
                name: "b.json".into(),
                text: b,
            },
        ],
        false,
    )
}

/// The server both of the same-server exports name.
const X: Option<&str> = Some("https://x.example/fhir");

/// A Bundle of one patient `1` with an allergy, each entry's full URL on `base` (or a
/// `urn:uuid:` when there is none).
fn export(base: Option<&str>, family: &str, born: &str, substance: &str) -> String {
    let url = |ty: &str, id: &str| match base {
        Some(b) => format!("{b}/{ty}/{id}"),
        None => format!("urn:uuid:{family}-{ty}-{id}"),
    };
    serde_json::json!({"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl": url("Patient","1"), "resource":{"resourceType":"Patient","id":"1",
            "birthDate":born,"name":[{"family":family}]}},
        {"fullUrl": url("AllergyIntolerance","a1"), "resource":{"resourceType":"AllergyIntolerance",
            "id":"a1","code":{"text":substance},"patient":{"reference":"Patient/1"}}}]})
    .to_string()
}

#[test]
fn two_exports_naming_patient_1_are_refused_with_both_files() {
    let a = export(None, "Alpha", "1950-01-01", "Penicillin");
    for b in [
        export(None, "Bravo", "1990-06-30", "Warfarin"),
        export(
            Some("https://b.example/fhir"),
            "Bravo",
            "1990-06-30",
            "Warfarin",
        ),
    ] {
        let e = two(&a, &b).unwrap_err().to_string();
        assert!(
            e.starts_with("'b.json': Patient '1' is also in 'a.json', from another source"),
            "{e}"
        );
    }
    // The same server's id, but another person: refused too.
    let a = export(X, "Alpha", "1950-01-01", "Penicillin");
    let b = export(X, "Bravo", "1990-06-30", "Warfarin");
    let e = two(&a, &b).unwrap_err().to_string();
    assert!(e.contains("another birth date or family name"), "{e}");
}

#[tokio::test]
async fn the_same_servers_patient_in_two_files_is_one_and_differences_are_said() {
    let a = export(X, "Alpha", "1950-01-01", "Penicillin");
    let b = export(X, "Alpha", "1950-01-01", "Peanut");
    let src = two(&a, &b).unwrap();
    assert_eq!(src.patient_count(), 1);
    let rec = src.record("1", &Section::ALL).await.unwrap();
    assert_eq!(rec.allergies.len(), 1);
    assert_eq!(
        src.warnings(),
        [
            "'b.json': 1 resource is also in 'a.json' (same server, same id) with other content; \
          the copy from 'a.json' shown"
        ]
    );
    // The very same file twice: nothing to say.
    assert!(two(&a, &a).unwrap().warnings().is_empty());
}

#[tokio::test]
async fn references_to_another_server_or_walking_a_path_name_nobody() {
    let text = serde_json::json!({"resourceType":"Bundle","type":"collection","entry":[
        {"fullUrl":"https://a.example/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1"}},
        {"fullUrl":"https://a.example/fhir/Patient/p2","resource":{"resourceType":"Patient","id":"p2"}},
        {"fullUrl":"https://a.example/fhir/Condition/c1","resource":{"resourceType":"Condition","id":"c1",
            "subject":{"reference":"https://b.example/fhir/Patient/p1"}}},
        {"fullUrl":"https://a.example/fhir/Condition/c2","resource":{"resourceType":"Condition","id":"c2",
            "subject":{"reference":"Patient/p1/_history/../../p2"}}},
        {"fullUrl":"https://a.example/fhir/Condition/c3","resource":{"resourceType":"Condition","id":"c3",
            "subject":{"reference":"Patient/p1/_history/2"}}},
        {"fullUrl":"https://a.example/fhir/MedicationRequest/m1","resource":{"resourceType":"MedicationRequest",
            "id":"m1","subject":{"reference":"Patient/p1"},
            "medicationReference":{"reference":"https://b.example/fhir/Medication/w","display":"as written"}}},
        {"fullUrl":"https://a.example/fhir/Medication/w","resource":{"resourceType":"Medication","id":"w",
            "code":{"text":"Warfarin"}}}]})
    .to_string();
    let src = LocalSource::from_inputs(
        info(),
        &[Input {
            name: "a.json".into(),
            text: &text,
        }],
        false,
    )
    .unwrap();
    let p1 = src.record("p1", &Section::ALL).await.unwrap();
    let ids: Vec<_> = p1
        .conditions
        .iter()
        .filter_map(|c| c.id.as_deref())
        .collect();
    assert_eq!(ids, ["c3"]);
    assert!(
        src.record("p2", &Section::ALL)
            .await
            .unwrap()
            .conditions
            .is_empty()
    );
    // Another server's Medication/w is not this file's Medication/w.
    assert!(p1.medications.is_empty(), "{:?}", p1.medications);
    assert_eq!(
        src.warnings(),
        [
            "'a.json': 2 resources name a patient that is not in the files read (or is on \
          another server); left out"
        ]
    );
}

#[tokio::test]
async fn a_notes_binary_in_the_same_file_is_its_text_and_another_files_is_not() {
    let note = |id: &str, url: &str| {
        format!(
            r#"{{"resourceType":"DocumentReference","id":"{id}","status":"current","subject":{{"reference":"Patient/p1"}},
            "content":[{{"attachment":{{"contentType":"text/plain","url":"{url}"}}}}]}}"#
        )
    };
    let a = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[
        {{"resource":{{"resourceType":"Patient","id":"p1"}}}},
        {{"fullUrl":"urn:uuid:cccc","resource":{{"resourceType":"Binary","id":"b1","contentType":"text/plain","data":"UzogY291Z2g="}}}},
        {{"resource":{}}},
        {{"resource":{}}},
        {{"resource":{}}}]}}"#,
        note("d1", "Binary/b1"),
        note("d2", "urn:uuid:cccc"),
        note("d3", "Binary/b2")
    );
    let b = r#"{"resourceType":"Binary","id":"b2","contentType":"text/plain","data":"U0VDUkVU"}"#;
    let src = LocalSource::from_inputs(
        info(),
        &[
            Input {
                name: "a.json".into(),
                text: &a,
            },
            Input {
                name: "b.json".into(),
                text: b,
            },
        ],
        false,
    )
    .unwrap();
    let rec = src.record("p1", &Section::ALL).await.unwrap();
    let chart = crate::chart::Chart::build(&rec, chrono::NaiveDate::MIN);
    let notes = chart.notes.data().unwrap();
    let text_of = |id: &str| {
        notes
            .iter()
            .find(|n| n.id.as_deref() == Some(id))
            .and_then(|n| n.text.clone())
    };
    assert_eq!(text_of("d1").as_deref(), Some("S: cough"));
    assert_eq!(text_of("d2").as_deref(), Some("S: cough"));
    // Another file's Binary is another source's: not this note's text.
    assert_eq!(text_of("d3"), None);
}
