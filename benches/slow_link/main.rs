//! The slow-link benchmark of issue 5: rounds against the naive client pattern through a
//! link shaped to 256 kbit/s and 300 ms round-trip time, keystroke to frame and terminal
//! bytes per cursor move, cold start, peak memory and binary size. It writes
//! `docs/benchmarks.md` and `docs/benchmarks.json`.
//!
//! `cargo bench` (or `scripts/bench`) runs everything; `scripts/bench --smoke` is the quick
//! mode CI runs to keep it working. `scripts/bench` does what needs a shell and root (the
//! FHIR server, the load set, the network namespace with its tbf qdisc, cleaning up) and
//! calls this binary's steps:
//!
//! ```text
//! slow_link bridge   --unix PATH --to HOST:PORT       Unix socket -> FHIR server (host side)
//! slow_link link     --listen ADDR ... --out F.json   delay proxy + rounds vs naive (namespace)
//! slow_link local    --base URL ... --out F.json      the same loads unshaped (server time)
//! slow_link keys     --bundles DIR ... --out F.json   keystroke to frame, terminal bytes
//! slow_link start    --rounds BIN ... --out F.json    cold start to first frame (pty)
//! slow_link memory   --rounds BIN ... --out F.json    peak memory while a chart opens (pty)
//! slow_link report   --parts DIR ... --md F --json F  the report
//! ```
//!
//! It is not a test: nothing here asserts on a number. Run without a step and without
//! `--bench` (as `cargo test --all-targets` does) it only says how to run it; asked to
//! `--list` tests (as cargo-nextest does) it lists none.

mod desk;
mod keys;
mod link;
mod procs;
mod proxy;
mod report;
mod report_desk;
mod report_text;
mod report_why;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use stats::Res;

#[derive(Parser)]
#[command(
    name = "slow_link",
    about = "The slow-link benchmark (see scripts/bench)"
)]
struct Cli {
    #[command(subcommand)]
    step: Step,
}

#[derive(Subcommand)]
enum Step {
    /// Accept on a Unix socket and connect each client to the FHIR server (host side).
    Bridge {
        #[arg(long)]
        unix: PathBuf,
        #[arg(long)]
        to: String,
    },
    /// The delay proxy and the rounds-vs-naive measurements (inside the namespace).
    Link {
        /// Where the delay proxy listens.
        #[arg(long)]
        listen: String,
        /// The bridge's Unix socket.
        #[arg(long, conflicts_with = "upstream_tcp")]
        upstream_unix: Option<PathBuf>,
        /// The server itself (no namespace: delay only).
        #[arg(long)]
        upstream_tcp: Option<String>,
        /// The server's base URL as it writes it in paging links.
        #[arg(long)]
        server_base: String,
        #[arg(long)]
        patient: String,
        #[arg(long)]
        search: String,
        #[arg(long, default_value_t = 150)]
        one_way_ms: u64,
        /// Do not add a round trip for each new connection.
        #[arg(long)]
        no_handshake: bool,
        #[arg(long)]
        shaping: String,
        #[arg(long)]
        shaped: bool,
        #[arg(long, default_value_t = 3)]
        repeat: u32,
        #[arg(long, default_value_t = 256)]
        rate_probe_kb: u64,
        #[arg(long)]
        work: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// The front desk's day: appointments to book (0: not measured); written to
        /// desk.json beside --out.
        #[arg(long, default_value_t = 0)]
        desk_rows: usize,
        /// The `rounds` binary, for `rounds sync --today` in the desk's part.
        #[arg(long)]
        rounds: Option<PathBuf>,
        /// A patient never booked in the desk's day.
        #[arg(long)]
        skip_patient: Option<String>,
    },
    /// The same chart loads without shaping or delay: server and client time.
    Local {
        #[arg(long)]
        base: String,
        #[arg(long)]
        patient: String,
        #[arg(long)]
        search: String,
        #[arg(long)]
        work: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Keystroke to frame and terminal bytes per cursor move.
    Keys {
        /// The Bundles of the many-observation patient (a file or folder).
        #[arg(long)]
        bundles: PathBuf,
        #[arg(long)]
        patient: String,
        #[arg(long, default_value_t = 300)]
        moves: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Cold start to first frame: `rounds --demo --patient rnd-ada-testwell` under a pty.
    Start {
        #[arg(long)]
        rounds: PathBuf,
        /// Also start with a server as the source: `URL` `PATIENT_ID`.
        #[arg(long, num_args = 2, value_names = ["URL", "ID"])]
        server: Option<Vec<String>>,
        #[arg(long, default_value_t = 15)]
        runs: usize,
        #[arg(long)]
        work: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Peak memory while the TUI opens each patient's chart from the server.
    Memory {
        #[arg(long)]
        rounds: PathBuf,
        #[arg(long)]
        server: String,
        #[arg(long = "patient", required = true)]
        patients: Vec<String>,
        /// Also open this patient from Bundle files (`--open`): `DIR` `ID`.
        #[arg(long, num_args = 2, value_names = ["DIR", "ID"])]
        files: Option<Vec<String>>,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long)]
        work: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// Run a command, time it from spawn to exit and sample its peak memory (used by
    /// `start` and `memory` inside the pty).
    TimeChild {
        #[arg(long)]
        out: PathBuf,
        #[arg(last = true, required = true)]
        command: Vec<String>,
    },
    /// Write docs/benchmarks.md and docs/benchmarks.json from the steps' results.
    Report {
        #[arg(long)]
        parts: PathBuf,
        #[arg(long)]
        meta: PathBuf,
        /// The release binary, for its size.
        #[arg(long)]
        binary: PathBuf,
        #[arg(long)]
        md: PathBuf,
        #[arg(long)]
        json: PathBuf,
    },
}

const STEPS: [&str; 9] = [
    "bridge",
    "link",
    "local",
    "keys",
    "start",
    "memory",
    "time-child",
    "report",
    "help",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        // Test discovery (cargo-nextest, libtest): this binary holds no tests.
        return ExitCode::SUCCESS;
    }
    let step = args.get(1).map(String::as_str).unwrap_or("");
    if !STEPS.contains(&step) {
        return whole_benchmark(&args);
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("slow_link: cannot start tokio: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.step)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("slow_link: error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `cargo bench` passes `--bench` (and `-- ARGS`): run scripts/bench, which calls this
/// binary back for each step. Anything else (`cargo test --all-targets`) only gets a hint.
fn whole_benchmark(args: &[String]) -> ExitCode {
    if !args.iter().any(|a| a == "--bench") {
        eprintln!(
            "slow_link: the slow-link benchmark; run it with `cargo bench` or `scripts/bench` \
             (`--smoke` for the quick mode)"
        );
        return ExitCode::SUCCESS;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/bench");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(&script);
    cmd.args(
        args.iter()
            .skip(1)
            .filter(|a| matches!(a.as_str(), "--smoke" | "--keep" | "--reload")),
    );
    if let Ok(me) = std::env::current_exe() {
        cmd.env("ROUNDS_BENCH_BIN", me);
    }
    match cmd.status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(u8::try_from(s.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => {
            eprintln!("slow_link: cannot run {}: {e}", script.display());
            ExitCode::from(1)
        }
    }
}

async fn run(step: Step) -> Res<()> {
    match step {
        Step::Bridge { unix, to } => proxy::bridge(&unix, &to).await,
        Step::Link {
            listen,
            upstream_unix,
            upstream_tcp,
            server_base,
            patient,
            search,
            one_way_ms,
            no_handshake,
            shaping,
            shaped,
            repeat,
            rate_probe_kb,
            work,
            out,
            desk_rows,
            rounds,
            skip_patient,
        } => {
            let upstream = match (upstream_unix, upstream_tcp) {
                (Some(p), _) => proxy::Upstream::Unix(p),
                (None, Some(a)) => proxy::Upstream::Tcp(a),
                (None, None) => return stats::fail("give --upstream-unix or --upstream-tcp"),
            };
            std::fs::create_dir_all(&work)?;
            link::run(link::LinkArgs {
                listen,
                upstream,
                server_base,
                patient,
                search,
                delay: proxy::Delay {
                    one_way: Duration::from_millis(one_way_ms),
                    handshake: !no_handshake,
                },
                shaping,
                shaped,
                repeat: repeat.max(1),
                rate_probe_bytes: rate_probe_kb.max(1) * 1024,
                work,
                out,
                desk_rows,
                rounds,
                skip_patient,
            })
            .await
        }
        Step::Local {
            base,
            patient,
            search,
            work,
            out,
        } => link::local(&base, &patient, &search, &work, &out).await,
        Step::Keys {
            bundles,
            patient,
            moves,
            out,
        } => keys::run(&bundles, &patient, moves.max(1), &out).await,
        Step::Start {
            rounds,
            server,
            runs,
            work,
            out,
        } => {
            let server = match server.as_deref() {
                Some([url, id]) => Some((url.as_str(), id.as_str())),
                _ => None,
            };
            procs::start(&rounds, server, runs.max(1), &work, &out)
        }
        Step::Memory {
            rounds,
            server,
            patients,
            files,
            runs,
            work,
            out,
        } => {
            let files = match files.as_deref() {
                Some([dir, id]) => Some((std::path::Path::new(dir.as_str()), id.as_str())),
                _ => None,
            };
            procs::memory(&rounds, &server, &patients, files, runs.max(1), &work, &out).await
        }
        Step::TimeChild { out, command } => procs::time_child(&out, &command),
        Step::Report {
            parts,
            meta,
            binary,
            md,
            json,
        } => report::run(&parts, &meta, &binary, &md, &json),
    }
}
