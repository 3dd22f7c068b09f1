//! What the measurement steps write (one JSON file each, read back by `report`), and small
//! statistics helpers.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// An error with a message, for `?` in the steps.
pub fn fail<T>(msg: impl Into<String>) -> Res<T> {
    Err(msg.into().into())
}

/// The median of `xs` (0 when empty).
pub fn median(xs: &[f64]) -> f64 {
    percentile(xs, 50.0)
}

/// The nearest-rank percentile `p` (0-100) of `xs` (0 when empty).
pub fn percentile(xs: &[f64], p: f64) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

pub fn max(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(0.0, f64::max)
}

pub fn write_json(path: &Path, value: &impl Serialize) -> Res<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}

pub fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Res<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// Time, round trips and bytes of one part of a chart load.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Phase {
    pub secs: f64,
    /// HTTP requests (each one round trip; rounds' concurrent ones overlap).
    pub round_trips: u64,
    /// Bytes the delay proxy carried from client to server (HTTP headers and bodies).
    pub bytes_up: u64,
    /// Bytes the delay proxy carried from server to client (compressed bodies as sent).
    pub bytes_down: u64,
    /// TCP connections the client opened.
    pub connections: u64,
    /// TCP segments retransmitted in the namespace meanwhile (drops at the tbf queue).
    #[serde(default)]
    pub retransmits: u64,
}

impl Phase {
    pub fn wire_bytes(&self) -> u64 {
        self.bytes_up + self.bytes_down
    }
}

/// One HTTP exchange, without patient data.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestLog {
    pub what: String,
    pub status: u16,
    pub bytes: u64,
    pub ms: f64,
}

/// One chart load by one client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    /// `rounds-warm`, `rounds-cold`, `rounds-fresh` or `naive`.
    pub scenario: String,
    pub rep: u32,
    /// The patient search before the chart opens (keeps the connection open).
    pub search: Option<Phase>,
    /// From the chart request to the banner on screen.
    pub banner_secs: f64,
    /// From the chart request to the allergy line (naive: its AllergyIntolerance search
    /// answered; rounds: the first screen).
    #[serde(default)]
    pub allergy_secs: Option<f64>,
    /// From the chart request to the whole cover sheet.
    pub cover: Phase,
    /// From the chart request to every tab loaded.
    pub full: Phase,
    /// Resources loaded, by type.
    pub resources: BTreeMap<String, u64>,
    /// The requests of the chart load (first repetition only).
    pub requests: Vec<RequestLog>,
}

/// The shaped-link measurements (`slow_link link`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkResult {
    /// How the link was shaped, in words.
    pub shaping: String,
    pub shaped: bool,
    pub one_way_delay_ms: u64,
    pub handshake_rtt: bool,
    pub rtt_samples_ms: Vec<f64>,
    pub rate_probe_bytes: u64,
    pub rate_probe_secs: f64,
    pub patient_id: String,
    pub search_text: String,
    pub runs: Vec<Run>,
}

impl LinkResult {
    pub fn rtt_secs(&self) -> f64 {
        median(&self.rtt_samples_ms) / 1000.0
    }
    pub fn rate_bytes_per_sec(&self) -> f64 {
        if self.rate_probe_secs > 0.0 {
            self.rate_probe_bytes as f64 / self.rate_probe_secs
        } else {
            0.0
        }
    }
}

/// Keystroke-to-frame measurements at one terminal size (`slow_link keys`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeySize {
    pub cols: u16,
    pub rows: u16,
    pub moves: usize,
    /// Keystroke to frame: `update` plus `terminal.draw`, wall time.
    pub ms: Vec<f64>,
    /// The `update` part of it.
    #[serde(default)]
    pub update_ms: Vec<f64>,
    /// Time the thread spent waiting for a CPU during the move (other work on the machine).
    #[serde(default)]
    pub wait_ms: Vec<f64>,
    pub bytes: Vec<f64>,
    /// Bytes of the first full frame of the Results tab.
    pub full_frame_bytes: u64,
    /// Bytes written by a draw when nothing changed.
    pub idle_redraw_bytes: u64,
    /// Bytes of a tab switch (Results to Cover sheet and back, averaged).
    pub tab_switch_bytes: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeysResult {
    pub patient_id: String,
    pub observations: usize,
    pub result_rows: usize,
    /// Loading the record from the Bundles and building the chart (not a target).
    pub load_ms: f64,
    pub sizes: Vec<KeySize>,
}

/// One run of a child process under a pseudo-terminal.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ChildRun {
    pub ms: f64,
    /// CPU time of its threads, and time they waited for a CPU, as last sampled (the last
    /// 2 ms before exit are not seen).
    #[serde(default)]
    pub cpu_ms: f64,
    #[serde(default)]
    pub wait_ms: f64,
    pub vm_hwm_kb: u64,
    pub exit_code: Option<i32>,
    /// Bytes the process wrote to its terminal.
    pub terminal_bytes: u64,
}

/// Cold start, peak memory and binary size (`slow_link start`, `slow_link memory`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProcessResult {
    pub command: String,
    pub runs: Vec<ChildRun>,
    /// Memory runs: the patient, whether the capability cache was warm, and how many
    /// Observations the chart held (loaded the way the TUI's worker loads it).
    #[serde(default)]
    pub patient: Option<String>,
    #[serde(default)]
    pub warm_cache: Option<bool>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub observations: Option<usize>,
}

/// Cold start to first frame (`slow_link start`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StartResult {
    /// `rounds --demo --patient rnd-ada-testwell`: the target's command.
    pub demo: ProcessResult,
    /// Building the demo source in the benchmark's own process, ms per try.
    pub demo_source_ms: Vec<f64>,
    /// `rounds --server URL --patient ID` with a warm capability cache, when measured.
    pub server: Option<ProcessResult>,
}

/// Nanoseconds this thread has run on a CPU and waited for one (`/proc/thread-self/schedstat`).
pub fn schedstat() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let mut it = text
        .split_whitespace()
        .map(|v| v.parse::<u64>().unwrap_or(0));
    (it.next().unwrap_or(0), it.next().unwrap_or(0))
}

/// TCP segments retransmitted in this network namespace so far (`/proc/net/snmp`).
pub fn tcp_retransmits() -> u64 {
    let text = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut tcp = text.lines().filter(|l| l.starts_with("Tcp:"));
    let (Some(names), Some(values)) = (tcp.next(), tcp.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(n, _)| *n == "RetransSegs")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}
