//! The CLI on the outside corpus (`fixtures/corpus/`) and on a sign-in profile that names
//! the MRN's identifier system: what real EHRs send, as tables and as JSON.

use super::*;

/// `rounds --open fixtures/corpus/FILE chart ID ARGS`.
fn corpus(file: &str, id: &str, args: &[&str]) -> Run {
    let mut all = vec!["chart", id];
    all.extend_from_slice(args);
    run(open(format!("fixtures/corpus/{file}"), &all)).code(0)
}

#[test]
fn the_mrn_is_the_identifier_typed_as_one_never_the_first() {
    // Epic types its identifiers only in text; the Care Everywhere id comes first.
    corpus(
        "vendor/epic-patient-read.json",
        "eXq7Zzdemo.Tp1Rnd0mId3",
        &["--section", "banner"],
    )
    .stdout_has("TESTPATIENT, Theodore Quincy Jr.")
    .stdout_has("MRN 990017314");
    // A national number with no type is not an MRN: not known, not a guess.
    let doc = corpus(
        "ips/bundle-minimal.json",
        "7685713c-e29e-4a75-8a90-45be7ba3be94",
        &["--section", "banner", "--json"],
    )
    .json();
    assert_eq!(doc["banner"]["mrn"], "Not known");
    // The search rows say the same.
    run(open(
        "fixtures/corpus/vendor/epic-patient-read.json",
        &["search", "--name", "Testpatient"],
    ))
    .code(0)
    .stdout_has("990017314");
}

#[test]
fn sex_from_the_us_core_extension_says_which() {
    corpus(
        "uscore/amy-shaw-vitals-sex-extension.json",
        "example",
        &["--section", "banner"],
    )
    .stdout_has("Female (sex for clinical use)");
}

#[test]
fn an_inactive_record_says_so_and_names_the_live_one() {
    corpus("vendor/merged-patient-replaced-by.json", "zz-merged-old", &[])
        .stdout_has("** INACTIVE RECORD — replaced by zz-merged-survivor: the live record is `rounds chart zz-merged-survivor` **")
        // Its data is not hidden.
        .stdout_has("Asthma");
    let found = run(open(
        "fixtures/corpus/vendor/merged-patient-replaced-by.json",
        &["search", "--name", "Dupli"],
    ))
    .code(0);
    let old = found
        .stdout
        .lines()
        .find(|l| l.contains("zz-merged-old"))
        .unwrap();
    assert!(old.contains("INACTIVE → zz-merged-survivor"), "{old}");
}

#[test]
fn observations_are_never_dropped_for_their_category() {
    let doc = corpus(
        "vendor/observation-category-edge-cases.json",
        "zz-category-1",
        &["--json"],
    )
    .json();
    let labs: Vec<&str> = doc["labs"]["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(labs, ["Hemoglobin", "Pregnancy status", "POC glucose"]);
    assert_eq!(doc["vitals"]["data"]["latest"][0]["value_text"], "68.4 kg");
    assert_eq!(doc["not_shown"], json!([]));
    let ids = &doc["labs"]["data"]["results"][2]["ids"];
    assert_eq!(ids, &json!(["Observation/zz-cat-none-glucose"]));
    // Social history is listed under Other results.
    corpus(
        "uscore/amy-shaw-vitals-sex-extension.json",
        "example",
        &["--section", "labs"],
    )
    .stdout_has("OTHER RESULTS")
    .stdout_has("Pregnancy Status        Pregnant");
}

#[test]
fn vital_signs_keep_what_is_known_and_their_context() {
    corpus(
        "vendor/oracle-cerner-chart.json",
        "12990042",
        &["--section", "vitals"],
    )
    .stdout_has("95% on 6 L/min, FiO2 44%")
    .stdout_has("38.4 °C");
    corpus(
        "uscore/child-example-bmi-percentile.json",
        "child-example",
        &["--section", "vitals"],
    )
    .stdout_has("BMI-for-age  65th percentile");
    corpus(
        "vendor/odd-values.json",
        "zz-oddvalue-1",
        &["--section", "vitals"],
    )
    .stdout_has("142/-- mmHg")
    .stdout_has("111.5 cm")
    .stdout_has("Diastolic not known (Cuff deflated before diastolic was heard)");
    corpus(
        "vendor/odd-values.json",
        "zz-oddvalue-1",
        &["--section", "labs"],
    )
    .stdout_has("5.1-3.5 (inverted, not used)");
}

#[test]
fn problems_allergies_and_ips_statements_read_as_what_they_are() {
    corpus(
        "vendor/oracle-cerner-chart.json",
        "12990042",
        &["--section", "problems"],
    )
    .stdout_has("ENCOUNTER DIAGNOSIS")
    .stdout_has("Community acquired pneumonia  02-Mar-2024  Not known");
    corpus(
        "ips/bundle-no-info-absent-unknown.json",
        "AAA1234",
        &["--section", "problems"],
    )
    .stdout_has("Problems not known (recorded as no information)");
    corpus(
        "ips/bundle-no-info-emptyreason.json",
        "AAA1234",
        &["--section", "problems"],
    )
    .stdout_has("Problems not known (document: ");
    corpus(
        "ips/IPS-examples-Bundle-01.json",
        "2b90dd2b-2dab-4c75-9bb9-a355e07401e8",
        &["--section", "allergies"],
    )
    .stdout_has("Also recorded: No known food allergy");
}

#[test]
fn a_profile_names_the_identifier_system_of_the_mrn() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let file = config.join("profiles.toml");
    std::fs::write(
        &file,
        format!(
            "[profile.site]\nserver = \"{}\"\nauth = \"none\"\nstore = \"memory\"\n\
             mrn_system = \"https://ehr.example.org/fhir/sid/enterprise-id\"\n",
            server_url()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut cmd = rounds();
    cmd.env("ROUNDS_CONFIG_DIR", &config).args([
        "--profile",
        "site",
        "chart",
        "rnd-ada-testwell",
        "--section",
        "banner",
    ]);
    // Ada's enterprise id is untyped: the profile's system makes it the MRN.
    run(cmd).code(0).stdout_has("MRN E-7700101");
}

#[test]
fn a_number_out_of_range_fails_only_its_own_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("numbers.json");
    let obs = |id: &str, value: &str| {
        format!(
            r#"{{"resource":{{"resourceType":"Observation","id":"{id}","status":"final",
            "category":[{{"coding":[{{"code":"laboratory"}}]}}],"code":{{"text":"Test {id}"}},
            "subject":{{"reference":"Patient/zz-num"}},"effectiveDateTime":"2024-01-01",
            "valueQuantity":{{"value":{value},"unit":"mg"}}}}}}"#
        )
    };
    // Written by hand: 1e400 and 1e-400 are not numbers a JSON library writes.
    std::fs::write(
        &path,
        format!(
            r#"{{"resourceType":"Bundle","type":"collection","entry":[
            {{"resource":{{"resourceType":"Patient","id":"zz-num"}}}},{},{},{}]}}"#,
            obs("big", "1e400"),
            obs("tiny", "1e-400"),
            obs("plain", "0.10")
        ),
    )
    .unwrap();
    let doc = run(open(
        &path,
        &["chart", "zz-num", "--section", "labs", "--json"],
    ))
    .code(0)
    .json();
    let rows = doc["labs"]["data"]["results"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["value_text"], "0.1 mg");
    let warnings = doc["warnings"].to_string();
    assert!(
        warnings.contains("2 Observation resources were unreadable"),
        "{warnings}"
    );
    assert!(!doc.to_string().contains("\"0 mg\""));
}
