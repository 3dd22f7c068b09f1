#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Fault injection through a proxy in front of the real FHIR server (`ROUNDS_TEST_FHIR_URL`):
//! slow answers and timeouts, connections cut mid-body, truncated and invalid JSON, the wrong
//! resourceType, 500/502/503/429, a 401 in the middle of a session, a 50 MB Bundle, 100,000
//! entries, deep nesting, unreadable and unknown elements, and failures of one section or of
//! the background part of a chart. Each test checks what the user sees (the `FhirError` and
//! its message, the chart's parts and warnings, the TUI state, the CLI's stderr and exit
//! code), that nothing panics, and that the next request through the proxy works.

mod common;
#[path = "faults/proxy.rs"]
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
        Err(e) => (Err(e.to_string()), None),
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
        .map_err(|e| e.to_string());
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

// ---------------------------------------------------------------------------------------
// Slow answers and timeouts
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_slow_answer_within_the_timeout_arrives() {
    let proxy = Proxy::start(on(is_ada_read, |r| Fault::Delay(ms(600), r)));
    let client = client_with(&proxy, |c| c.request_timeout = ms(1500));
    let started = Instant::now();
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
    assert!(started.elapsed() >= ms(600));
    assert_eq!(client.stats().round_trips, 1);
}

#[tokio::test]
async fn an_answer_later_than_the_timeout_is_retried_once_then_reported() {
    let proxy = Proxy::start(on(is_ada_read, |r| Fault::Delay(ms(1400), r)));
    let client = client_with(&proxy, |c| c.request_timeout = Duration::from_secs(1));
    let started = Instant::now();
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Timeout {
            after: Duration::from_secs(1)
        }
    );
    assert_eq!(
        err.to_string(),
        "the server did not answer within 1 second: try again, or check the network"
    );
    // One retry, not more: two round trips, about two timeouts long.
    assert_eq!(client.stats().round_trips, 2);
    assert_eq!(proxy.requests(), 2);
    assert!(started.elapsed() < ms(2900), "{:?}", started.elapsed());
    recovers(&proxy, &client).await;
}

// ---------------------------------------------------------------------------------------
// A connection cut in the middle of the body
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_connection_cut_mid_body_is_retried_then_reported() {
    for reset in [false, true] {
        let proxy = Proxy::start(on(is_ada_read, move |resp| Fault::CutBody { resp, reset }));
        let client = new_client(&proxy);
        let err = client.read("Patient", ADA).await.unwrap_err();
        let detail = format!(
            "the connection to 127.0.0.1:{} dropped before the answer was complete",
            proxy.port()
        );
        assert_eq!(err, FhirError::Connection { detail }, "reset: {reset}");
        assert_eq!(
            err.to_string(),
            format!(
                "could not reach the server: the connection to 127.0.0.1:{} dropped before the \
                 answer was complete",
                proxy.port()
            )
        );
        // The first try and two retries.
        assert_eq!(client.stats().round_trips, 3, "reset: {reset}");
        assert_eq!(proxy.requests(), 3);
        recovers(&proxy, &client).await;
    }
}

#[tokio::test]
async fn a_connection_cut_only_once_succeeds_on_the_retry() {
    let proxy = Proxy::start(|req: &Request, resp| {
        if req.n == 0 {
            Fault::CutBody { resp, reset: true }
        } else {
            Fault::Pass(resp)
        }
    });
    let client = new_client(&proxy);
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
    assert_eq!(client.stats().round_trips, 2);
}

#[test]
fn the_cli_reports_a_dropped_connection_with_exit_code_5() {
    let proxy = Proxy::start(on(Request::is_batch, |resp| Fault::CutBody {
        resp,
        reset: false,
    }));
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA]);
    assert_eq!(code, 5, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "rounds: error: could not reach the server: the connection to 127.0.0.1:{} \
             dropped before the answer was complete\n",
            proxy.port()
        )
    );
    assert_eq!(proxy.count("POST /"), 3, "{:?}", proxy.log());
}

// ---------------------------------------------------------------------------------------
// Truncated and invalid JSON, the wrong resourceType
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn truncated_json_is_a_bad_response_naming_the_place_and_is_not_retried() {
    let cut = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = cut.clone();
    let proxy = Proxy::start(on(is_ada_read, move |mut resp| {
        // Half the body, with a Content-Length that says so.
        let half = resp.body.len() / 2;
        resp.body.truncate(half);
        *seen.lock().unwrap() = resp.body.clone();
        Fault::Pass(resp.without_validators())
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    let body = cut.lock().unwrap().clone();
    let parse = serde_json::from_slice::<Value>(&body).unwrap_err();
    assert!(parse.is_eof());
    assert_eq!(
        err,
        FhirError::BadResponse {
            detail: format!(
                "the body is not valid JSON (line {}, column {})",
                parse.line(),
                parse.column()
            )
        }
    );
    assert!(err.to_string().starts_with(
        "the server sent a response rounds cannot use: the body is not valid JSON (line 1, column "
    ));
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn invalid_json_is_a_bad_response_naming_the_line_and_column() {
    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::raw(
            200,
            "application/fhir+json",
            "{\n  \"resourceType\": \"Patient\",\n  \"id\": nope\n}",
        ))
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server sent a response rounds cannot use: the body is not valid JSON (line 3, column 10)"
    );
    assert!(matches!(err, FhirError::BadResponse { .. }));
    assert_eq!(client.stats().round_trips, 1);

    // An HTML error page with status 200.
    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::raw(
            200,
            "text/html",
            "<html><body>Gateway</body></html>",
        ))
    }));
    let client = new_client(&proxy);
    assert_eq!(
        client.read("Patient", ADA).await.unwrap_err(),
        FhirError::BadResponse {
            detail: "the body is not valid JSON (line 1, column 1)".into()
        }
    );
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn the_wrong_resource_type_is_refused() {
    // An Observation for a Patient read.
    let proxy = Proxy::with_rewrite(
        |req| is_ada_read(req).then(|| req.as_get("/Observation/rnd-ada-vs-bmi-20261020")),
        |_, resp| Fault::Pass(resp.without_validators()),
    );
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::BadResponse {
            detail: "expected a Patient but got a resource of type 'Observation'".into()
        }
    );
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;

    // A Patient for a search.
    let proxy = Proxy::with_rewrite(
        |req| {
            (req.method == "POST" && req.path() == "/Patient/_search").then(|| req.as_get(ADA_READ))
        },
        |_, resp| Fault::Pass(resp),
    );
    let client = new_client(&proxy);
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server sent a response rounds cannot use: expected a Bundle but got a resource of type 'Patient'"
    );
    recovers(&proxy, &client).await;
    let found = client.search_patients(&by_name(), 10).await.unwrap();
    assert!(found.patients.iter().any(|p| p.id.as_deref() == Some(ADA)));

    // A Patient for one section's search in a chart: that section says why, the rest loads.
    let proxy = Proxy::with_rewrite(
        |req| req.is_get("/Condition").then(|| req.as_get(ADA_READ)),
        |_, resp| Fault::Pass(resp.without_validators()),
    );
    let client = client_with(&proxy, |c| c.batch = BatchMode::Never);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(
        part_failed(&chart.problems),
        "the server sent a response rounds cannot use: expected a Bundle but got a resource of type 'Patient'"
    );
    first_screen_loaded(&chart, Some(Section::Problems));
}

/// A bad body arrives with the real resource's `ETag` (a gateway cut it short). The client
/// keeps it for revalidation before checking it, the retry gets `304 Not Modified`, and the
/// bad body is used again: the read never recovers while the chart stays open.
#[tokio::test]
async fn a_bad_body_is_not_reused_when_the_server_says_not_modified() {
    let proxy = Proxy::start(on(is_ada_read, |mut resp| {
        let half = resp.body.len() / 2;
        resp.body.truncate(half);
        Fault::Pass(resp)
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert!(matches!(err, FhirError::BadResponse { .. }));
    proxy.heal();
    let again = client.read("Patient", ADA).await;
    assert!(
        again.is_ok(),
        "{again:?}; the server said {:?}",
        proxy.upstream_log()
    );
}

// ---------------------------------------------------------------------------------------
// 500, 502, 503, 429
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_500_is_reported_at_once_with_or_without_an_outcome() {
    let proxy = Proxy::start(on(is_ada_read, status(500)));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 500,
            retry_after: None
        }
    );
    assert_eq!(
        err.to_string(),
        "the server failed while answering (HTTP 500): try again later"
    );
    assert_eq!(client.stats().round_trips, 1, "a 500 is not retried");
    recovers(&proxy, &client).await;

    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::json(500, &outcome("The database is down")))
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server refused the request (HTTP 500): The database is down"
    );
    assert!(matches!(err, FhirError::Outcome { status: 500, .. }));
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn a_502_or_503_is_retried_then_reported() {
    for code in [502, 503] {
        let proxy = Proxy::start(on(is_ada_read, status(code)));
        let client = new_client(&proxy);
        let err = client.read("Patient", ADA).await.unwrap_err();
        assert_eq!(
            err,
            FhirError::Server {
                status: code,
                retry_after: None
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "the server or a gateway in front of it is unavailable (HTTP {code}): try again later"
            )
        );
        assert_eq!(client.stats().round_trips, 3, "HTTP {code}");
        recovers(&proxy, &client).await;
    }
}

#[tokio::test]
async fn a_502_or_503_on_the_first_two_attempts_only_recovers() {
    for code in [502, 503] {
        let proxy = Proxy::start(move |req: &Request, resp| {
            if req.n < 2 {
                status(code)(resp)
            } else {
                Fault::Pass(resp)
            }
        });
        let client = new_client(&proxy);
        let patient = client.read("Patient", ADA).await.unwrap();
        assert_eq!(patient["id"], ADA);
        assert_eq!(client.stats().round_trips, 3, "HTTP {code}");
    }
}

#[tokio::test]
async fn a_429_with_a_short_retry_after_is_waited_for() {
    let proxy = Proxy::start(|req: &Request, resp| {
        if req.n == 0 {
            Fault::Pass(Answer::raw(429, "text/plain", "slow down").with_header("Retry-After", "1"))
        } else {
            Fault::Pass(resp)
        }
    });
    let client = new_client(&proxy);
    let started = Instant::now();
    let patient = client.read("Patient", ADA).await.unwrap();
    assert_eq!(patient["id"], ADA);
    assert!(started.elapsed() >= Duration::from_secs(1), "did not wait");
    assert_eq!(client.stats().round_trips, 2);
}

fn too_many_requests(_: Answer) -> Fault {
    Fault::Pass(Answer::raw(429, "text/plain", "slow down").with_header("Retry-After", "120"))
}

#[tokio::test]
async fn a_429_with_a_long_retry_after_is_reported_with_the_wait() {
    let proxy = Proxy::start(on(is_ada_read, too_many_requests));
    let client = new_client(&proxy);
    let started = Instant::now();
    let err = client.read("Patient", ADA).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::Server {
            status: 429,
            retry_after: Some(Duration::from_secs(120))
        }
    );
    assert_eq!(
        err.to_string(),
        "the server is busy and asked rounds to slow down (HTTP 429): try again in 120 seconds"
    );
    assert_eq!(client.stats().round_trips, 1);
    assert!(started.elapsed() < Duration::from_secs(1), "it waited");
    recovers(&proxy, &client).await;
}

#[test]
fn the_cli_reports_a_long_retry_after_with_exit_code_5() {
    let proxy = Proxy::start(|_: &Request, resp| too_many_requests(resp));
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA]);
    assert_eq!(code, 5, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "rounds: error: the server is busy and asked rounds to slow down (HTTP 429): try again \
         in 120 seconds\n"
    );
    let (code, _, stderr) = rounds(&proxy, &["search", "--name", "testwell"]);
    assert_eq!(code, 5);
    assert!(stderr.contains("try again in 120 seconds"), "{stderr}");
    proxy.heal();
    let (code, stdout, _) = rounds(&proxy, &["chart", ADA, "--section", "banner"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("TESTWELL, Ada"), "{stdout}");
}

// ---------------------------------------------------------------------------------------
// 401 in the middle of a session
// ---------------------------------------------------------------------------------------

/// A proxy that answers 401 to everything once `expired` is set.
fn session_proxy() -> (Proxy, Arc<AtomicBool>) {
    let expired = Arc::new(AtomicBool::new(false));
    let flag = expired.clone();
    let proxy = Proxy::start(move |_: &Request, resp| {
        if flag.load(Ordering::SeqCst) {
            Fault::Pass(
                Answer::json(401, &outcome("The access token expired"))
                    .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
            )
        } else {
            Fault::Pass(resp)
        }
    });
    (proxy, expired)
}

#[tokio::test]
async fn a_401_mid_session_asks_for_a_new_login_and_the_open_chart_stays() {
    let (proxy, expired) = session_proxy();
    let source = RemoteSource::new(new_client(&proxy));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    first_screen_loaded(shown_chart(&app), None);
    assert_eq!(shown_chart(&app).notes, Part::Loading);

    // The token expires while the rest of the chart loads.
    expired.store(true, Ordering::SeqCst);
    let before = proxy.requests();
    load_rest(
        &mut app,
        &source,
        req,
        rest.expect("the rest is left to load"),
    )
    .await;
    assert_eq!(proxy.requests(), before + 1, "a 401 is not retried");
    let chart = shown_chart(&app);
    first_screen_loaded(chart, None);
    let login = "the server did not accept the login (HTTP 401): log in again";
    assert_eq!(part_failed(&chart.notes), login);
    assert_eq!(part_failed(&chart.immunizations), login);
    assert_eq!(
        app.status,
        Some(Status {
            // After a refused login, retrying cannot help: no "r retries" hint.
            text: format!("Part of the chart could not be loaded: {login}"),
            error: true,
        })
    );

    // Every other request says the same, as a typed error.
    assert_eq!(
        source.client().read("Patient", ADA).await.unwrap_err(),
        FhirError::Unauthorized
    );
    assert_eq!(
        source.search(&by_name(), 10).await.unwrap_err(),
        SourceError::Fhir(FhirError::Unauthorized)
    );
    // Opening another chart shows the error in its place.
    let (_, rest) = open_chart(&mut app, &source, ADA).await;
    assert!(rest.is_none());
    assert_eq!(
        app.chart.as_ref().unwrap().data,
        Remote::Failed(login.to_owned())
    );

    // After a new login (here: the token works again) the chart loads.
    expired.store(false, Ordering::SeqCst);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    assert!(part_loaded(&shown_chart(&app).notes).len() >= 3);
}

#[test]
fn the_cli_says_log_in_again_with_exit_code_4_after_a_401() {
    let (proxy, expired) = session_proxy();
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("TESTWELL, Ada"));
    expired.store(true, Ordering::SeqCst);
    for args in [
        &["chart", ADA][..],
        &["search", "--name", "testwell"],
        &["capabilities"],
    ] {
        let (code, stdout, stderr) = rounds(&proxy, args);
        assert_eq!(code, 4, "{args:?}: {stderr}");
        assert_eq!(stdout, "");
        assert_eq!(
            stderr, "rounds: error: the server did not accept the login (HTTP 401): log in again\n",
            "{args:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Too large: 50 MB, 100,000 entries, deep nesting
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn a_50_mb_bundle_is_refused_and_memory_stays_bounded() {
    let _one_at_a_time = HEAVY.lock().await;
    reset_peak();
    let proxy = Proxy::start(on(
        |req| {
            let search = req.method == "POST" && req.path() == "/Patient/_search";
            let labs = req.is_get("/Observation") && req.target.contains("category=laboratory");
            search || labs
        },
        |_| fifty_megabytes(),
    ));
    let client = client_with(&proxy, |c| c.batch = BatchMode::Never);
    let too_large = "the server sent a response rounds cannot use: the response is larger than \
                     the 32 MB rounds accepts";
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert!(matches!(err, FhirError::BadResponse { .. }));
    assert_eq!(err.to_string(), too_large);
    assert_eq!(client.stats().round_trips, 1, "not retried");

    // In a chart, the section whose answer is too large says so; the rest loads.
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(part_failed(&chart.labs), too_large);
    first_screen_loaded(&chart, Some(Section::Labs));

    let peak = peak_mb();
    assert!(peak < 200, "peak resident size {peak} MB");
    recovers(&proxy, &client).await;
}

#[tokio::test]
async fn a_page_of_100000_entries_is_refused() {
    let _one_at_a_time = HEAVY.lock().await;
    reset_peak();
    let proxy = Proxy::start(on(
        |req| req.method == "POST" && req.path() == "/Patient/_search",
        |_| {
            generated_bundle(
                r#"{"resource":{"resourceType":"Patient","id":"x"}}"#,
                100_000,
            )
        },
    ));
    let client = new_client(&proxy);
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert_eq!(
        err,
        FhirError::BadResponse {
            detail: "a page of results has more than the 20000 entries rounds accepts".into()
        }
    );
    assert_eq!(client.stats().round_trips, 1);
    let peak = peak_mb();
    assert!(peak < 200, "peak resident size {peak} MB");
    recovers(&proxy, &client).await;
}

/// The Labs search of the first-screen batch answered with 100,000 entries.
fn huge_labs_in_batch(req: &Request, resp: Answer) -> Fault {
    let labs = "Observation?patient=Patient%2Frnd-ada-testwell&category=laboratory";
    let Some(i) = req.is_batch().then(|| batch_index(req, labs)).flatten() else {
        return Fault::Pass(resp);
    };
    let mut body = resp.body_json();
    body["entry"][i]["resource"] = json!("__HUGE__");
    let unit = r#"{"resource":{"resourceType":"Observation","status":"final"}}"#;
    let huge = format!(
        r#"{{"resourceType":"Bundle","type":"searchset","entry":[{}]}}"#,
        vec![unit; 100_000].join(",")
    );
    let text = body.to_string().replace("\"__HUGE__\"", &huge);
    Fault::Pass(Answer::raw(200, "application/fhir+json", text))
}

/// The page limit holds for a search answered inside a batch too. Today the 100,000
/// entries are taken in (and reported as "not for this patient").
#[tokio::test]
async fn a_batch_entry_of_100000_entries_is_refused() {
    let _one_at_a_time = HEAVY.lock().await;
    let proxy = Proxy::start(huge_labs_in_batch);
    let client = new_client(&proxy);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(
        chart.labs,
        Part::Failed {
            message: "the server sent a response rounds cannot use: a page of results has more \
                      than the 20000 entries rounds accepts"
                .into()
        },
        "warnings: {:?}",
        chart.warnings
    );
    first_screen_loaded(&chart, Some(Section::Labs));
}

/// A page under the byte limit made of ten million empty entries (`{}`, 30 MB) is refused
/// without building them all. Today the whole page becomes a `serde_json::Value` before
/// the entries are counted: the peak resident size passes 700 MB.
#[tokio::test]
async fn a_page_of_ten_million_empty_entries_is_refused_in_bounded_memory() {
    let _one_at_a_time = HEAVY.lock().await;
    reset_peak();
    let proxy = Proxy::start(on(
        |req| req.method == "POST" && req.path() == "/Patient/_search",
        |_| generated_bundle("{}", 10_000_000),
    ));
    let client = new_client(&proxy);
    let err = client.search_patients(&by_name(), 10).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server sent a response rounds cannot use: a page of results has more than \
         the 20000 entries rounds accepts"
    );
    let peak = peak_mb();
    assert!(peak < 200, "peak resident size {peak} MB");
}

/// A Patient whose extension holds 10,000 nested arrays.
fn deep_patient() -> String {
    format!(
        r#"{{"resourceType":"Patient","id":"{ADA}","extension":[{{"url":"http://example.org/deep","valueString":{}{}}}]}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    )
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let proxy = Proxy::start(on(is_ada_read, |_| {
        Fault::Pass(Answer::raw(200, "application/fhir+json", deep_patient()))
    }));
    let client = new_client(&proxy);
    let err = client.read("Patient", ADA).await.unwrap_err();
    let FhirError::BadResponse { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(
        detail.starts_with("the body is not valid JSON (line 1, column "),
        "{detail}"
    );
    assert_eq!(client.stats().round_trips, 1);
    recovers(&proxy, &client).await;

    // In a chart loaded search by search, only the section with the deep resource fails.
    let proxy = Proxy::start(on(
        |req| req.is_get("/Observation") && req.target.contains("category=laboratory"),
        |resp| {
            let mut body = resp.body_json();
            body["entry"][0]["resource"]["extension"] = json!("__DEEP__");
            let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
            let text = body.to_string().replace("\"__DEEP__\"", &deep);
            Fault::Pass(Answer::raw(200, "application/fhir+json", text))
        },
    ));
    let client = client_with(&proxy, |c| c.batch = BatchMode::Never);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert!(
        part_failed(&chart.labs).starts_with(
            "the server sent a response rounds cannot use: the body is not valid JSON"
        ),
        "{:?}",
        chart.labs
    );
    first_screen_loaded(&chart, Some(Section::Labs));
}

// ---------------------------------------------------------------------------------------
// Missing required fields, unknown fields and extensions, wrong types
// ---------------------------------------------------------------------------------------

const SECRET: &str = "SECRET-K-6.9";

/// Extensions nested `depth` deep.
fn deep_extension(depth: usize) -> Value {
    let mut ext = json!({"url": "http://example.org/leaf", "valueString": "deep"});
    for i in 0..depth {
        ext = json!({"url": format!("http://example.org/level{i}"), "extension": [ext]});
    }
    ext
}

/// Real Observations changed on the way through: sodium and BMI without `code` and `status`,
/// glucose with unknown elements and deep extensions, potassium with a string where
/// `valueQuantity.value` belongs.
fn mutate_observations(resp: Answer) -> Fault {
    if !resp.body.starts_with(b"{") {
        return Fault::Pass(resp);
    }
    let mut body = resp.body_json();
    each_resource(
        &mut body,
        "Observation",
        &mut |obs| match obs.get("id").and_then(Value::as_str) {
            Some("rnd-ada-lab-sodium-20261020" | "rnd-ada-vs-bmi-20261020") => {
                obs.remove("code");
                obs.remove("status");
            }
            Some("rnd-ada-lab-glucose-20261020") => {
                obs.insert("futureElement".into(), json!({"nested": [1, {"x": null}]}));
                obs.insert("_status".into(), json!({"extension": [deep_extension(20)]}));
                obs.insert("extension".into(), json!([deep_extension(20)]));
            }
            Some("rnd-ada-lab-potassium-20261020") => {
                obs.insert(
                    "valueQuantity".into(),
                    json!({"value": SECRET, "unit": "mmol/L"}),
                );
            }
            _ => {}
        },
    );
    let mut resp = resp.without_validators();
    resp.set_json(&body);
    Fault::Pass(resp)
}

#[tokio::test]
async fn unreadable_and_unknown_elements_leave_the_chart_readable() {
    let proxy = Proxy::start(|_: &Request, resp| mutate_observations(resp));
    let client = new_client(&proxy);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    first_screen_loaded(&chart, None);
    assert_eq!(
        chart.warnings,
        vec![
            "1 Observation resource was unreadable and not shown ('valueQuantity.value' has the \
             wrong type)"
        ]
    );
    let labs = &part_loaded(&chart.labs).results;
    let id = |i: &str| labs.iter().find(|r| r.id.as_deref() == Some(i));
    // Unknown elements and extensions are ignored.
    let glucose = id("rnd-ada-lab-glucose-20261020").expect("glucose is shown");
    assert_eq!(
        (glucose.name.as_str(), glucose.value_text.as_str()),
        ("Glucose", "250 mg/dL")
    );
    // Missing elements are shown as missing; the result itself is not lost.
    let sodium = id("rnd-ada-lab-sodium-20261020").expect("sodium is shown");
    assert_eq!(
        (sodium.name.as_str(), sodium.value_text.as_str()),
        ("Test not named", "128 mmol/L")
    );
    let bmi = part_loaded(&chart.vitals)
        .readings
        .iter()
        .find(|r| r.id.as_deref() == Some("rnd-ada-vs-bmi-20261020"))
        .expect("the uncoded vital is shown");
    assert_eq!(
        (bmi.name.as_str(), bmi.value_text.as_str()),
        ("Vital sign", "30.3 kg/m²")
    );
    // The unreadable one is left out, and its value appears nowhere.
    assert!(id("rnd-ada-lab-potassium-20261020").is_none());
    let all = serde_json::to_string(&chart).unwrap();
    assert!(!all.contains(SECRET));
    recovers(&proxy, &client).await;
}

#[test]
fn the_cli_warns_about_unreadable_resources_by_path() {
    let proxy = Proxy::start(|_: &Request, resp| mutate_observations(resp));
    let (code, stdout, stderr) = rounds(&proxy, &["chart", ADA, "--section", "labs"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "Warning: 1 Observation resource was unreadable and not shown \
             ('valueQuantity.value' has the wrong type)"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Glucose"));
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
}

// ---------------------------------------------------------------------------------------
// One section, or the background part of a chart, failing
// ---------------------------------------------------------------------------------------

/// Replace the batch-response entry answering the request whose URL starts with `prefix`.
fn replace_batch_entry(req: &Request, resp: Answer, prefix: &str, entry: &Value) -> Fault {
    let Some(i) = batch_index(req, prefix) else {
        return Fault::Pass(resp);
    };
    let mut body = resp.body_json();
    body["entry"][i] = entry.clone();
    let mut resp = resp;
    resp.set_json(&body);
    Fault::Pass(resp)
}

#[tokio::test]
async fn a_failed_section_in_the_first_screen_batch_leaves_the_rest() {
    let failed = json!({"response": {"status": "500 Internal Server Error",
        "outcome": outcome("The encounter index is being rebuilt")}});
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.is_batch() {
            replace_batch_entry(req, resp, "Encounter?", &failed)
        } else {
            Fault::Pass(resp)
        }
    });
    let source = RemoteSource::new(new_client(&proxy));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    let chart = shown_chart(&app);
    assert_eq!(
        part_failed(&chart.encounters),
        "the server refused the request (HTTP 500): The encounter index is being rebuilt"
    );
    first_screen_loaded(chart, Some(Section::Encounters));
    // One batch for the first screen (after the capability statement), not retried.
    assert_eq!(proxy.count("POST /"), 1);

    // The rest still loads.
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    let chart = shown_chart(&app);
    assert!(part_loaded(&chart.notes).len() >= 3);
    assert!(!part_loaded(&chart.immunizations).is_empty());
    assert!(matches!(chart.encounters, Part::Failed { .. }));
    assert_eq!(app.status, None);

    // A batch entry failing without an OperationOutcome.
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.is_batch() {
            replace_batch_entry(
                req,
                resp,
                "Encounter?",
                &json!({"response": {"status": "503"}}),
            )
        } else {
            Fault::Pass(resp)
        }
    });
    let client = new_client(&proxy);
    let (record, _) = client.fetch_first_screen(ADA).await.unwrap();
    let chart = Chart::build(&record, common::today());
    assert_eq!(
        part_failed(&chart.encounters),
        "the server or a gateway in front of it is unavailable (HTTP 503): try again later"
    );
    first_screen_loaded(&chart, Some(Section::Encounters));
}

fn is_notes_search(req: &Request) -> bool {
    req.is_get("/DocumentReference") || req.is_get("/DiagnosticReport")
}

#[tokio::test]
async fn notes_failing_in_the_background_leave_the_first_screen() {
    // Searches sent one by one: the Notes searches get 503 every time.
    let proxy = Proxy::start(on(is_notes_search, status(503)));
    let source = RemoteSource::new(client_with(&proxy, |c| c.batch = BatchMode::Never));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    let chart = shown_chart(&app);
    first_screen_loaded(chart, None);
    assert_eq!(
        part_failed(&chart.notes),
        "the server or a gateway in front of it is unavailable (HTTP 503): try again later"
    );
    assert!(!part_loaded(&chart.immunizations).is_empty());
    // Both searches were tried three times each.
    assert_eq!(proxy.count("GET /DocumentReference"), 3);
    assert_eq!(proxy.count("GET /DiagnosticReport"), 3);
    recovers(&proxy, source.client()).await;
}

#[tokio::test]
async fn the_background_batch_failing_leaves_the_first_screen() {
    // The second batch (the rest of the chart: immunizations and notes) gets 503 every time.
    let proxy = Proxy::start(move |req: &Request, resp| {
        if req.is_batch() && batch_index(req, "DocumentReference?").is_some() {
            status(503)(resp)
        } else {
            Fault::Pass(resp)
        }
    });
    let source = RemoteSource::new(new_client(&proxy));
    let mut app = app(&source);
    let (req, rest) = open_chart(&mut app, &source, ADA).await;
    load_rest(&mut app, &source, req, rest.unwrap()).await;
    let chart = shown_chart(&app);
    first_screen_loaded(chart, None);
    let unavailable =
        "the server or a gateway in front of it is unavailable (HTTP 503): try again later";
    assert_eq!(part_failed(&chart.notes), unavailable);
    assert_eq!(part_failed(&chart.immunizations), unavailable);
    assert_eq!(
        app.status,
        Some(Status {
            text: format!("Part of the chart could not be loaded: {unavailable} (r retries)"),
            error: true,
        })
    );
    assert_eq!(proxy.count("POST /"), 1 + 3);
    recovers(&proxy, source.client()).await;
}
