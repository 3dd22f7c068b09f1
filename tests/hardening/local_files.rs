//! Issue 12.1, 12.3 and 12.10 (files): what `--open` reads. Only regular files, each up to
//! a size limit; a big Bundle read with memory about its size; unreadable files in a folder
//! named with the reason (stderr and `--json` warnings) and never taken for "no patients";
//! a UTF-8 BOM, FHIR XML, DSTU2 and Bulk Data NDJSON (the conformance corpus); two exports
//! naming one patient id refused with both files named.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::json;

use super::{measured, rounds, run};

/// A folder holding copies of `files` (paths in the repository), by their own names.
fn folder_of(files: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in files {
        let from = super::common::repo().join(f);
        std::fs::copy(&from, dir.path().join(from.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn a_folders_unreadable_files_are_named_with_the_reason() {
    let dir = folder_of(&[
        "fixtures/corpus/unreadable/dstu2-medicationorder-bundle.json",
        "fixtures/corpus/unreadable/ips-patient-example-female.xml",
        "fixtures/corpus/unreadable/truncated-bundle.json",
        "fixtures/corpus/edge/utf8-bom-bundle.json",
    ]);
    // A name a terminal would act on: cleaned wherever it is shown.
    std::fs::write(dir.path().join("evil\u{1b}]0;x\u{7}.json"), "{not json").unwrap();
    let config = tempfile::tempdir().unwrap();
    let mut cmd = rounds(config.path());
    cmd.arg("--open")
        .arg(dir.path())
        .args(["search", "--name", "byteorder", "--json"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{r}");
    let doc = r.json();
    assert_eq!(doc["patients"][0]["id"], "zz-bom-1", "the BOM file is read");
    let warnings: Vec<&str> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    for (file, why) in [
        ("dstu2-medicationorder-bundle.json", "this is FHIR DSTU2"),
        (
            "ips-patient-example-female.xml",
            "FHIR XML is not supported",
        ),
        ("truncated-bundle.json", "the file is cut short"),
        ("evil.json", "not valid JSON"),
    ] {
        assert!(
            warnings.iter().any(|w| w.contains(file) && w.contains(why)),
            "{file}: {warnings:?}"
        );
        assert!(r.stderr.contains(why), "{r}");
    }
    assert!(
        !r.stderr.contains('\u{1b}') && !r.stderr.contains('\u{7}'),
        "{r}"
    );

    // "No patients found" says files were left out.
    let mut cmd = rounds(config.path());
    cmd.arg("--open")
        .arg(dir.path())
        .args(["search", "--name", "nobody"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stdout
            .contains("No patients found in what could be read: 4 file(s) were left out"),
        "{r}"
    );
    // A chart from that folder carries the warnings too.
    let mut cmd = rounds(config.path());
    cmd.arg("--open")
        .arg(dir.path())
        .args(["chart", "zz-bom-1", "--json"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.json()["warnings"]
            .to_string()
            .contains("this is FHIR DSTU2"),
        "{r}"
    );
}

#[test]
fn each_unreadable_file_given_alone_is_refused_with_its_reason() {
    let config = tempfile::tempdir().unwrap();
    for (file, why) in [
        (
            "fixtures/corpus/unreadable/ips-patient-example-female.xml",
            "FHIR XML is not supported: export the data as JSON",
        ),
        (
            "fixtures/corpus/unreadable/dstu2-medicationorder-bundle.json",
            "this is FHIR DSTU2 (it has a MedicationOrder); rounds reads FHIR R4",
        ),
        (
            "fixtures/corpus/unreadable/truncated-bundle.json",
            "not valid JSON: it ends early",
        ),
    ] {
        let mut cmd = rounds(config.path());
        cmd.args(["--open", file, "search", "--name", "x"]);
        let r = run(cmd);
        assert_eq!(r.code, 2, "{file}: {r}");
        assert!(r.stderr.contains(why), "{file}: {r}");
    }
}

#[test]
fn a_bulk_data_export_is_read_and_its_bad_lines_named() {
    let dir = folder_of(&[
        "fixtures/corpus/ndjson/export1/Patient.ndjson",
        "fixtures/corpus/ndjson/export1/Condition.ndjson",
        "fixtures/corpus/ndjson/export1/AllergyIntolerance.ndjson",
        "fixtures/corpus/ndjson/export1/MedicationRequest.ndjson",
        "fixtures/corpus/ndjson/export1/Observation.ndjson",
    ]);
    let mut obs = std::fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join("Observation.ndjson"))
        .unwrap();
    obs.write_all(b"{\"resourceType\":\"Observation\",\"id\":\"cut\n")
        .unwrap();
    let config = tempfile::tempdir().unwrap();
    let mut cmd = rounds(config.path());
    cmd.arg("--open")
        .arg(dir.path())
        .args(["chart", "bulk-zz-001", "--json"]);
    let r = run(cmd);
    assert_eq!(r.code, 0, "{r}");
    let doc = r.json();
    assert_eq!(doc["banner"]["mrn"], "BLK-10001");
    let allergies = doc["allergies"]["data"].to_string();
    assert!(allergies.contains("Penicillin"), "{allergies}");
    let meds = doc["medications"]["data"].to_string();
    assert!(meds.contains("hydrochlorothiazide"), "{meds}");
    let lines = Observation_lines();
    assert!(
        doc["warnings"].to_string().contains(&format!(
            "Observation.ndjson' line {}: not valid JSON",
            lines + 1
        )),
        "{}",
        doc["warnings"]
    );
    assert!(r.stderr.contains("Observation.ndjson' line"), "{r}");
}

#[allow(non_snake_case)]
fn Observation_lines() -> usize {
    std::fs::read_to_string(
        super::common::repo().join("fixtures/corpus/ndjson/export1/Observation.ndjson"),
    )
    .unwrap()
    .lines()
    .count()
}

#[test]
fn two_exports_that_both_name_patient_1_are_refused_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let export = |family: &str, substance: &str| {
        json!({"resourceType":"Bundle","type":"collection","entry":[
            {"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"1","name":[{"family":family}]}},
            {"resource":{"resourceType":"AllergyIntolerance","id":"a1","code":{"text":substance},
                "patient":{"reference":"Patient/1"}}},
            {"resource":{"resourceType":"MedicationRequest","id":"m1","status":"active",
                "medicationCodeableConcept":{"text":"warfarin"},"subject":{"reference":"Patient/1"}}}]})
        .to_string()
    };
    std::fs::write(
        dir.path().join("export-a.json"),
        export("Alpha", "Penicillin"),
    )
    .unwrap();
    std::fs::write(dir.path().join("export-b.json"), export("Bravo", "Peanut")).unwrap();
    let config = tempfile::tempdir().unwrap();
    let mut cmd = rounds(config.path());
    cmd.arg("--open").arg(dir.path()).args(["chart", "1"]);
    let r = run(cmd);
    assert_eq!(r.code, 2, "{r}");
    assert!(r.stdout.is_empty(), "{r}");
    assert!(
        r.stderr
            .contains("export-b.json': Patient '1' is also in '"),
        "{r}"
    );
    assert!(
        r.stderr.contains("export-a.json', from another source"),
        "{r}"
    );
}

#[test]
fn only_regular_files_are_read_and_never_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("export.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    let config = tempfile::tempdir().unwrap();
    for target in [
        fifo.as_path(),
        std::path::Path::new("/dev/zero"),
        dir.path(),
    ] {
        let started = Instant::now();
        let mut cmd = rounds(config.path());
        cmd.arg("--open")
            .arg(target)
            .args(["search", "--name", "x"]);
        let (r, peak_mb, _) = measured(cmd);
        assert_eq!(r.code, 2, "{}: {r}", target.display());
        assert!(r.stderr.contains("not a regular file"), "{r}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "hung on {}",
            target.display()
        );
        assert!(peak_mb < 200, "{peak_mb} MB");
    }
    // A file over the limit (ROUNDS_OPEN_MAX_MB) is refused before it is read.
    let big = dir.path().join("big.json");
    std::fs::write(&big, vec![b' '; 3 * 1024 * 1024]).unwrap();
    let mut cmd = rounds(config.path());
    cmd.env("ROUNDS_OPEN_MAX_MB", "2")
        .arg("--open")
        .arg(&big)
        .args(["search", "--name", "x"]);
    let r = run(cmd);
    assert_eq!(r.code, 2, "{r}");
    assert!(
        r.stderr
            .contains("3.0 MB is larger than the 2.0 MB rounds reads"),
        "{r}"
    );
}

/// A 40 MB Bundle of one patient: read with memory about its size (it took 1.4 GB).
#[test]
fn a_40_mb_bundle_is_read_with_memory_near_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big-export.json");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    write!(out, r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"fullUrl":"urn:uuid:p","resource":{{"resourceType":"Patient","id":"big","name":[{{"family":"Bigexport"}}]}}}}"#).unwrap();
    let mut written = 0;
    let mut i = 0;
    while written < 40 * 1024 * 1024 {
        let entry = format!(
            r#",{{"fullUrl":"urn:uuid:o{i}","resource":{{"resourceType":"Observation","id":"o{i}","status":"final","category":[{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}}]}}],"code":{{"coding":[{{"system":"http://loinc.org","code":"2823-3","display":"Potassium [Moles/volume] in Serum or Plasma"}}],"text":"Potassium"}},"subject":{{"reference":"urn:uuid:p"}},"effectiveDateTime":"2020-01-01T08:00:00Z","valueQuantity":{{"value":4.{i},"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}}}}}"#
        );
        written += entry.len();
        out.write_all(entry.as_bytes()).unwrap();
        i += 1;
    }
    out.write_all(b"]}").unwrap();
    drop(out);
    let config = tempfile::tempdir().unwrap();
    let mut cmd = rounds(config.path());
    cmd.arg("--open")
        .arg(&file)
        .args(["search", "--name", "bigexport", "--json"]);
    let (r, peak_mb, took) = measured(cmd);
    assert_eq!(r.code, 0, "{r}");
    eprintln!("40 MB Bundle ({i} entries), search: peak {peak_mb} MB, {took:?}");
    assert!(peak_mb < 400, "peak {peak_mb} MB");
    let mut cmd = rounds(config.path());
    cmd.arg("--open")
        .arg(&file)
        .args(["chart", "big", "--section", "banner"]);
    let (r, peak_mb, took) = measured(cmd);
    assert_eq!(r.code, 0, "{r}");
    eprintln!("40 MB Bundle, chart banner: peak {peak_mb} MB, {took:?}");
    assert!(peak_mb < 400, "peak {peak_mb} MB");
}
