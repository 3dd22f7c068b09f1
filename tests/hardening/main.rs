#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Issue 12, hardening: each class of failure found by trying rounds as an attacker and a
//! careless user would, reproduced at the layer where it lived. Memory is measured on the
//! real binary (`/usr/bin/time`'s maximum resident size when present, else the high-water
//! mark read from `/proc` while it runs) against generous bounds.

#[path = "../common/mod.rs"]
mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The date every command runs on, so ages are stable.
const TODAY: &str = "2026-11-22";

/// `rounds ARGS` with a fixed today, no server or profile from the environment, an empty
/// config and cache, run from the repository.
fn rounds(config: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rounds"));
    cmd.env("ROUNDS_TODAY", TODAY)
        .env("ROUNDS_CACHE_DIR", "")
        .env("ROUNDS_CONFIG_DIR", config)
        .env_remove("ROUNDS_SERVER")
        .env_remove("ROUNDS_PROFILE")
        .env_remove("ROUNDS_TOKEN")
        .env_remove("ROUNDS_PASSWORD")
        .current_dir(common::repo());
    cmd
}

/// A finished command: its exit code, stdout and stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn run(mut cmd: Command) -> Run {
    Run::of(cmd.output().unwrap())
}

/// Run `cmd` to the end: its result, its peak resident memory in MB and its time.
fn measured(mut cmd: Command) -> (Run, u64, Duration) {
    let started = Instant::now();
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let program = cmd.get_program().to_owned();
        let mut timed = Command::new(time);
        timed.arg("-f").arg("ROUNDS-MAXRSS-KB=%M").arg(program);
        timed.args(cmd.get_args());
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => timed.env(k, v),
                None => timed.env_remove(k),
            };
        }
        if let Some(dir) = cmd.get_current_dir() {
            timed.current_dir(dir);
        }
        let mut r = Run::of(timed.output().unwrap());
        let kb = r
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("ROUNDS-MAXRSS-KB="))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap();
        r.stderr = r
            .stderr
            .lines()
            .filter(|l| !l.starts_with("ROUNDS-MAXRSS-KB="))
            .collect::<Vec<_>>()
            .join("\n");
        return (r, kb / 1024, started.elapsed());
    }
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let watcher = std::thread::spawn(move || {
        let mut peak = 0;
        while let Ok(text) = std::fs::read_to_string(&status) {
            let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            else {
                break;
            };
            peak = peak.max(kb);
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    });
    let out = child.wait_with_output().unwrap();
    let peak = watcher.join().unwrap();
    (Run::of(out), peak / 1024, started.elapsed())
}

mod budget;
mod inputs;
mod local_files;
mod next_links;
mod profiles;
