#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `rounds doctor` end to end, with real components: the real FHIR server of the run
//! (`ROUNDS_TEST_FHIR_URL`: hfs or sekmet) healthy, a port nothing listens on, local TLS
//! servers with generated certificates (expired, expiring in 5 days, from an unknown
//! authority: faults a real server here will not produce), gnome-keyring in a private
//! D-Bus session (unlocked and locked) and none at all, config files with loose modes, and
//! terminals of given sizes (`script`).
//!
//! Files by section: `server.rs`, `tls.rs`, `store.rs`, `config.rs`, `terminal.rs`.

#[path = "../common/mod.rs"]
mod common;

mod config;
mod server;
mod store;
mod terminal;
mod tls;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

/// A private config folder, and `rounds` run against it with nothing inherited that would
/// change the report: no cache, no session bus, no SSH, no profile or server from the
/// environment.
struct Doctor {
    dir: tempfile::TempDir,
}

impl Doctor {
    fn new() -> Doctor {
        Doctor {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn config_dir(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// Write `profiles.toml` with `mode`, in a folder of mode 0700.
    fn profiles(&self, text: &str, mode: u32) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.config_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let file = dir.join("profiles.toml");
        std::fs::write(&file, text).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        file
    }

    /// `rounds ARGS` (a `Command` to adjust before running).
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rounds"));
        cmd.args(args);
        self.env(&mut cmd);
        cmd
    }

    /// The environment of every run; `$ROUNDS` names the binary for shell scripts.
    fn env(&self, cmd: &mut Command) {
        cmd.env("ROUNDS", env!("CARGO_BIN_EXE_rounds"))
            .env("ROUNDS_CONFIG_DIR", self.config_dir())
            .env("ROUNDS_CACHE_DIR", "")
            .env("XDG_RUNTIME_DIR", self.dir.path())
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .env("ROUNDS_KEYRING_TIMEOUT", "3")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env_remove("NO_COLOR")
            .env_remove("ROUNDS_SERVER")
            .env_remove("ROUNDS_PROFILE")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("SSH_CONNECTION")
            .env_remove("SSH_TTY")
            .stdin(Stdio::null());
    }

    /// `rounds ARGS` to the end.
    fn run(&self, args: &[&str]) -> Outcome {
        Outcome::of(self.command(args))
    }
}

/// What a finished doctor left behind.
#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn of(mut cmd: Command) -> Outcome {
        let out = cmd.output().unwrap();
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// Assert the exit code, showing everything when it is wrong.
    fn code(self, want: i32) -> Outcome {
        assert_eq!(self.code, want, "{self}");
        self
    }

    /// Stdout as a `rounds.doctor/1` document.
    fn json(&self) -> Value {
        let doc: Value =
            serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self}"));
        assert_eq!(doc["schema"], "rounds.doctor/1", "{self}");
        doc
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The check `name` of a report; it must be there once.
fn check<'a>(doc: &'a Value, name: &str) -> &'a Value {
    let found: Vec<&Value> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "check '{name}' in {doc:#}");
    found[0]
}

/// Assert the status of check `name`, and that its finding and advice hold `phrases`.
fn expect_check<'a>(doc: &'a Value, name: &str, status: &str, phrases: &[&str]) -> &'a Value {
    let c = check(doc, name);
    assert_eq!(c["status"], status, "{name}: {c:#}");
    let text = format!("{} {}", c["finding"], c["advice"]);
    for phrase in phrases {
        assert!(text.contains(phrase), "{name}: no '{phrase}' in {c:#}");
    }
    c
}

/// Whether the report has a check named `name`.
fn has_check(doc: &Value, name: &str) -> bool {
    doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == name)
}
