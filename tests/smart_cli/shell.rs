//! The test side of tests/smart_cli.rs: a shell script of `rounds` commands run in a real
//! secret store (a gnome-keyring D-Bus session, or a kernel keyutils session keyring) with
//! a private config directory, a `ROUNDS_BROWSER` script that hands the sign-in address to
//! the test, the output read as it comes (to find the printed address), a stdin to paste
//! into, and the check that no secret reached any output or config file.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::common::keyring::{dbus_session, files_under, require_tools};
use super::harness::OidcServer;

/// Where the script's secrets are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// gnome-keyring in a private D-Bus session.
    Keyring,
    /// A fresh kernel session keyring, no D-Bus.
    Keyutils,
}

impl Store {
    pub fn name(self) -> &'static str {
        match self {
            Store::Keyring => "keyring",
            Store::Keyutils => "keyutils",
        }
    }
}

/// One test's working folder, FHIR base and everything its scripts printed.
pub struct Session {
    pub work: tempfile::TempDir,
    fhir: String,
    /// Authorization codes seen by the browser: they must leak nowhere either.
    pub codes: Vec<String>,
    outputs: Vec<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

/// A working folder with the `ROUNDS_BROWSER` script in it (`browser.sh`): it writes the
/// address it is given to `$WORK/url`, for the test to pick up. Also installs the crypto
/// provider rounds uses, which the test's own reqwest (the scripted browser) needs.
pub fn browser_folder() -> tempfile::TempDir {
    let _ =
        rounds::auth::smart::AuthHttp::new(&rounds::fhir::ClientConfig::new("http://127.0.0.1"));
    let work = tempfile::tempdir().unwrap();
    let browser = work.path().join("browser.sh");
    std::fs::write(&browser, BROWSER).unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    work
}

const BROWSER: &str =
    "#!/bin/sh\nprintf '%s\\n' \"$1\" > \"$WORK/url.tmp\" && mv \"$WORK/url.tmp\" \"$WORK/url\"\n";

impl Session {
    pub fn new(server: &OidcServer) -> Session {
        let work = browser_folder();
        Session {
            work,
            fhir: server.fhir_base(),
            codes: Vec::new(),
            outputs: Vec::new(),
            stdout: Arc::default(),
            stderr: Arc::default(),
            readers: Vec::new(),
        }
    }

    pub fn config_dir(&self) -> PathBuf {
        self.work.path().join("config")
    }

    /// Start `script` (`$ROUNDS` is the binary, `$FHIR` the FHIR base, `$WORK` the working
    /// folder) in `store`, with stdin, stdout and stderr piped.
    pub fn spawn(&mut self, store: Store, script: &str, env: &[(&str, &str)]) -> Child {
        require_tools();
        let shell = format!("set +e\n{script}");
        let mut cmd = match store {
            Store::Keyring => dbus_session("", "", &shell),
            Store::Keyutils => {
                let mut c = Command::new("keyctl");
                c.args(["session", "-", "sh", "-c", &shell]);
                c.env_remove("DBUS_SESSION_BUS_ADDRESS")
                    .env("XDG_RUNTIME_DIR", self.work.path());
                c
            }
        };
        cmd.env("ROUNDS", env!("CARGO_BIN_EXE_rounds"))
            .env("ROUNDS_CONFIG_DIR", self.config_dir())
            .env("ROUNDS_CACHE_DIR", "")
            .env("ROUNDS_BROWSER", self.work.path().join("browser.sh"))
            .env("FHIR", &self.fhir)
            .env("WORK", self.work.path())
            .env_remove("ROUNDS_SERVER")
            .env_remove("ROUNDS_PROFILE")
            .env_remove("ROUNDS_TOKEN")
            .env_remove("SSH_CONNECTION")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        *self.stdout.lock().unwrap() = String::new();
        *self.stderr.lock().unwrap() = String::new();
        self.readers = vec![
            pump(child.stdout.take().unwrap(), self.stdout.clone()),
            pump(child.stderr.take().unwrap(), self.stderr.clone()),
        ];
        child
    }

    /// The sign-in address: handed over by the `ROUNDS_BROWSER` script, or printed on
    /// stderr for the user to open.
    pub async fn wait_for_url(&self) -> String {
        for _ in 0..600 {
            if let Ok(url) = std::fs::read_to_string(self.work.path().join("url")) {
                return url.trim().to_owned();
            }
            let printed = self
                .stderr_so_far()
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with("http://") && l.contains("/auth?"))
                .map(str::to_owned);
            if let Some(url) = printed {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "rounds never gave the sign-in address:\n{}\n--- stderr ---\n{}",
            self.stdout.lock().unwrap(),
            self.stderr_so_far()
        );
    }

    pub async fn wait_for_file(&self, name: &str) {
        for _ in 0..600 {
            if self.work.path().join(name).exists() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("'{name}' never appeared:\n{}", self.stderr_so_far());
    }

    pub fn stderr_so_far(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Type `text` into the script's stdin.
    pub fn paste(&self, child: &mut Child, text: &str) {
        let stdin = child.stdin.as_mut().unwrap();
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    /// Close stdin, wait for the script (two minutes at most) and return everything it
    /// printed: stdout, then stderr.
    pub async fn finish(&mut self, mut child: Child) -> String {
        drop(child.stdin.take());
        let status = tokio::task::spawn_blocking(move || {
            for _ in 0..1200 {
                if let Some(status) = child.try_wait().unwrap() {
                    return Some(status);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            None
        })
        .await
        .unwrap();
        for r in self.readers.drain(..) {
            r.join().unwrap();
        }
        let text = format!(
            "{}\n--- stderr ---\n{}",
            self.stdout.lock().unwrap(),
            self.stderr_so_far()
        );
        self.outputs.push(text.clone());
        assert!(status.is_some(), "the script did not end:\n{text}");
        text
    }

    pub fn read_work(&self, name: &str) -> String {
        std::fs::read_to_string(self.work.path().join(name)).unwrap()
    }

    /// No authorization code and none of `secrets` in any output or config file.
    pub fn assert_no_secrets(&self, secrets: &[&str]) {
        let mut all: Vec<&str> = self.codes.iter().map(String::as_str).collect();
        all.extend(secrets.iter().copied().filter(|s| s.len() >= 8));
        assert!(!self.codes.is_empty() || !secrets.is_empty());
        for text in &self.outputs {
            for s in &all {
                assert!(!text.contains(s), "an output shows a secret:\n{text}");
            }
        }
        for file in files_under(&self.config_dir()) {
            let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
            for s in &all {
                assert!(!text.contains(s), "{} holds a secret", file.display());
            }
        }
    }
}

fn pump(
    mut from: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    })
}

/// A query parameter of a URL.
pub fn query_param(url: &str, name: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no '{name}' in {url}"))
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
