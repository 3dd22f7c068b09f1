//! The release binary under a pseudo-terminal: cold start to first frame, and peak memory
//! while a chart opens.
//!
//! `script -qfec` gives the process a terminal (80x24, set with stty inside it). Inside,
//! `slow_link time-child` starts rounds itself, so the time is rounds' own, from spawn to
//! exit, without script, the shell or stty. The hidden `ROUNDS_BENCH_EXIT` hook in
//! `tui::run` makes rounds leave right after the first frame (`first-frame`) or after the
//! first frame of a fully loaded chart (`chart-loaded`). Peak memory is the kernel's
//! high-water mark of resident memory (VmHWM), read from /proc while the child runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rounds::fhir::{ClientConfig, FhirClient, Section};
use rounds::source::{DataSource, LocalSource, RemoteSource};

use crate::stats::{ChildRun, ProcessResult, Res, StartResult, fail, read_json, write_json};

/// Quote for `sh -c`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Run `rounds_args` under a pty `runs` times with `ROUNDS_BENCH_EXIT=exit_when`.
pub fn under_pty(
    rounds: &Path,
    rounds_args: &[String],
    exit_when: &str,
    runs: usize,
    work: &Path,
    env: &[(String, String)],
) -> Res<ProcessResult> {
    let me = std::env::current_exe()?;
    std::fs::create_dir_all(work)?;
    let mut out = ProcessResult {
        command: format!(
            "ROUNDS_BENCH_EXIT={exit_when} rounds {}",
            rounds_args.join(" ")
        ),
        ..ProcessResult::default()
    };
    for i in 0..runs {
        let result = work.join(format!("child-{exit_when}-{i}.json"));
        let typescript = work.join(format!("typescript-{exit_when}-{i}"));
        let _ = std::fs::remove_file(&result);
        let mut inner = vec![
            sh_quote(&me.to_string_lossy()),
            "time-child".into(),
            "--out".into(),
            sh_quote(&result.to_string_lossy()),
            "--".into(),
            sh_quote(&rounds.to_string_lossy()),
        ];
        inner.extend(rounds_args.iter().map(|a| sh_quote(a)));
        let shell = format!("stty rows 24 cols 80 && exec {}", inner.join(" "));
        let mut cmd = Command::new("script");
        cmd.arg("-qfec")
            .arg(&shell)
            .arg(&typescript)
            .env("ROUNDS_BENCH_EXIT", exit_when)
            .env("SHELL", "/bin/sh")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot run script (util-linux): {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if child.try_wait()?.is_some() {
                break;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return fail(format!("'{}' did not finish within 120 s", out.command));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let mut run: ChildRun = read_json(&result)
            .map_err(|e| format!("no result from time-child ({e}); did rounds start?"))?;
        run.terminal_bytes = std::fs::metadata(&typescript).map_or(0, |m| m.len());
        if run.exit_code != Some(0) {
            return fail(format!("'{}' exited with {:?}", out.command, run.exit_code));
        }
        out.runs.push(run);
    }
    Ok(out)
}

/// `time-child`: run the command, time it from spawn to exit, sample its VmHWM.
pub fn time_child(out: &Path, command: &[String]) -> Res<()> {
    let Some((program, args)) = command.split_first() else {
        return fail("time-child needs a command");
    };
    let started = Instant::now();
    let mut child = Command::new(program).args(args).spawn()?;
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let status = child.wait();
        let _ = tx.send((Instant::now(), status));
    });
    let mut hwm = 0;
    let (mut cpu_ns, mut wait_ns) = (0, 0);
    let (ended, status) = loop {
        hwm = hwm.max(vm_hwm_kb(pid).unwrap_or(0));
        let (c, w) = task_schedstat(pid);
        cpu_ns = cpu_ns.max(c);
        wait_ns = wait_ns.max(w);
        match rx.recv_timeout(Duration::from_millis(2)) {
            Ok(done) => break done,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => return fail("lost the child"),
        }
    };
    let status = status?;
    crate::stats::write_json(
        out,
        &ChildRun {
            ms: ended.duration_since(started).as_secs_f64() * 1000.0,
            cpu_ms: cpu_ns as f64 / 1e6,
            wait_ms: wait_ns as f64 / 1e6,
            vm_hwm_kb: hwm,
            exit_code: status.code(),
            terminal_bytes: 0,
        },
    )
}

/// On-CPU and runqueue-wait nanoseconds of all the process's threads so far.
fn task_schedstat(pid: u32) -> (u64, u64) {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return (0, 0);
    };
    let mut total = (0, 0);
    for task in tasks.flatten() {
        let text = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
        let mut it = text
            .split_whitespace()
            .map(|v| v.parse::<u64>().unwrap_or(0));
        total.0 += it.next().unwrap_or(0);
        total.1 += it.next().unwrap_or(0);
    }
    total
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `start`: cold start to first frame with the built-in demo patients (the target's
/// command) and, when a server is given, with a server as the source.
pub fn start(
    rounds: &Path,
    server: Option<(&str, &str)>,
    runs: usize,
    work: &Path,
    out: &Path,
) -> Res<()> {
    let args = ["--demo", "--patient", "rnd-ada-testwell"].map(String::from);
    let env = private_dirs(work)?;
    let demo = under_pty(rounds, &args, "first-frame", runs, work, &env)?;
    let mut demo_source_ms = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let source = rounds::source::demo_source()?;
        demo_source_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        drop(source);
    }
    let server = match server {
        Some((url, patient)) => {
            let dir = work.join("server");
            let env = private_dirs(&dir)?;
            let args = ["--server", url, "--patient", patient].map(String::from);
            // One start to fill the capability cache (not counted), then the runs.
            under_pty(rounds, &args, "chart-loaded", 1, &dir, &env)?;
            Some(under_pty(rounds, &args, "first-frame", runs, &dir, &env)?)
        }
        None => None,
    };
    write_json(
        out,
        &StartResult {
            demo,
            demo_source_ms,
            server,
        },
    )
}

/// `memory`: peak memory while the TUI opens each patient's whole chart, from the server
/// (first with an empty capability cache, as on a first start, then with the cache it left)
/// and, for the many-observation patient, from its Bundle files (`--open`, which holds
/// every observation). Each row also says how many Observations the chart held, counted by
/// loading it in this process the way the TUI's worker does.
pub async fn memory(
    rounds: &Path,
    server: &str,
    patients: &[String],
    files: Option<(&Path, &str)>,
    runs: usize,
    work: &Path,
    out: &Path,
) -> Res<()> {
    let mut results = Vec::new();
    for patient in patients {
        let observations = server_observations(server, patient, work).await.ok();
        for warm in [false, true] {
            let dir = work.join(format!("mem-{}", patient.replace('/', "_")));
            if !warm {
                let _ = std::fs::remove_dir_all(&dir);
            }
            let env = private_dirs(&dir)?;
            let args = ["--server", server, "--patient", patient].map(String::from);
            let n = if warm { runs } else { 1 };
            let mut r = under_pty(rounds, &args, "chart-loaded", n, &dir, &env)?;
            r.patient = Some(patient.clone());
            r.warm_cache = Some(warm);
            r.source = Some("server".into());
            r.observations = observations;
            report_peak(&r);
            results.push(r);
        }
    }
    if let Some((bundles, patient)) = files {
        let observations = match LocalSource::open(bundles) {
            Ok(s) => s
                .record(patient, &Section::ALL)
                .await
                .ok()
                .map(|r| r.observations.len()),
            Err(_) => None,
        };
        let dir = work.join("mem-files");
        let env = private_dirs(&dir)?;
        let args = [
            "--open".to_owned(),
            bundles.to_string_lossy().into_owned(),
            "--patient".to_owned(),
            patient.to_owned(),
        ];
        let mut r = under_pty(rounds, &args, "chart-loaded", runs, &dir, &env)?;
        r.patient = Some(patient.to_owned());
        r.source = Some("files".into());
        r.observations = observations;
        report_peak(&r);
        results.push(r);
    }
    write_json(out, &results)
}

fn report_peak(r: &ProcessResult) {
    eprintln!(
        "slow_link: {}{}: peak {} KB, {} observations",
        r.command,
        match r.warm_cache {
            Some(true) => " (warm capability cache)",
            Some(false) => " (cold capability cache)",
            None => "",
        },
        r.runs.iter().map(|x| x.vm_hwm_kb).max().unwrap_or(0),
        r.observations.map_or("?".into(), |n| n.to_string())
    );
}

/// How many Observations the TUI's chart holds: the first screen, then the rest, as
/// `worker::Worker` loads them.
async fn server_observations(server: &str, patient: &str, work: &Path) -> Res<usize> {
    let mut config = ClientConfig::new(server);
    config.capability_cache = Some(work.join("count-cache"));
    let source = RemoteSource::new(FhirClient::new(config)?);
    let (mut record, rest) = source.first_screen(patient).await?;
    if let Some(rest) = rest {
        record.merge(source.rest(rest).await?);
    }
    Ok(record.observations.len())
}

/// A config and cache directory of our own, so nothing of the user's is read or written.
fn private_dirs(work: &Path) -> Res<Vec<(String, String)>> {
    let config: PathBuf = work.join("config");
    let cache: PathBuf = work.join("cache");
    std::fs::create_dir_all(&config)?;
    std::fs::create_dir_all(&cache)?;
    Ok(vec![
        ("ROUNDS_CONFIG_DIR".into(), config.to_string_lossy().into()),
        ("ROUNDS_CACHE_DIR".into(), cache.to_string_lossy().into()),
        ("ROUNDS_TODAY".into(), "2026-11-22".into()),
    ])
}
