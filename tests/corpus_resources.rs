#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The outside corpus (`fixtures/corpus/`, HL7 IPS and US Core examples and hand-made
//! vendor shapes) read through `LocalSource`, for what issue 11 part B shows: medication
//! statements (IPS), reported orders and their reasons, flags and advance directives
//! posted, procedures and implants, reports in any MIME spelling with their results.
//! Values are what `fixtures/corpus/expect.json` says a clinician must see.

#[path = "common/mod.rs"]
mod common;

use common::{repo, today};
use rounds::chart::postings::PostingKind;
use rounds::chart::{Chart, MedKind, MedicationsStated};
use rounds::fhir::Section;
use rounds::source::{DataSource, LocalSource};

fn chart(file: &str, patient: &str) -> Chart {
    let source = LocalSource::open(&repo().join("fixtures/corpus").join(file)).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let record = rt.block_on(source.record(patient, &Section::ALL)).unwrap();
    Chart::build(&record, today())
}

/// The medication names and kinds, in list order.
fn meds(c: &Chart) -> Vec<(String, MedKind)> {
    c.medications
        .data()
        .unwrap()
        .iter()
        .map(|m| (m.name.clone(), m.kind))
        .collect()
}

#[test]
fn ips_medication_statements_are_the_medication_list() {
    let minimal = chart(
        "ips/bundle-minimal.json",
        "7685713c-e29e-4a75-8a90-45be7ba3be94",
    );
    assert_eq!(
        meds(&minimal),
        [("Product containing anastrozole".into(), MedKind::Statement)]
    );
    let m = &minimal.medications.data().unwrap()[0];
    assert!(m.current && m.reported, "{m:?}");
    assert_eq!(m.status, "Active");
    assert_eq!(
        m.ids,
        ["MedicationStatement/6e883e5e-7648-485a-86de-3640a61601fe"]
    );
    // The cover sheet lists it as a current medication.
    let cover = minimal.cover_sheet();
    assert_eq!(cover.active_medications.unwrap().len(), 1);

    let bundle01 = chart(
        "ips/IPS-examples-Bundle-01.json",
        "2b90dd2b-2dab-4c75-9bb9-a355e07401e8",
    );
    let names: Vec<String> = meds(&bundle01).into_iter().map(|m| m.0).collect();
    assert_eq!(
        names,
        [
            "Black Cohosh Extract herbal supplement",
            "Product containing anastrozole"
        ]
    );
}

#[test]
fn ips_no_information_about_medications_is_not_known() {
    let c = chart("ips/bundle-no-info-absent-unknown.json", "AAA1234");
    assert!(c.medications.data().unwrap().is_empty());
    let none = c.no_medications.as_ref().unwrap();
    assert_eq!(none.stated, MedicationsStated::NotKnown);
    assert_eq!(none.text, "Medications not known");
    assert_eq!(
        c.cover_sheet().no_medications.as_deref(),
        Some("Medications not known")
    );
}

#[test]
fn reported_orders_are_marked_and_reasons_resolved() {
    let oracle = chart("vendor/oracle-cerner-chart.json", "12990042");
    let rows = oracle.medications.data().unwrap();
    let metformin = rows.iter().find(|m| m.name.contains("metFORMIN")).unwrap();
    assert!(metformin.reported);
    assert_eq!(metformin.source(), "Reported order");
    let amoxicillin = rows
        .iter()
        .find(|m| m.name.contains("amoxicillin"))
        .unwrap();
    assert!(!amoxicillin.reported);
    // reasonReference to the encounter-diagnosis Condition, by that Condition's name.
    assert_eq!(
        amoxicillin.reason.as_deref(),
        Some("Community acquired pneumonia")
    );

    let amy = chart("uscore/amy-shaw-clinical.json", "example");
    let tylenol = &amy.medications.data().unwrap()[0];
    assert_eq!(tylenol.name, "Tylenol PM Pill");
    assert!(tylenol.reported);
}

#[test]
fn flags_and_advance_directives_are_posted() {
    let ips = chart("ips/flag-immunocompromised-66033.json", "66033");
    assert_eq!(ips.postings.len(), 1);
    assert_eq!(ips.postings[0].text, "Patient Immunocompromised");
    assert_eq!(
        ips.postings[0].kind,
        PostingKind::Flag {
            high_priority: true
        }
    );
    assert_eq!(ips.postings[0].ids, ["Flag/546482"]);

    let c = chart("vendor/alerts-adi-history.json", "zz-alerts-1");
    let posted: Vec<(&str, PostingKind)> = c
        .postings
        .iter()
        .map(|p| (p.text.as_str(), p.kind))
        .collect();
    assert_eq!(
        posted,
        [
            (
                "Patient immunocompromised",
                PostingKind::Flag {
                    high_priority: true
                }
            ),
            ("DNR", PostingKind::Directive),
            ("POLST", PostingKind::Directive),
        ]
    );
    assert_eq!(
        c.postings[1].ids,
        ["DocumentReference/zz-adi-dnr", "Observation/zz-adi-obs"]
    );
    assert_eq!(
        c.postings[1].detail.as_deref(),
        Some("Do Not Resuscitate (document, 02-Sep-2023)")
    );
    // The inactive flag is listed with the flags, not posted.
    let flags = c.flags.data().unwrap();
    assert_eq!(flags.len(), 2);
    assert_eq!(flags[1].text, "Fall risk (resolved)");
    assert_eq!(flags[1].status, "Inactive");
    assert!(!flags[1].active);
}

#[test]
fn procedures_and_implanted_devices() {
    let c = chart("vendor/alerts-adi-history.json", "zz-alerts-1");
    let p = c.procedures.data().unwrap();
    let names: Vec<(&str, &str)> = p
        .procedures
        .iter()
        .map(|r| (r.name.as_str(), r.date.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Permanent pacemaker insertion", "03-Nov-2021"),
            ("Laparoscopic cholecystectomy", "18-Jun-2012 08:10"),
            ("Appendectomy", "1958"),
        ]
    );
    assert_eq!(p.procedures[0].devices, ["Cardiac pacemaker"]);
    let pacer = &p.devices[0];
    assert_eq!(pacer.name, "Cardiac pacemaker");
    assert_eq!(
        pacer.udi.as_deref(),
        Some("(01)00999999000017(17)301231(10)ZZLOT1(21)ZZSN0001")
    );
    assert_eq!(pacer.implanted.as_deref(), Some("03-Nov-2021"));

    let amy = chart("uscore/amy-shaw-clinical.json", "example");
    let p = amy.procedures.data().unwrap();
    assert_eq!(p.procedures.len(), 2);
    assert_eq!(p.procedures[1].name, "Alcohol rehabilitation");
    let devices: Vec<&str> = p.devices.iter().map(|d| d.name.as_str()).collect();
    // udi-2's type text says only "Implant": its coded name is shown instead.
    assert_eq!(devices, ["Defibrillator, device", "Knee joint prosthesis"]);
}

#[test]
fn reports_in_any_mime_spelling_are_read_with_their_results() {
    let amy = chart("uscore/amy-shaw-clinical.json", "example");
    let notes = amy.notes.data().unwrap();
    let xray = notes
        .iter()
        .find(|n| n.title == "Portable XR Chest Views")
        .unwrap();
    let text = xray.text.as_deref().unwrap();
    // `application/xhtml` (no +xml): read, not "[attachment not shown]".
    assert!(text.contains("No acute abnormality"), "{text}");
    assert!(xray.attachments.is_empty());
    assert_eq!(xray.category.as_deref(), Some("Radiology"));
    // Its results are not in the file: named, and said not to be loaded.
    assert!(text.contains("Findings: (result not loaded)"), "{text}");

    let oracle = chart("vendor/oracle-cerner-chart.json", "12990042");
    let notes = oracle.notes.data().unwrap();
    for (title, words) in [
        ("Progress Note", "right lower lobe"),
        ("Discharge Summary", "stable condition"),
    ] {
        let n = notes.iter().find(|n| n.title == title).unwrap();
        assert!(
            n.text.as_deref().unwrap().contains(words),
            "{title}: {:?}",
            n.text
        );
        assert!(n.attachments.is_empty(), "{title}");
    }
}
