//! The words of `docs/benchmarks.md`: the machine, the tables, and for each missed target
//! why and what would close it (written from the measured numbers).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::report::{ClientSummary, KB, Target, View};
use crate::stats::{Run, max, median, percentile};

/// nproc, kernel, CPU, memory, OS and rustc of this machine.
pub fn machine() -> Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_owned());
    let mem_kb = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok());
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|s| s.trim_matches('"').to_owned());
    let rustc = std::process::Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "kernel": read("/proc/sys/kernel/osrelease").trim(),
        "cpu": cpu,
        "memory_gb": mem_kb.map(|k| (k as f64 / 1024.0 / 1024.0 * 10.0).round() / 10.0),
        "os": os,
        "rustc": rustc,
    })
}

/// "12 min" or "48 s".
fn duration(secs: Option<&Value>) -> String {
    match secs.and_then(Value::as_f64) {
        Some(t) if t >= 120.0 => format!("{:.0} min", t / 60.0),
        Some(t) => format!("{t:.0} s"),
        None => "?".into(),
    }
}

pub(crate) fn kb(bytes: f64) -> String {
    format!("{:.1} KB", bytes / KB)
}

pub(crate) fn s(secs: f64) -> String {
    format!("{secs:.2} s")
}

fn str_at<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("?")
}

fn scenario_name(s: &str) -> &'static str {
    match s {
        "rounds-warm" => "rounds, capability cache warm (normal use)",
        "rounds-cold" => "rounds, capability cache cold (first-ever start)",
        "rounds-fresh" => "rounds `--patient ID` at start-up (new connection, warm cache)",
        "naive" => "naive pattern",
        _ => "?",
    }
}

pub fn markdown(
    v: &View,
    targets: &[Target],
    clients: &[ClientSummary],
    local: &[ClientSummary],
) -> String {
    let mut o = String::new();
    let m = machine();
    let meta = v.meta;
    let _ = writeln!(o, "# Benchmarks: rounds on a slow link\n");
    let _ = writeln!(
        o,
        "<!-- Written by scripts/bench (benches/slow_link/); do not edit by hand. -->\n"
    );
    let smoke = str_at(meta, "/mode") == "smoke";
    let _ = writeln!(
        o,
        "One run of `{}` on {}; it took {} ({} of it putting the data on the server{}). Issue 5 \
         asks for these numbers; nothing here is asserted by a test.\n",
        str_at(meta, "/command"),
        str_at(meta, "/date"),
        duration(meta.pointer("/total_secs")),
        duration(meta.pointer("/stages/data")),
        if meta.pointer("/data/loaded_now") == Some(&Value::Bool(false)) {
            format!(
                ", which already held it from an earlier run that took {} to generate and \
                 load it",
                duration(meta.pointer("/data_first_load_secs"))
            )
        } else {
            String::new()
        },
    );
    if smoke {
        let _ = writeln!(
            o,
            "> **Smoke mode**: a few patients, 1,000 observations, one repetition, debug builds. \
             It only shows that the benchmark works; its numbers are not meaningful.\n"
        );
    }
    let _ = writeln!(
        o,
        "- **Machine**: {} cores (`nproc`), Linux {} (`uname -r`), {}, {} GB RAM, {}; {}.",
        m["nproc"],
        str_at(&m, "/kernel"),
        str_at(&m, "/cpu"),
        m["memory_gb"],
        str_at(&m, "/os"),
        str_at(&m, "/rustc")
    );
    let _ = writeln!(o, "- **Source measured**: {}.", str_at(meta, "/source"));
    if let Some(loads) = meta.pointer("/load_average").and_then(Value::as_object) {
        let list: Vec<String> = loads
            .iter()
            .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
            .collect();
        let _ = writeln!(
            o,
            "- **Load** (1-minute load average before/after each step; other work on the \
             machine shows here): {}. The measuring steps ran at {}.",
            list.join(", "),
            str_at(meta, "/priority")
        );
    }
    let _ = writeln!(
        o,
        "- **Server**: {}, loaded with {}.",
        str_at(meta, "/server"),
        str_at(meta, "/data/description")
    );
    let _ = writeln!(
        o,
        "{}",
        if smoke {
            "- **Builds**: debug (`cargo build`), as smoke mode uses.\n"
        } else {
            "- **Builds**: the `rounds` binary from `cargo build --release` ([profile.release]: \
             strip, thin LTO, 4 codegen units); the benchmark from `cargo bench` (the bench \
             profile, which inherits it).\n"
        }
    );

    let _ = writeln!(o, "## Targets (issue 5; issue 17's front desk)\n");
    let _ = writeln!(
        o,
        "| target | measured | met | reproduce |\n|---|---|---|---|"
    );
    for t in targets {
        let met = match t.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "not measured",
        };
        let _ = writeln!(
            o,
            "| {} | {} | {met} | `{}` |",
            t.target, t.shown, t.command
        );
    }
    let met = targets.iter().filter(|t| t.met == Some(true)).count();
    let missed: Vec<&Target> = targets.iter().filter(|t| t.met == Some(false)).collect();
    let _ = writeln!(
        o,
        "\n{met} of {} targets met{}.\n",
        targets.len(),
        if missed.is_empty() {
            String::new()
        } else {
            format!(
                "; missed: {} (see [why](#missed-targets-why-and-what-would-close-them))",
                missed.iter().map(|t| t.id).collect::<Vec<_>>().join(", ")
            )
        }
    );
    let caveats: Vec<&Target> = targets.iter().filter(|t| !t.caveat.is_empty()).collect();
    for t in caveats {
        let _ = writeln!(o, "Note on *{}*: {}\n", t.target, t.caveat);
    }
    let _ = writeln!(
        o,
        "`sudo` is needed only where the link is shaped (`ip netns`, `tc`); run as root it is not \
         needed. Each `--only` run writes its report to a temporary folder and prints where; \
         `scripts/bench` alone (or `cargo bench`) runs everything and rewrites this file.\n"
    );

    link_section(&mut o, v, clients, local);
    crate::report_desk::section(&mut o, v.desk, v.link, v.local);
    keys_section(&mut o, v);
    process_section(&mut o, v);
    if !missed.is_empty() {
        let _ = writeln!(o, "## Missed targets: why, and what would close them\n");
        for t in missed {
            let _ = writeln!(o, "**{}** ({}). {}\n", t.target, t.shown, t.note);
        }
    }
    reproduce_section(&mut o, meta);
    o
}

fn link_section(o: &mut String, v: &View, clients: &[ClientSummary], local: &[ClientSummary]) {
    let _ = writeln!(o, "## Chart open: rounds against the naive pattern\n");
    let Some(link) = v.link else {
        let _ = writeln!(o, "Not measured in this run.\n");
        return;
    };
    let meta = v.meta;
    let _ = writeln!(o, "### The link\n");
    let _ = writeln!(o, "{}\n", str_at(meta, "/link_setup"));
    let _ = writeln!(
        o,
        "Measured in the same run: round-trip time **{:.0} ms** (median of {} 64-byte pings through \
         a delay proxy like the one in front of the server: {}); effective rate **{:.1} KB/s** \
         ({:.0} kbit/s of payload: {} bytes over one TCP connection in {:.2} s, without the delay). \
         Shaping: {}. A new TCP connection holds its first bytes for one more round trip, as the \
         SYN / SYN-ACK exchange of a real link would.\n",
        link.rtt_secs() * 1000.0,
        link.rtt_samples_ms.len(),
        link.rtt_samples_ms
            .iter()
            .map(|x| format!("{x:.0}"))
            .collect::<Vec<_>>()
            .join(", "),
        link.rate_bytes_per_sec() / KB,
        link.rate_bytes_per_sec() * 8.0 / 1000.0,
        link.rate_probe_bytes,
        link.rate_probe_secs,
        link.shaping
    );
    let _ = writeln!(o, "### What each client does\n");
    let _ = writeln!(
        o,
        "The patient is **Kimiko Dooley** (`{}`), the largest fixture patient. Each client first \
         searches for her by name (`{}`), as a user does; the server holds 71 more `Dooley` \
         patients from the load set. The chart clock starts after that answer, on the connection \
         the search opened, except for `--patient` at start-up.\n",
        link.patient_id, link.search_text
    );
    let _ = writeln!(
        o,
        "- **rounds**: `FhirClient::fetch_first_screen_with` (banner and cover sheet: one `batch` \
         request when the server supports batch, gzip or brotli; the banner is timed when the \
         client hands over the Patient, the batch answer's first entry, read from the answer as \
         it arrives, as the TUI's worker draws it), then `fetch_rest` (the other \
         tabs and older pages, as the TUI loads them in the background; the first screen's \
         small pages continue at the full page size). Chart searches name the patient as \
         `patient=Patient/ID`. Capabilities come from the on-disk cache when warm; a cold cache \
         costs `GET /metadata?_elements=fhirVersion,software,format,rest` first (hfs ignores \
         `_elements` there and sends no ETag). hfs does not declare `Observation/$lastn`, so \
         the first screen's labs and vital signs are plain searches here.\n\
         - **naive**: one sequential GET per resource type with `Accept-Encoding: identity`, whole \
         resources, the server's default page size and every `next` page: `Patient/ID` (the \
         banner), then AllergyIntolerance, Condition, MedicationRequest, Observation, Encounter \
         (the cover sheet), then Immunization, DocumentReference, DiagnosticReport (all tabs); \
         plain `reqwest`.\n"
    );
    let n = clients.first().map_or(0, |c| c.runs);
    let _ = writeln!(
        o,
        "Medians of {n} runs each, interleaved (bytes are what crossed the delay proxy: HTTP \
         headers and bodies, both directions; round trips are HTTP requests, and rounds' \
         concurrent ones overlap):\n"
    );
    let _ = writeln!(
        o,
        "| client | banner | cover sheet | round trips | bytes on the wire | all tabs | round trips | bytes on the wire |\n|---|---|---|---|---|---|---|---|"
    );
    for c in clients {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            scenario_name(&c.scenario),
            s(c.banner_secs),
            s(c.cover_secs),
            c.cover_round_trips,
            kb(c.cover_bytes),
            s(c.full_secs),
            c.full_round_trips,
            kb(c.full_bytes)
        );
    }
    let find = |name: &str| clients.iter().find(|c| c.scenario == name);
    if let (Some(w), Some(nv)) = (find("rounds-warm"), find("naive")) {
        let banner = nv.banner_secs / w.banner_secs.max(1e-9);
        let _ = writeln!(
            o,
            "\nrounds (warm) against naive: {}; cover sheet {:.1} x sooner with {:.0} x fewer \
             bytes and {:.0} x fewer round trips; all tabs {:.1} x sooner with {:.0} x fewer bytes.\n",
            if banner >= 1.0 {
                format!("banner {banner:.1} x sooner")
            } else {
                format!(
                    "the naive pattern shows the banner first ({} against {}: its first request \
                     is the Patient alone, while rounds' banner waits for the server to answer \
                     the whole first-screen batch)",
                    s(nv.banner_secs),
                    s(w.banner_secs)
                )
            },
            nv.cover_secs / w.cover_secs.max(1e-9),
            nv.cover_bytes / w.cover_bytes.max(1.0),
            nv.cover_round_trips / w.cover_round_trips.max(1.0),
            nv.full_secs / w.full_secs.max(1e-9),
            nv.full_bytes / w.full_bytes.max(1.0)
        );
    }
    paging_note(o, &link.runs);
    search_line(o, &link.runs);
    requests_table(o, &link.runs);
    resources_table(o, &link.runs);
    if !local.is_empty() {
        let _ = writeln!(
            o,
            "The same loads without shaping or delay (straight to the server on the host's \
             loopback; this is server and client time, not link time):\n"
        );
        let _ = writeln!(o, "| client | cover sheet | all tabs |\n|---|---|---|");
        for c in local {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                scenario_name(&c.scenario),
                s(c.cover_secs),
                s(c.full_secs)
            );
        }
        let _ = writeln!(o);
    }
}

/// Say so when loading the other tabs walked pages one round trip at a time.
fn paging_note(o: &mut String, runs: &[Run]) {
    let Some(r) = runs
        .iter()
        .find(|r| r.scenario == "rounds-warm" && r.rep == 1)
    else {
        return;
    };
    let pages: Vec<&crate::stats::RequestLog> = r
        .requests
        .iter()
        .filter(|q| q.what.contains("next page"))
        .collect();
    if pages.len() < 3 {
        return;
    }
    let mut kinds: Vec<&str> = pages.iter().map(|q| q.what.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let ms: f64 = pages.iter().map(|q| q.ms).sum();
    let _ = writeln!(
        o,
        "Not a target, but it shows here: after the first screen, rounds followed {} `next` \
         pages one after another ({}), one round trip each, {:.1} s in all. The first screen \
         asks for small pages (the cover sheet needs only the latest entries); rounds raises \
         the `_count` of their `next` links to the full page size (100, or 200 for \
         observations), and a section longer than that still comes a page per round trip.\n",
        pages.len(),
        kinds.join(", "),
        ms / 1000.0
    );
}

fn search_line(o: &mut String, runs: &[Run]) {
    let med = |name: &str| {
        let xs: Vec<&Run> = runs
            .iter()
            .filter(|r| r.scenario == name && r.search.is_some())
            .collect();
        let secs: Vec<f64> = xs
            .iter()
            .filter_map(|r| r.search.as_ref().map(|p| p.secs))
            .collect();
        let bytes: Vec<f64> = xs
            .iter()
            .filter_map(|r| r.search.as_ref().map(|p| p.wire_bytes() as f64))
            .collect();
        (!xs.is_empty()).then(|| (median(&secs), median(&bytes)))
    };
    if let (Some((rs, rb)), Some((ns, nb))) = (med("rounds-warm"), med("naive")) {
        let _ = writeln!(
            o,
            "The search before the chart (not in the numbers above): rounds {} and {} (`POST \
             Patient/_search`, 50 patients, compressed); naive {} and {} (`GET Patient?name=...`, \
             the server's first page of 20, uncompressed).\n",
            s(rs),
            kb(rb),
            s(ns),
            kb(nb)
        );
    }
}

fn requests_table(o: &mut String, runs: &[Run]) {
    let _ = writeln!(o, "The requests of the first run of each:\n");
    for name in ["rounds-warm", "rounds-cold", "naive"] {
        let Some(r) = runs.iter().find(|r| r.scenario == name && r.rep == 1) else {
            continue;
        };
        let _ = writeln!(
            o,
            "<details><summary>{} ({} requests)</summary>\n",
            scenario_name(name),
            r.requests.len()
        );
        let _ = writeln!(
            o,
            "| request | status | bytes received | time |\n|---|---|---|---|"
        );
        for q in &r.requests {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {:.0} ms |",
                q.what, q.status, q.bytes, q.ms
            );
        }
        let _ = writeln!(o, "\n</details>\n");
    }
}

fn resources_table(o: &mut String, runs: &[Run]) {
    let (Some(r), Some(n)) = (
        runs.iter().find(|r| r.scenario == "rounds-warm"),
        runs.iter().find(|r| r.scenario == "naive"),
    ) else {
        return;
    };
    let _ = writeln!(
        o,
        "What each loaded (resources, all tabs; rounds asks only for laboratory and vital-sign \
         Observations, and follows pages up to its limit; the naive client gets every category):\n"
    );
    let _ = writeln!(o, "| resource | rounds | naive |\n|---|---|---|");
    let mut keys: Vec<&String> = r.resources.keys().chain(n.resources.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let get = |m: &std::collections::BTreeMap<String, u64>| {
            m.get(k).map_or("-".into(), u64::to_string)
        };
        let _ = writeln!(o, "| {k} | {} | {} |", get(&r.resources), get(&n.resources));
    }
    let _ = writeln!(o);
}

fn keys_section(o: &mut String, v: &View) {
    let _ = writeln!(o, "## Keystrokes on a 10,000-observation chart\n");
    let Some(k) = v.keys else {
        let _ = writeln!(o, "Not measured in this run.\n");
        return;
    };
    let _ = writeln!(
        o,
        "Patient `{}` ({} Observations; {} rows on the Results tab). The App is built as the TUI \
         builds it: `update(Msg::OpenPatient)`, the worker's answer (the whole record, read from \
         the generated Bundles) fed back through `update` ({:.0} ms including the chart model), \
         then `4` for the Results tab. Each cursor move is `update(Msg::Key(j or Down))` plus \
         `terminal.draw(ui::render)` as `tui::run` draws (rounds' `ScrollingBackend`, which has \
         the terminal scroll rows that moved, over ratatui's `CrosstermBackend`) writing into a \
         counter, alternating `j` and Down; most moves scroll the list by a row.\n",
        k.patient_id, k.observations, k.result_rows, k.load_ms
    );
    let _ = writeln!(
        o,
        "| terminal | moves | median | p99 | max | of which `update` (median) | waiting for a CPU (median) | bytes per move: median | p99 | max | first full frame | tab switch |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    for z in &k.sizes {
        let _ = writeln!(
            o,
            "| {}x{} | {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms | {:.0} | {:.0} | {:.0} | {} | {:.0} |",
            z.cols,
            z.rows,
            z.moves,
            median(&z.ms),
            percentile(&z.ms, 99.0),
            max(&z.ms),
            median(&z.update_ms),
            median(&z.wait_ms),
            median(&z.bytes),
            percentile(&z.bytes, 99.0),
            max(&z.bytes),
            z.full_frame_bytes,
            z.tab_switch_bytes
        );
    }
    let idle: Vec<String> = k
        .sizes
        .iter()
        .map(|z| format!("{} bytes at {}x{}", z.idle_redraw_bytes, z.cols, z.rows))
        .collect();
    let _ = writeln!(
        o,
        "\nAn idle screen gets **0 bytes**: `tui::run` draws only after a message (a key, a paste, \
         a resize or a worker answer); there is no tick, timer, spinner or animation. Forcing a \
         redraw with nothing changed would write {} (ratatui hides the cursor and resets the \
         colours on every draw, and writes no cells).\n",
        idle.join(", ")
    );
}

fn process_section(o: &mut String, v: &View) {
    let _ = writeln!(o, "## Cold start, peak memory, binary size\n");
    match v.start {
        Some(st) => {
            let ms: Vec<f64> = st.demo.runs.iter().map(|r| r.ms).collect();
            let _ = writeln!(
                o,
                "**Cold start to first frame**: median **{:.1} ms** over {} runs ({}). The binary \
                 runs `rounds --demo --patient rnd-ada-testwell` under a pseudo-terminal \
                 (`script -qfec`, 80x24) with `ROUNDS_BENCH_EXIT=first-frame`, a hidden hook that \
                 makes `tui::run` return right after its first draw; the time is from spawning \
                 rounds to its exit (terminal set-up and restore included, `script` excluded). \
                 In a median run its threads were on a CPU for {:.1} ms and waited {:.1} ms for \
                 one (other work on the machine; sampled every 2 ms, so the last moments are not \
                 counted). Building the demo source (parsing the built-in Bundles) takes {:.1} ms, \
                 measured in the benchmark's process; `--demo` does it on the worker on first \
                 use (`DemoSource`), so the first frame does not wait for it. The first frame is {} bytes of terminal \
                 output.{}\n",
                median(&ms),
                ms.len(),
                ms.iter()
                    .map(|x| format!("{x:.0}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                median(&st.demo.runs.iter().map(|r| r.cpu_ms).collect::<Vec<_>>()),
                median(&st.demo.runs.iter().map(|r| r.wait_ms).collect::<Vec<_>>()),
                median(&st.demo_source_ms),
                st.demo.runs.first().map_or(0, |r| r.terminal_bytes),
                st.server.as_ref().map_or(String::new(), |p| {
                    let xs: Vec<f64> = p.runs.iter().map(|r| r.ms).collect();
                    format!(
                        " With a server as the source (`rounds --server URL --patient ID`, \
                         capability cache warm; the first frame is the banner's \"Loading\" \
                         state, before any request has been answered) the median is **{:.1} ms** \
                         over {} runs.",
                        median(&xs),
                        xs.len()
                    )
                })
            );
        }
        None => {
            let _ = writeln!(o, "Cold start: not measured in this run.\n");
        }
    }
    if v.memory.is_empty() {
        let _ = writeln!(o, "Peak memory: not measured in this run.\n");
    } else {
        let _ = writeln!(
            o,
            "**Peak memory** (VmHWM, the kernel's high-water mark of resident memory, sampled \
             every 2 ms from /proc while the process runs): the TUI opens the whole chart from the \
             server (no shaping) or from the Bundle files and, with \
             `ROUNDS_BENCH_EXIT=chart-loaded`, leaves after the first frame of the loaded chart. \
             \"Observations held\" is what the chart holds once loaded, counted by loading it in \
             the benchmark the way the TUI's worker does (first screen, then the rest).\n"
        );
        let _ = writeln!(
            o,
            "| patient | opened from | capability cache | Observations held | runs | peak |\n\
             |---|---|---|---|---|---|"
        );
        for p in v.memory {
            let peak = p.runs.iter().map(|r| r.vm_hwm_kb).max().unwrap_or(0);
            let from = match p.source.as_deref() {
                Some("files") => "Bundle files (`--open`)",
                _ => "the server (`--server`)",
            };
            let cache = match p.warm_cache {
                Some(true) => "warm",
                Some(false) => "cold (first start)",
                None => "-",
            };
            let _ = writeln!(
                o,
                "| `{}` | {from} | {cache} | {} | {} | {:.1} MB |",
                p.patient.as_deref().unwrap_or("?"),
                p.observations.map_or("?".into(), |n| n.to_string()),
                p.runs.len(),
                peak as f64 / KB
            );
        }
        let _ = writeln!(o);
    }
    if let Some(b) = v.binary_bytes {
        let what = if str_at(v.meta, "/mode") == "smoke" {
            "the debug build (smoke mode), not stripped"
        } else {
            "`target/release/rounds`, stripped by [profile.release]"
        };
        let _ = writeln!(
            o,
            "**Binary size**: {:.1} MB ({b} bytes), {what}. No target.\n",
            b as f64 / KB / KB
        );
    }
}

fn reproduce_section(o: &mut String, meta: &Value) {
    let _ = writeln!(o, "## Reproduce\n");
    let _ = writeln!(
        o,
        "```bash\n\
         sudo scripts/bench              # everything; rewrites docs/benchmarks.md and .json\n\
         cargo bench                     # the same (runs scripts/bench)\n\
         scripts/bench --only keys       # one part: link | local | keys | start | memory\n\
         scripts/bench --smoke           # the quick mode CI runs (small data, numbers not meaningful)\n\
         ```\n"
    );
    let _ = writeln!(
        o,
        "The first full run generates the load set into a temporary folder \
         (`scripts/make-load-set.py`) and loads it into a FHIR server of its own \
         (`scripts/fhir-server` with `FHIR_PORT={}` and `FHIR_STATE_DIR={}`); the server's \
         database is kept and reused while the fixtures and the generator are unchanged \
         (`--reload` loads it again). The namespace, the bridge and the server are removed or \
         stopped when the run ends, however it ends. Environment: `BENCH_FHIR_PORT`, \
         `BENCH_STATE_DIR`, `BENCH_KEEP=1` (keep the temporary folder).\n",
        meta.pointer("/port").map_or("?".into(), Value::to_string),
        str_at(meta, "/state_dir")
    );
}
