//! The front desk and the clinician's day on the shaped link (issues 17 and 14): a day of
//! synthetic appointments put on the bench server for the run's own day, then
//!
//! - today's schedule as the TUI fetches it (`:today`: `update(Msg::OpenSchedule)`, the
//!   worker's `DataSource::schedule`, the answer fed back through `update` and drawn);
//! - a chart opened from a row as the TUI opens it (Enter: the banner's identity drawn
//!   from the row, then the worker's `first_screen_early`, fed back and drawn: the allergy
//!   line and the cover sheet);
//! - `rounds sync --today` of the day's patients with the real binary, cold (an empty
//!   offline store) and warm (the same again: revalidation);
//! - check-ins from rows as the TUI sends them (`source::schedule::check_in` with the row's
//!   status and version), by the method rounds picks for the server, and by
//!   read-merge-PUT (the fallback) for comparison.
//!
//! The day's appointments have fixed ids (`bench-desk-NN`), so each run puts the same day
//! back (all `booked`) instead of adding to it. The patients are ones already on the
//! server (Synthea copies; the first is the chart figures' patient).

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use rounds::app::{App, Command, Msg, Response, ResponseResult, update};
use rounds::config::{Keymap, Theme};
use rounds::fhir::FhirClient;
use rounds::fhir::client::PatientSink;
use rounds::frontdesk::day::ClinicZone;
use rounds::frontdesk::schedule::ScheduleRow;
use rounds::source::schedule::{CheckInOutcome, KnownAppointment, ScheduleFetch, check_in};
use rounds::source::{DataSource, RemoteSource};

use crate::link::{Meter, config, phase};
use crate::stats::{Phase, Res, fail};

/// The practitioner whose day it is (made by the bench).
const PRACTITIONER: &str = "bench-desk-dr";

/// What the desk measurements found (`desk.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeskResult {
    /// Appointments put on the server for the day.
    pub appointments: usize,
    pub date: String,
    /// Per repetition: `:today` to the list drawn (the fetch is all of the wire).
    pub schedule: Vec<Phase>,
    pub schedule_draw_ms: Vec<f64>,
    pub schedule_rows: usize,
    /// Rows whose patient came in the same answer (`_include`).
    pub rows_with_patient: usize,
    /// Whether the server took `_elements` (trimmed rows).
    pub trimmed: bool,
    pub cut_short: bool,
    /// Per repetition: Enter on a row to the banner drawn from the row (no request).
    pub row_banner_ms: Vec<f64>,
    /// Whether that first frame showed the row's name and MRN.
    pub row_banner_shown: bool,
    /// Per repetition: Enter to the batch's Patient in (when the banner was drawn before).
    pub row_patient_secs: Vec<f64>,
    /// Per repetition: Enter to the first screen drawn (the allergy line in).
    pub row_first_screen: Vec<Phase>,
    /// Whether the first screen drawn said something of allergies.
    pub row_allergy_shown: bool,
    /// Per repetition: a check-in from a row by the method rounds picks for the server.
    pub checkin: Vec<Phase>,
    /// How it was sent (the requests of the first).
    pub checkin_requests: Vec<String>,
    pub checkin_results: Vec<String>,
    /// The same by read-merge-PUT (as when the server refuses JSON Patch).
    pub checkin_put: Vec<Phase>,
    pub checkin_put_requests: Vec<String>,
    pub checkin_put_results: Vec<String>,
    /// `rounds sync --today`, cold then warm; none when it could not run.
    pub sync: Option<SyncResult>,
    /// Why the sync was not measured.
    pub sync_skipped: Option<String>,
}

/// A cold and a warm `rounds sync --today --json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SyncResult {
    pub cold: SyncRun,
    pub warm: SyncRun,
}

/// One `rounds sync --today --json`: what rounds reported and what crossed the proxy.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SyncRun {
    /// Spawn to exit (the process start and the profile's secret store included).
    pub secs: f64,
    pub exit_code: i32,
    pub patients: u64,
    pub kept: u64,
    pub round_trips: u64,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    pub not_modified: u64,
    pub stored_bytes: u64,
    /// What crossed the delay proxy meanwhile (includes the capability statement if asked).
    pub wire: Phase,
}

/// What `desk::run` needs.
pub struct DeskArgs<'a> {
    pub base: &'a str,
    /// The first row's patient (the chart figures' patient).
    pub first_patient: &'a str,
    /// Patients not to book (the 10,000-observation one).
    pub skip: &'a [&'a str],
    pub appointments: usize,
    pub repeat: u32,
    /// The capability cache an earlier session left (warm).
    pub warm_cache: &'a Path,
    /// The `rounds` binary, for `rounds sync`; none: not measured.
    pub rounds: Option<&'a Path>,
    pub work: &'a Path,
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

pub async fn run(m: &Meter, a: &DeskArgs<'_>) -> Res<DeskResult> {
    let zone = ClinicZone::parse(None)?;
    let date = zone.today();
    let booked = seed(a, &zone, date).await?;
    eprintln!(
        "slow_link: desk: {} appointments for {date} put on the server",
        booked.len()
    );
    let mut r = DeskResult {
        appointments: booked.len(),
        date: date.to_string(),
        ..DeskResult::default()
    };
    // Each repetition checks in two rows of its own (JSON Patch, then PUT); the first row
    // (the chart opened) is never checked in, so the sync finds every patient booked.
    let mut rows = Vec::new();
    for rep in 0..a.repeat {
        rows = open_from_row(m, a, &mut r).await?;
        eprintln!(
            "slow_link: desk #{}: schedule {:.2} s ({} round trips, {} bytes); banner from the row {:.2} ms; first screen {:.2} s",
            rep + 1,
            r.schedule.last().map_or(0.0, |p| p.secs),
            r.schedule.last().map_or(0, |p| p.round_trips),
            r.schedule.last().map_or(0, Phase::wire_bytes),
            r.row_banner_ms.last().copied().unwrap_or(0.0),
            r.row_first_screen.last().map_or(0.0, |p| p.secs),
        );
    }
    match a.rounds {
        Some(bin) => match sync(m, a, bin).await {
            Ok(s) => r.sync = Some(s),
            Err(e) => {
                eprintln!("slow_link: desk: sync not measured: {e}");
                r.sync_skipped = Some(e.to_string());
            }
        },
        None => r.sync_skipped = Some("no rounds binary given".into()),
    }
    for rep in 0..a.repeat as usize {
        for (put, i) in [(false, 1 + 2 * rep), (true, 2 + 2 * rep)] {
            let Some(row) = rows.get(i) else {
                return fail(format!(
                    "{} appointments are too few for {} check-ins",
                    rows.len(),
                    2 * a.repeat
                ));
            };
            let (p, requests, result) = checkin(m, a, row, put).await?;
            eprintln!(
                "slow_link: desk check-in{} #{}: {:.2} s, {} round trips: {result}",
                if put { " (read-merge-PUT)" } else { "" },
                rep + 1,
                p.secs,
                p.round_trips
            );
            let (phases, reqs, results) = if put {
                (
                    &mut r.checkin_put,
                    &mut r.checkin_put_requests,
                    &mut r.checkin_put_results,
                )
            } else {
                (
                    &mut r.checkin,
                    &mut r.checkin_requests,
                    &mut r.checkin_results,
                )
            };
            phases.push(p);
            if reqs.is_empty() {
                *reqs = requests;
            }
            results.push(result);
        }
    }
    Ok(r)
}

/// The day: a practitioner and `appointments` booked visits, every 15 minutes from 08:00
/// local time, one per patient, by PUT with fixed ids (a run puts the same day back).
async fn seed(a: &DeskArgs<'_>, zone: &ClinicZone, date: chrono::NaiveDate) -> Res<Vec<String>> {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let want = a.appointments.max(1);
    let body = http
        .get(format!(
            "{}/Patient?_count={}&_elements=id",
            a.base,
            want + 10
        ))
        .header("Accept", "application/fhir+json")
        .send()
        .await?
        .bytes()
        .await?;
    let found: Value = serde_json::from_slice(&body)?;
    let mut patients = vec![a.first_patient.to_owned()];
    for e in found["entry"].as_array().into_iter().flatten() {
        if let Some(id) = e["resource"]["id"].as_str() {
            if !patients.iter().any(|p| p == id) && !a.skip.contains(&id) {
                patients.push(id.to_owned());
            }
        }
    }
    patients.truncate(want);
    let put = |r: Value| {
        let url = format!(
            "{}/{}",
            r["resourceType"].as_str().unwrap_or(""),
            r["id"].as_str().unwrap_or("")
        );
        json!({"resource": r, "request": {"method": "PUT", "url": url}})
    };
    let mut entries = vec![put(
        json!({"resourceType": "Practitioner", "id": PRACTITIONER,
        "name": [{"family": "Deskbench", "given": ["Dana"]}]}),
    )];
    for (i, p) in patients.iter().enumerate() {
        let minutes = 8 * 60 + 15 * i;
        let start = zone
            .instant(date, (minutes / 60) as i8, (minutes % 60) as i8)
            .ok_or("no local time for a slot")?;
        let end = zone
            .instant(
                date,
                ((minutes + 15) / 60) as i8,
                ((minutes + 15) % 60) as i8,
            )
            .ok_or("no local time for a slot")?;
        entries.push(put(json!({
            "resourceType": "Appointment", "id": format!("bench-desk-{i:02}"),
            "status": "booked",
            "appointmentType": {"text": "Follow-up"},
            "description": "Synthetic visit of the slow-link benchmark",
            "start": start, "end": end,
            "participant": [
                {"actor": {"reference": format!("Patient/{p}")}, "status": "accepted"},
                {"actor": {"reference": format!("Practitioner/{PRACTITIONER}")}, "status": "accepted"}
            ]
        })));
    }
    let bundle = json!({"resourceType": "Bundle", "type": "transaction", "entry": entries});
    let resp = http
        .post(a.base)
        .header("Content-Type", "application/fhir+json")
        .body(serde_json::to_vec(&bundle)?)
        .send()
        .await?;
    if !resp.status().is_success() {
        return fail(format!("the day was not taken: HTTP {}", resp.status()));
    }
    Ok(patients)
}

/// Text of a drawn frame.
fn screen(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// `:today` and Enter on the first row, as the TUI does them.
async fn open_from_row(m: &Meter, a: &DeskArgs<'_>, r: &mut DeskResult) -> Res<Vec<ScheduleRow>> {
    let client = FhirClient::new(config(a.base, Some(a.warm_cache)))?;
    let source = RemoteSource::new(client.clone());
    let rt = || client.stats().round_trips;
    let zone = ClinicZone::parse(None)?;
    let mut app = App::new(
        source.info(),
        zone.today(),
        Theme::built_in("default")?,
        Keymap::default_keymap(),
    );
    app.size = (80, 24);
    app.desk.practitioner = Some(PRACTITIONER.into());
    let mut terminal = Terminal::new(TestBackend::new(80, 24))?;
    terminal.draw(|f| rounds::ui::render(f, &app))?;

    // `:today`: the worker fetches the day; the answer is drawn.
    let start = m.mark(rt());
    let mut fetched = None;
    for c in update(&mut app, Msg::OpenSchedule) {
        if let Command::LoadSchedule {
            req,
            request,
            known,
        } = c
        {
            let fetch = source.schedule(&request, known.as_ref()).await?;
            fetched = Some(phase(start, m.mark(rt())));
            if let ScheduleFetch::Fresh {
                schedule, trimmed, ..
            } = &fetch
            {
                r.schedule_rows = schedule.rows.len();
                r.rows_with_patient = schedule.rows.iter().filter(|x| x.patient.is_some()).count();
                r.trimmed = *trimmed;
                r.cut_short = schedule.cut_short;
            }
            let t = Instant::now();
            let _ = update(
                &mut app,
                Msg::Response(Response {
                    req,
                    result: ResponseResult::Schedule(Ok(Box::new(fetch))),
                }),
            );
            terminal.draw(|f| rounds::ui::render(f, &app))?;
            r.schedule_draw_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let Some(fetched) = fetched else {
        return fail("`:today` asked the worker for nothing");
    };
    r.schedule.push(fetched);
    let rows = match app.layers.get_mut(rounds::app::LayerKind::Schedule) {
        Some(rounds::app::Layer::Schedule(l)) => l
            .schedule
            .as_ref()
            .map(|s| s.rows.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let Some(first) = rows.first() else {
        return fail("the schedule has no rows");
    };
    if first.patient_id.as_deref() != Some(a.first_patient) {
        return fail("the first row is not the chart figures' patient");
    }

    // Enter: the banner from the row at once; the worker loads the first screen.
    let open = m.mark(rt());
    let commands = update(&mut app, key(KeyCode::Enter));
    terminal.draw(|f| rounds::ui::render(f, &app))?;
    let banner = open.t.elapsed();
    if m.mark(rt()).round_trips != open.round_trips {
        return fail("the banner from a row sent a request");
    }
    let text = screen(&terminal);
    r.row_banner_shown = first.patient.as_ref().is_some_and(|p| {
        text.contains(&p.mrn) && text.contains(p.name.split(',').next().unwrap_or("?"))
    });
    r.row_banner_ms.push(banner.as_secs_f64() * 1000.0);
    let Some((req, patient_id)) = commands.into_iter().find_map(|c| match c {
        Command::LoadChart { req, patient_id } => Some((req, patient_id)),
        _ => None,
    }) else {
        return fail("Enter on a row asked for no chart");
    };
    let patient_at: Arc<Mutex<Option<Instant>>> = Arc::default();
    let at = patient_at.clone();
    let sink: PatientSink = Box::new(move |_| {
        if let Ok(mut t) = at.lock() {
            *t = Some(Instant::now());
        }
    });
    let (record, _rest) = source.first_screen_early(&patient_id, sink).await?;
    if record.patient_id() != a.first_patient {
        return fail("the first screen is another patient's");
    }
    let _ = update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::Chart(Ok(Box::new(record))),
        }),
    );
    terminal.draw(|f| rounds::ui::render(f, &app))?;
    let drawn = m.mark(rt());
    r.row_first_screen.push(phase(open, drawn));
    r.row_patient_secs.push(
        patient_at
            .lock()
            .ok()
            .and_then(|t| *t)
            .map_or(0.0, |t| t.duration_since(open.t).as_secs_f64()),
    );
    r.row_allergy_shown = screen(&terminal).to_lowercase().contains("allerg");
    Ok(rows)
}

/// A check-in of `row` as the TUI sends it; `put`: with JSON Patch known refused, so by
/// read-merge-PUT.
async fn checkin(
    m: &Meter,
    a: &DeskArgs<'_>,
    row: &ScheduleRow,
    put: bool,
) -> Res<(Phase, Vec<String>, String)> {
    let log: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = log.clone();
    let observer: rounds::fhir::client::RequestObserver =
        Arc::new(move |e: &rounds::fhir::RequestEvent| {
            if let Ok(mut l) = sink.lock() {
                l.push(format!("{} {} → {}", e.method, e.label, e.status));
            }
        });
    // The PUT client keeps nothing on disk: the warm cache must not learn a refusal.
    let cache = (!put).then_some(a.warm_cache);
    let client = FhirClient::with_observer(config(a.base, cache), Some(observer))?;
    if put {
        let warm = FhirClient::new(config(a.base, Some(a.warm_cache)))?;
        let mut caps = warm.capabilities().await?.clone();
        caps.json_patch_refused = true;
        caps.patch_formats.clear();
        client.set_capabilities(caps);
    } else {
        client.capabilities().await?;
    }
    let source = RemoteSource::new(client.clone());
    let Some(p) = row.patient.as_ref() else {
        return fail("a row without its patient");
    };
    let known = KnownAppointment {
        status: row.status.clone(),
        version: row.version.clone(),
        patient_id: row.patient_id.clone().unwrap_or_default(),
        patient_label: format!("{}, born {}, MRN {}", p.name, p.born, p.mrn),
        summary: format!("Check-in {} {}", row.time, row.visit_type),
    };
    let rt = || client.stats().round_trips;
    let start = m.mark(rt());
    let (outcome, _) = check_in(&source, &row.appointment_id, Some(&known), false).await?;
    let p = phase(start, m.mark(rt()));
    let result = match &outcome {
        CheckInOutcome::Already { status } => format!("already {status}"),
        CheckInOutcome::Refused { status } => format!("refused ({status})"),
        CheckInOutcome::Submitted { submitted, .. } => submitted.item.state.name().to_owned(),
    };
    let requests = log.lock().map(|l| l.clone()).unwrap_or_default();
    Ok((p, requests, result))
}

/// `rounds sync --today --json`, cold then warm, with the real binary in a profile of its
/// own (offline on, secrets in a kernel session keyring of its own).
async fn sync(m: &Meter, a: &DeskArgs<'_>, bin: &Path) -> Res<SyncResult> {
    let home = a.work.join("sync-home");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home)?;
    let keyring = format!("rounds-bench-{}", std::process::id());
    let run = |args: &[&str]| -> Res<(i32, String, f64)> {
        let t = Instant::now();
        let out = Process::new("keyctl")
            .args(["session", &keyring, "sh", "-c"])
            .arg(
                "keyctl setperm @s 0x3f3f0000 >/dev/null 2>&1; keyctl link @s @u >/dev/null 2>&1; exec \"$@\"",
            )
            .arg("sh")
            .arg(bin)
            .args(args)
            .env("ROUNDS_CONFIG_DIR", home.join("config"))
            .env("ROUNDS_STATE_DIR", home.join("state"))
            .env("ROUNDS_CACHE_DIR", home.join("cache"))
            .env("ROUNDS_KEYRING_TIMEOUT", "5")
            .env_remove("ROUNDS_PROFILE")
            .env_remove("ROUNDS_SERVER")
            .output()
            .map_err(|e| format!("cannot run keyctl (keyutils): {e}"))?;
        let secs = t.elapsed().as_secs_f64();
        Ok((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            secs,
        ))
    };
    let result = async {
        let (code, _, _) = run(&[
            "login", "--profile", "bench", "--server", a.base, "--auth", "none", "--store",
            "keyutils", "--offline",
        ])?;
        if code != 0 {
            return fail(format!("rounds login --offline exited {code}"));
        }
        // Both syncs begin with the capability statement cached, as a clinic's would.
        let (code, _, _) = run(&["--profile", "bench", "capabilities"])?;
        if code != 0 {
            return fail(format!("rounds capabilities exited {code}"));
        }
        let mut runs = Vec::new();
        for _ in 0..2 {
            let before = m.mark(0);
            let (code, out, secs) = run(&["--profile", "bench", "sync", "--today", "--json"])?;
            let wire = phase(before, m.mark(0));
            let v: Value = serde_json::from_str(&out)
                .map_err(|e| format!("rounds sync --json printed no JSON ({e})"))?;
            let n = |k: &str| v[k].as_u64().unwrap_or(0);
            runs.push(SyncRun {
                secs,
                exit_code: code,
                patients: v["patients"].as_array().map_or(0, |p| p.len() as u64),
                kept: n("kept"),
                round_trips: n("round_trips"),
                bytes_sent: n("bytes_sent"),
                bytes_received: n("bytes_received"),
                not_modified: n("not_modified"),
                stored_bytes: n("stored_bytes"),
                wire,
            });
            let last = &runs[runs.len() - 1];
            eprintln!(
                "slow_link: sync --today: {} of {} patients kept in {:.1} s, {} round trips, {} bytes received, {} answered 304",
                last.kept, last.patients, last.secs, last.round_trips, last.bytes_received, last.not_modified
            );
        }
        let _ = run(&["logout", "--profile", "bench"]);
        let warm = runs.pop().unwrap_or_default();
        let cold = runs.pop().unwrap_or_default();
        Ok(SyncResult { cold, warm })
    }
    .await;
    // The session keyring goes with the run.
    let _ = Process::new("sh")
        .args([
            "-c",
            &format!(
                "k=$(keyctl search @u keyring {keyring} 2>/dev/null) && keyctl clear $k; [ -n \"$k\" ] && keyctl unlink $k @u"
            ),
        ])
        .output();
    let _ = std::fs::remove_dir_all(&home);
    result
}

/// Where `slow_link link` writes the desk's part, beside its own.
pub fn out_path(link_out: &Path) -> PathBuf {
    link_out.with_file_name("desk.json")
}
