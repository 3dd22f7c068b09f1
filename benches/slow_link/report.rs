//! `docs/benchmarks.md` (for people) and `docs/benchmarks.json` (for machines) from the
//! steps' results. Each target of issue 5 is stated with its measured number, whether it
//! is met, and the command that reproduces it; a missed target says why and what would
//! close it.

use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::desk::DeskResult;
use crate::stats::{
    KeysResult, LinkResult, ProcessResult, Res, Run, StartResult, max, median, percentile,
    read_json, write_json,
};

/// One target of issue 5.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub id: &'static str,
    pub target: String,
    pub measured: Option<f64>,
    pub limit: f64,
    /// `at_most` or `at_least`: how `measured` compares with `limit` when met.
    pub bound: &'static str,
    pub unit: &'static str,
    pub met: Option<bool>,
    /// The number as the report shows it, with what it was compared to.
    pub shown: String,
    pub command: String,
    /// Why it is missed and what would close it (empty when met).
    pub note: String,
    /// What a reader of a met target should know (empty when nothing).
    pub caveat: String,
}

/// Medians of one client's runs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClientSummary {
    pub scenario: String,
    pub runs: usize,
    pub banner_secs: f64,
    pub cover_secs: f64,
    pub cover_round_trips: f64,
    pub cover_bytes: f64,
    pub full_secs: f64,
    pub full_round_trips: f64,
    pub full_bytes: f64,
    pub connections: f64,
}

fn summarize(runs: &[Run], scenario: &str) -> Option<ClientSummary> {
    let rs: Vec<&Run> = runs.iter().filter(|r| r.scenario == scenario).collect();
    if rs.is_empty() {
        return None;
    }
    let m = |f: &dyn Fn(&Run) -> f64| median(&rs.iter().map(|r| f(r)).collect::<Vec<_>>());
    Some(ClientSummary {
        scenario: scenario.to_owned(),
        runs: rs.len(),
        banner_secs: m(&|r| r.banner_secs),
        cover_secs: m(&|r| r.cover.secs),
        cover_round_trips: m(&|r| r.cover.round_trips as f64),
        cover_bytes: m(&|r| r.cover.wire_bytes() as f64),
        full_secs: m(&|r| r.full.secs),
        full_round_trips: m(&|r| r.full.round_trips as f64),
        full_bytes: m(&|r| r.full.wire_bytes() as f64),
        connections: m(&|r| r.full.connections as f64),
    })
}

/// Everything the report is made from.
struct Inputs {
    meta: Value,
    link: Option<LinkResult>,
    local: Option<LinkResult>,
    keys: Option<KeysResult>,
    start: Option<StartResult>,
    memory: Vec<ProcessResult>,
    binary_bytes: Option<u64>,
    desk: Option<DeskResult>,
}

fn optional<T: for<'de> serde::Deserialize<'de>>(path: &Path) -> Res<Option<T>> {
    if path.exists() {
        Ok(Some(read_json(path)?))
    } else {
        Ok(None)
    }
}

pub fn run(parts: &Path, meta: &Path, binary: &Path, md: &Path, json_out: &Path) -> Res<()> {
    let inputs = Inputs {
        meta: optional(meta)?.unwrap_or(Value::Null),
        link: optional(&parts.join("link.json"))?,
        local: optional(&parts.join("local.json"))?,
        keys: optional(&parts.join("keys.json"))?,
        start: optional(&parts.join("start.json"))?,
        memory: optional(&parts.join("memory.json"))?.unwrap_or_default(),
        binary_bytes: std::fs::metadata(binary).ok().map(|m| m.len()),
        desk: optional(&parts.join("desk.json"))?,
    };
    let machine = crate::report_text::machine();
    let targets = targets(&inputs);
    let clients: Vec<ClientSummary> = ["rounds-warm", "rounds-cold", "rounds-fresh", "naive"]
        .iter()
        .filter_map(|s| summarize(inputs.link.as_ref().map_or(&[], |l| &l.runs), s))
        .collect();
    let local: Vec<ClientSummary> = ["rounds-warm", "naive"]
        .iter()
        .filter_map(|s| summarize(inputs.local.as_ref().map_or(&[], |l| &l.runs), s))
        .collect();
    let summary = json!({
        "generated_by": "scripts/bench (benches/slow_link)",
        "mode": inputs.meta.get("mode"),
        "date": inputs.meta.get("date"),
        "machine": machine,
        "setup": inputs.meta,
        "link": inputs.link.as_ref().map(|l| json!({
            "shaping": l.shaping,
            "shaped": l.shaped,
            "rtt_ms": median(&l.rtt_samples_ms),
            "rate_bytes_per_sec": l.rate_bytes_per_sec(),
            "patient_id": l.patient_id,
        })),
        "clients": clients,
        "unshaped": local,
        "keys": inputs.keys.as_ref().map(|k| json!({
            "patient_id": k.patient_id,
            "observations": k.observations,
            "result_rows": k.result_rows,
            "sizes": k.sizes.iter().map(|s| json!({
                "size": format!("{}x{}", s.cols, s.rows),
                "moves": s.moves,
                "ms_median": median(&s.ms),
                "ms_p99": percentile(&s.ms, 99.0),
                "ms_max": max(&s.ms),
                "bytes_median": median(&s.bytes),
                "bytes_p99": percentile(&s.bytes, 99.0),
                "bytes_max": max(&s.bytes),
                "full_frame_bytes": s.full_frame_bytes,
                "idle_redraw_bytes": s.idle_redraw_bytes,
                "tab_switch_bytes": s.tab_switch_bytes,
            })).collect::<Vec<_>>(),
        })),
        "cold_start_ms": inputs.start.as_ref().map(|s| json!({
            "median": median(&s.demo.runs.iter().map(|r| r.ms).collect::<Vec<_>>()),
            "runs": s.demo.runs.iter().map(|r| r.ms).collect::<Vec<_>>(),
            "first_frame_terminal_bytes": s.demo.runs.first().map(|r| r.terminal_bytes),
            "demo_source_ms_median": median(&s.demo_source_ms),
            "server_median": s.server.as_ref().map(|p| median(&p.runs.iter().map(|r| r.ms).collect::<Vec<_>>())),
        })),
        "peak_memory": inputs.memory.iter().map(|p| json!({
            "command": p.command,
            "patient": p.patient,
            "source": p.source,
            "warm_capability_cache": p.warm_cache,
            "observations": p.observations,
            "vm_hwm_kb_max": p.runs.iter().map(|r| r.vm_hwm_kb).max(),
        })).collect::<Vec<_>>(),
        "binary_bytes": inputs.binary_bytes,
        "desk": inputs.desk,
        "targets": targets,
        "targets_met": targets.iter().filter(|t| t.met == Some(true)).count(),
        "targets_missed": targets.iter().filter(|t| t.met == Some(false)).count(),
    });
    write_json(json_out, &summary)?;
    let mut text = crate::report_text::markdown(&inputs_view(&inputs), &targets, &clients, &local);
    text.push_str(&hand_kept(md));
    std::fs::write(md, text).map_err(|e| format!("cannot write {}: {e}", md.display()))?;
    eprintln!(
        "slow_link: wrote {} and {}: {} targets met, {} missed, {} not measured",
        md.display(),
        json_out.display(),
        targets.iter().filter(|t| t.met == Some(true)).count(),
        targets.iter().filter(|t| t.met == Some(false)).count(),
        targets.iter().filter(|t| t.met.is_none()).count()
    );
    Ok(())
}

/// The sections of the file at `md` that scripts/bench does not write (a `## ` heading
/// followed by a `<!-- Not written by scripts/bench` comment), to put back after the
/// written ones: a rewrite keeps them.
fn hand_kept(md: &Path) -> String {
    let Ok(old) = std::fs::read_to_string(md) else {
        return String::new();
    };
    let mut kept = String::new();
    for section in old.split("\n## ").skip(1) {
        let body = section.split_once('\n').map_or("", |(_, b)| b);
        if body
            .trim_start()
            .starts_with("<!-- Not written by scripts/bench")
        {
            kept.push_str("\n## ");
            kept.push_str(section.trim_end());
            kept.push('\n');
        }
    }
    kept
}

/// What the text needs, borrowed.
pub struct View<'a> {
    pub meta: &'a Value,
    pub link: Option<&'a LinkResult>,
    pub local: Option<&'a LinkResult>,
    pub keys: Option<&'a KeysResult>,
    pub start: Option<&'a StartResult>,
    pub memory: &'a [ProcessResult],
    pub binary_bytes: Option<u64>,
    pub desk: Option<&'a DeskResult>,
}

fn inputs_view(i: &Inputs) -> View<'_> {
    View {
        meta: &i.meta,
        link: i.link.as_ref(),
        local: i.local.as_ref(),
        keys: i.keys.as_ref(),
        start: i.start.as_ref(),
        memory: &i.memory,
        binary_bytes: i.binary_bytes,
        desk: i.desk.as_ref(),
    }
}

pub const KB: f64 = 1024.0;

pub(crate) fn target(
    id: &'static str,
    text: &str,
    measured: Option<f64>,
    limit: f64,
    unit: &'static str,
    command: &str,
) -> Target {
    Target {
        id,
        target: text.to_owned(),
        measured,
        limit,
        bound: "at_most",
        unit,
        met: measured.map(|m| m <= limit),
        shown: String::new(),
        command: command.to_owned(),
        note: String::new(),
        caveat: String::new(),
    }
}

fn targets(i: &Inputs) -> Vec<Target> {
    let link = i.link.as_ref();
    let runs = link.map_or(&[][..], |l| &l.runs[..]);
    let warm = summarize(runs, "rounds-warm");
    let cold = summarize(runs, "rounds-cold");
    let naive = summarize(runs, "naive");
    let rtt = link.map(LinkResult::rtt_secs).filter(|r| *r > 0.0);
    let rate = link
        .map(LinkResult::rate_bytes_per_sec)
        .filter(|r| *r > 0.0);
    let cmd_link = "sudo scripts/bench --only link";
    let mut out = Vec::new();

    let mut t = target(
        "round_trips",
        "chart open in at most 2 round trips",
        warm.as_ref().map(|w| w.cover_round_trips),
        2.0,
        "round trips",
        cmd_link,
    );
    t.shown = match (&warm, &cold) {
        (Some(w), Some(c)) => format!(
            "{} (warm capability cache); {} on a first-ever start (cold cache)",
            w.cover_round_trips, c.cover_round_trips
        ),
        _ => String::new(),
    };
    out.push(t);

    let mut t = target(
        "bytes",
        "chart open in at most 64 KB on the wire",
        warm.as_ref().map(|w| w.cover_bytes / KB),
        64.0,
        "KB",
        cmd_link,
    );
    t.shown = match (&warm, &cold) {
        (Some(w), Some(c)) => format!(
            "{:.1} KB with the capability cache warm (normal use); {:.1} KB on a first-ever \
             start{}",
            w.cover_bytes / KB,
            c.cover_bytes / KB,
            if c.cover_bytes / KB > 64.0 {
                ", over the target: the compressed CapabilityStatement alone is most of it"
            } else {
                ""
            }
        ),
        _ => String::new(),
    };
    out.push(t);

    let limit_secs = match (&warm, rtt, rate) {
        (Some(w), Some(rtt), Some(rate)) => Some(rtt + w.cover_bytes / rate),
        _ => None,
    };
    let mut t = target(
        "physical_limit",
        "chart open within 1.25 x the physical limit of the link (one round trip plus the first \
         screen's compressed bytes at the link rate)",
        warm.as_ref().zip(limit_secs).map(|(w, l)| w.cover_secs / l),
        1.25,
        "x",
        cmd_link,
    );
    if let (Some(w), Some(l), Some(rtt), Some(rate)) = (&warm, limit_secs, rtt, rate) {
        t.shown = format!(
            "{:.2} x: {:.2} s against a limit of {:.2} s ({:.0} ms + {:.1} KB at {:.1} KB/s){}",
            w.cover_secs / l,
            w.cover_secs,
            l,
            rtt * 1000.0,
            w.cover_bytes / KB,
            rate / KB,
            if w.cover_secs < 0.95 * l {
                "; under 1 because tbf lets its 4 KB burst through at once, faster than the \
                 sustained rate the limit assumes"
            } else {
                ""
            }
        );
    }
    out.push(t);

    let mut t = target(
        "banner",
        "banner within one round trip plus 0.2 s",
        warm.as_ref().map(|w| w.banner_secs),
        rtt.map_or(0.5, |r| r + 0.2),
        "s",
        cmd_link,
    );
    if let (Some(w), Some(rtt)) = (&warm, rtt) {
        t.shown = format!(
            "{:.2} s against {:.2} s (naive: {:.2} s)",
            w.banner_secs,
            rtt + 0.2,
            naive.as_ref().map_or(0.0, |n| n.banner_secs)
        );
    }
    out.push(t);

    let speedup = warm
        .as_ref()
        .zip(naive.as_ref())
        .map(|(w, n)| n.cover_secs / w.cover_secs.max(1e-9));
    let mut t = target(
        "vs_naive",
        "at least 7 x faster than the naive pattern on the shaped link (time to the full cover \
         sheet)",
        speedup,
        7.0,
        "x",
        cmd_link,
    );
    t.bound = "at_least";
    t.met = speedup.map(|s| s >= 7.0);
    if let (Some(w), Some(n), Some(s)) = (&warm, &naive, speedup) {
        t.shown = format!(
            "{s:.1} x: {:.2} s against {:.2} s with the capability cache warm{}; all tabs \
             {:.1} x ({:.2} s against {:.2} s)",
            w.cover_secs,
            n.cover_secs,
            cold.as_ref().map_or(String::new(), |c| format!(
                " ({:.1} x on a first-ever start)",
                n.cover_secs / c.cover_secs.max(1e-9)
            )),
            n.full_secs / w.full_secs.max(1e-9),
            w.full_secs,
            n.full_secs
        );
    }
    out.push(t);

    let keys = i.keys.as_ref();
    let all = |f: &dyn Fn(&crate::stats::KeySize) -> &Vec<f64>| -> Vec<f64> {
        keys.map_or(Vec::new(), |k| {
            k.sizes.iter().flat_map(|s| f(s).iter().copied()).collect()
        })
    };
    let ms = all(&|s| &s.ms);
    let bytes = all(&|s| &s.bytes);
    let cmd_keys = "scripts/bench --only keys";
    let mut t = target(
        "keystroke",
        "keystroke to frame at most 16 ms (p99 of the cursor moves)",
        (!ms.is_empty()).then(|| percentile(&ms, 99.0)),
        16.0,
        "ms",
        cmd_keys,
    );
    if !ms.is_empty() {
        t.shown = format!(
            "p99 {:.2} ms, median {:.2} ms, max {:.2} ms",
            percentile(&ms, 99.0),
            median(&ms),
            max(&ms)
        );
    }
    out.push(t);
    let mut t = target(
        "terminal_bytes",
        "at most 1 KB of terminal output per cursor move (p99 of the moves)",
        (!bytes.is_empty()).then(|| percentile(&bytes, 99.0) / KB),
        1.0,
        "KB",
        cmd_keys,
    );
    if !bytes.is_empty() {
        t.shown = format!(
            "p99 {:.0} bytes, median {:.0} bytes, max {:.0} bytes",
            percentile(&bytes, 99.0),
            median(&bytes),
            max(&bytes)
        );
    }
    out.push(t);

    let start_ms: Vec<f64> = i
        .start
        .as_ref()
        .map_or(Vec::new(), |s| s.demo.runs.iter().map(|r| r.ms).collect());
    let mut t = target(
        "cold_start",
        "cold start to first frame at most 100 ms (median)",
        (!start_ms.is_empty()).then(|| median(&start_ms)),
        100.0,
        "ms",
        "scripts/bench --only start",
    );
    if !start_ms.is_empty() {
        t.shown = format!(
            "median {:.1} ms of {} runs (min {:.1}, max {:.1})",
            median(&start_ms),
            start_ms.len(),
            start_ms.iter().copied().fold(f64::INFINITY, f64::min),
            max(&start_ms)
        );
    }
    out.push(t);

    let big = i.meta.pointer("/big_patient").and_then(Value::as_str);
    let big_runs: Vec<&ProcessResult> = i
        .memory
        .iter()
        .filter(|p| p.patient.as_deref() == big && big.is_some())
        .collect();
    let peak = |pick: &dyn Fn(&ProcessResult) -> bool| -> Option<u64> {
        big_runs
            .iter()
            .filter(|p| pick(p))
            .flat_map(|p| p.runs.iter().map(|r| r.vm_hwm_kb))
            .max()
    };
    let from_server = |p: &ProcessResult| p.source.as_deref() == Some("server");
    let worst = peak(&from_server);
    let mut t = target(
        "peak_memory",
        "peak memory at most 40 MB (resident; the TUI opening the 10,000-observation \
         patient's chart from the server, the worse of a first start and normal use)",
        worst.map(|kb| kb as f64 / KB),
        40.0,
        "MB",
        "scripts/bench --only memory",
    );
    if let Some(w) = worst {
        let mb = |kb: Option<u64>| kb.map_or("?".into(), |k| format!("{:.1} MB", k as f64 / KB));
        let obs = |pick: &dyn Fn(&ProcessResult) -> bool| {
            big_runs
                .iter()
                .find(|p| pick(p))
                .and_then(|p| p.observations)
                .map_or("?".into(), |n| n.to_string())
        };
        let warm = |p: &ProcessResult| p.warm_cache == Some(true);
        let cold = |p: &ProcessResult| p.warm_cache == Some(false);
        let files = |p: &ProcessResult| p.source.as_deref() == Some("files");
        t.shown = format!(
            "{:.1} MB: {} on a first start (cold capability cache), {} in normal use (warm); \
             the chart held {} observations",
            w as f64 / KB,
            mb(peak(&cold)),
            mb(peak(&warm)),
            obs(&warm),
        );
        if let Some(f) = peak(&files) {
            t.caveat = format!(
                "From the server the TUI's chart holds {} of the patient's observations, not \
                 all of them: the first screen asks for small pages (50 labs, 40 vital signs), \
                 the rest comes in pages of 200, and the background load stops once a \
                 section has taken 1,000 more entries (`ClientConfig::rest_max_entries`; the \
                 section is marked as cut short). The same TUI holding all {} \
                 (`rounds --open` on the patient's Bundle files) peaks at {}: there the file \
                 source also keeps every parsed Bundle, and the chart has six times the rows.",
                obs(&warm),
                obs(&files),
                mb(Some(f))
            );
        }
    }
    out.push(t);

    for t in &mut out {
        if t.shown.is_empty() {
            t.shown = match t.measured {
                Some(m) => format!("{m:.2} {}", t.unit),
                None => "not measured in this run".into(),
            };
        }
        if t.met == Some(false) {
            t.note = crate::report_why::why_missed(t.id, inputs_view(i));
        }
    }
    out.extend(crate::report_desk::targets(i.desk.as_ref(), link));
    out
}
