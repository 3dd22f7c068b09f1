//! The CLI: exit codes

use super::*;

#[test]
fn unknown_patient_is_3() {
    run(demo(&["chart", "no-such-patient"]))
        .code(3)
        .stderr_has("rounds: error: Patient 'no-such-patient' was not found");
}

#[test]
fn search_without_criteria_is_2_on_a_server() {
    // A server is never listed whole; nothing is sent.
    let mut cmd = rounds();
    cmd.args(["--server", "http://127.0.0.1:9", "search"]);
    run(cmd).code(2).stderr_has("at least one of");
}

#[test]
fn search_without_criteria_lists_the_demo_and_local_files() {
    // A newcomer's first look: every demo patient, and every patient in the files.
    let out = demo(&["search"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for name in ["TESTWELL", "NKAMAN", "LASTDAY", "DOOLEY"] {
        assert!(text.contains(name), "{text}");
    }
    let out = open("fixtures/clinical", &["search"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("rnd-ada-testwell"), "{text}");
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
        .stdout_has("Exit codes: 0 ok, 1 a check of rounds doctor failed, 2 usage or bad input");
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
