//! The FHIR client and the remote data source against a real FHIR server (Helios hfs,
//! started and loaded with the fixtures by scripts/test). Values are asserted against the
//! fixtures: the same chart must come out of the server as out of the Bundle files.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fixture_patients, normalize, server_url, today};
use rounds::chart::{AllergyFlag, Chart, Flag};
use rounds::fhir::{BatchMode, ClientConfig, FhirClient, FhirError, PatientQuery, Section};
use rounds::source::{DataSource, LocalSource, RemoteSource, SourceError};

fn client(batch: BatchMode) -> FhirClient {
    let mut config = ClientConfig::new(server_url());
    config.batch = batch;
    FhirClient::new(config).unwrap()
}

fn query(f: impl FnOnce(&mut PatientQuery)) -> PatientQuery {
    let mut q = PatientQuery::default();
    f(&mut q);
    q
}

async fn found_ids(q: PatientQuery) -> Vec<String> {
    let page = client(BatchMode::Auto)
        .search_patients(&q, 50)
        .await
        .unwrap();
    assert!(!page.used_get, "the server should take POST _search");
    let mut ids: Vec<String> = page.patients.into_iter().filter_map(|p| p.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn capabilities_of_the_real_server() {
    let c = client(BatchMode::Auto);
    let caps = c.capabilities().await.unwrap();
    assert!(caps.is_r4(), "{:?}", caps.fhir_version);
    assert!(caps.supports_batch());
    assert!(caps.can_search("Patient"));
    for p in [
        "name",
        "family",
        "given",
        "birthdate",
        "gender",
        "identifier",
    ] {
        assert!(
            caps.has_search_param("Patient", p),
            "Patient search param {p}"
        );
    }
    assert!(caps.has_search_param("Observation", "category"));
    assert_eq!(c.stats().round_trips, 1);
    // Fetched once per client.
    c.capabilities().await.unwrap();
    assert_eq!(c.stats().round_trips, 1);
}

#[tokio::test]
async fn patient_search_by_each_criterion() {
    let trantow = "1f456f0a-acb1-4728-82af-01ca57083c7b";
    assert_eq!(
        found_ids(query(|q| q.name = Some("Trantow".into()))).await,
        [trantow]
    );
    assert_eq!(
        found_ids(query(|q| q.family = Some("trant".into()))).await,
        [trantow]
    );
    assert_eq!(
        found_ids(query(|q| {
            q.given = Some("Kermit".into());
            q.birthdate = chrono::NaiveDate::from_ymd_opt(1993, 6, 21);
        }))
        .await,
        [trantow]
    );
    assert_eq!(
        found_ids(query(|q| q.identifier = Some(
            "http://hospital.smarthealthit.org|f1a650a5-737e-4fd7-828e-03c3348b9524".into()
        )))
        .await,
        [trantow]
    );
    assert_eq!(
        found_ids(query(|q| q.identifier = Some("RND100101".into()))).await,
        ["rnd-ada-testwell".to_owned()]
    );
    // Accent-insensitive, and an apostrophe in a name.
    assert_eq!(
        found_ids(query(|q| q.name = Some("hernan".into()))).await,
        ["7777f4bb-9c19-42fe-b09a-cd791ea99ac2".to_owned()]
    );
    assert_eq!(
        found_ids(query(|q| q.family = Some("O'Keefe".into()))).await,
        ["c7792da2-a72f-4c0a-9dd8-05c5809008f1".to_owned()]
    );
    // Same name and birth date: two patients, the look-alikes.
    let both = found_ids(query(|q| {
        q.family = Some("Testwell".into());
        q.birthdate = chrono::NaiveDate::from_ymd_opt(1958, 3, 4);
    }))
    .await;
    assert_eq!(both, ["rnd-ada-testwell", "rnd-ada-testwell-lookalike"]);
    assert!(
        found_ids(query(|q| q.name = Some("Nobody-Such-Name".into())))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn patient_search_pages_through_next_links() {
    let expected: Vec<String> = {
        let mut v: Vec<String> = fixture_patients()
            .into_iter()
            .filter(|p| p.gender.as_deref() == Some("female"))
            .map(|p| p.id)
            .collect();
        v.sort();
        v
    };
    assert!(expected.len() > 4);
    let c = client(BatchMode::Auto);
    let q = query(|q| q.gender = Some("female".into()));
    let mut page = c.search_patients(&q, 2).await.unwrap();
    let mut ids: Vec<String> = Vec::new();
    let mut pages = 1;
    loop {
        assert!(page.patients.len() <= 2);
        ids.extend(page.patients.iter().filter_map(|p| p.id.clone()));
        match page.next.clone() {
            Some(next) => page = c.next_patients(&next).await.unwrap(),
            None => break,
        }
        pages += 1;
    }
    ids.sort();
    assert_eq!(ids, expected);
    assert!(pages >= 3);
    // The data source follows the pages up to its limit.
    let src = RemoteSource::new(client(BatchMode::Auto));
    let limited = src.search(&q, 3).await.unwrap();
    assert_eq!(limited.patients.len(), 3);
    assert!(limited.more);
}

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
    assert_eq!(
        flag("rnd-ben-nkaman").await,
        AllergyFlag::NoKnownAllergies {
            label: "NKA".into()
        }
    );
    assert_eq!(flag("rnd-cora-lastday").await, AllergyFlag::NoInformation);
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
        let want = Chart::build(&local.record(&p.id, &Section::ALL).await.unwrap(), today());
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
async fn batch_opens_a_chart_in_one_round_trip_and_concurrent_in_ten() {
    let kimiko = "75e95f92-3bfa-454f-aa99-99375173f201";
    let c = client(BatchMode::Always);
    let before = c.stats();
    let r = c.fetch_record(kimiko, &Section::ALL).await.unwrap();
    let cost = c.stats().since(&before);
    assert_eq!(cost.round_trips, 1, "{cost:?}");
    assert!(
        cost.bytes_received < cost.bytes_decoded / 4,
        "compressed: {cost:?}"
    );
    assert_eq!(r.encounters.len(), 83);

    let c = client(BatchMode::Never);
    let r2 = c.fetch_record(kimiko, &Section::ALL).await.unwrap();
    // The Patient read and nine searches (notes are two), all at once.
    assert_eq!(c.stats().round_trips, 10);
    assert_eq!(r2.encounters.len(), r.encounters.len());
    assert_eq!(r2.observations.len(), r.observations.len());
}

#[tokio::test]
async fn paging_is_followed_for_large_sections() {
    // Clint Champlin has 153 labs: with 50 per page the client must follow three next links.
    let mut config = ClientConfig::new(server_url());
    config.page.observations = 50;
    config.batch = BatchMode::Always;
    let c = FhirClient::new(config).unwrap();
    let r = c
        .fetch_record("7e285e08-34a4-4b3b-aff6-60f48a3c7cd3", &[Section::Labs])
        .await
        .unwrap();
    let labs = Chart::build(&r, today());
    assert_eq!(labs.labs.data().unwrap().results.len(), 153);
    assert_eq!(c.stats().round_trips, 4);
    assert!(r.truncated.is_empty());

    let mut config = ClientConfig::new(server_url());
    config.page.observations = 50;
    config.max_pages = 2;
    config.batch = BatchMode::Always;
    let c = FhirClient::new(config).unwrap();
    let r = c
        .fetch_record("7e285e08-34a4-4b3b-aff6-60f48a3c7cd3", &[Section::Labs])
        .await
        .unwrap();
    assert_eq!(r.observations.len(), 100);
    assert!(r.truncated.contains(&Section::Labs));
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

#[tokio::test]
async fn the_first_screen_comes_in_one_round_trip_and_the_rest_completes_it() {
    let kimiko = "75e95f92-3bfa-454f-aa99-99375173f201";
    let full_client = client(BatchMode::Always);
    let full = full_client
        .fetch_record(kimiko, &Section::ALL)
        .await
        .unwrap();
    let full_cost = full_client.stats();

    let c = client(BatchMode::Always);
    let (first, cont) = c.fetch_first_screen(kimiko).await.unwrap();
    let first_cost = c.stats();
    assert_eq!(first_cost.round_trips, 1, "{first_cost:?}");
    assert!(
        first_cost.bytes_received < full_cost.bytes_received,
        "first screen {first_cost:?} vs whole chart {full_cost:?}"
    );
    // The cover sheet's sections are there; what is left is marked as coming.
    for s in [
        Section::Allergies,
        Section::Problems,
        Section::Medications,
        Section::Labs,
        Section::Vitals,
    ] {
        assert!(first.loaded.contains(&s), "{s:?}");
    }
    assert_eq!(first.encounters.len(), 10);
    assert!(first.pending.contains(&Section::Encounters));
    assert!(first.pending.contains(&Section::Immunizations));
    assert!(first.pending.contains(&Section::Notes));
    let cover = Chart::build(&first, today());
    assert!(matches!(cover.immunizations, rounds::chart::Part::Loading));
    assert!(cover.cover_sheet().recent_encounters.is_some());

    let mut merged = first;
    merged.merge(c.fetch_rest(cont).await.unwrap());
    assert!(merged.pending.is_empty(), "{:?}", merged.pending);
    assert_eq!(merged.encounters.len(), 83);
    // The other 73 encounters come in one page at the full page size, at the same time as
    // the other tabs' batch: not 10 at a time.
    let rest_cost = c.stats().round_trips - first_cost.round_trips;
    assert_eq!(rest_cost, 2, "{:?}", c.stats());
    let a = normalize(serde_json::to_value(Chart::build(&merged, today())).unwrap());
    let b = normalize(serde_json::to_value(Chart::build(&full, today())).unwrap());
    assert_eq!(a, b, "first screen + rest = the whole chart");
}

#[tokio::test]
async fn the_rest_follows_older_pages_of_a_long_lab_history() {
    // Clint Champlin: 153 labs, of which the first screen takes the newest 50.
    let c = client(BatchMode::Never);
    let (first, cont) = c
        .fetch_first_screen("7e285e08-34a4-4b3b-aff6-60f48a3c7cd3")
        .await
        .unwrap();
    let labs = |r: &rounds::fhir::PatientRecord| {
        r.observations
            .iter()
            .filter(|o| o.category.iter().any(|c| c.has_code("laboratory")))
            .count()
    };
    assert_eq!(labs(&first), 50);
    assert!(first.pending.contains(&Section::Labs));
    let before = c.stats().round_trips;
    let mut merged = first;
    merged.merge(c.fetch_rest(cont).await.unwrap());
    assert_eq!(labs(&merged), 153);
    // Without batch: the three other tabs' searches, and one more page each for the labs
    // (103 older ones, up to 200 a page) and the encounters (5 older), both at the full
    // page size; his 35 vital signs fit the first page of 40. (At the first screen's page
    // sizes the labs alone would take 3 more pages.)
    assert_eq!(c.stats().round_trips - before, 5, "{:?}", c.stats());
    assert!(merged.pending.is_empty());
    assert!(merged.truncated.is_empty());
}

/// The banner's Patient comes out of the first-screen answer itself: once, the patient
/// asked for, before the first screen is complete, and with no request of its own.
#[tokio::test]
async fn the_banner_patient_comes_with_the_first_screen_at_no_extra_cost() {
    use std::sync::{Arc, Mutex};
    let kimiko = "75e95f92-3bfa-454f-aa99-99375173f201";
    for mode in [BatchMode::Always, BatchMode::Never] {
        let plain = client(mode);
        plain.fetch_first_screen(kimiko).await.unwrap();
        let c = client(mode);
        let seen: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
        let sink = seen.clone();
        let banner: rounds::fhir::client::PatientSink = Box::new(move |p| {
            sink.lock().unwrap().push(p);
        });
        let (first, _) = c
            .fetch_first_screen_with(kimiko, Some(banner))
            .await
            .unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{mode:?}");
        assert_eq!(seen[0]["resourceType"], "Patient");
        assert_eq!(seen[0]["id"], kimiko);
        assert_eq!(first.patient_id(), kimiko);
        assert_eq!(
            c.stats().round_trips,
            plain.stats().round_trips,
            "{mode:?}: the banner costs no request"
        );
    }
    // Another patient's chart never hands over Kimiko (nor anyone else but itself).
    let c = client(BatchMode::Always);
    let seen: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let sink = seen.clone();
    let banner: rounds::fhir::client::PatientSink = Box::new(move |p| sink.lock().unwrap().push(p));
    let ada = "rnd-ada-testwell";
    c.fetch_first_screen_with(ada, Some(banner)).await.unwrap();
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|p| p["id"] == ada), "{seen:?}");
}

/// The background load stops taking a section's older pages past `rest_max_entries` and
/// says the section was cut short (the TUI's memory stays bounded for years of results).
#[tokio::test]
async fn the_rest_stops_past_its_entry_limit_and_says_so() {
    let mut config = ClientConfig::new(server_url());
    config.batch = BatchMode::Never;
    config.rest_max_entries = 40;
    config.page = rounds::fhir::PageSize {
        observations: 20,
        other: 20,
    };
    let c = FhirClient::new(config).unwrap();
    // Clint Champlin: 153 labs; the first screen takes 50, then one page of 50 more (the
    // first screen's page size, not raised to the smaller 20), and no more past 40.
    let (first, cont) = c
        .fetch_first_screen("7e285e08-34a4-4b3b-aff6-60f48a3c7cd3")
        .await
        .unwrap();
    let mut merged = first;
    merged.merge(c.fetch_rest(cont).await.unwrap());
    let labs = merged
        .observations
        .iter()
        .filter(|o| o.category.iter().any(|c| c.has_code("laboratory")))
        .count();
    assert_eq!(labs, 100);
    assert!(merged.truncated.contains(&Section::Labs));
    assert!(!merged.truncated.contains(&Section::Encounters), "15 fit");
}
