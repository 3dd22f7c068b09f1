//! The CLI: --open

use super::*;

#[test]
fn open_rejects_a_json_file_that_is_not_fhir() {
    run(open(
        "fixtures/bundles/not-fhir.json",
        &["search", "--name", "x"],
    ))
    .code(2)
    .stderr_has("not a FHIR resource");
}

#[test]
fn open_rejects_broken_json() {
    run(open(
        "fixtures/bundles/broken.json",
        &["search", "--name", "x"],
    ))
    .code(2)
    .stderr_has("not valid JSON");
}

#[test]
fn open_a_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    run(open(
        dir.path().join("nope.json"),
        &["search", "--name", "x"],
    ))
    .code(2)
    .stderr_has("no such file");
}

/// The same patient from a Bundle file and from the demo: the same chart, section by
/// section, as tables and as JSON.
fn assert_same_as_demo(file: &str, id: &str, sections: &[&str]) {
    for section in sections {
        let args = ["chart", id, "--section", section];
        let from_file = run(open(file, &args)).ok();
        let from_demo = run(demo(&args)).ok();
        assert_eq!(
            from_file.stdout, from_demo.stdout,
            "{file} --section {section}"
        );
    }
    let from_file = run(open(file, &["chart", id])).ok();
    let from_demo = run(demo(&["chart", id])).ok();
    assert_eq!(from_file.stdout, from_demo.stdout, "{file}: whole chart");
    let from_file = run(open(file, &["chart", id, "--json"])).ok().json();
    let from_demo = run(demo(&["chart", id, "--json"])).ok().json();
    assert_eq!(
        common::normalize(from_file),
        common::normalize(from_demo),
        "{file}: chart JSON"
    );
}

#[test]
fn open_collection_bundle_with_urn_uuid_references() {
    let file = "fixtures/bundles/collection-cora-lastday.json";
    let r = run(open(
        file,
        &["chart", "rnd-cora-lastday", "--section", "problems"],
    ))
    .ok()
    .stdout_has("Dementia")
    .stdout_has("Fracture of neck of left femur");
    assert!(!table_rows(&r.stdout, "PROBLEMS").is_empty());
    run(open(
        file,
        &["chart", "rnd-cora-lastday", "--section", "meds"],
    ))
    .ok()
    .stdout_has("Furosemide 40 mg tablet");
    assert_same_as_demo(file, "rnd-cora-lastday", &["problems", "meds"]);
}

#[test]
fn open_searchset_bundle() {
    let file = "fixtures/bundles/searchset-ben-nkaman.json";
    run(open(file, &["search", "--name", "nkaman"]))
        .ok()
        .stdout_has("rnd-ben-nkaman");
    assert_same_as_demo(
        file,
        "rnd-ben-nkaman",
        &["banner", "problems", "meds", "immunizations"],
    );
}

#[test]
fn open_a_folder_searches_every_patient() {
    let mut found = BTreeSet::new();
    for name in ["testwell", "nkaman", "lastday", "sparse", "surgwell"] {
        let doc = run(open(
            "fixtures/clinical",
            &["search", "--name", name, "--json"],
        ))
        .ok()
        .json();
        found.extend(search_ids(&doc));
    }
    assert_eq!(
        found,
        BTreeSet::from(
            [
                "rnd-ada-testwell",
                "rnd-ada-testwell-lookalike",
                "rnd-ben-nkaman",
                "rnd-cora-lastday",
                "rnd-dee-sparse",
                "rnd-ida-surgwell",
            ]
            .map(String::from)
        )
    );
    run(open("fixtures/clinical", &["capabilities"]))
        .ok()
        .stdout_has("6 patients");
}

/// Vendor-shaped references (hand-made, synthetic): a Medication included beside its
/// order, one contained in it, one that is missing; an unconfirmed allergy with no
/// clinical status; a lab value with a comparator; a BP panel under the older LOINC code
/// with its diastolic absent.
#[test]
fn vendor_references_and_statuses_are_shown_as_sent() {
    let r = run(open(
        "fixtures/bundles/vendor-references.json",
        &["chart", "e1"],
    ))
    .ok()
    .stdout_has("MRN E9001")
    .stdout_has("metoprolol succinate ER 25 mg tablet")
    .stdout_has("insulin glargine 100 unit/mL pen")
    .stdout_has("10 units subcutaneous once a day")
    .stdout_has(
        "Note (aspirin 81 mg): The medication record could not be found; \
         the name is as the order gave it.",
    )
    .stdout_has(">60")
    .stdout_has("Diastolic not known (not measured)");
    let allergies = table_rows(&r.stdout, "ALLERGIES");
    assert_eq!(allergies.len(), 1, "{}", r.stdout);
    let cells: Vec<&str> = allergies[0]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "Penicillins",
            "High",
            "Not known",
            "Not known",
            "Not known",
            "Unconfirmed",
            "Not known",
            "Not known"
        ],
        "{}",
        r.stdout
    );
    // The old name is not the banner's name.
    assert!(!r.stdout.contains("Oldname"), "{}", r.stdout);
}
