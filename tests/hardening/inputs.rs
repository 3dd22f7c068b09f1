//! Issue 12.7 and 12.12: what the user types. A server URL with a user name and password in
//! it is refused wherever it enters, pointing to `--auth basic`, and never printed; a
//! patient id must be a FHIR id; an impossible birth date is not searched for; a token with
//! a line break is refused at login; a folder name with escape sequences is cleaned in
//! `capabilities` and `--verbose`; a long `Retry-After` is shown as the server said it.

use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{rounds, run};

const PASSWORD: &str = "Hunter2-userinfo";

fn assert_refused_quietly(r: &super::Run, what: &str) {
    assert_eq!(r.code, 2, "{what}: {r}");
    assert!(r.stderr.contains("--auth basic --user NAME"), "{what}: {r}");
    assert!(
        !r.stdout.contains(PASSWORD) && !r.stderr.contains(PASSWORD),
        "{what} printed the password: {r}"
    );
}

#[test]
fn a_password_in_a_server_url_is_refused_everywhere_and_never_printed() {
    let url = format!("http://jdoe:{PASSWORD}@127.0.0.1:9/fhir");
    let config = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();

    let mut cmd = rounds(config.path());
    cmd.env("ROUNDS_CACHE_DIR", cache.path())
        .args(["--server", &url, "capabilities"]);
    assert_refused_quietly(&run(cmd), "--server");

    let mut cmd = rounds(config.path());
    cmd.env("ROUNDS_SERVER", &url)
        .args(["search", "--name", "x"]);
    assert_refused_quietly(&run(cmd), "ROUNDS_SERVER");

    let mut cmd = rounds(config.path());
    cmd.args(["login", "--profile", "p", "--server", &url])
        .args(["--auth", "none"]);
    assert_refused_quietly(&run(cmd), "login --server");
    assert!(!config.path().join("profiles.toml").exists());

    // A profiles file written by hand.
    std::fs::write(
        config.path().join("profiles.toml"),
        format!("[profile.p]\nserver = '{url}'\nauth = 'none'\n"),
    )
    .unwrap();
    for args in [
        &["--profile", "p", "capabilities"][..],
        &["profiles"],
        &["auth", "status"],
    ] {
        let mut cmd = rounds(config.path());
        cmd.env("ROUNDS_CACHE_DIR", cache.path()).args(args);
        assert_refused_quietly(&run(cmd), &format!("profiles.toml, {args:?}"));
    }
    // Nothing was cached under it.
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}

#[test]
fn typed_ids_and_birth_dates_are_checked() {
    let config = tempfile::tempdir().unwrap();
    for id in ["..", ".", "a/b", "%2e%2e", "p_1", &"x".repeat(65)] {
        let mut cmd = rounds(config.path());
        cmd.args(["--demo", "chart", id]);
        let r = run(cmd);
        assert_eq!(r.code, 2, "{id}: {r}");
        assert!(r.stderr.contains("is not a patient id"), "{id}: {r}");
    }
    for (date, why) in [
        ("0000-01-01", "before 1850"),
        ("1849-12-31", "before 1850"),
        ("2999-01-01", "in the future"),
        ("2026-11-23", "in the future"),
    ] {
        let mut cmd = rounds(config.path());
        cmd.args(["--demo", "search", "--birthdate", date]);
        let r = run(cmd);
        assert_eq!(r.code, 2, "{date}: {r}");
        assert!(r.stderr.contains(why), "{date}: {r}");
    }
    let mut cmd = rounds(config.path());
    cmd.args(["--demo", "--patient", "..", "chart", "rnd-ada-testwell"]);
    assert_eq!(
        run(cmd).code,
        0,
        "--patient is for the interactive screen only"
    );
}

#[test]
fn a_token_with_a_line_break_is_refused_at_login() {
    let config = tempfile::tempdir().unwrap();
    for token in [
        "tok-ok-part\r\nX-Injected: 1",
        "tok-a\ttab",
        "tok-\u{1b}[2J",
    ] {
        let mut cmd = rounds(config.path());
        cmd.args([
            "login",
            "--profile",
            "t",
            "--server",
            "http://127.0.0.1:9/fhir",
        ])
        .args(["--auth", "token", "--store", "memory", "--token-stdin"])
        .stdin(std::process::Stdio::piped());
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(token.as_bytes())
            .unwrap();
        let r = super::Run::of(child.wait_with_output().unwrap());
        assert_eq!(r.code, 2, "{token:?}: {r}");
        assert!(
            r.stderr.contains("line break or another control character"),
            "{r}"
        );
        assert!(!r.stderr.contains("tok-"), "the token was shown: {r}");
    }
    assert!(!config.path().join("profiles.toml").exists());
}

#[test]
fn a_folder_name_with_escapes_is_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("exports\u{1b}]0;pwned\u{7}\u{1b}[2J");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(
        super::common::repo().join("fixtures/bundles/searchset-ben-nkaman.json"),
        folder.join("ben.json"),
    )
    .unwrap();
    let config = tempfile::tempdir().unwrap();
    for args in [
        &["capabilities"][..],
        &["--verbose", "search", "--name", "nkaman"],
    ] {
        let mut cmd = rounds(config.path());
        cmd.arg("--open").arg(&folder).args(args);
        let r = run(cmd);
        assert_eq!(r.code, 0, "{r}");
        for out in [&r.stdout, &r.stderr] {
            assert!(
                !out.contains('\u{1b}') && !out.contains('\u{7}'),
                "{args:?}: {out:?}"
            );
        }
        assert!(
            r.stdout.contains("exports") || r.stderr.contains("exports"),
            "{r}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_retry_after_is_shown_as_the_server_said_and_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/Patient/p1"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "86400"))
        .mount(&server)
        .await;
    let config = rounds::fhir::ClientConfig::new(server.uri());
    let client = rounds::fhir::FhirClient::new(config).unwrap();
    let started = Instant::now();
    let err = client.read("Patient", "p1").await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "it waited");
    assert!(
        err.to_string().contains("try again in 86400 seconds"),
        "{err}"
    );
}
