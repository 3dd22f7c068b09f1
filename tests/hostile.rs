#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The hostile fixture set (fixtures/hostile, see its README) through every path a server
//! string takes to a terminal: `LocalSource` and the real FHIR server (`ROUNDS_TEST_FHIR_URL`,
//! with fixtures/hostile loaded: `scripts/fhir-server load` does it), the chart model, every
//! TUI tab, detail popup, help and search row rendered into ratatui's `TestBackend`, the
//! CLI's tables and JSON, and the real binary's raw terminal output captured under tmux with
//! `script`. Nothing may panic; no escape sequence, control character or bidi control from
//! the data may reach the screen; CJK and emoji must survive; unreadable and foreign
//! resources must be reported.

mod common;

use std::path::PathBuf;
use std::process::Command as Process;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rounds::app::{App, Command, Msg, Response, ResponseResult, Screen, update};
use rounds::chart::Chart;
use rounds::config::{Keymap, Theme};
use rounds::fhir::{ClientConfig, FhirClient, Section};
use rounds::source::{DataSource, LocalSource, RemoteSource};
use serde_json::Value;

use common::{repo, server_url, today};

const ESCAPES: &str = "hostile-escapes";
const UNICODE: &str = "hostile-unicode";
const HUGE: &str = "hostile-huge";
const BYTES: &str = "hostile-bytes";
const MALFORMED: &str = "hostile-malformed";
const NEIGHBOUR: &str = "hostile-neighbour";
const DEEP: &str = "hostile-deep";
const PATIENTS: [&str; 7] = [ESCAPES, UNICODE, HUGE, BYTES, MALFORMED, NEIGHBOUR, DEEP];

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Text that exists in the fixtures only inside escape sequences (OSC 52 clipboard data, an
/// OSC 8 link target, a window title, DCS/APC/PM/SOS bodies, CSI parameters): if any of it
/// shows, a sequence was only half removed.
const PAYLOAD_MARKERS: [&str; 11] = [
    "SE9TVElMRS1DTElQ", // base64 "HOSTILE-CLIP", the OSC 52 clipboard payload
    "hostile.invalid",  // the OSC 8 link target
    "HOSTILE-TITLE",
    "HOSTILE-APC",
    "HOSTILE-PM",
    "HOSTILE-SOS",
    "HOSTILE-DCS",
    "5;31;47",  // SGR parameters
    "Gf=100",   // kitty graphics APC
    "#0;2;0;0", // sixel DCS
    "P+q544e",  // XTGETTCAP DCS
];

/// CJK and emoji that must survive sanitizing, whole (ZWJ sequences, flags, skin tones).
const UNICODE_SURVIVES: [&str; 6] = [
    "\u{5f20}\u{4f1f}",                                 // 张伟
    "\u{1f469}\u{200d}\u{2695}\u{fe0f}",                // 👩‍⚕️
    "\u{9ad8}\u{8840}\u{538b}",                         // 高血压
    "\u{8840}\u{6e05}\u{30ab}\u{30ea}\u{30a6}\u{30e0}", // 血清カリウム
    "\u{1f1ef}\u{1f1f5}",                               // 🇯🇵
    "\u{1f44d}\u{1f3fd}",                               // 👍🏽
];

// ---------------------------------------------------------------------------------------
// What may not reach a terminal

/// Characters that may not appear in anything drawn or printed (line breaks aside, which
/// the caller allows where they belong): C0 and C1 controls, DEL, bidi embeddings,
/// overrides, isolates and marks, and the invisible characters the sanitizer removes.
fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}'
        | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

/// Panic if printed text holds a forbidden character (other than `\n`) or a payload marker.
fn assert_inert(what: &str, text: &str) {
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| c != '\n' && forbidden(c))
    {
        let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
        let to = text[i..]
            .char_indices()
            .nth(40)
            .map_or(text.len(), |(j, _)| i + j);
        panic!("{what}: {c:?} at byte {i}, in {:?}", &text[from..to]);
    }
    for m in PAYLOAD_MARKERS {
        assert!(
            !text.contains(m),
            "{what}: the escape-sequence payload {m:?} is visible"
        );
    }
}

fn assert_buffer_inert(what: &str, buf: &Buffer) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.chars().any(forbidden),
                "{what}: cell ({x}, {y}) holds {sym:?}\n{}",
                screen_text(buf)
            );
        }
    }
    assert_inert(what, &screen_text(buf));
}

/// The text of the screen, wide characters once (their continuation cells skipped).
fn screen_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Sources

fn hostile_dir() -> PathBuf {
    repo().join("fixtures").join("hostile")
}

fn local() -> LocalSource {
    LocalSource::open(&hostile_dir()).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The real server, checked to hold the hostile set.
fn remote(rt: &tokio::runtime::Runtime) -> RemoteSource {
    let url = server_url();
    let source = RemoteSource::new(FhirClient::new(ClientConfig::new(&url)).unwrap());
    let found = rt.block_on(source.record(ESCAPES, &[]));
    assert!(
        found.is_ok(),
        "the server at {url} lacks the hostile fixtures ({}): load them with \
         `FHIR_PORT=<port> scripts/fhir-server load` (or `... load fixtures/hostile`)",
        found.unwrap_err()
    );
    source
}

// ---------------------------------------------------------------------------------------
// The chart model

fn check_charts(source: &dyn DataSource, rt: &tokio::runtime::Runtime, server: bool) {
    for id in PATIENTS {
        let record = match rt.block_on(source.record(id, &Section::ALL)) {
            Ok(r) => r,
            // See `deep_nesting_the_server_accepts`.
            Err(e) if server && id == DEEP => {
                assert_inert("deep chart error", &e.to_string());
                continue;
            }
            Err(e) => panic!("{id}: {e}"),
        };
        let chart = Chart::build(&record, today());
        let json = serde_json::to_string(&chart).unwrap();
        serde_json::from_str::<Value>(&json).unwrap();
        let _ = chart.cover_sheet();
        match id {
            ESCAPES => {
                assert!(
                    chart.banner.name.contains('\u{1b}'),
                    "kept raw in the model"
                );
                assert!(
                    json.contains("\\u001b]52;c;"),
                    "OSC 52 kept raw in the model"
                );
            }
            UNICODE => {
                for s in UNICODE_SURVIVES {
                    assert!(json.contains(s), "{s:?} lost from the model");
                }
            }
            MALFORMED => {
                let unreadable = |ty: &str| {
                    chart
                        .warnings
                        .iter()
                        .any(|w| w.contains(ty) && w.contains("unreadable"))
                };
                for ty in ["Observation", "Condition", "MedicationRequest"] {
                    assert!(unreadable(ty), "{ty}: {:?}", chart.warnings);
                }
                assert!(
                    !json.contains("NEIGHBOUR-ONLY"),
                    "the neighbour's data: {json}"
                );
                // A resource naming two patients is filed under the one its type is
                // searched by (`patient` for AllergyIntolerance and Immunization), by the
                // file reader as by the server: the neighbour's never reaches this chart.
            }
            _ => {}
        }
    }
}

#[test]
fn charts_from_files() {
    check_charts(&local(), &runtime(), false);
}

#[test]
fn charts_from_the_server() {
    let rt = runtime();
    check_charts(&remote(&rt), &rt, true);
}

// ---------------------------------------------------------------------------------------
// The TUI, into a TestBackend

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(app: &mut App, text: &str) -> Vec<Command> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

/// Everything drawn, for looking for text that must survive.
#[derive(Default)]
struct Screens {
    text: String,
    frames: usize,
}

impl Screens {
    /// Draw at every size; check each frame.
    fn draw(&mut self, app: &mut App, what: &str) {
        for (w, h) in SIZES {
            update(app, Msg::Resize(w, h));
            let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
            t.draw(|f| rounds::ui::render(f, app)).unwrap();
            let buf = t.backend().buffer();
            assert_buffer_inert(&format!("{what} at {w}x{h}"), buf);
            self.text.push_str(&screen_text(buf));
            self.frames += 1;
        }
    }
}

/// Answer the worker's commands the way `rounds::worker` does (first screen, then the rest).
fn answer(
    app: &mut App,
    source: &dyn DataSource,
    rt: &tokio::runtime::Runtime,
    cmds: Vec<Command>,
    screens: &mut Screens,
    what: &str,
) {
    for cmd in cmds {
        match cmd {
            Command::Search { req, query, limit } => {
                let result = rt
                    .block_on(source.search(&query, limit))
                    .map_err(|e| e.to_string());
                update(
                    app,
                    Msg::Response(Response {
                        req,
                        result: ResponseResult::Search(result),
                    }),
                );
            }
            Command::LoadChart { req, patient_id } => {
                let (first, rest) = match rt.block_on(source.first_screen(&patient_id)) {
                    Ok((record, rest)) => (Ok(Box::new(record)), rest),
                    Err(e) => (Err(e.to_string()), None),
                };
                update(
                    app,
                    Msg::Response(Response {
                        req,
                        result: ResponseResult::Chart(first),
                    }),
                );
                screens.draw(app, &format!("{what}: first screen"));
                if let Some(rest) = rest {
                    let result = rt
                        .block_on(source.rest(rest))
                        .map(Box::new)
                        .map_err(|e| e.to_string());
                    update(
                        app,
                        Msg::Response(Response {
                            req,
                            result: ResponseResult::ChartRest(result),
                        }),
                    );
                }
            }
            Command::Forget => source.forget(),
            Command::Unlock { .. }
            | Command::SignIn { .. }
            | Command::PasteRedirect { .. }
            | Command::CancelSignIn => {}
        }
    }
}

fn new_app(source: &dyn DataSource) -> App {
    App::new(
        source.info(),
        today(),
        Theme::built_in("default").unwrap(),
        Keymap::default_keymap(),
    )
}

/// How many rows a tab lists (to walk its detail popups).
fn rows(app: &App) -> usize {
    let Some(chart) = app.chart.as_ref() else {
        return 0;
    };
    rounds::app::rows::row_count(chart)
}

/// Esc out of a row's detail, if one is open (Esc on a bare chart goes back to the search).
fn close_detail(app: &mut App) {
    if app.chart.as_ref().is_some_and(|c| c.detail) {
        press(app, KeyCode::Esc);
    }
}

/// Search, then open every patient and walk every tab, row detail, view and overlay.
fn walk_tui(source: &dyn DataSource, rt: &tokio::runtime::Runtime, server: bool) -> Screens {
    let mut screens = Screens::default();
    let mut app = new_app(source);
    screens.draw(&mut app, "search idle");
    let cmds = keys(&mut app, "hostile");
    assert!(cmds.is_empty());
    let cmds = press(&mut app, KeyCode::Enter);
    screens.draw(&mut app, "search loading");
    answer(&mut app, source, rt, cmds, &mut screens, "search");
    let found = app.search.results.loaded().map_or(0, Vec::len);
    assert!(found >= PATIENTS.len(), "{found} hostile patients found");
    for i in 0..found {
        // Every frame of this list sanitizes the 1 MB name: the first rows, and the last.
        if i < 3 || i + 1 == found {
            screens.draw(&mut app, &format!("search row {i}"));
        }
        press(&mut app, KeyCode::Down);
    }

    for id in PATIENTS {
        let what = format!("{id} ({})", if server { "server" } else { "files" });
        let cmds = update(&mut app, Msg::OpenPatient(id.into()));
        screens.draw(&mut app, &format!("{what}: loading"));
        answer(&mut app, source, rt, cmds, &mut screens, &what);
        assert_eq!(app.screen, Screen::Chart);
        let loaded = app.chart.as_ref().unwrap().data.loaded().is_some();
        if !loaded {
            // Only the deep patient may fail, and only from the server (see
            // `deep_nesting_the_server_accepts`); the failure is drawn and checked.
            assert!(server && id == DEEP, "{what} did not load");
            screens.draw(&mut app, &format!("{what}: failed"));
            continue;
        }
        for tab in '1'..='8' {
            keys(&mut app, &tab.to_string());
            screens.draw(&mut app, &format!("{what}: tab {tab}"));
            let n = rows(&app);
            // Every row's detail (the first 12 of a long list, and the last); with the
            // 1 MB name in the banner each frame is slow (in a debug build), so there only
            // the tabs and the note.
            let huge = id == HUGE;
            let walk = if huge { usize::from(tab == '8') } else { 12 };
            for row in 0..n {
                if row < walk || (!huge && row + 1 == n) {
                    press(&mut app, KeyCode::Enter);
                    screens.draw(&mut app, &format!("{what}: tab {tab} row {row} detail"));
                    if tab == '8' {
                        for _ in 0..3 {
                            press(&mut app, KeyCode::PageDown);
                        }
                        screens.draw(&mut app, &format!("{what}: note {row} paged"));
                    }
                    close_detail(&mut app);
                    assert_eq!(app.screen, Screen::Chart, "{what}: Esc left the chart");
                }
                press(&mut app, KeyCode::Down);
            }
            if tab == '4' && !huge {
                keys(&mut app, "c");
                screens.draw(&mut app, &format!("{what}: cumulative"));
                press(&mut app, KeyCode::Enter);
                screens.draw(&mut app, &format!("{what}: cumulative detail"));
                close_detail(&mut app);
                keys(&mut app, "c");
            }
            // A filter that matches some of the hostile text (tabs with rows have one).
            keys(&mut app, "/e");
            if app.chart.as_ref().is_some_and(|c| c.filter_input.is_some()) {
                if !huge {
                    screens.draw(&mut app, &format!("{what}: tab {tab} filter"));
                }
                press(&mut app, KeyCode::Esc);
            }
            assert_eq!(app.screen, Screen::Chart, "{what}: Esc left the chart");
        }
        keys(&mut app, "1?");
        screens.draw(&mut app, &format!("{what}: help"));
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.screen, Screen::Chart);
    }
    screens
}

fn check_tui(screens: &Screens, server: bool) {
    for s in UNICODE_SURVIVES {
        assert!(
            screens.text.contains(s),
            "{s:?} never reached the screen ({} frames)",
            screens.frames
        );
    }
    for s in [
        "Mallory",
        "POSITIVE NEGATIVE",
        "Asthma HEALTHY",
        "Line two: vitals OK",
        "Line two: CRITICAL",
        "Penicillin",
        "unreadable",
        "K <3.5",
    ] {
        assert!(screens.text.contains(s), "{s:?} never reached the screen");
    }
    // A resource naming two patients is filed by the element its type is searched by, the
    // same way from files as from the server: the neighbour's vaccine shows on the
    // neighbour's chart only (checked per chart in `check_charts`).
    let _ = server;
}

#[test]
fn tui_from_files() {
    let rt = runtime();
    let screens = walk_tui(&local(), &rt, false);
    check_tui(&screens, false);
}

#[test]
fn tui_from_the_server() {
    let rt = runtime();
    let screens = walk_tui(&remote(&rt), &rt, true);
    check_tui(&screens, true);
}

// ---------------------------------------------------------------------------------------
// The CLI

/// What a finished command left behind.
#[derive(Debug)]
struct Run {
    what: String,
    code: i32,
    stdout: String,
    stderr: String,
}

fn rounds(source: &[&str], args: &[&str]) -> Run {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("rounds");
    cmd.env("ROUNDS_TODAY", "2026-11-22")
        .env("ROUNDS_CACHE_DIR", "")
        .env_remove("ROUNDS_SERVER")
        .current_dir(repo())
        .args(source)
        .args(args);
    let what = format!("rounds {} {}", source.join(" "), args.join(" "));
    let out = cmd.output().unwrap();
    let text = |b: Vec<u8>, which: &str| {
        String::from_utf8(b).unwrap_or_else(|e| panic!("{what}: {which} is not UTF-8: {e}"))
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: text(out.stdout, "stdout"),
        stderr: text(out.stderr, "stderr"),
        what,
    }
}

impl Run {
    fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "{}: exit code\n--- stderr\n{}",
            self.what, self.stderr
        );
        self
    }

    /// Table output: nothing a terminal would act on, on stdout or stderr; no tabs either.
    fn inert(self) -> Run {
        assert_inert(&format!("{} stdout", self.what), &self.stdout);
        assert_inert(&format!("{} stderr", self.what), &self.stderr);
        assert!(
            !self.stderr.contains("panicked"),
            "{}: {}",
            self.what,
            self.stderr
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e})", self.what))
    }
}

const SECTIONS: [&str; 10] = [
    "banner",
    "cover",
    "problems",
    "allergies",
    "meds",
    "labs",
    "vitals",
    "encounters",
    "immunizations",
    "notes",
];

/// Run many commands at once (each is a process).
fn run_all(source: &[&str], jobs: Vec<Vec<String>>) -> Vec<Run> {
    let mut out: Vec<Option<Run>> = (0..jobs.len()).map(|_| None).collect();
    for (chunk_jobs, chunk_out) in jobs.chunks(8).zip(out.chunks_mut(8)) {
        std::thread::scope(|s| {
            for (job, slot) in chunk_jobs.iter().zip(chunk_out.iter_mut()) {
                s.spawn(move || {
                    let args: Vec<&str> = job.iter().map(String::as_str).collect();
                    *slot = Some(rounds(source, &args));
                });
            }
        });
    }
    out.into_iter().map(Option::unwrap).collect()
}

fn check_cli(source: &[&str], server: bool) {
    // Search, as a table and as JSON.
    let table = rounds(source, &["search", "--name", "hostile"])
        .ok()
        .inert();
    for id in PATIENTS {
        assert!(
            table.stdout.contains(id),
            "{id} not listed:\n{}",
            table.stdout
        );
    }
    for s in ["\u{5f20}\u{4f1f}", "\u{1f469}\u{200d}\u{2695}\u{fe0f}"] {
        assert!(table.stdout.contains(s), "{s:?} lost from the search table");
    }
    let json = rounds(source, &["search", "--name", "hostile", "--json"]).ok();
    assert!(!json.stdout.contains('\u{1b}'));
    let doc = json.json();
    let names: Vec<&str> = doc["patients"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.iter().any(|n| n.contains("\u{1b}]52;")), "{names:?}");
    assert!(
        names.iter().any(|n| n.contains('\u{202e}')),
        "bidi kept in JSON"
    );
    assert!(
        names.iter().any(|n| n.len() >= 1024 * 1024),
        "the 1 MB name"
    );

    // Every section of every chart as tables, and every chart as JSON.
    let mut jobs = Vec::new();
    for id in PATIENTS {
        jobs.push(vec!["chart".to_owned(), id.to_owned()]);
        jobs.push(vec!["chart".to_owned(), id.to_owned(), "--json".to_owned()]);
        for s in SECTIONS {
            jobs.push(vec![
                "chart".to_owned(),
                id.to_owned(),
                "--section".to_owned(),
                s.to_owned(),
            ]);
        }
    }
    let runs = run_all(source, jobs);
    let mut all_tables = String::new();
    for r in runs {
        let deep_on_server = server && r.what.contains(DEEP) && r.code != 0;
        if deep_on_server {
            // See `deep_nesting_the_server_accepts`.
            assert_eq!(r.code, 5, "{}: {}", r.what, r.stderr);
            r.inert();
            continue;
        }
        if r.what.ends_with("--json") {
            let r = r.ok();
            assert!(
                !r.stdout.chars().any(|c| c < ' ' && c != '\n'),
                "{}: a raw C0 control in JSON output",
                r.what
            );
            let doc = r.json();
            assert_eq!(doc["schema"], "rounds.chart/1");
            let text = doc.to_string();
            if r.what.contains(ESCAPES) {
                // The data is escaped, not altered.
                for raw in [
                    "\\u001b]52;c;SE9TVElMRS1DTElQ\\u0007",
                    "\\u001b[5;31;47m",
                    "Asthma\\rHEALTHY",
                ] {
                    assert!(text.contains(raw), "{}: {raw} not kept", r.what);
                }
            }
            if r.what.contains(UNICODE) {
                // The model keeps the combining flood whole (only the screen cuts it).
                let flood: String = (0..2000u32)
                    .map(|i| char::from_u32(0x300 + i % 0x70).unwrap())
                    .collect();
                assert!(
                    text.contains(&flood),
                    "{}: the combining flood is not kept whole",
                    r.what
                );
            }
            continue;
        }
        let r = r.ok().inert();
        all_tables.push_str(&r.stdout);
        if r.what.contains(MALFORMED) && r.what.ends_with(MALFORMED) {
            for ty in ["Observation", "Condition", "MedicationRequest"] {
                assert!(
                    r.stdout.lines().any(|l| l.starts_with("Warning:")
                        && l.contains(ty)
                        && l.contains("unreadable")),
                    "{}: no warning for the unreadable {ty}\n{}",
                    r.what,
                    r.stdout
                );
            }
            assert!(!r.stdout.contains("NEIGHBOUR-ONLY"), "{}", r.stdout);
        }
    }
    for s in UNICODE_SURVIVES {
        assert!(all_tables.contains(s), "{s:?} lost from the tables");
    }
    for s in [
        "POSITIVE NEGATIVE",
        "Line two: CRITICAL",
        "\u{60a3}\u{8005}\u{306f}",     // 患者は (the Japanese note)
        "caf\u{e9}",                    // valid text after invalid UTF-8 in a note
        "\u{fffd}",                     // the invalid bytes, shown as replacement characters
        "UTF-16 note \u{5f20}\u{4f1f}", // decoded as declared
        "Latin-1 bytes: caf\u{e9}",
        "K <3.5",
    ] {
        assert!(all_tables.contains(s), "{s:?} lost from the tables");
    }
}

#[test]
fn cli_from_files() {
    let dir = hostile_dir();
    check_cli(&["--open", dir.to_str().unwrap()], false);
}

#[test]
fn cli_from_the_server() {
    let rt = runtime();
    drop(remote(&rt));
    let url = server_url();
    check_cli(&["--server", &url], true);
}

/// Files no server takes: each is a clear error naming the file, never a panic.
#[test]
fn unreadable_files_are_clear_errors() {
    for (file, problem) in [
        ("invalid-utf8.json", "UTF-8"),
        ("lone-surrogate.json", "not valid JSON"),
        ("deep-nesting.json", "not valid JSON"),
    ] {
        let path = hostile_dir().join("local-only").join(file);
        let r = rounds(
            &["--open", path.to_str().unwrap()],
            &["search", "--name", "hostile"],
        )
        .inert();
        assert_eq!(r.code, 2, "{}: {}", r.what, r.stderr);
        assert!(r.stderr.starts_with("rounds: error: "), "{}", r.stderr);
        assert!(
            r.stderr.contains(file) && r.stderr.contains(problem),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
        let err = LocalSource::open(&path).unwrap_err().to_string();
        assert!(err.contains(problem), "{err}");
    }
}

/// A lab whose extensions nest as deep as the server accepts (61 levels). The file reader
/// shows it. From the server, a single search shows it, but a batch response wraps it three
/// levels deeper, past serde_json's recursion limit of 128, and the whole chart fails with
/// "the body is not valid JSON". Until that is fixed (parse with a higher limit, or fail
/// only the section), this checks the failure is at least a clean message; the ignored test
/// below says what should happen.
#[test]
fn deep_nesting_the_server_accepts() {
    let dir = hostile_dir();
    let r = rounds(
        &["--open", dir.to_str().unwrap()],
        &["chart", DEEP, "--section", "labs"],
    )
    .ok()
    .inert();
    assert!(
        r.stdout.contains("Extension nested 61 deep"),
        "{}",
        r.stdout
    );
    let url = server_url();
    let r = rounds(
        &["--server", &url, "--batch", "never"],
        &["chart", DEEP, "--section", "labs"],
    )
    .ok()
    .inert();
    assert!(
        r.stdout.contains("Extension nested 61 deep"),
        "{}",
        r.stdout
    );
    let r = rounds(&["--server", &url], &["chart", DEEP]).inert();
    if r.code != 0 {
        assert_eq!(r.code, 5, "{}", r.stderr);
        assert!(r.stderr.starts_with("rounds: error: "), "{}", r.stderr);
    }
}

#[test]
fn deep_nesting_from_the_server_in_a_batch() {
    let url = server_url();
    let r = rounds(&["--server", &url], &["chart", DEEP]).ok().inert();
    assert!(
        r.stdout.contains("Extension nested 61 deep"),
        "{}",
        r.stdout
    );
}

#[test]
fn json_output_escapes_every_control() {
    let dir = hostile_dir();
    let r = rounds(
        &["--open", dir.to_str().unwrap()],
        &["chart", ESCAPES, "--json"],
    )
    .ok();
    assert!(
        !r.stdout.chars().any(|c| c != '\n' && forbidden(c)),
        "raw controls in JSON"
    );
}

// ---------------------------------------------------------------------------------------
// The real binary's raw terminal output

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// `rounds ARGS` under `script` (which records every byte rounds writes to its terminal)
/// in a private tmux server at 80x24.
struct Captured {
    socket: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Captured {
    fn start(args: &[&str]) -> Captured {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("typescript");
        let socket = format!(
            "rounds-hostile-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let mut rounds_cmd = sh_quote(env!("CARGO_BIN_EXE_rounds"));
        for a in args {
            rounds_cmd.push(' ');
            rounds_cmd.push_str(&sh_quote(a));
        }
        let script = format!(
            "cd {} && env -u NO_COLOR -u ROUNDS_SERVER ROUNDS_TODAY=2026-11-22 ROUNDS_CONFIG_DIR={} \
             ROUNDS_CACHE_DIR= script -qfec {} {}; echo EXITED:$?; sleep 60",
            sh_quote(&repo().display().to_string()),
            sh_quote(&dir.path().join("config").display().to_string()),
            sh_quote(&rounds_cmd),
            sh_quote(&log.display().to_string()),
        );
        let c = Captured {
            socket,
            log,
            _dir: dir,
        };
        c.tmux(&[
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            "-s",
            "t",
            "sh",
            "-c",
            &script,
        ]);
        c
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Process::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs (is it installed?)");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?} to go; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }
}

impl Drop for Captured {
    fn drop(&mut self) {
        let _ = Process::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .env_remove("TMUX")
            .output();
    }
}

/// The bytes rounds wrote, without the "Script started/done" lines `script` adds.
fn script_body(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if !line.starts_with(b"Script started") && !line.starts_with(b"Script done") {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Drive the escapes patient through every tab and popup; check the bytes rounds wrote.
fn capture(source: &[&str]) {
    let mut args: Vec<&str> = source.to_vec();
    args.extend(["--patient", ESCAPES]);
    let tui = Captured::start(&args);
    tui.wait_for("Mallory");
    // After Esc, wait for the popup to go before the next key: ESC and a key that follow
    // each other closely are read as Alt+key.
    for (key, shows, gone) in [
        ("2", "Asthma HEALTHY", ""),
        ("3", "Salbutamol inhaler", ""),
        ("4", "Potassium", ""),
        ("Enter", "Reference range", ""),
        ("Escape", "Culture", "Reference range"),
        ("c", "Potassium", ""),
        ("c", "Culture", ""),
        ("5", "88", ""),
        ("6", "Office visit", ""),
        ("Enter", "Wheeze", ""),
        ("Escape", "Office visit", "Ended"),
        ("7", "Influenza vaccine", ""),
        ("8", "Progress note", ""),
        ("Enter", "j/k scroll", ""),
        ("Escape", "Progress note", "j/k scroll"),
        ("j", "Progress note", ""),
        ("Enter", "Line two: CRITICAL", ""),
        ("Escape", "Discharge summary", "j/k scroll"),
        ("?", "Keys (/ filter", ""),
        ("Escape", "Progress note", "Keys (/ filter"),
        ("1", "Active problems", ""),
    ] {
        tui.keys(&[key]);
        tui.wait_for(shows);
        if !gone.is_empty() {
            tui.wait_gone(gone);
        }
    }
    // Everything drawn so far is in the log (`script -f` writes as it goes); what follows
    // is rounds leaving, which clears the screen and the scrollback itself (ESC [2J ESC [3J).
    std::thread::sleep(Duration::from_millis(300));
    let session_len = script_body(&std::fs::read(&tui.log).unwrap()).len();
    tui.keys(&["q"]);
    let screen = tui.wait_for("EXITED:");
    assert!(screen.contains("EXITED:0"), "{screen}");
    let body = script_body(&std::fs::read(&tui.log).unwrap());
    assert!(
        body.windows(7).any(|w| w == b"Mallory"),
        "the capture holds no patient text ({} bytes)",
        body.len()
    );
    let text = String::from_utf8_lossy(&body);
    let session = String::from_utf8_lossy(&body[..session_len.min(body.len())]);
    let data_markers = PAYLOAD_MARKERS.iter().copied().chain([
        "]52;",
        "]8;;",
        "[6n",
        "[21t",
        "[5;31;47m",
        "\u{1b}c",
        "\u{1b}#8",
        "\u{1b}(0",
    ]);
    for (m, within) in data_markers
        .map(|m| (m, &text))
        .chain([("[2J", &session), ("[3J", &session)])
    {
        if let Some(i) = within.find(m) {
            let around: String = within[i..].chars().take(60).collect();
            panic!("the terminal received {m:?}: {around:?}");
        }
    }
    // rounds itself writes only CSI sequences (cursor, colours, modes): no OSC, DCS, APC,
    // PM or SOS, no 8-bit C1, no BEL, backspace or shift-out.
    for (i, w) in body.windows(2).enumerate() {
        if w[0] == 0x1b {
            assert_eq!(
                w[1],
                b'[',
                "ESC {:?} at byte {i}: {:?}",
                w[1] as char,
                String::from_utf8_lossy(&body[i.saturating_sub(20)..(i + 40).min(body.len())])
            );
        }
        assert!(
            !(w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1])),
            "a C1 control at byte {i}"
        );
    }
    for b in [0x07u8, 0x08, 0x0e, 0x0f, 0x7f] {
        assert!(!body.contains(&b), "byte {b:#04x} reached the terminal");
    }
    for bidi in [
        '\u{202e}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{200f}',
    ] {
        assert!(!text.contains(bidi), "{bidi:?} reached the terminal");
    }
}

#[test]
fn raw_terminal_output_from_files() {
    let dir = hostile_dir();
    capture(&["--open", dir.to_str().unwrap()]);
}

#[test]
fn raw_terminal_output_from_the_server() {
    let rt = runtime();
    drop(remote(&rt));
    let url = server_url();
    capture(&["--server", &url]);
}

/// The fixtures on disk are what the generator writes (so the README describes them).
#[test]
fn fixtures_match_their_generator() {
    let status = Process::new("python3")
        .arg(repo().join("scripts/make-hostile-fixtures.py"))
        .arg("--check")
        .status();
    // Without python3 there is nothing to compare with.
    if let Ok(s) = status {
        assert!(
            s.success(),
            "fixtures/hostile differs from scripts/make-hostile-fixtures.py"
        );
    }
}
