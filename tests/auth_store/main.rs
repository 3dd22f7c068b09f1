#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Sign-in end to end, against real components: the `rounds` binary run under a private
//! D-Bus session with a real gnome-keyring (Secret Service), inside a fresh kernel keyutils
//! session keyring, with no D-Bus at all, and against a D-Bus peer that never answers; a
//! local mock server that demands the exact credentials (401 otherwise); and the real FHIR
//! server (`ROUNDS_TEST_FHIR_URL`) for profiles that need no sign-in.
//!
//! Every command's stdout and stderr, and every file in the config directory, is checked
//! for the secrets used: none may appear. The tools these tests need (dbus-run-session,
//! gnome-keyring-daemon, keyctl, secret-tool) are installed by scripts/test; when one is
//! missing the tests fail and say so.

#[path = "../common/mod.rs"]
mod common;

use common::keyring::{LOCK_KEYRING, dbus_session, expect, files_under, rc, require_tools};

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "Pw-7f3a9c-correct-horse";
const TOKEN: &str = "tok-5d41402abc4b2a76b9719d911017c592";
const WRONG: &str = "Pw-wrong-0e4a71";

/// The secrets every test uses: none may show up in an output or a config file.
const SECRETS: [&str; 3] = [PASSWORD, TOKEN, WRONG];

/// A private config directory and the outputs of everything run against it.
struct Run {
    dir: tempfile::TempDir,
    outputs: Vec<String>,
}

impl Run {
    fn new() -> Run {
        Run {
            dir: tempfile::tempdir().unwrap(),
            outputs: Vec::new(),
        }
    }

    fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn profiles_file(&self) -> PathBuf {
        self.config_dir().join("profiles.toml")
    }

    /// Run `sh -c SCRIPT` wrapped as `wrapper` says, with `$ROUNDS` the binary; keep its
    /// output for the secret check and return it (stdout, then stderr).
    fn sh(&mut self, wrapper: Wrapper, script: &str, env: &[(&str, &str)]) -> (String, Output) {
        require_tools();
        let shell = format!("set +e\n{script}");
        let mut cmd = match wrapper {
            Wrapper::Keyring => dbus_session("", "keyctl session -", &shell),
            Wrapper::LockedKeyring => dbus_session(&format!("{LOCK_KEYRING};"), "", &shell),
            Wrapper::Keyutils => {
                let mut c = Command::new("keyctl");
                c.args(["session", "-", "sh", "-c", &shell]);
                c
            }
            Wrapper::Plain => {
                let mut c = Command::new("sh");
                c.args(["-c", &shell]);
                c
            }
        };
        cmd.env("ROUNDS", env!("CARGO_BIN_EXE_rounds"))
            .env("ROUNDS_CONFIG_DIR", self.config_dir())
            .env("ROUNDS_CACHE_DIR", "")
            .env_remove("ROUNDS_SERVER")
            .env_remove("ROUNDS_PROFILE")
            .env_remove("ROUNDS_PASSWORD")
            .env_remove("ROUNDS_TOKEN")
            .env_remove("ROUNDS_KEYRING_TIMEOUT")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null());
        if !matches!(wrapper, Wrapper::Keyring | Wrapper::LockedKeyring) {
            // No session bus: neither an inherited one nor one found under XDG_RUNTIME_DIR.
            cmd.env_remove("DBUS_SESSION_BUS_ADDRESS")
                .env("XDG_RUNTIME_DIR", self.dir.path());
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}\n--- stderr ---\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self.outputs.push(text.clone());
        (text, out)
    }

    /// No secret in any output so far, nor in any file of the config directory.
    fn assert_no_secrets(&self) {
        for (i, text) in self.outputs.iter().enumerate() {
            for secret in SECRETS {
                assert!(!text.contains(secret), "output {i} shows a secret:\n{text}");
            }
        }
        for file in files_under(&self.config_dir()) {
            let bytes = std::fs::read(&file).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            for secret in SECRETS {
                assert!(!text.contains(secret), "{} holds a secret", file.display());
                let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
                assert!(
                    !text.contains(&b64),
                    "{} holds an encoded secret",
                    file.display()
                );
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Wrapper {
    /// A private D-Bus session with gnome-keyring unlocked, inside `keyctl session -`.
    Keyring,
    /// A private D-Bus session with a gnome-keyring whose login keyring is locked.
    LockedKeyring,
    /// A fresh kernel session keyring and no D-Bus.
    Keyutils,
    /// No D-Bus, no fresh session keyring.
    Plain,
}

/// A FHIR server that answers only the exact credentials: Basic alice:PASSWORD or Bearer
/// TOKEN (404 for the sign-in check, a CapabilityStatement for `metadata`), 401 otherwise.
async fn strict_server() -> MockServer {
    let server = MockServer::start().await;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("alice:{PASSWORD}"))
    );
    let bearer = format!("Bearer {TOKEN}");
    let capabilities = serde_json::json!({
        "resourceType": "CapabilityStatement", "status": "active", "date": "2026-01-01",
        "kind": "instance", "fhirVersion": "4.0.1", "format": ["json"],
        "rest": [{"mode": "server", "resource": [{"type": "Patient", "interaction": [{"code": "read"}]}]}]
    });
    let not_found = serde_json::json!({"resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-found"}]});
    for auth in [basic, bearer] {
        Mock::given(method("GET"))
            .and(path("/fhir/metadata"))
            .and(header("authorization", auth.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(capabilities.clone()))
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/fhir/Patient/rounds-sign-in-check"))
            .and(header("authorization", auth.as_str()))
            .respond_with(ResponseTemplate::new(404).set_body_json(not_found.clone()))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(401).insert_header("www-authenticate", "Basic"))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// Run a blocking shell step without stalling the mock server's runtime.
async fn sh_async(run: Run, wrapper: Wrapper, script: &str, env: &[(&str, &str)]) -> (Run, String) {
    let script = script.to_owned();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut run = run;
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (text, _) = run.sh(wrapper, &script, &env);
        (run, text)
    })
    .await
    .unwrap()
}

mod failures;
mod keyrings;
