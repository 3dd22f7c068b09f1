//! rounds against the naive client pattern, side by side, through the shaped link.
//!
//! Every scenario first searches for the patient by name, as a user does, so that the
//! chart opens on a kept-alive connection; the chart clock starts after that answer.
//! `rounds-fresh` is the exception: `rounds --patient ID` at start-up, on a new connection.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::net::TcpListener;

use rounds::app::{SEARCH_LIMIT, parse_query};
use rounds::fhir::client::{PatientSink, RequestObserver};
use rounds::fhir::{BatchMode, ClientConfig, FhirClient, PatientRecord, RequestEvent};
use rounds::source::{DataSource, RemoteSource};

use crate::proxy::{self, Counters, Delay, Upstream};
use crate::stats::{LinkResult, Phase, RequestLog, Res, Run, fail, write_json};

/// What `slow_link link` needs.
#[derive(Debug, Clone)]
pub struct LinkArgs {
    /// Where the delay proxy listens (inside the namespace: the server's own address).
    pub listen: String,
    pub upstream: Upstream,
    /// The server's own base URL, when paging links name it rather than the proxy.
    pub server_base: String,
    pub patient: String,
    pub search: String,
    pub delay: Delay,
    pub shaping: String,
    pub shaped: bool,
    pub repeat: u32,
    pub rate_probe_bytes: u64,
    pub work: PathBuf,
    pub out: PathBuf,
    /// The front desk's day (`desk.rs`): appointments to book; 0: not measured.
    pub desk_rows: usize,
    /// The `rounds` binary, for `rounds sync --today` in the desk's part.
    pub rounds: Option<PathBuf>,
    /// The patient never booked in the desk's day.
    pub skip_patient: Option<String>,
}

/// The resource types the naive client reads for the cover sheet, then for the other tabs.
const NAIVE_COVER: [&str; 5] = [
    "AllergyIntolerance",
    "Condition",
    "MedicationRequest",
    "Observation",
    "Encounter",
];
const NAIVE_REST: [&str; 3] = ["Immunization", "DocumentReference", "DiagnosticReport"];

pub async fn run(args: LinkArgs) -> Res<()> {
    let counters = Arc::new(Counters::default());
    let listener = TcpListener::bind(&args.listen)
        .await
        .map_err(|e| format!("the delay proxy cannot listen on {}: {e}", args.listen))?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(proxy::delay_proxy(
        listener,
        args.upstream.clone(),
        args.delay,
        counters.clone(),
    ));
    eprintln!("slow_link: link via {base} ({})", args.shaping);
    let (rtt, rate_secs) = if args.rate_probe_bytes > 0 {
        let rtt = proxy::probe_rtt(args.delay, 7).await?;
        eprintln!("slow_link: round trip {:.0} ms", crate::stats::median(&rtt));
        let rate_secs = proxy::probe_rate(args.rate_probe_bytes).await?;
        eprintln!(
            "slow_link: {} bytes in {rate_secs:.2} s ({:.1} KB/s)",
            args.rate_probe_bytes,
            args.rate_probe_bytes as f64 / rate_secs / 1024.0
        );
        (rtt, rate_secs)
    } else {
        (Vec::new(), 0.0)
    };
    let m = Meter {
        counters: counters.clone(),
    };
    // The warm cache: what an earlier session left on disk (this fetch is not measured).
    let warm = args.work.join("caps-warm");
    let primer = FhirClient::new(config(&base, Some(&warm)))?;
    primer.capabilities().await?;
    let mut runs = Vec::new();
    for rep in 1..=args.repeat {
        for scenario in ["rounds-warm", "naive", "rounds-cold", "rounds-fresh"] {
            let run = if scenario == "naive" {
                naive(&m, &base, &args, rep).await?
            } else {
                let cache = match scenario {
                    "rounds-cold" => args.work.join(format!("caps-cold-{rep}")),
                    _ => warm.clone(),
                };
                rounds(&m, &base, &args, scenario, &cache, rep).await?
            };
            eprintln!(
                "slow_link: {scenario} #{rep}: banner {:.2} s, cover sheet {:.2} s ({} round trips, {} bytes), all tabs {:.2} s",
                run.banner_secs,
                run.cover.secs,
                run.cover.round_trips,
                run.cover.wire_bytes(),
                run.full.secs
            );
            runs.push(run);
        }
    }
    if args.desk_rows > 0 {
        let skip: Vec<&str> = args.skip_patient.iter().map(String::as_str).collect();
        let desk = crate::desk::run(
            &m,
            &crate::desk::DeskArgs {
                base: &base,
                first_patient: &args.patient,
                skip: &skip,
                appointments: args.desk_rows,
                repeat: args.repeat,
                warm_cache: &warm,
                rounds: args.rounds.as_deref(),
                work: &args.work,
            },
        )
        .await?;
        write_json(&crate::desk::out_path(&args.out), &desk)?;
    }
    let result = LinkResult {
        shaping: args.shaping.clone(),
        shaped: args.shaped,
        one_way_delay_ms: args.delay.one_way.as_millis() as u64,
        handshake_rtt: args.delay.handshake,
        rtt_samples_ms: rtt,
        rate_probe_bytes: args.rate_probe_bytes,
        rate_probe_secs: rate_secs,
        patient_id: args.patient.clone(),
        search_text: args.search.clone(),
        runs,
    };
    write_json(&args.out, &result)
}

/// The same loads straight to the server (a counting proxy with no delay in front): what
/// the server and the client cost without the link.
pub async fn local(base: &str, patient: &str, search: &str, work: &Path, out: &Path) -> Res<()> {
    let url = url::Url::parse(base)?;
    let host = url.host_str().unwrap_or("127.0.0.1");
    let port = url.port_or_known_default().unwrap_or(80);
    std::fs::create_dir_all(work)?;
    run(LinkArgs {
        listen: "127.0.0.1:0".into(),
        upstream: Upstream::Tcp(format!("{host}:{port}")),
        server_base: base.to_owned(),
        patient: patient.to_owned(),
        search: search.to_owned(),
        delay: Delay {
            one_way: Duration::ZERO,
            handshake: false,
        },
        shaping: "none: straight to the server on the host's loopback".into(),
        shaped: false,
        repeat: 3,
        rate_probe_bytes: 0,
        work: work.to_owned(),
        out: out.to_owned(),
        desk_rows: 0,
        rounds: None,
        skip_patient: None,
    })
    .await
}

pub(crate) fn config(base: &str, cache: Option<&Path>) -> ClientConfig {
    let mut c = ClientConfig::new(base);
    c.capability_cache = cache.map(Path::to_path_buf);
    c.batch = BatchMode::Auto;
    c.request_timeout = Duration::from_secs(300);
    c
}

/// Reads the proxy's counters.
pub(crate) struct Meter {
    counters: Arc<Counters>,
}

#[derive(Clone, Copy)]
pub(crate) struct Mark {
    pub t: Instant,
    up: u64,
    down: u64,
    conns: u64,
    pub round_trips: u64,
    retransmits: u64,
}

impl Meter {
    pub(crate) fn mark(&self, round_trips: u64) -> Mark {
        Mark {
            t: Instant::now(),
            up: self.counters.up.load(Ordering::Relaxed),
            down: self.counters.down.load(Ordering::Relaxed),
            conns: self.counters.connections.load(Ordering::Relaxed),
            round_trips,
            retransmits: crate::stats::tcp_retransmits(),
        }
    }
}

pub(crate) fn phase(a: Mark, b: Mark) -> Phase {
    Phase {
        secs: b.t.duration_since(a.t).as_secs_f64(),
        round_trips: b.round_trips - a.round_trips,
        bytes_up: b.up - a.up,
        bytes_down: b.down - a.down,
        connections: b.conns - a.conns,
        retransmits: b.retransmits.saturating_sub(a.retransmits),
    }
}

async fn rounds(
    m: &Meter,
    base: &str,
    args: &LinkArgs,
    scenario: &str,
    cache: &Path,
    rep: u32,
) -> Res<Run> {
    let log: Arc<Mutex<Vec<RequestLog>>> = Arc::default();
    let sink = log.clone();
    let observer: RequestObserver = Arc::new(move |e: &RequestEvent| {
        if let Ok(mut l) = sink.lock() {
            l.push(RequestLog {
                what: format!("{} {}", e.method, e.label),
                status: e.status,
                bytes: e.bytes_received,
                ms: e.elapsed.as_secs_f64() * 1000.0,
            });
        }
    });
    let client = FhirClient::with_observer(config(base, Some(cache)), Some(observer))?;
    let source = RemoteSource::new(client.clone());
    let rt = || client.stats().round_trips;
    let start = m.mark(rt());
    let search = if scenario == "rounds-fresh" {
        None
    } else {
        let query = parse_query(&args.search).map_err(|e| e.0)?;
        let found = source.search(&query, SEARCH_LIMIT).await?;
        if !found
            .patients
            .iter()
            .any(|p| p.id.as_deref() == Some(args.patient.as_str()))
        {
            eprintln!(
                "slow_link: note: the search '{}' did not list {} among its first {SEARCH_LIMIT}",
                args.search, args.patient
            );
        }
        Some(phase(start, m.mark(rt())))
    };
    if let Ok(mut l) = log.lock() {
        l.clear();
    }
    let open = m.mark(rt());
    // The banner is drawn when the Patient is in: the client hands it over from the first
    // entry of the batch answer, as the TUI's worker has it do.
    let banner_at: Arc<Mutex<Option<Instant>>> = Arc::default();
    let at = banner_at.clone();
    let banner: PatientSink = Box::new(move |_| {
        if let Ok(mut t) = at.lock() {
            *t = Some(Instant::now());
        }
    });
    let (mut record, cont) = client
        .fetch_first_screen_with(&args.patient, Some(banner))
        .await?;
    let first = m.mark(rt());
    if record.patient_id() != args.patient {
        return fail("rounds loaded another patient");
    }
    let rest = client.fetch_rest(cont).await?;
    record.merge(rest);
    let done = m.mark(rt());
    let requests = if rep == 1 {
        log.lock().map(|l| l.clone()).unwrap_or_default()
    } else {
        Vec::new()
    };
    let cover = phase(open, first);
    Ok(Run {
        scenario: scenario.to_owned(),
        rep,
        search,
        banner_secs: banner_at
            .lock()
            .ok()
            .and_then(|t| *t)
            .map_or(cover.secs, |t| t.duration_since(open.t).as_secs_f64()),
        // The allergy line comes with the first screen.
        allergy_secs: Some(cover.secs),
        cover,
        full: phase(open, done),
        resources: record_counts(&record),
        requests,
    })
}

fn record_counts(r: &PatientRecord) -> BTreeMap<String, u64> {
    let mut c = BTreeMap::new();
    let mut put = |k: &str, n: usize| {
        c.insert(k.to_owned(), n as u64);
    };
    put("Patient", 1);
    put("AllergyIntolerance", r.allergies.len());
    put("Condition", r.conditions.len());
    put("MedicationRequest", r.medication_requests.len());
    put("Medication", r.medications.len());
    put("Observation", r.observations.len());
    put("Encounter", r.encounters.len());
    put("Immunization", r.immunizations.len());
    put("DocumentReference", r.documents.len());
    put("DiagnosticReport", r.reports.len());
    put("Practitioner", r.practitioners.len());
    put("Organization", r.organizations.len());
    c
}

/// The pattern of a typical web EHR or SMART app: one GET after another, one per resource
/// type (and one per page of it), whole resources, no compression.
async fn naive(m: &Meter, base: &str, args: &LinkArgs, rep: u32) -> Res<Run> {
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(300))
        .build()?;
    let mut n = Naive {
        http,
        base: base.to_owned(),
        server_base: args.server_base.trim_end_matches('/').to_owned(),
        requests: 0,
        log: Vec::new(),
        resources: BTreeMap::new(),
    };
    let start = m.mark(0);
    let words: Vec<String> = args
        .search
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| format!("name={w}"))
        .collect();
    n.get(
        &format!("{base}/Patient?{}", words.join("&")),
        "Patient search",
    )
    .await?;
    let search = phase(start, m.mark(n.requests));
    n.log.clear();
    n.resources.clear();
    let open = m.mark(n.requests);
    let patient = n
        .get(&format!("{base}/Patient/{}", args.patient), "Patient read")
        .await?;
    if patient.get("id").and_then(Value::as_str) != Some(&args.patient) {
        return fail("the naive client read another patient");
    }
    n.resources.insert("Patient".into(), 1);
    let banner = m.mark(n.requests);
    let mut allergy = None;
    for ty in NAIVE_COVER {
        n.search_all(ty, &args.patient).await?;
        if ty == "AllergyIntolerance" {
            allergy = Some(open.t.elapsed().as_secs_f64());
        }
    }
    let cover = m.mark(n.requests);
    for ty in NAIVE_REST {
        n.search_all(ty, &args.patient).await?;
    }
    let done = m.mark(n.requests);
    Ok(Run {
        scenario: "naive".into(),
        rep,
        search: Some(search),
        banner_secs: banner.t.duration_since(open.t).as_secs_f64(),
        allergy_secs: allergy,
        cover: phase(open, cover),
        full: phase(open, done),
        resources: n.resources,
        requests: if rep == 1 { n.log } else { Vec::new() },
    })
}

struct Naive {
    http: reqwest::Client,
    base: String,
    server_base: String,
    requests: u64,
    log: Vec<RequestLog>,
    resources: BTreeMap<String, u64>,
}

impl Naive {
    async fn get(&mut self, url: &str, what: &str) -> Res<Value> {
        let t = Instant::now();
        let resp = self
            .http
            .get(url)
            .header("Accept", "application/fhir+json")
            .header("Accept-Encoding", "identity")
            .send()
            .await
            .map_err(|e| format!("naive GET failed: {}", e.without_url()))?;
        let status = resp.status().as_u16();
        let body = resp
            .bytes()
            .await
            .map_err(|e| format!("naive GET body failed: {}", e.without_url()))?;
        self.requests += 1;
        self.log.push(RequestLog {
            what: format!("GET {what}"),
            status,
            bytes: body.len() as u64,
            ms: t.elapsed().as_secs_f64() * 1000.0,
        });
        if status != 200 {
            return fail(format!("naive GET {what} -> HTTP {status}"));
        }
        Ok(serde_json::from_slice(&body)?)
    }

    /// `Type?patient=ID`, then every `next` page, one after another.
    async fn search_all(&mut self, ty: &str, patient: &str) -> Res<()> {
        let mut url = format!("{}/{ty}?patient={patient}", self.base);
        let mut page = 1;
        loop {
            let bundle = self.get(&url, &format!("{ty} search p{page}")).await?;
            let entries = bundle
                .get("entry")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            *self.resources.entry(ty.to_owned()).or_default() += entries as u64;
            let next = bundle
                .get("link")
                .and_then(Value::as_array)
                .and_then(|links| {
                    links
                        .iter()
                        .find(|l| l.get("relation").and_then(Value::as_str) == Some("next"))
                })
                .and_then(|l| l.get("url"))
                .and_then(Value::as_str);
            match next {
                // Through the proxy even when the server names itself in its links.
                Some(link) => {
                    url = if link.starts_with(&self.base) {
                        link.to_owned()
                    } else if let Some(rest) = link.strip_prefix(&self.server_base) {
                        format!("{}{rest}", self.base)
                    } else {
                        return fail(format!("a {ty} paging link points elsewhere"));
                    };
                    page += 1;
                }
                None => return Ok(()),
            }
        }
    }
}
