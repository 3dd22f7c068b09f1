//! Two exports whose ids collide (the same patient id, the same resource ids) in every way
//! a file can write them: with or without a server base, with `urn:uuid:`, relative or
//! absolute references, from the same server or another. Whatever is loaded, no chart may
//! hold a resource of the other export: either the files are refused together, or every
//! row of a patient's chart comes from that patient's own file.

use proptest::prelude::*;
use rounds::fhir::Section;
use rounds::source::{DataSource as _, Input, LocalSource, SourceInfo, SourceKind};
use serde_json::{Value, json};

use super::config;

/// How one export is written.
#[derive(Debug, Clone)]
struct Export {
    patient_id: &'static str,
    /// The server base its full URLs give (`None`: `urn:uuid:` full URLs, or none at all).
    base: Option<&'static str>,
    with_full_urls: bool,
    /// Condition ids (they collide across exports too).
    conditions: Vec<&'static str>,
    /// How each Condition names its patient: 0 relative, 1 urn:uuid, 2 absolute on the
    /// export's base (relative when it has none), 3 versioned relative.
    reference_style: Vec<u8>,
}

fn export() -> impl Strategy<Value = Export> {
    (
        prop::sample::select(vec!["1", "2"]),
        prop::sample::select(vec![
            None,
            Some("http://a.example/fhir"),
            Some("http://b.example/fhir"),
        ]),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(vec!["c1", "c2", "c3"]), 0..4),
        prop::collection::vec(0u8..4, 4),
    )
        .prop_map(
            |(patient_id, base, with_full_urls, conditions, reference_style)| Export {
                patient_id,
                base,
                with_full_urls,
                conditions,
                reference_style,
            },
        )
}

/// The export as a Bundle; every Condition's text is `marker`, the patient's family name
/// too, and the two exports' patients differ in birth date (two different people).
fn bundle(e: &Export, marker: &str, born: &str) -> String {
    let full_url = |ty: &str, id: &str| match (e.with_full_urls, e.base) {
        (false, _) => None,
        (true, Some(base)) => Some(format!("{base}/{ty}/{id}")),
        (true, None) => Some(format!("urn:uuid:{marker}-{ty}-{id}")),
    };
    let entry = |ty: &str, id: &str, resource: Value| match full_url(ty, id) {
        Some(u) => json!({"fullUrl": u, "resource": resource}),
        None => json!({"resource": resource}),
    };
    let mut entries = vec![entry(
        "Patient",
        e.patient_id,
        json!({"resourceType":"Patient","id":e.patient_id,"birthDate":born,
               "name":[{"family":marker}]}),
    )];
    for (i, c) in e.conditions.iter().enumerate() {
        let reference = match (e.reference_style[i % 4], full_url("Patient", e.patient_id)) {
            (1, Some(u)) if u.starts_with("urn:") => u,
            (2, Some(u)) => u,
            (3, _) => format!("Patient/{}/_history/1", e.patient_id),
            _ => format!("Patient/{}", e.patient_id),
        };
        entries.push(entry(
            "Condition",
            c,
            json!({"resourceType":"Condition","id":c,"code":{"text":marker},
                   "subject":{"reference":reference}}),
        ));
    }
    json!({"resourceType":"Bundle","type":"collection","entry":entries}).to_string()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn colliding_sources_never_share_a_chart(a in export(), b in export()) {
        let (ta, tb) = (bundle(&a, "ALPHA", "1950-01-01"), bundle(&b, "BRAVO", "1990-06-30"));
        let info = SourceInfo { kind: SourceKind::Files, label: "two exports".into(), tls_unverified: false };
        let inputs = [
            Input { name: "a.json".into(), text: &ta },
            Input { name: "b.json".into(), text: &tb },
        ];
        let Ok(source) = LocalSource::from_inputs(info, &inputs, false) else {
            // Refused together: nothing mixed. Refusal is required when the ids collide.
            return Ok(());
        };
        prop_assert_ne!(a.patient_id, b.patient_id, "two patients with one id were loaded");
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        for id in [a.patient_id, b.patient_id] {
            let record = rt.block_on(source.record(id, &Section::ALL)).unwrap();
            let family = record.patient.name[0].family.clone().unwrap();
            for c in &record.conditions {
                let text = c.code.as_ref().and_then(|t| t.text.clone());
                prop_assert_eq!(text.as_deref(), Some(family.as_str()), "{:?}", record.conditions);
            }
        }
    }
}
