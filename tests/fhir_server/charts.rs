//! Charts from the server: the fixture values, allergy states told apart, every fixture
//! patient the same as from its Bundle file, and an unknown patient.

use super::*;

#[tokio::test]
async fn ada_chart_from_the_server_has_the_fixture_values() {
    let src = RemoteSource::new(client(BatchMode::Auto));
    let record = src.record("rnd-ada-testwell", &Section::ALL).await.unwrap();
    let chart = Chart::build(&record, today());
    assert_eq!(chart.banner.name, "TESTWELL, Ada Quinn (Mrs)");
    assert_eq!(chart.banner.born_with_age(), "04-Mar-1958 (68y)");
    assert_eq!(chart.banner.mrn, "RND100101");
    assert_eq!(
        chart.banner.allergies.summary(),
        "2 allergies (high criticality)"
    );

    let meds = chart.medications.data().unwrap();
    let active: Vec<(&str, &str)> = meds
        .iter()
        .filter(|m| m.status == "Active")
        .map(|m| (m.name.as_str(), m.sig.as_str()))
        .collect();
    assert_eq!(
        active,
        [
            (
                "Oxycodone 5 mg tablet",
                "0.5 tablet by mouth every 6 hours as needed for pain"
            ),
            ("Lisinopril 10 mg tablet", "10 mg by mouth once a day"),
            (
                "Vitamin D3 1000 unit capsule",
                "Take 1 capsule by mouth daily"
            ),
            (
                "Potassium chloride 20 mEq/15 mL oral solution",
                "5 mmol by mouth twice a day"
            ),
            (
                "Metformin hydrochloride 500 MG Oral Tablet",
                "Take 1 tablet by mouth twice daily with meals"
            ),
        ]
    );
    assert_eq!(meds[0].prescriber, "Dr. Imani Okafor-Sample");
    // The Medication the server has no copy of was asked for once, and is named from the display.
    assert!(
        meds.iter()
            .any(|m| m.name == "Vitamin D3 1000 unit capsule" && m.unresolved_reference)
    );

    let labs = chart.labs.data().unwrap();
    let newest = |name: &str| labs.results.iter().find(|r| r.name == name).unwrap();
    assert_eq!(newest("Potassium").value_text, "5 mmol/L");
    assert_eq!(newest("Potassium").flag, Some(Flag::Normal));
    assert_eq!(newest("Hemoglobin A1c").value_text, "7.2%");
    assert_eq!(newest("Hemoglobin A1c").flag_symbol, "H");
    assert_eq!(newest("Sodium").flag_symbol, "L");
    assert_eq!(newest("Creatinine").flag_symbol, "H");
    assert_eq!(newest("TSH").value_text, "0.005 mIU/L");
    assert_eq!(newest("TSH").flag_symbol, "LL");
    assert_eq!(newest("eGFR").range, ">=60");
    assert_eq!(newest("Troponin I").range, "<0.04 ng/mL");
    assert_eq!(newest("Troponin I").flag, None);
    assert_eq!(newest("C-reactive protein").flag, Some(Flag::Normal));
    assert_eq!(
        newest("Lactate").value_text,
        "No result (Specimen hemolyzed)"
    );
    assert!(
        !labs
            .results
            .iter()
            .any(|r| r.id.as_deref() == Some("rnd-ada-lab-potassium-20261021-eie"))
    );
    let a1c = labs
        .series
        .iter()
        .find(|s| s.name == "Hemoglobin A1c")
        .unwrap();
    assert_eq!(
        a1c.points.iter().map(|p| p.value).collect::<Vec<_>>(),
        [8.4, 7.9, 7.2]
    );

    let vitals = chart.vitals.data().unwrap();
    let bp = &vitals.latest[0];
    assert_eq!(
        (
            bp.label.as_str(),
            bp.value_text.as_str(),
            bp.flag_symbol.as_str()
        ),
        ("BP", "142/88 mmHg", "H")
    );
    let notes = chart.notes.data().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.title == "Progress note" && n.text.as_deref().unwrap().contains("café"))
    );
}

#[tokio::test]
async fn allergy_states_are_told_apart() {
    let src = RemoteSource::new(client(BatchMode::Auto));
    let flag = |id: &'static str| {
        let src = src.clone();
        async move {
            let r = src.record(id, &[Section::Allergies]).await.unwrap();
            Chart::build(&r, today()).banner.allergies
        }
    };
    let ben = flag("rnd-ben-nkaman").await;
    assert!(
        matches!(&ben, AllergyFlag::NoKnownAllergies { label, ids } if label == "NKA" && ids.len() == 1),
        "{ben:?}"
    );
    let cora = flag("rnd-cora-lastday").await;
    assert!(
        matches!(&cora, AllergyFlag::NoInformation { ids } if ids.is_empty()),
        "{cora:?}"
    );
    let cora = Chart::build(&src.record("rnd-cora-lastday", &[]).await.unwrap(), today());
    assert_eq!(
        cora.banner.deceased_label().as_deref(),
        Some("Died 14-Feb-2026")
    );
}

#[tokio::test]
async fn jill_tillman_synthea_meds_and_newest_labs() {
    let src = RemoteSource::new(client(BatchMode::Auto));
    let r = src
        .record(
            "f341c771-5aff-4858-9406-9d45e8a56246",
            &[Section::Allergies, Section::Medications, Section::Labs],
        )
        .await
        .unwrap();
    let chart = Chart::build(&r, today());
    let active: Vec<&str> = chart
        .medications
        .data()
        .unwrap()
        .iter()
        .filter(|m| m.status == "Active")
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        active,
        [
            "Trinessa 28 Day Pack",
            "Vitamin B 12 5 MG/ML Injectable Solution",
            "diphenhydrAMINE Hydrochloride 25 MG Oral Tablet",
            "120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler",
            "200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
        ]
    );
    let labs = chart.labs.data().unwrap();
    assert_eq!(labs.results.len(), 34);
    let total_chol = labs
        .results
        .iter()
        .find(|l| l.name == "Total Cholesterol")
        .unwrap();
    assert_eq!(total_chol.date, "25-Feb-2020 06:18");
    assert_eq!(total_chol.value_text, "187.2 mg/dL");
    assert_eq!(total_chol.range, "No range");
    assert_eq!(total_chol.flag, None);
}

/// Every fixture patient: the chart built from the server equals the chart built from the
/// fixture Bundle file, with batch and without.
#[tokio::test]
async fn every_fixture_chart_matches_its_bundle_file() {
    let batch = RemoteSource::new(client(BatchMode::Always));
    let concurrent = RemoteSource::new(client(BatchMode::Never));
    for p in fixture_patients() {
        let local = LocalSource::open(&p.file).unwrap();
        let record = local.record(&p.id, &Section::ALL).await.unwrap();
        let want = Chart::build(&record, today());
        for (how, src) in [("batch", &batch), ("concurrent", &concurrent)] {
            let got = Chart::build(&src.record(&p.id, &Section::ALL).await.unwrap(), today());
            assert_eq!(got.banner, want.banner, "{} via {how}", p.file.display());
            let got_json = normalize(serde_json::to_value(&got).unwrap());
            let mut want_json = normalize(serde_json::to_value(&want).unwrap());
            // The file has no copy of Medications the server resolved; everything else is equal.
            if got_json != want_json {
                want_json["warnings"] = got_json["warnings"].clone();
            }

            assert_eq!(got_json, want_json, "{} via {how}", p.file.display());
        }
    }
}

#[tokio::test]
async fn unknown_patient_is_not_found_both_ways() {
    for batch in [BatchMode::Always, BatchMode::Never] {
        let err = client(batch)
            .fetch_record("no-such-patient", &Section::ALL)
            .await
            .unwrap_err();
        assert!(
            matches!(err, FhirError::NotFound { .. }),
            "{batch:?}: {err:?}"
        );
    }
    let src = RemoteSource::new(client(BatchMode::Auto));
    assert!(matches!(
        src.record("no-such-patient", &[]).await,
        Err(SourceError::Fhir(FhirError::NotFound { .. }))
    ));
}
