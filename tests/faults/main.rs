#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Fault injection through a proxy in front of the real FHIR server (`ROUNDS_TEST_FHIR_URL`):
//! slow answers and timeouts, connections cut mid-body, truncated and invalid JSON, the wrong
//! resourceType, 500/502/503/429, a 401 in the middle of a session, a 50 MB Bundle, 100,000
//! entries, deep nesting, unreadable and unknown elements, and failures of one section or of
//! the background part of a chart. Each test checks what the user sees (the `FhirError` and
//! its message, the chart's parts and warnings, the TUI state, the CLI's stderr and exit
//! code), that nothing panics, and that the next request through the proxy works.

#[path = "../common/mod.rs"]
mod common;
mod proxy;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rounds::app::{App, Command, Msg, Remote, RequestId, Response, ResponseResult, Status, update};
use rounds::chart::{Chart, Part};
use rounds::config::{Keymap, Theme};
use rounds::fhir::client::Continuation;
use rounds::fhir::{BatchMode, ClientConfig, FhirClient, FhirError, PatientQuery, Section};
use rounds::source::{DataSource, RemoteSource, SourceError};
use serde_json::{Map, Value, json};

use proxy::{Fault, Proxy, Request, Response as Answer};

const ADA: &str = "rnd-ada-testwell";
const ADA_READ: &str = "/Patient/rnd-ada-testwell";

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A client of the proxy: short timeouts and a few milliseconds of backoff.
fn config(proxy: &Proxy) -> ClientConfig {
    let mut c = ClientConfig::new(proxy.url());
    c.connect_timeout = Duration::from_secs(2);
    c.request_timeout = Duration::from_secs(5);
    c.retry_base = ms(5);
    c
}

fn new_client(proxy: &Proxy) -> FhirClient {
    FhirClient::new(config(proxy)).unwrap()
}

fn client_with(proxy: &Proxy, f: impl FnOnce(&mut ClientConfig)) -> FhirClient {
    let mut c = config(proxy);
    f(&mut c);
    FhirClient::new(c).unwrap()
}

/// The rest keeps working: with the faults off, the same client reads the patient.
async fn recovers(proxy: &Proxy, client: &FhirClient) {
    proxy.heal();
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
}

/// A rule that applies `fault` to the answers of the requests `pick` selects.
fn on(
    pick: impl Fn(&Request) -> bool + Send + Sync + 'static,
    fault: impl Fn(Answer) -> Fault + Send + Sync + 'static,
) -> impl Fn(&Request, Answer) -> Fault + Send + Sync + 'static {
    move |req, resp| {
        if pick(req) {
            fault(resp)
        } else {
            Fault::Pass(resp)
        }
    }
}

fn is_ada_read(req: &Request) -> bool {
    req.method == "GET" && req.path() == ADA_READ
}

fn outcome(text: &str) -> Value {
    json!({"resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "exception", "diagnostics": text}]})
}

fn status(code: u16) -> impl Fn(Answer) -> Fault + Send + Sync + 'static {
    move |_| Fault::Pass(Answer::raw(code, "text/html", "<html>unavailable</html>"))
}

fn by_name() -> PatientQuery {
    PatientQuery {
        name: Some("testwell".into()),
        ..PatientQuery::default()
    }
}

/// The index of the batch entry whose request URL starts with `prefix`.
fn batch_index(req: &Request, prefix: &str) -> Option<usize> {
    req.batch_urls().iter().position(|u| u.starts_with(prefix))
}

/// Apply `f` to every resource object in `v` (at any depth) whose type is `ty`.
fn each_resource(v: &mut Value, ty: &str, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match v {
        Value::Object(map) => {
            if map.get("resourceType").and_then(Value::as_str) == Some(ty) {
                f(map);
            }
            for child in map.values_mut() {
                each_resource(child, ty, f);
            }
        }
        Value::Array(items) => {
            for item in items {
                each_resource(item, ty, f);
            }
        }
        _ => {}
    }
}

fn part_failed<T>(part: &Part<T>) -> &str {
    match part {
        Part::Failed { message } => message,
        _ => panic!("the part did not fail"),
    }
}

fn part_loaded<T>(part: &Part<T>) -> &T {
    part.data().expect("the part is loaded")
}

/// Every first-screen section but `except` is loaded, with data.
fn first_screen_loaded(chart: &Chart, except: Option<Section>) {
    assert_eq!(chart.banner.patient_id, ADA);
    assert!(chart.banner.name.starts_with("TESTWELL, Ada"));
    let loaded = [
        (Section::Allergies, !part_loaded_or_empty(&chart.allergies)),
        (Section::Problems, chart.problems.data().is_some()),
        (
            Section::Medications,
            !part_loaded_or_empty(&chart.medications),
        ),
        (
            Section::Labs,
            chart.labs.data().is_some_and(|l| !l.results.is_empty()),
        ),
        (
            Section::Vitals,
            chart.vitals.data().is_some_and(|v| !v.latest.is_empty()),
        ),
        (
            Section::Encounters,
            !part_loaded_or_empty(&chart.encounters),
        ),
    ];
    for (section, ok) in loaded {
        if Some(section) != except {
            assert!(ok, "{section:?} is not loaded: {chart:#?}");
        }
    }
}

/// Whether a list part is not loaded or empty.
fn part_loaded_or_empty<T>(part: &Part<Vec<T>>) -> bool {
    part.data().is_none_or(Vec::is_empty)
}

// The memory-hungry tests run one at a time, so each measures its own peak.
static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Reset this process's peak resident size to its current size (Linux).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// This process's peak resident size in MB (`VmHWM`).
fn peak_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb / 1024
}

/// A JSON body of `count` copies of `unit` in a Bundle, generated as it is sent.
fn generated_bundle(unit: &str, count: usize) -> Fault {
    Fault::Generated {
        head: br#"{"resourceType":"Bundle","type":"searchset","entry":["#.to_vec(),
        unit: unit.as_bytes().to_vec(),
        count,
        tail: b"]}".to_vec(),
    }
}

/// About 50 MB of Patient entries.
fn fifty_megabytes() -> Fault {
    let unit = format!(
        r#"{{"resource":{{"resourceType":"Patient","id":"big","name":[{{"text":"{}"}}]}}}}"#,
        "x".repeat(1000)
    );
    let count = 50 * 1024 * 1024 / (unit.len() + 1) + 1;
    generated_bundle(&unit, count)
}

// ---------------------------------------------------------------------------------------
// The TUI: `update` fed with the worker's responses from a RemoteSource on the proxy
// ---------------------------------------------------------------------------------------

fn app(source: &RemoteSource) -> App {
    App::new(
        source.info(),
        common::today(),
        Theme::built_in("default").unwrap(),
        Keymap::default_keymap(),
    )
}

/// Open a chart: the first screen, as the worker sends it. Returns the request and what is
/// left to load.
async fn open_chart(
    app: &mut App,
    source: &RemoteSource,
    id: &str,
) -> (RequestId, Option<Continuation>) {
    let commands = update(app, Msg::OpenPatient(id.to_owned()));
    let [Command::LoadChart { req, patient_id }] = commands.as_slice() else {
        panic!("expected one LoadChart: {commands:?}");
    };
    let (first, rest) = match source.first_screen(patient_id).await {
        Ok((record, rest)) => (Ok(Box::new(record)), rest),
        Err(e) => (Err(e.failure()), None),
    };
    let more = update(
        app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(first),
        }),
    );
    assert!(more.is_empty());
    (*req, rest)
}

/// Load the rest of the chart in the background, as the worker does.
async fn load_rest(app: &mut App, source: &RemoteSource, req: RequestId, rest: Continuation) {
    let result = source
        .rest(rest)
        .await
        .map(Box::new)
        .map_err(|e| e.failure());
    let more = update(
        app,
        Msg::Response(Response {
            req,
            result: ResponseResult::ChartRest(result),
        }),
    );
    assert!(more.is_empty());
}

fn shown_chart(app: &App) -> &Chart {
    match &app.chart.as_ref().expect("a chart is open").data {
        Remote::Loaded(chart) => chart,
        other => panic!("the chart is not shown: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The CLI
// ---------------------------------------------------------------------------------------

/// `rounds --server <proxy> ARGS`: exit code, stdout, stderr.
fn rounds(proxy: &Proxy, args: &[&str]) -> (i32, String, String) {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("rounds");
    cmd.env("ROUNDS_TODAY", "2026-11-22")
        .env("ROUNDS_CACHE_DIR", "")
        .env_remove("ROUNDS_SERVER")
        .arg("--server")
        .arg(proxy.url())
        .args(args)
        .timeout(Duration::from_secs(30));
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

mod bad_bodies;
mod cut_mid_body;
mod offline;
mod offline_pins;
mod offline_tui;
mod partial;
mod server_errors;
mod timeouts;
mod too_large;
mod unauthorized;
mod unreadable;
mod writes;
mod writes_tui;
