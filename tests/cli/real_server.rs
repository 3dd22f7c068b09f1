//! The CLI: the real FHIR server

use super::*;

/// Whether the fixture's Patient has a `family` element (Dee Sparse only has `name.text`,
/// which the FHIR `family` search parameter does not cover).
fn has_family_element(p: &FixturePatient) -> bool {
    let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&p.file).unwrap()).unwrap();
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == "Patient")
        .is_some_and(|r| r["name"][0]["family"].is_string())
}

#[test]
fn server_search_finds_every_fixture_patient() {
    let patients = fixture_patients();
    assert!(patients.len() >= 19, "{patients:?}");
    let mut missing = Vec::new();
    for p in &patients {
        let by = if has_family_element(p) {
            "--family"
        } else {
            "--name"
        };
        let doc = run(server(&["search", by, &p.family, "--json"]))
            .ok()
            .json();
        if !search_ids(&doc).contains(&p.id) {
            missing.push(format!("{} ({by} {:?})", p.id, p.family));
        }
    }
    assert!(missing.is_empty(), "not found: {missing:#?}");
}

#[test]
fn server_chart_of_every_fixture_patient() {
    for p in fixture_patients() {
        let doc = run(server(&["chart", &p.id, "--json"])).ok().json();
        assert_eq!(doc["schema"], "rounds.chart/1", "{}", p.id);
        assert_eq!(doc["banner"]["patient_id"], p.id.as_str(), "{doc:#}");
        if let Some(born) = &p.birth_date {
            assert_eq!(doc["banner"]["birth_date"], born.as_str(), "{}", p.id);
        }
    }
}

#[test]
fn server_chart_tables_match_the_demo() {
    for id in ["rnd-ada-testwell", "rnd-cora-lastday", KIMIKO] {
        let from_server = run(server(&["chart", id])).ok();
        let from_demo = run(demo(&["chart", id])).ok();
        assert_eq!(
            from_server.stdout.lines().take(2).collect::<Vec<_>>(),
            from_demo.stdout.lines().take(2).collect::<Vec<_>>(),
            "{id}: banner"
        );
    }
}

#[test]
fn server_unknown_patient_is_3() {
    run(server(&["chart", "no-such-patient-here"]))
        .code(3)
        .stderr_has("not found");
}

#[test]
fn server_verbose_never_shows_patient_data() {
    let kimiko = fixture_patients()
        .into_iter()
        .find(|p| p.id == KIMIKO)
        .unwrap();
    let quiet = run(server(&["chart", KIMIKO])).ok();
    let r = run(server(&["--verbose", "chart", KIMIKO]))
        .ok()
        .stderr_has("batch")
        .stderr_has("round trips");
    assert_eq!(quiet.stdout, r.stdout);
    let stderr = r.stderr.to_lowercase();
    assert!(!stderr.contains(KIMIKO), "{}", r.stderr);
    assert!(
        !stderr.contains(&kimiko.family.to_lowercase()),
        "{}",
        r.stderr
    );
    assert!(!stderr.contains("kimiko"), "{}", r.stderr);

    let r = run(server(&["search", "--name", "Trantow", "--verbose"]))
        .ok()
        .stdout_has("TRANTOW")
        .stderr_has("1 round trip,");
    assert!(!r.stderr.to_lowercase().contains("trantow"), "{}", r.stderr);
}

#[test]
fn server_capabilities() {
    run(server(&["capabilities"]))
        .ok()
        .stdout_has("Batch requests: yes");
    let doc = run(server(&["capabilities", "--json"])).ok().json();
    assert_eq!(doc["schema"], "rounds.capabilities/1");
    assert_eq!(doc["kind"], "server");
}

/// `--help` says `--name` takes "any part of the name, e.g. 'smith' or 'smith john'", and
/// the demo finds `trantow kermit`; the server source sends the words as one `name` value,
/// which no FHIR server matches.
#[test]
fn server_multi_word_name_search() {
    run(demo(&["search", "--name", "trantow kermit"]))
        .ok()
        .stdout_has("TRANTOW");
    run(server(&["search", "--name", "trantow kermit"]))
        .ok()
        .stdout_has("TRANTOW");
}

#[test]
fn server_options_combine_and_batch_saves_round_trips() {
    // --timeout and --batch go with --server (only the data sources exclude each other).
    let batch = run(server(&[
        "--batch",
        "always",
        "--timeout",
        "30",
        "--verbose",
        "chart",
        KIMIKO,
        "--json",
    ]))
    .ok()
    // The Patient and 15 searches (notes, procedures two each, postings three).
    .stderr_has("POST batch (17 requests)")
    .stderr_has("1 round trip,");
    let concurrent = run(server(&[
        "--batch",
        "never",
        "--timeout",
        "30",
        "--verbose",
        "chart",
        KIMIKO,
        "--json",
    ]))
    .ok()
    .stderr_has("17 round trips");
    assert!(
        !concurrent.stderr.contains("batch"),
        "{}",
        concurrent.stderr
    );
    let a = common::normalize(batch.json());
    let b = common::normalize(concurrent.json());
    assert_eq!(a, b, "the same chart either way");
}
