//! The server's capabilities, and patient search by each criterion and across pages.

use super::*;

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
    // Every female patient the server was loaded with: the fixtures and the outside corpus
    // (fixtures/corpus-server).
    let expected: Vec<String> = {
        let mut v: Vec<String> = fixture_patients()
            .into_iter()
            .filter(|p| p.gender.as_deref() == Some("female"))
            .map(|p| p.id)
            .collect();
        v.extend(corpus_server_patients("female"));
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
    // Every page's patients, none twice: the fixtures' female patients all come back.
    // Tests that register patients (front desk) may add others on a shared server, so
    // the check is that nothing expected is missing and nothing repeats.
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique, ids, "a patient came back twice across pages");
    let missing: Vec<&String> = expected.iter().filter(|e| !ids.contains(e)).collect();
    assert!(missing.is_empty(), "missing {missing:?} from {ids:?}");
    assert!(pages >= 3);
    // The data source follows the pages up to its limit.
    let src = RemoteSource::new(client(BatchMode::Auto));
    let limited = src.search(&q, 3).await.unwrap();
    assert_eq!(limited.patients.len(), 3);
    assert!(limited.more);
}

/// The ids of the Patients with `gender` in the corpus as loaded on the servers.
fn corpus_server_patients(gender: &str) -> Vec<String> {
    let dir = common::repo().join("fixtures/corpus-server");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "MANIFEST.json") {
            continue;
        }
        let bundle: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for e in bundle["entry"].as_array().into_iter().flatten() {
            let r = &e["resource"];
            if r["resourceType"] == "Patient" && r["gender"] == gender {
                out.push(r["id"].as_str().unwrap().to_owned());
            }
        }
    }
    out
}
