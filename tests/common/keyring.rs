//! A private D-Bus session with an unlocked gnome-keyring (Secret Service) for tests that
//! run the real `rounds` binary against a real keyring, and the tools that needs.
//! Shared by tests/auth_store.rs, tests/smart_cli.rs and tests/doctor.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const TOOLS: [&str; 4] = [
    "dbus-run-session",
    "gnome-keyring-daemon",
    "keyctl",
    "secret-tool",
];

/// Fail (not skip) when a tool is missing: scripts/test installs them.
pub fn require_tools() {
    let missing: Vec<&str> = TOOLS
        .into_iter()
        .filter(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .stdout(Stdio::null())
                .status()
                .map_or(true, |s| !s.success())
        })
        .collect();
    assert!(
        missing.is_empty(),
        "the keyring tests need {missing:?}: run them with scripts/test (it installs them), or \
         apt-get install -y --no-install-recommends gnome-keyring dbus-x11 libsecret-tools keyutils"
    );
}

/// Start gnome-keyring, unlocked, in a fresh data home, and wait until it owns its bus
/// name: a client that comes earlier makes D-Bus start a second, locked daemon.
pub const START_KEYRING: &str = "export XDG_DATA_HOME=$(mktemp -d); \
    printf pass | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; \
    for i in $(seq 50); do \
      dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q true && break; \
      sleep 0.1; \
    done";

/// Lock the login keyring again after `START_KEYRING` (exit 99 if that fails).
pub const LOCK_KEYRING: &str = "dbus-send --session --print-reply --dest=org.freedesktop.secrets \
    /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock \
    array:objpath:/org/freedesktop/secrets/collection/login >/dev/null || exit 99";

/// `script` in a private D-Bus session with gnome-keyring, after `setup`; then `exec` runs
/// it (e.g. `keyctl session - ` for a fresh kernel session keyring too).
pub fn dbus_session(setup: &str, exec: &str, script: &str) -> Command {
    let mut c = Command::new("dbus-run-session");
    c.args([
        "--",
        "sh",
        "-c",
        &format!("{START_KEYRING}; {setup} exec {exec} sh -c \"$ROUNDS_TEST_SCRIPT\""),
    ])
    .env("ROUNDS_TEST_SCRIPT", script);
    c
}

pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The exit codes the script printed as `STEP rc=N` lines, by step name.
pub fn rc(text: &str, step: &str) -> i32 {
    let prefix = format!("{step} rc=");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no '{prefix}' in:\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

/// Check the exit code of each step and that each phrase is in the output.
pub fn expect(text: &str, codes: &[(&str, i32)], phrases: &[&str]) {
    for (step, code) in codes {
        assert_eq!(rc(text, step), *code, "step '{step}':\n{text}");
    }
    for phrase in phrases {
        assert!(text.contains(phrase), "no '{phrase}' in:\n{text}");
    }
}
