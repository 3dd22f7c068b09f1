//! How a chart is loaded: one batch round trip (or concurrent requests), paging of large
//! sections, the first screen and the rest, and the limit on the rest.

use super::*;

#[tokio::test]
async fn batch_opens_a_chart_in_one_round_trip_and_concurrent_in_seventeen() {
    let kimiko = "75e95f92-3bfa-454f-aa99-99375173f201";
    let c = client(BatchMode::Always);
    let before = c.stats();
    let r = c.fetch_record(kimiko, &Section::ALL).await.unwrap();
    let cost = c.stats().since(&before);
    assert_eq!(cost.round_trips, 1, "{cost:?}");
    // rounds asks every server for gzip and brotli; hfs answers compressed, sekmet never
    // compresses (then the bytes on the wire are the bytes decoded).
    if server_compresses() {
        assert!(
            cost.bytes_received < cost.bytes_decoded / 4,
            "compressed: {cost:?}"
        );
    } else {
        assert!(cost.bytes_received >= cost.bytes_decoded, "{cost:?}");
    }
    assert_eq!(r.encounters.len(), 83);

    let c = client(BatchMode::Never);
    let r2 = c.fetch_record(kimiko, &Section::ALL).await.unwrap();
    // The Patient read and sixteen searches (notes and procedures are two each, the
    // postings three, observations in neither lab nor vital category one), all at once.
    assert_eq!(c.stats().round_trips, 17);
    assert_eq!(r2.procedures.len(), r.procedures.len());
    assert_eq!(r.procedures.len(), 128, "every procedure in one page");
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
        Section::MedicationStatements,
        Section::Postings,
        Section::Labs,
        Section::Vitals,
    ] {
        assert!(first.loaded.contains(&s), "{s:?}");
    }
    assert_eq!(first.encounters.len(), 10);
    assert!(first.pending.contains(&Section::Encounters));
    assert!(first.pending.contains(&Section::Immunizations));
    assert!(first.pending.contains(&Section::Notes));
    assert!(first.pending.contains(&Section::Procedures));
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
    // Without batch: the six other searches (immunizations, notes two, procedures two,
    // observations of other categories),
    // and one more page each for the labs (103 older ones, up to 200 a page) and the
    // encounters (5 older), both at the full page size; his 35 vital signs fit the first
    // page of 40. (At the first screen's page sizes the labs alone would take 3 more pages.)
    assert_eq!(c.stats().round_trips - before, 8, "{:?}", c.stats());
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
