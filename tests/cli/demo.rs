//! The CLI: the built-in demo (offline)

use super::*;

#[test]
fn demo_search_lists_both_look_alikes() {
    let r = run(demo(&["search", "--name", "testwell"])).ok();
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.contains("TESTWELL"))
        .collect();
    assert_eq!(rows.len(), 2, "{}", r.stdout);
    for (row, id) in rows
        .iter()
        .zip(["rnd-ada-testwell", "rnd-ada-testwell-lookalike"])
    {
        assert!(row.contains(id), "{row}");
        assert!(row.contains("LOOK-ALIKE"), "{row}");
        assert!(row.contains("TESTWELL, Ada Quinn (Mrs)"), "{row}");
        assert!(row.contains("04-Mar-1958 (68y)"), "{row}");
    }
}

#[test]
fn demo_search_json() {
    let doc = run(demo(&["search", "--name", "testwell", "--json"]))
        .ok()
        .json();
    let ids = search_ids(&doc);
    assert_eq!(ids, ["rnd-ada-testwell", "rnd-ada-testwell-lookalike"]);
    for p in doc["patients"].as_array().unwrap() {
        assert_eq!(p["lookalike"], true, "{p:#}");
        assert_eq!(p["birth_date"], "1958-03-04", "{p:#}");
    }
}

#[test]
fn demo_full_chart() {
    let r = run(demo(&["chart", "rnd-ada-testwell"]))
        .ok()
        .stdout_has("TESTWELL, Ada Quinn (Mrs)  Born 04-Mar-1958 (68y)  Female  MRN RND100101\n")
        .stdout_has("Allergies: 2 allergies (high criticality): Penicillin, Latex\n");
    for title in [
        "PROBLEMS",
        "ALLERGIES",
        "MEDICATIONS",
        "LABS",
        "VITALS",
        "ENCOUNTERS",
        "IMMUNIZATIONS",
        "NOTES",
    ] {
        assert!(
            r.stdout.lines().any(|l| l == title),
            "no {title} in\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.starts_with("TESTWELL, Ada Quinn (Mrs)"));
}

#[test]
fn demo_meds_section() {
    let r = run(demo(&["chart", "rnd-ada-testwell", "--section", "meds"]))
        .ok()
        .stdout_has("0.5 tablet by mouth every 6 hours as needed for pain")
        .stdout_has("5 mmol by mouth twice a day");
    let lines = table_rows(&r.stdout, "MEDICATIONS");
    let (notes, rows): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| l.starts_with("Note ("));
    assert_eq!(rows.len(), 8, "{}", r.stdout);
    // The demo's vitamin D order names a Medication that is not there: the CLI says so.
    assert_eq!(
        notes,
        [
            "Note (Vitamin D3 1000 unit capsule): The medication record could not be found; the name is as the order gave it."
        ],
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("5.0"), "{}", r.stdout);
    // One section only (plus the banner).
    assert!(!r.stdout.lines().any(|l| l == "LABS"), "{}", r.stdout);
}

#[test]
fn demo_labs_section_json() {
    let doc = run(demo(&[
        "chart",
        "rnd-ada-testwell",
        "--section",
        "labs",
        "--json",
    ]))
    .ok()
    .json();
    assert_eq!(doc["schema"], "rounds.chart/1");
    assert_eq!(
        keys(&doc),
        BTreeSet::from([
            "schema",
            "banner",
            "warnings",
            "failed",
            "not_shown",
            "labs"
        ])
    );
    assert_eq!(doc["banner"]["patient_id"], "rnd-ada-testwell");
    let results = doc["labs"]["data"]["results"].as_array().unwrap();
    let tsh = results
        .iter()
        .find(|r| r["name"] == "TSH")
        .unwrap_or_else(|| panic!("no TSH in {doc:#}"));
    assert_eq!(tsh["flag_symbol"], "LL", "{tsh:#}");
}

#[test]
fn demo_cover_section() {
    let r = run(demo(&["chart", "rnd-ada-testwell", "--section", "cover"]))
        .ok()
        .stdout_has("Allergies: 2 allergies (high criticality)");
    for title in [
        "ACTIVE PROBLEMS",
        "ALLERGIES",
        "ACTIVE MEDICATIONS",
        "LATEST VITALS",
        "ABNORMAL LABS (CRITICAL FIRST)",
        "RECENT ENCOUNTERS",
    ] {
        assert!(!table_rows(&r.stdout, title).is_empty(), "{}", r.stdout);
    }
    let doc = run(demo(&[
        "chart",
        "rnd-ada-testwell",
        "--section",
        "cover",
        "--json",
    ]))
    .ok()
    .json();
    // `failed` (issue 12.2): the sections asked for that could not be loaded (none here).
    // The cover sheet comes with the postings (flags, advance directives; issue 11).
    assert_eq!(
        keys(&doc),
        BTreeSet::from([
            "schema",
            "banner",
            "postings",
            "warnings",
            "failed",
            "not_shown",
            "cover_sheet"
        ])
    );
    assert_eq!(doc["failed"], json!([]));
    // A cover sheet with no allergy listed says what the banner says, never "none".
    for (patient, said) in [
        ("rnd-cora-lastday", "Allergies not known"),
        ("rnd-ben-nkaman", "NKA"),
    ] {
        let r = run(demo(&["chart", patient, "--section", "cover"])).ok();
        let listed: Vec<&str> = r
            .stdout
            .lines()
            .skip_while(|l| *l != "ALLERGIES")
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .map(str::trim)
            .collect();
        assert_eq!(listed, [said], "{}", r.stdout);
    }
}

#[test]
fn demo_deceased_nka_and_sparse_banners() {
    run(demo(&["chart", "rnd-cora-lastday", "--section", "banner"]))
        .ok()
        .stdout_has("** DIED 14-FEB-2026 **")
        .stdout_has("Allergies: Allergies not known");
    run(demo(&["chart", "rnd-ben-nkaman", "--section", "banner"]))
        .ok()
        .stdout_has("Allergies: NKA");
    let r = run(demo(&["chart", "rnd-dee-sparse"]))
        .ok()
        .stdout_has("Born Not known");
    let banner = r.stdout.lines().next().unwrap();
    assert!(
        banner.contains("Born Not known  Not known"),
        "sex should be 'Not known': {banner}"
    );
}

#[test]
fn demo_capabilities() {
    run(demo(&["capabilities"]))
        .ok()
        .stdout_has("Local FHIR data: 10 patients")
        .stdout_has("no network");
    let doc = run(demo(&["capabilities", "--json"])).ok().json();
    assert_eq!(doc["schema"], "rounds.capabilities/1");
    assert_eq!(doc["patients"], 10);
}
