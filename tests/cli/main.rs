#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of the `rounds` binary: the built-in demo (offline), exit codes and
//! error messages, `--open` on Bundle files, hostile strings in the data, `--verbose`, and
//! the real FHIR server (`ROUNDS_TEST_FHIR_URL`, set by scripts/test); progress on stderr.

#[path = "../common/mod.rs"]
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

mod corpus;
mod demo;
mod exit_codes;
mod hostile_strings;
mod open_files;
mod progress;
mod real_server;
mod shell;
mod verbose;
