#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of the `rounds` binary: the built-in demo (offline), exit codes and
//! error messages, `--open` on Bundle files, hostile strings in the data, `--verbose`, and
//! the real FHIR server (`ROUNDS_TEST_FHIR_URL`, set by scripts/test).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use base64::Engine as _;
use common::{FixturePatient, fixture_patients, repo, server_url};
use serde_json::{Value, json};

/// The date every command runs on, so ages are stable.
const TODAY: &str = "2026-11-22";

/// Kimiko Dooley, a Synthea patient on the test server.
const KIMIKO: &str = "75e95f92-3bfa-454f-aa99-99375173f201";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// `rounds` with a fixed today, no `ROUNDS_SERVER` from the environment, run from the
/// repository (so `fixtures/...` paths work), and nothing else.
fn rounds() -> Command {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("rounds");
    // Each command starts with no cached server capabilities (an empty value turns the
    // cache off), so round-trip counts do not depend on earlier tests.
    cmd.env("ROUNDS_TODAY", TODAY)
        .env("ROUNDS_CACHE_DIR", "")
        .env_remove("ROUNDS_SERVER")
        .current_dir(repo());
    cmd
}

/// `rounds --demo ARGS`.
fn demo(args: &[&str]) -> Command {
    let mut cmd = rounds();
    cmd.arg("--demo").args(args);
    cmd
}

/// `rounds --open PATH ARGS`.
fn open(path: impl AsRef<Path>, args: &[&str]) -> Command {
    let mut cmd = rounds();
    cmd.arg("--open").arg(path.as_ref()).args(args);
    cmd
}

/// `rounds --server URL ARGS` against the real test server.
fn server(args: &[&str]) -> Command {
    let mut cmd = rounds();
    cmd.arg("--server").arg(server_url()).args(args);
    cmd
}

/// What a finished command left behind.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    /// The command line, for failure messages.
    what: String,
}

impl Run {
    /// Assert the exit code, showing the output when it is wrong.
    fn code(self, want: i32) -> Run {
        assert_eq!(
            self.code, want,
            "{}: exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.what, self.stdout, self.stderr
        );
        self
    }

    fn ok(self) -> Run {
        self.code(0)
    }

    fn stdout_has(self, needle: &str) -> Run {
        assert!(
            self.stdout.contains(needle),
            "{}: stdout lacks {needle:?}\n--- stdout\n{}",
            self.what,
            self.stdout
        );
        self
    }

    fn stderr_has(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "{}: stderr lacks {needle:?}\n--- stderr\n{}",
            self.what,
            self.stderr
        );
        self
    }

    /// Stdout parsed as JSON.
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: stdout is not JSON ({e})\n--- stdout\n{}",
                self.what, self.stdout
            )
        })
    }
}

/// Run a command to the end.
fn run(mut cmd: Command) -> Run {
    let what = format!("{:?}", cmd.get_args().collect::<Vec<_>>());
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
        what,
    }
}

/// The rows of a table section: the lines after `TITLE` and its header line, up to the next
/// blank line.
fn table_rows<'a>(stdout: &'a str, title: &str) -> Vec<&'a str> {
    let mut lines = stdout.lines().skip_while(|l| *l != title);
    assert!(lines.next().is_some(), "no {title} section in\n{stdout}");
    lines.skip(1).take_while(|l| !l.trim().is_empty()).collect()
}

/// The ids in a `rounds.search/1` document.
fn search_ids(doc: &Value) -> Vec<String> {
    assert_eq!(doc["schema"], "rounds.search/1", "{doc:#}");
    doc["patients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

// ---------------------------------------------------------------------------------------
// 1. The built-in demo (offline)
// ---------------------------------------------------------------------------------------

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
        .stdout_has("Allergies: 2 allergies (high criticality)\n");
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
    assert_eq!(
        table_rows(&r.stdout, "MEDICATIONS").len(),
        8,
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
        BTreeSet::from(["schema", "banner", "warnings", "labs"])
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
    assert_eq!(
        keys(&doc),
        BTreeSet::from(["schema", "banner", "warnings", "cover_sheet"])
    );
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

// ---------------------------------------------------------------------------------------
// 2. Exit codes
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_patient_is_3() {
    run(demo(&["chart", "no-such-patient"]))
        .code(3)
        .stderr_has("rounds: error: Patient 'no-such-patient' was not found");
}

#[test]
fn search_without_criteria_is_2() {
    run(demo(&["search"])).code(2).stderr_has("at least one of");
}

#[test]
fn bad_birthdate_is_2() {
    run(demo(&["search", "--birthdate", "1980-13-01"]))
        .code(2)
        .stderr_has("'1980-13-01' is not a date");
}

#[test]
fn no_data_source_is_2() {
    run({
        let mut c = rounds();
        c.args(["search", "--name", "x"]);
        c
    })
    .code(2)
    .stderr_has("no data source");
}

#[test]
fn closed_port_is_5() {
    let mut cmd = rounds();
    cmd.args(["--server", "http://127.0.0.1:9", "search", "--name", "x"]);
    run(cmd).code(5).stderr_has("refused");
}

#[test]
fn rounds_server_from_the_environment_is_used() {
    let mut cmd = rounds();
    cmd.env("ROUNDS_SERVER", "http://127.0.0.1:9")
        .args(["search", "--name", "x"]);
    run(cmd).code(5).stderr_has("refused");
}

#[test]
fn malformed_server_url_is_2() {
    let mut cmd = rounds();
    cmd.args(["--server", "not-a-url", "search", "--name", "x"]);
    run(cmd).code(2).stderr_has("not-a-url");
}

#[test]
fn patient_id_with_a_slash_is_2() {
    run(demo(&["chart", "Patient/rnd-ada-testwell"]))
        .code(2)
        .stderr_has("is not a patient id");
}

#[test]
fn help_exits_0_and_documents_exit_codes() {
    let mut cmd = rounds();
    cmd.arg("--help");
    run(cmd)
        .ok()
        .stdout_has("Exit codes: 0 ok, 2 usage or bad input, 3 not found");
}

#[test]
fn two_sources_at_once_is_2() {
    run(demo(&["--open", "x", "search", "--name", "x"]))
        .code(2)
        .stderr_has("cannot be used with");
    run(demo(&[
        "--server",
        "http://127.0.0.1:9",
        "search",
        "--name",
        "x",
    ]))
    .code(2);
}

// ---------------------------------------------------------------------------------------
// 3. --open
// ---------------------------------------------------------------------------------------

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
    for name in ["testwell", "nkaman", "lastday", "sparse"] {
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
            ]
            .map(String::from)
        )
    );
    run(open("fixtures/clinical", &["capabilities"]))
        .ok()
        .stdout_has("5 patients");
}

// ---------------------------------------------------------------------------------------
// 4. Hostile strings
// ---------------------------------------------------------------------------------------

/// Terminal escapes (clear screen, OSC 52 clipboard write, OSC 8 hyperlink), a C1 CSI, a
/// right-to-left override and a zero-width space.
const HOSTILE: &str = "Evil\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}]8;;http://x\u{1b}\\Link\u{9b}31mRed\u{202e}desrever\u{200b}End";

/// A note with escapes, a bell, a C1 CSI and carriage returns (which could overwrite lines).
const HOSTILE_NOTE: &str = "First line\u{1b}[31m red\u{1b}[0m\r\nSecond line\rOVERWRITTEN\u{1b}]52;c;ZXZpbA==\u{7}\n\u{9b}2J\u{202e}Third line\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\\n";

const HOSTILE_ID: &str = "rnd-hostile";

/// Write a collection Bundle with hostile strings everywhere a chart shows text.
fn hostile_bundle(dir: &Path) -> std::path::PathBuf {
    let subject = json!({ "reference": format!("Patient/{HOSTILE_ID}") });
    let entry = |n: u32, resource: Value| {
        json!({
            "fullUrl": format!("urn:uuid:00000000-0000-4000-8000-{n:012}"),
            "resource": resource,
        })
    };
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            entry(1, json!({
                "resourceType": "Patient",
                "id": HOSTILE_ID,
                "identifier": [{ "system": "urn:example:mrn", "value": "HOSTILE1" }],
                "name": [{ "family": HOSTILE, "given": ["Mallory"] }],
                "gender": "female",
                "birthDate": "1970-01-01",
            })),
            entry(2, json!({
                "resourceType": "Condition",
                "id": "rnd-hostile-cond",
                "clinicalStatus": { "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
                }] },
                "code": { "text": HOSTILE },
                "subject": subject,
                "onsetDateTime": "2020-01-01",
            })),
            entry(3, json!({
                "resourceType": "Observation",
                "id": "rnd-hostile-obs",
                "status": "final",
                "category": [{ "coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                    "code": "laboratory",
                }] }],
                "code": { "text": HOSTILE },
                "subject": subject,
                "effectiveDateTime": "2026-01-01T09:00:00Z",
                "valueQuantity": { "value": 5, "unit": HOSTILE },
            })),
            entry(4, json!({
                "resourceType": "DocumentReference",
                "id": "rnd-hostile-note",
                "status": "current",
                "type": { "text": "Progress note" },
                "subject": subject,
                "date": "2026-01-02T10:00:00Z",
                "description": HOSTILE,
                "content": [{ "attachment": {
                    "contentType": "text/plain",
                    "data": base64::engine::general_purpose::STANDARD.encode(HOSTILE_NOTE),
                } }],
            })),
        ],
    });
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
    path
}

/// No terminal control in the text a terminal would show.
fn assert_inert(what: &str, text: &str) {
    for (bad, name) in [
        ("\u{1b}", "ESC"),
        ("\u{9b}", "C1 CSI"),
        ("\u{7}", "BEL"),
        ("\u{202e}", "right-to-left override"),
    ] {
        assert!(!text.contains(bad), "{what} contains {name}:\n{text:?}");
    }
}

#[test]
fn hostile_strings_are_neutralised_in_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_bundle(dir.path());

    let r = run(open(&file, &["search", "--name", "mallory"]))
        .ok()
        .stdout_has(HOSTILE_ID)
        .stdout_has("EVIL");
    assert_inert("search stdout", &r.stdout);
    assert_inert("search stderr", &r.stderr);

    let r = run(open(&file, &["chart", HOSTILE_ID]))
        .ok()
        .stdout_has("Mallory")
        .stdout_has("First line")
        .stdout_has("Third line");
    assert_inert("chart stdout", &r.stdout);
    assert_inert("chart stderr", &r.stderr);
    // The hostile Condition, Observation and note all made it into the chart.
    assert!(
        !table_rows(&r.stdout, "PROBLEMS").is_empty(),
        "{}",
        r.stdout
    );
    assert_eq!(table_rows(&r.stdout, "LABS").len(), 1, "{}", r.stdout);

    for section in ["cover", "problems", "labs", "notes"] {
        let r = run(open(&file, &["chart", HOSTILE_ID, "--section", section])).ok();
        assert_inert(&format!("--section {section}"), &r.stdout);
    }
}

#[test]
fn hostile_strings_are_escaped_not_altered_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_bundle(dir.path());
    let r = run(open(&file, &["chart", HOSTILE_ID, "--json"])).ok();
    // JSON escapes control characters, so the raw output carries none.
    assert!(!r.stdout.contains('\u{1b}'), "{}", r.stdout);
    assert!(!r.stdout.contains('\u{7}'), "{}", r.stdout);
    let doc = r.json();
    let name = doc["banner"]["name"].as_str().unwrap();
    assert!(name.contains('\u{1b}'), "the data should be kept: {name:?}");
    // The name is display text (the family in capitals), but every control character is
    // still there.
    for c in ['\u{7}', '\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(name.contains(c), "{c:?} dropped from {name:?}");
    }
    assert!(name.contains("\u{1b}[2J"), "{name:?}");

    let doc = run(open(&file, &["search", "--name", "mallory", "--json"]))
        .ok()
        .json();
    assert!(
        doc["patients"][0]["name"]
            .as_str()
            .unwrap()
            .contains('\u{1b}'),
        "{doc:#}"
    );
}

// ---------------------------------------------------------------------------------------
// 5. --verbose offline
// ---------------------------------------------------------------------------------------

#[test]
fn verbose_demo_reports_no_network_and_leaves_stdout_alone() {
    for args in [
        &["search", "--name", "testwell"][..],
        &["chart", "rnd-ada-testwell", "--section", "labs"][..],
    ] {
        let quiet = run(demo(args)).ok();
        let mut verbose_args = vec!["--verbose"];
        verbose_args.extend(args);
        let loud = run(demo(&verbose_args))
            .ok()
            .stderr_has("no network")
            .stderr_has("built-in demo patients");
        assert_eq!(quiet.stdout, loud.stdout, "{args:?}");
        assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
        assert!(
            !loud.stderr.to_lowercase().contains("testwell"),
            "{}",
            loud.stderr
        );
    }
}

// ---------------------------------------------------------------------------------------
// 6. The real FHIR server
// ---------------------------------------------------------------------------------------

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
    .stderr_has("POST batch (10 requests)")
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
    .stderr_has("10 round trips");
    assert!(
        !concurrent.stderr.contains("batch"),
        "{}",
        concurrent.stderr
    );
    let a = common::normalize(batch.json());
    let b = common::normalize(concurrent.json());
    assert_eq!(a, b, "the same chart either way");
}
