//! The chart's newer resource types from the server (issue 11 part B), on the hand-made
//! patient `fixtures/clinical/11-ida-surgwell.json`: medication statements merged with the
//! orders, flags and advance directives posted from the first screen, procedures and
//! implants, reports in `application/xhtml` with their results; and what those searches
//! cost.

use super::*;
use rounds::chart::MedKind;
use rounds::chart::postings::PostingKind;

const IDA: &str = "rnd-ida-surgwell";

#[tokio::test]
async fn ida_from_the_server_has_statements_postings_procedures_and_report_results() {
    let src = RemoteSource::new(client(BatchMode::Auto));
    let record = src.record(IDA, &Section::ALL).await.unwrap();
    let chart = Chart::build(&record, today());
    assert!(record.failed.is_empty(), "{:?}", record.failed);

    let meds: Vec<(&str, MedKind, &str)> = chart
        .medications
        .data()
        .unwrap()
        .iter()
        .map(|m| (m.name.as_str(), m.kind, m.status.as_str()))
        .collect();
    assert_eq!(
        meds,
        [
            ("St John's wort 300 mg capsule", MedKind::Request, "Active"),
            (
                "Lisinopril 10 mg tablet",
                MedKind::RequestAndStatement,
                "Active"
            ),
            ("Anastrozole 1 mg tablet", MedKind::Statement, "Active"),
            ("Ibuprofen 200 mg tablet", MedKind::Statement, "Not taken"),
        ]
    );
    let lisinopril = &chart.medications.data().unwrap()[1];
    assert_eq!(lisinopril.reason.as_deref(), Some("Essential hypertension"));

    let posted: Vec<(&str, PostingKind)> = chart
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
            (
                "Interpreter needed",
                PostingKind::Flag {
                    high_priority: false
                }
            ),
        ]
    );
    let statuses: Vec<&str> = chart
        .flags
        .data()
        .unwrap()
        .iter()
        .map(|f| f.status.as_str())
        .collect();
    // Active first; then high priority (the fall risk is a safety flag) before the rest.
    assert_eq!(statuses, ["Active", "Active", "Inactive", "Expired"]);

    let p = chart.procedures.data().unwrap();
    assert_eq!(p.procedures.len(), 4, "entered-in-error left out");
    assert_eq!(p.procedures[3].status, "Not done");
    assert_eq!(p.devices[0].implanted.as_deref(), Some("03-Nov-2021"));

    let notes = chart.notes.data().unwrap();
    let xray = notes
        .iter()
        .find(|n| n.title == "XR chest, one view")
        .unwrap();
    assert!(
        xray.text
            .as_deref()
            .unwrap()
            .contains("lungs clear; pacemaker leads in place"),
        "{xray:?}"
    );
    let panel = notes
        .iter()
        .find(|n| n.title == "Electrolytes panel")
        .unwrap();
    assert!(
        panel
            .text
            .as_deref()
            .unwrap()
            .contains("Sodium: 131 mmol/L L (ref 136-145)"),
        "{panel:?}"
    );
    let letter = notes.iter().find(|n| n.title == "Clinic letter").unwrap();
    assert!(letter.text.as_deref().unwrap().contains("Montréal"));
}

/// The statements and postings come with the first screen, still in one round trip with
/// batch; procedures come with the rest.
#[tokio::test]
async fn statements_and_postings_come_with_the_first_screen_in_one_round_trip() {
    let c = client(BatchMode::Always);
    let (first, cont) = c.fetch_first_screen(IDA).await.unwrap();
    assert_eq!(c.stats().round_trips, 1, "{:?}", c.stats());
    for s in [Section::MedicationStatements, Section::Postings] {
        assert!(first.has(s), "{s:?}");
    }
    assert!(first.pending.contains(&Section::Procedures));
    let chart = Chart::build(&first, today());
    let texts: Vec<&str> = chart.postings.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Patient immunocompromised", "DNR", "Interpreter needed"]
    );
    assert_eq!(chart.medications.data().unwrap().len(), 4);
    assert!(matches!(chart.procedures, rounds::chart::Part::Loading));
    let before = c.stats().round_trips;
    let rest = c.fetch_rest(cont).await.unwrap();
    assert_eq!(c.stats().round_trips - before, 1);
    assert_eq!(rest.procedures.len(), 5);

    // Without batch: the Patient and the first screen's ten searches at once.
    let c = client(BatchMode::Never);
    c.fetch_first_screen(IDA).await.unwrap();
    assert_eq!(c.stats().round_trips, 11, "{:?}", c.stats());
}
