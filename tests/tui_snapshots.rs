#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Snapshot tests of every TUI screen, rendered into ratatui's `TestBackend` at 80x24 and
//! 120x40, plus assertions on the styles that carry clinical meaning (flags, the banner's
//! allergy and deceased markers, the selection) and on what a hostile or oversized record
//! can do to the screen.
//!
//! Regenerate with `INSTA_UPDATE=always cargo nextest run --test tui_snapshots`, then read
//! the changed `.snap` files. The snapshots assume a UTF-8 (or unset) locale: with
//! `LANG=C` the trend sparklines fall back to ASCII.

use std::io::Write;

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Style};
use rounds::app::{App, Command, Msg, Response, ResponseResult, Screen, update};
use rounds::config::{Keymap, Theme};
use rounds::fhir::Section;
use rounds::source::{DataSource, LocalSource, SourceInfo, SourceKind, demo_source};

const ADA: &str = "rnd-ada-testwell";
const BEN: &str = "rnd-ben-nkaman";
const CORA: &str = "rnd-cora-lastday";
const DEE: &str = "rnd-dee-sparse";
const SYNTHEA: &str = "75e95f92-3bfa-454f-aa99-99375173f201";

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

// ---------------------------------------------------------------------------------------
// Building state

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn new_app(info: SourceInfo, theme: Theme) -> App {
    App::new(info, today(), theme, Keymap::default_keymap())
}

fn default_theme() -> Theme {
    Theme::built_in("default").unwrap()
}

fn demo_app() -> App {
    new_app(demo_source().unwrap().info(), default_theme())
}

fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let cmds = press(app, KeyCode::Char(c));
        assert!(cmds.is_empty(), "typing {c:?} asked for work: {cmds:?}");
    }
}

/// Answer a `LoadChart` command from `source`.
fn answer_chart(app: &mut App, source: &dyn DataSource, cmds: Vec<Command>) {
    // `Forget` (the previous chart's data dropped) needs no answer.
    let cmds: Vec<Command> = cmds
        .into_iter()
        .filter(|c| !matches!(c, Command::Forget))
        .collect();
    let [Command::LoadChart { req, patient_id }] = cmds.as_slice() else {
        panic!("expected one LoadChart, got {cmds:?}");
    };
    let record = runtime()
        .block_on(source.record(patient_id, &Section::ALL))
        .unwrap();
    update(
        app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(Ok(Box::new(record))),
        }),
    );
}

/// Answer a `Search` command from `source`.
fn answer_search(app: &mut App, source: &dyn DataSource, cmds: Vec<Command>) {
    let [Command::Search { req, query, limit }] = cmds.as_slice() else {
        panic!("expected one Search, got {cmds:?}");
    };
    let found = runtime().block_on(source.search(query, *limit)).unwrap();
    update(
        app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Search(Ok(found)),
        }),
    );
}

/// Open a patient's chart directly and load it.
fn open(app: &mut App, source: &dyn DataSource, id: &str) {
    let cmds = update(app, Msg::OpenPatient(id.into()));
    answer_chart(app, source, cmds);
    assert_eq!(app.screen, Screen::Chart);
    assert!(
        app.chart.as_ref().unwrap().data.loaded().is_some(),
        "chart {id} did not load"
    );
}

fn demo_chart(id: &str) -> App {
    let mut app = demo_app();
    open(&mut app, &demo_source().unwrap(), id);
    app
}

/// Type a search and press Enter; returns the search command (not yet answered).
fn start_search(app: &mut App, text: &str) -> Vec<Command> {
    keys(app, text);
    press(app, KeyCode::Enter)
}

/// A local source from one inline Bundle (through a temporary file: the in-memory input
/// type is not public).
fn inline_source(json: &str) -> LocalSource {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    LocalSource::open(&path).unwrap()
}

/// An app on a local source with a fixed label (the temporary path would change).
fn file_app(theme: Theme) -> App {
    new_app(
        SourceInfo {
            kind: SourceKind::Files,
            label: "bundle.json".into(),
            tls_unverified: false,
        },
        theme,
    )
}

// ---------------------------------------------------------------------------------------
// Rendering and looking at the screen

fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    update(app, Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| rounds::ui::render(f, app)).unwrap();
    t
}

/// The text of row `y` and, for each byte offset of that text, the column it came from.
fn row(buf: &Buffer, y: u16) -> (String, Vec<u16>) {
    let mut text = String::new();
    let mut cols = Vec::new();
    let mut skip = 0usize;
    for x in 0..buf.area.width {
        let cell = &buf[(x, y)];
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let sym = cell.symbol();
        for _ in 0..sym.len() {
            cols.push(x);
        }
        text.push_str(sym);
        skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
    }
    (text, cols)
}

fn row_text(buf: &Buffer, y: u16) -> String {
    row(buf, y).0
}

fn screen_text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every (x, y) where `needle` starts.
fn find_all(buf: &Buffer, needle: &str) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let (text, cols) = row(buf, y);
        for (i, _) in text.match_indices(needle) {
            out.push((cols[i], y));
        }
    }
    out
}

fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    *find_all(buf, needle)
        .first()
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", screen_text(buf)))
}

/// Whether a cell carries a theme slot: its colours where the slot sets them, and at least
/// its modifiers.
fn has_style(cell: &Cell, slot: Style) -> bool {
    let s = cell.style();
    slot.fg.is_none_or(|c| s.fg == Some(c))
        && slot.bg.is_none_or(|c| s.bg == Some(c))
        && s.add_modifier.contains(slot.add_modifier)
}

fn assert_span_style(buf: &Buffer, at: (u16, u16), len: usize, slot: Style, what: &str) {
    for dx in 0..len as u16 {
        let cell = &buf[(at.0 + dx, at.1)];
        assert!(
            has_style(cell, slot),
            "{what}: cell ({}, {}) {:?} has {:?}, want {slot:?}\n{}",
            at.0 + dx,
            at.1,
            cell.symbol(),
            cell.style(),
            screen_text(buf)
        );
    }
}

/// Draw at both sizes and compare with the snapshots `<name>_<w>x<h>`; on a chart screen
/// at 80x24 also check that the banner and the status line are on screen.
fn snap(name: &str, app: &mut App) {
    for (w, h) in SIZES {
        let t = draw(app, w, h);
        check_frame(app, t.backend().buffer());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), t.backend());
    }
}

fn check_frame(app: &App, buf: &Buffer) {
    let last = row_text(buf, buf.area.height - 1);
    let command_line = matches!(app.overlay, rounds::app::Overlay::Command(_));
    if command_line {
        assert!(last.starts_with(':'), "command line not on the last row");
    } else {
        let label = match app.source.kind {
            SourceKind::Demo => "DEMO",
            SourceKind::Server => "http",
            _ => "FILE",
        };
        assert!(
            last.starts_with(&format!(" {label}")),
            "status line not on the last row: {last:?}"
        );
        assert!(has_style(&buf[(0, buf.area.height - 1)], app.theme.status));
    }
    // On a chart the banner stays in view under every overlay (help included).
    if app.screen == Screen::Chart {
        let chart = app.chart.as_ref().unwrap();
        let first = row_text(buf, 0);
        let name = match chart.data.loaded() {
            Some(c) => rounds::ui::safe(&c.banner.name),
            None => chart
                .hint
                .as_ref()
                .map(|h| rounds::ui::safe(&h.name))
                .unwrap_or_else(|| "Patient".into()),
        };
        let start: String = name.chars().take(8).collect();
        assert!(
            first.contains(start.trim()),
            "banner (row 1) lacks the name {start:?}: {first:?}"
        );
        assert!(has_style(&buf[(0, 0)], app.theme.banner));
        assert!(has_style(&buf[(0, 1)], app.theme.banner));
    }
}

/// The characters a terminal would act on or that reorder text.
fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.chars().any(forbidden),
                "{what}: cell ({x}, {y}) holds {sym:?}"
            );
            assert!(
                !sym.contains(['\u{200b}', '\u{200c}', '\u{2060}', '\u{feff}']),
                "{what}: cell ({x}, {y}) holds a zero-width char {sym:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The search screen

#[test]
fn search_idle() {
    let mut app = demo_app();
    snap("search_idle", &mut app);
}

#[test]
fn search_loading() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    assert!(matches!(cmds.as_slice(), [Command::Search { .. }]));
    snap("search_loading", &mut app);
}

#[test]
fn search_results_show_the_two_lookalikes() {
    let mut app = demo_app();
    let source = demo_source().unwrap();
    let cmds = start_search(&mut app, "Testwell");
    answer_search(&mut app, &source, cmds);
    snap("search_results", &mut app);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    assert!(screen_text(buf).contains("2 patients found"));
    assert_eq!(find_all(buf, "RND100101").len(), 1);
    assert_eq!(find_all(buf, "RND100105").len(), 1);

    // The list has the focus after a search: Down selects the second row.
    assert!(!app.search.editing);
    press(&mut app, KeyCode::Down);
    snap("search_results_selected", &mut app);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "RND100105");
    for x in 0..buf.area.width {
        assert!(
            has_style(&buf[(x, y)], app.theme.selected),
            "selected search row, cell {x}: {:?}",
            buf[(x, y)].style()
        );
    }
}

#[test]
fn search_no_results() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Zyzzyvazzz");
    answer_search(&mut app, &demo_source().unwrap(), cmds);
    snap("search_no_results", &mut app);
}

#[test]
fn search_failed() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    let [Command::Search { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::Network,
                "Could not reach https://ehr.example.org/fhir/R4: connection refused (is the server running?)",
            ))),
        }),
    );
    snap("search_failed", &mut app);
}

#[test]
fn search_query_problem() {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "smith 1980-13-45");
    assert!(cmds.is_empty());
    snap("search_bad_query", &mut app);
}

// ---------------------------------------------------------------------------------------
// Loading and failing charts

/// Search for Ada, pick the first row, press Enter: the chart is loading.
fn chart_opening() -> (App, Vec<Command>) {
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    answer_search(&mut app, &demo_source().unwrap(), cmds);
    let cmds = press(&mut app, KeyCode::Enter);
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == ADA)
    );
    (app, cmds)
}

#[test]
fn chart_loading_shows_the_search_row_in_the_banner() {
    let (mut app, _) = chart_opening();
    snap("chart_loading", &mut app);
    let t = draw(&mut app, 80, 24);
    assert!(row_text(t.backend().buffer(), 1).contains("Loading the chart"));
}

#[test]
fn chart_loading_without_a_search_row() {
    let mut app = demo_app();
    update(&mut app, Msg::OpenPatient(ADA.into()));
    snap("chart_loading_by_id", &mut app);
}

#[test]
fn chart_failed() {
    let (mut app, cmds) = chart_opening();
    let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::ServerRefused,
                "The server answered 503 Service Unavailable for Patient/rnd-ada-testwell",
            ))),
        }),
    );
    snap("chart_failed", &mut app);
}

// ---------------------------------------------------------------------------------------
// Ada: every tab and overlay

#[test]
fn ada_every_tab() {
    let mut app = demo_chart(ADA);
    for (n, name) in [
        ('1', "cover"),
        ('2', "problems"),
        ('3', "medications"),
        ('4', "results"),
        ('5', "vitals"),
        ('6', "encounters"),
        ('7', "immunizations"),
        ('8', "notes"),
    ] {
        keys(&mut app, &n.to_string());
        snap(&format!("ada_{n}_{name}"), &mut app);
    }
}

#[test]
fn ada_cover_sheet_at_80x24_shows_what_matters() {
    let mut app = demo_chart(ADA);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let text = screen_text(buf);
    assert!(row_text(buf, 0).contains("TESTWELL, Ada Quinn"), "{text}");
    assert!(row_text(buf, 1).contains("ALLERGIES (2)"), "{text}");
    assert!(text.contains("Oxycodone 5 mg tablet"), "{text}");
    assert!(text.contains("Penicillin"), "{text}");
}

#[test]
fn ada_results_cumulative() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4c");
    snap("ada_results_cumulative", &mut app);
}

#[test]
fn ada_medication_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    assert!(app.chart.as_ref().unwrap().detail);
    snap("ada_medication_detail", &mut app);
}

#[test]
fn ada_results_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    snap("ada_results_detail", &mut app);
}

#[test]
fn ada_cumulative_detail() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4c");
    press(&mut app, KeyCode::Enter);
    snap("ada_cumulative_detail", &mut app);
}

#[test]
fn ada_note_read_full_screen() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "8");
    press(&mut app, KeyCode::Enter);
    snap("ada_note_full", &mut app);
}

#[test]
fn ada_filter_potassium() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4/potassium");
    snap("ada_filter_typing", &mut app);
    press(&mut app, KeyCode::Enter);
    snap("ada_filter_potassium", &mut app);
    let t = draw(&mut app, 120, 40);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Filter: potassium"));
    assert!(!text.contains("Sodium"));
}

#[test]
fn ada_help() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "?");
    snap("ada_help", &mut app);
}

#[test]
fn ada_command_line() {
    let mut app = demo_chart(ADA);
    keys(&mut app, ":patient rnd-ben");
    snap("ada_command_line", &mut app);
}

#[test]
fn ada_unknown_command_error() {
    let mut app = demo_chart(ADA);
    keys(&mut app, ":frobnicate");
    press(&mut app, KeyCode::Enter);
    snap("ada_command_error", &mut app);
}

// ---------------------------------------------------------------------------------------
// The other demo patients

#[test]
fn cora_deceased_allergies_not_known() {
    let mut app = demo_chart(CORA);
    snap("cora_cover", &mut app);
    keys(&mut app, "3");
    snap("cora_medications", &mut app);
    keys(&mut app, "4");
    snap("cora_results", &mut app);
}

#[test]
fn ben_infant_nka() {
    let mut app = demo_chart(BEN);
    snap("ben_cover", &mut app);
    keys(&mut app, "5");
    snap("ben_vitals", &mut app);
    keys(&mut app, "7");
    snap("ben_immunizations", &mut app);
}

#[test]
fn dee_sparse_record() {
    let mut app = demo_chart(DEE);
    for (n, name) in [
        ('1', "cover"),
        ('2', "problems"),
        ('3', "medications"),
        ('4', "results"),
        ('5', "vitals"),
        ('6', "encounters"),
        ('8', "notes"),
    ] {
        keys(&mut app, &n.to_string());
        snap(&format!("dee_{n}_{name}"), &mut app);
    }
    keys(&mut app, "4c");
    snap("dee_results_cumulative", &mut app);
    keys(&mut app, "c3");
    press(&mut app, KeyCode::Enter);
    snap("dee_medication_detail", &mut app);
}

#[test]
fn synthea_results_and_encounters() {
    let mut app = demo_chart(SYNTHEA);
    snap("synthea_cover", &mut app);
    keys(&mut app, "4");
    snap("synthea_results", &mut app);
    keys(&mut app, "c");
    snap("synthea_results_cumulative", &mut app);
    keys(&mut app, "6");
    snap("synthea_encounters", &mut app);
    // The last page of a long list keeps the selection on screen.
    press(&mut app, KeyCode::End);
    snap("synthea_encounters_end", &mut app);
}

// ---------------------------------------------------------------------------------------
// Very long values

fn long_bundle() -> String {
    let name = format!("Bartholomew-{}", "Longname".repeat(24)); // 200+ characters
    assert!(name.len() >= 200);
    let sig = format!(
        "Take one tablet by mouth {} then stop",
        "and then another tablet after the meal ".repeat(7)
    );
    assert!(sig.len() >= 300);
    let lab = "Hemoglobin A1c/Hemoglobin.total in Blood by HPLC with an unusually verbose laboratory-specific description";
    let unit = "millimoles per litre of plasma (calculated, verbose unit)";
    serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "long-1",
                "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                    "system": "urn:example:mrn", "value": "MRN-0000000000000000000000000042"}],
                "name": [{"family": name, "given": ["Maximilian", "Alexander", "Fitzgerald"]}],
                "gender": "male", "birthDate": "1970-01-01"}},
            {"resource": {"resourceType": "AllergyIntolerance", "id": "long-alg",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "criticality": "high",
                "code": {"text": "Amoxicillin-clavulanate potassium and every other beta-lactam antibiotic in the hospital formulary"},
                "patient": {"reference": "Patient/long-1"},
                "reaction": [{"manifestation": [{"text": "Generalised urticaria with angioedema of the lips, tongue and airway"}]}]}},
            {"resource": {"resourceType": "Condition", "id": "long-cond",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "code": {"text": "Chronic kidney disease stage 3b with proteinuria, due to type 2 diabetes mellitus and hypertension, under nephrology review"},
                "subject": {"reference": "Patient/long-1"}, "onsetDateTime": "2019-05-01"}},
            {"resource": {"resourceType": "MedicationRequest", "id": "long-mr",
                "status": "active", "intent": "order",
                "medicationCodeableConcept": {"text": "Amlodipine besylate 10 mg / valsartan 320 mg / hydrochlorothiazide 25 mg film-coated tablet"},
                "subject": {"reference": "Patient/long-1"}, "authoredOn": "2026-10-01",
                "requester": {"display": "Dr. Evangelina Montgomery-Featherstonehaugh-Cholmondeley"},
                "dosageInstruction": [{"text": sig}]}},
            {"resource": {"resourceType": "Observation", "id": "long-lab-1", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": lab}, "subject": {"reference": "Patient/long-1"},
                "effectiveDateTime": "2026-10-20T09:30:00-04:00",
                "valueQuantity": {"value": 123456.789, "unit": unit},
                "referenceRange": [{"low": {"value": 100000, "unit": unit}, "high": {"value": 120000, "unit": unit}}]}},
            {"resource": {"resourceType": "Observation", "id": "long-lab-2", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": lab}, "subject": {"reference": "Patient/long-1"},
                "effectiveDateTime": "2026-09-20T09:30:00-04:00",
                "valueQuantity": {"value": 110000.5, "unit": unit},
                "referenceRange": [{"low": {"value": 100000, "unit": unit}, "high": {"value": 120000, "unit": unit}}]}},
            {"resource": {"resourceType": "Encounter", "id": "long-enc", "status": "finished",
                "class": {"code": "AMB", "display": "ambulatory"},
                "type": [{"text": "Comprehensive multidisciplinary outpatient review with pharmacist-led medication reconciliation"}],
                "subject": {"reference": "Patient/long-1"},
                "period": {"start": "2026-10-20T08:45:00-04:00"},
                "reasonCode": [{"text": "Follow-up of poorly controlled hypertension despite triple therapy and lifestyle advice"}]}}
        ]
    })
    .to_string()
}

#[test]
fn long_values_compact_and_never_panic() {
    let source = inline_source(&long_bundle());
    let mut app = file_app(default_theme());
    open(&mut app, &source, "long-1");
    snap("long_cover", &mut app);

    // The banner compacts: the name is cut, born date and sex stay on line one.
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let first = row_text(buf, 0);
    assert!(first.contains('…'), "name not cut: {first:?}");
    assert!(first.contains("01-Jan-1970"), "born date lost: {first:?}");
    assert!(first.contains(" M"), "sex lost: {first:?}");
    assert_eq!(find_all(buf, "Born").len(), 0, "labels kept: {first:?}");
    assert!(
        row_text(buf, 1).contains("ALLERGIES (1) HIGH RISK"),
        "{:?}",
        row_text(buf, 1)
    );

    for (tab, name) in [('2', "problems"), ('3', "medications"), ('4', "results")] {
        keys(&mut app, &tab.to_string());
        snap(&format!("long_{tab}_{name}"), &mut app);
    }
    keys(&mut app, "c");
    snap("long_results_cumulative", &mut app);
    keys(&mut app, "c3");
    press(&mut app, KeyCode::Enter);
    snap("long_medication_detail", &mut app);

    // Every screen at a tiny 40x12 (and smaller) draws without panicking.
    for (w, h) in [(40, 12), (20, 6), (1, 1)] {
        for tab in "12345678".chars() {
            keys(&mut app, &tab.to_string());
            for extra in [None, Some(KeyCode::Enter)] {
                if let Some(k) = extra {
                    press(&mut app, k);
                }
                let t = draw(&mut app, w, h);
                if (w, h) == (40, 12) {
                    let buf = t.backend().buffer();
                    let first = row_text(buf, 0);
                    assert!(first.contains("01-Jan-1970"), "40x12 banner: {first:?}");
                }
                if app.chart.as_ref().unwrap().detail {
                    press(&mut app, KeyCode::Esc);
                }
            }
        }
        keys(&mut app, "4c");
        draw(&mut app, w, h);
        keys(&mut app, "c?");
        draw(&mut app, w, h);
        press(&mut app, KeyCode::Esc);
        keys(&mut app, "1");
    }
    update(&mut app, Msg::Resize(40, 12));
    keys(&mut app, "1");
    let t = draw(&mut app, 40, 12);
    insta::assert_snapshot!("long_cover_40x12", t.backend());
    keys(&mut app, "3");
    let t = draw(&mut app, 40, 12);
    insta::assert_snapshot!("long_medications_40x12", t.backend());
    keys(&mut app, "4");
    let t = draw(&mut app, 40, 12);
    insta::assert_snapshot!("long_results_40x12", t.backend());
}

#[test]
fn long_search_row() {
    let source = inline_source(&long_bundle());
    let mut app = file_app(default_theme());
    let cmds = start_search(&mut app, "Bartholomew");
    answer_search(&mut app, &source, cmds);
    snap("long_search", &mut app);
}

// ---------------------------------------------------------------------------------------
// A hostile record: control sequences, bidi overrides and zero-width characters

const EVIL: &str =
    "\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202e}\u{200b}\u{2066}\u{feff}\u{7f}";

fn hostile_bundle() -> String {
    let e = |s: &str| format!("{s}{EVIL}{s}");
    let note = format!(
        "Line one {EVIL}\r\nLine two\u{1b}P+q\u{1b}\\ \u{90}dcs\u{9c} \u{85} \u{2028}end\u{202e}gnirts\u{2069}\u{0}"
    );
    let b64 = base64_encode(note.as_bytes());
    serde_json::json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": {"resourceType": "Patient", "id": "evil-1",
                "identifier": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                    "system": "urn:example:mrn", "value": e("MRN")}],
                "name": [{"family": e("Evil"), "given": [e("Mallory")]}],
                "gender": "female", "birthDate": "1980-05-05"}},
            {"resource": {"resourceType": "AllergyIntolerance", "id": "evil-alg",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "criticality": "low",
                "code": {"text": e("Peanut")},
                "patient": {"reference": "Patient/evil-1"},
                "reaction": [{"manifestation": [{"text": e("Hives")}]}]}},
            {"resource": {"resourceType": "Condition", "id": "evil-cond",
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "verificationStatus": {"coding": [{"code": "confirmed"}]},
                "code": {"text": e("Asthma"), "coding": [{"system": "http://snomed.info/sct", "code": e("195967001")}]},
                "subject": {"reference": "Patient/evil-1"}, "onsetString": e("Childhood")}},
            {"resource": {"resourceType": "MedicationRequest", "id": "evil-mr",
                "status": "active", "intent": "order",
                "medicationCodeableConcept": {"text": e("Salbutamol inhaler")},
                "subject": {"reference": "Patient/evil-1"}, "authoredOn": "2026-10-01",
                "requester": {"display": e("Dr. Eve")},
                "dosageInstruction": [{"text": e("Two puffs as needed")}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-lab", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": e("Potassium"), "coding": [{"system": "http://loinc.org", "code": e("2823-3")}]},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-20T09:30:00-04:00",
                "valueQuantity": {"value": 6.9, "unit": e("mmol/L")},
                "interpretation": [{"coding": [{"code": "HH"}], "text": e("critical")}],
                "referenceRange": [{"low": {"value": 3.5, "unit": e("mmol/L")}, "high": {"value": 5.1, "unit": e("mmol/L")}}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-lab-2", "status": "final",
                "category": [{"coding": [{"code": "laboratory"}]}],
                "code": {"text": e("Culture")},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-19T09:30:00-04:00",
                "valueString": e("Growth"),
                "referenceRange": [{"text": e("No growth")}]}},
            {"resource": {"resourceType": "Observation", "id": "evil-vital", "status": "final",
                "category": [{"coding": [{"code": "vital-signs"}]}],
                "code": {"text": e("Heart rate"), "coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                "subject": {"reference": "Patient/evil-1"},
                "effectiveDateTime": "2026-10-20T09:30:00-04:00",
                "valueQuantity": {"value": 88, "unit": e("/min")}}},
            {"resource": {"resourceType": "Encounter", "id": "evil-enc", "status": "finished",
                "class": {"code": "AMB", "display": e("ambulatory")},
                "type": [{"text": e("Office visit")}],
                "subject": {"reference": "Patient/evil-1"},
                "participant": [{"individual": {"display": e("Dr. Eve")}}],
                "location": [{"location": {"display": e("Room 101")}}],
                "period": {"start": "2026-10-20T08:45:00-04:00"},
                "reasonCode": [{"text": e("Wheeze")}]}},
            {"resource": {"resourceType": "Immunization", "id": "evil-imm", "status": "completed",
                "vaccineCode": {"text": e("Influenza vaccine")},
                "patient": {"reference": "Patient/evil-1"},
                "occurrenceDateTime": "2026-10-20T09:20:00-04:00",
                "lotNumber": e("LOT"),
                "site": {"text": e("Left arm")},
                "doseQuantity": {"value": 0.5, "unit": e("mL")}}},
            {"resource": {"resourceType": "DocumentReference", "id": "evil-doc", "status": "current",
                "type": {"text": e("Progress note")},
                "subject": {"reference": "Patient/evil-1"},
                "date": "2026-10-20T10:05:00-04:00",
                "author": [{"display": e("Dr. Eve")}],
                "description": e("Follow-up"),
                "content": [
                    {"attachment": {"contentType": "text/plain; charset=utf-8", "data": b64}},
                    {"attachment": {"contentType": e("application/pdf"), "title": e("Scan"), "url": "https://example.org/scan.pdf"}}
                ]}}
        ]
    })
    .to_string()
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn hostile_text_never_reaches_the_terminal() {
    let source = inline_source(&hostile_bundle());
    let mut app = file_app(default_theme());

    // The search row.
    let cmds = start_search(&mut app, "Evil");
    answer_search(&mut app, &source, cmds);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        assert_clean(t.backend().buffer(), "search");
    }
    let found = app.search.results.loaded().map_or(0, Vec::len);
    assert_eq!(found, 1, "the hostile patient is found by name");
    press(&mut app, KeyCode::Down);
    let cmds = press(&mut app, KeyCode::Enter);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        assert_clean(t.backend().buffer(), "chart loading");
    }
    answer_chart(&mut app, &source, cmds);
    snap("hostile_cover", &mut app);

    for tab in "12345678".chars() {
        keys(&mut app, &tab.to_string());
        for (w, h) in [(80, 24), (120, 40), (40, 12)] {
            let t = draw(&mut app, w, h);
            assert_clean(t.backend().buffer(), &format!("tab {tab} at {w}x{h}"));
        }
        press(&mut app, KeyCode::Enter);
        for (w, h) in [(80, 24), (120, 40), (40, 12)] {
            let t = draw(&mut app, w, h);
            assert_clean(
                t.backend().buffer(),
                &format!("tab {tab} detail at {w}x{h}"),
            );
        }
        if tab == '8' {
            snap("hostile_note_full", &mut app);
        }
        if tab == '4' {
            snap("hostile_results_detail", &mut app);
        }
        if app.chart.as_ref().unwrap().detail {
            press(&mut app, KeyCode::Esc);
        }
        assert_eq!(app.screen, Screen::Chart);
    }
    keys(&mut app, "4c");
    let t = draw(&mut app, 120, 40);
    assert_clean(t.backend().buffer(), "cumulative");
    keys(&mut app, "c");
    snap("hostile_results", &mut app);

    // Typed and pasted text is cleaned as well.
    keys(&mut app, "/");
    update(&mut app, Msg::Paste(format!("x{EVIL}y")));
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "filter paste");
    press(&mut app, KeyCode::Esc);
    keys(&mut app, ":");
    update(&mut app, Msg::Paste(format!("theme {EVIL}")));
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "command paste");
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "command error");
    keys(&mut app, "?/");
    update(&mut app, Msg::Paste(EVIL.into()));
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "help filter");
}

#[test]
fn hostile_chart_error_message_is_cleaned() {
    let mut app = demo_app();
    let cmds = update(&mut app, Msg::OpenPatient(format!("x{EVIL}y")));
    let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "loading by id");
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Chart(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::ServerRefused,
                format!("server said {EVIL} no"),
            ))),
        }),
    );
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        assert_clean(t.backend().buffer(), "chart error");
    }
    let mut app = demo_app();
    let cmds = start_search(&mut app, "Testwell");
    let [Command::Search { req, .. }] = cmds.as_slice() else {
        panic!("{cmds:?}");
    };
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::ServerRefused,
                format!("bad {EVIL} gateway"),
            ))),
        }),
    );
    let t = draw(&mut app, 80, 24);
    assert_clean(t.backend().buffer(), "search error");
}

// ---------------------------------------------------------------------------------------
// Styles that carry meaning

#[test]
fn result_flags_use_the_critical_and_abnormal_styles() {
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let buf = t.backend().buffer();
        let (flag_x, header_y) = find(buf, "FLAG");
        let mut seen = (0, 0);
        // Skip the selected first row: the selection style is laid over it.
        for y in header_y + 2..buf.area.height - 1 {
            let sym = |dx: u16| buf[(flag_x + dx, y)].symbol().to_owned();
            let flag = format!("{}{}", sym(0), sym(1));
            let (slot, len) = match flag.as_str() {
                "HH" | "LL" => (app.theme.critical, 2),
                "H " | "L " => (app.theme.abnormal, 1),
                _ => continue,
            };
            if len == 2 {
                seen.0 += 1;
            } else {
                seen.1 += 1;
            }
            assert_span_style(buf, (flag_x, y), len, slot, &format!("flag {flag:?}"));
        }
        assert!(
            seen.0 >= 1 && seen.1 >= 3,
            "{w}x{h}: saw {seen:?} critical/abnormal flags\n{}",
            screen_text(buf)
        );
    }
    // The detail popup colours the flag line by the result's own flag.
    keys(&mut app, "/potassium");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let at = find(buf, "HH (sent by the lab)");
    assert_span_style(buf, at, 2, app.theme.critical, "detail HH");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let at = find(buf, "Sodium");
    let (_, y) = at;
    let (x, _) = find(buf, "FLAG");
    assert_span_style(buf, (x, y), 1, app.theme.abnormal, "Sodium L");
    let (x, _) = find(buf, "VALUE");
    assert_span_style(buf, (x, y), 3, app.theme.abnormal, "Sodium 128");

    // The cumulative view carries the same styles.
    keys(&mut app, "c");
    let t = draw(&mut app, 120, 40);
    let buf = t.backend().buffer();
    let at = find(buf, "0.005 LL");
    assert_span_style(buf, at, 8, app.theme.critical, "cumulative LL");
    let at = find(buf, "128 L");
    assert_span_style(buf, at, 5, app.theme.abnormal, "cumulative L");
}

#[test]
fn banner_flags_use_their_theme_slots() {
    type Slot = fn(&Theme) -> Style;
    let cases: [(&str, &str, Slot); 3] = [
        (ADA, "ALLERGIES (2)", |t| t.banner_allergy),
        (CORA, "ALLERGIES NOT KNOWN", |t| t.banner_unknown),
        (BEN, "NKA (recorded)", |t| t.banner_nka),
    ];
    for (id, text, slot) in cases {
        let mut app = demo_chart(id);
        for (w, h) in SIZES {
            let t = draw(&mut app, w, h);
            let buf = t.backend().buffer();
            let (x, y) = find(buf, text);
            assert_eq!(y, 1, "{id}: {text} not on banner line two");
            let style = slot(&app.theme);
            assert_span_style(buf, (x, y), text.chars().count(), style, id);
        }
    }
    let mut app = demo_chart(CORA);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let buf = t.backend().buffer();
        let (x, y) = find(buf, "DIED 14-FEB-2026");
        assert_eq!(y, 1);
        assert_span_style(buf, (x, y), 16, app.theme.banner_deceased, "deceased");
    }
}

#[test]
fn the_selected_row_uses_the_selected_style() {
    let mut app = demo_chart(ADA);
    for tab in ["2", "4", "6", "7", "8"] {
        keys(&mut app, tab);
        press(&mut app, KeyCode::Down);
        for (w, h) in SIZES {
            let t = draw(&mut app, w, h);
            let buf = t.backend().buffer();
            // The header row is the first row below the tab bar that has the header style;
            // the selected row is the second data row.
            let header_y = (3..buf.area.height)
                .find(|y| has_style(&buf[(0, *y)], app.theme.header))
                .unwrap_or_else(|| panic!("tab {tab}: no header\n{}", screen_text(buf)));
            let y = header_y + 2;
            for x in 0..buf.area.width {
                assert!(
                    has_style(&buf[(x, y)], app.theme.selected),
                    "tab {tab} {w}x{h}: cell ({x},{y}) {:?}\n{}",
                    buf[(x, y)].style(),
                    screen_text(buf)
                );
            }
            assert!(!has_style(&buf[(0, y - 1)], app.theme.selected));
        }
    }
    // Medications below 120 columns: two lines per item, both highlighted.
    keys(&mut app, "3");
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let (_, y) = find(buf, "Oxycodone");
    for yy in [y, y + 1] {
        assert!(has_style(&buf[(0, yy)], app.theme.selected));
        assert!(has_style(&buf[(79, yy)], app.theme.selected));
    }
}

#[test]
fn no_color_theme_leaves_every_colour_reset() {
    let theme = default_theme().without_color();
    let source = demo_source().unwrap();
    let mut app = new_app(source.info(), theme);
    let mut screens: Vec<Buffer> = Vec::new();
    let mut grab = |app: &mut App| {
        for (w, h) in SIZES {
            screens.push(draw(app, w, h).backend().buffer().clone());
        }
    };
    grab(&mut app);
    let cmds = start_search(&mut app, "Testwell");
    grab(&mut app);
    answer_search(&mut app, &source, cmds);
    press(&mut app, KeyCode::Down);
    grab(&mut app);
    for id in [ADA, CORA, BEN] {
        open(&mut app, &source, id);
        for tab in "12345678".chars() {
            keys(&mut app, &tab.to_string());
            grab(&mut app);
            press(&mut app, KeyCode::Enter);
            grab(&mut app);
            if app.chart.as_ref().unwrap().detail {
                press(&mut app, KeyCode::Esc);
            }
        }
        keys(&mut app, "4c");
        grab(&mut app);
        keys(&mut app, "?");
        grab(&mut app);
        press(&mut app, KeyCode::Esc);
    }
    for (i, buf) in screens.iter().enumerate() {
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                let s = buf[(x, y)].style();
                for c in [s.fg, s.bg].into_iter().flatten() {
                    assert_eq!(c, Color::Reset, "screen {i} cell ({x},{y}) has {c:?}");
                }
            }
        }
    }
    // Meaning still shows without colour: the allergy flag is bold or reversed.
    open(&mut app, &source, ADA);
    let t = draw(&mut app, 80, 24);
    let buf = t.backend().buffer();
    let at = find(buf, "ALLERGIES (2)");
    assert!(!buf[at].style().add_modifier.is_empty());
}

#[test]
fn chart_screens_at_80x24_keep_banner_and_status_line() {
    let source = demo_source().unwrap();
    for id in [ADA, BEN, CORA, DEE, SYNTHEA] {
        let mut app = demo_app();
        open(&mut app, &source, id);
        for tab in "12345678".chars() {
            keys(&mut app, &tab.to_string());
            for detail in [false, true] {
                if detail {
                    press(&mut app, KeyCode::Enter);
                }
                let t = draw(&mut app, 80, 24);
                check_frame(&app, t.backend().buffer());
                if app.chart.as_ref().unwrap().detail {
                    press(&mut app, KeyCode::Esc);
                }
                assert_eq!(app.screen, Screen::Chart);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The idle lock: the countdown over the chart, and a lock screen with no patient data

#[test]
fn idle_lock_countdown_then_lock_screen() {
    use std::time::{Duration, Instant};
    let mut app = demo_chart(ADA);
    keys(&mut app, "4");
    let t0 = Instant::now();
    app.lock = rounds::app::IdleLock::new(Some(Duration::from_secs(300)), t0);
    update(&mut app, Msg::Clock(t0 + Duration::from_millis(255_500)));
    snap("idle_lock_countdown", &mut app);
    let t = draw(&mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(text.contains("Locking in 45 s"), "{text}");
    assert!(text.contains("TESTWELL"), "the banner stays until the lock");

    update(&mut app, Msg::Clock(t0 + Duration::from_secs(300)));
    snap("idle_lock_locked", &mut app);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let text = screen_text(t.backend().buffer());
        assert!(text.contains("LOCKED") && text.contains("after 5 min without input"));
        for phi in ["TESTWELL", "Ada", "RND100101", "04-Mar-1958", "Potassium"] {
            assert!(!text.contains(phi), "'{phi}' on the lock screen:\n{text}");
        }
    }
    // A failed sign-in says why, on the lock screen.
    let cmds = press(&mut app, KeyCode::Enter);
    let [Command::Unlock { req }] = cmds.as_slice() else {
        panic!("expected an unlock, got {cmds:?}");
    };
    snap("idle_lock_unlocking", &mut app);
    update(
        &mut app,
        Msg::Response(Response {
            req: *req,
            result: ResponseResult::Unlocked(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::AuthExpired,
                "sign-in \u{1b}[31mrefused",
            ))),
        }),
    );
    snap("idle_lock_unlock_failed", &mut app);
}

#[test]
fn the_status_line_names_the_sign_in_profile() {
    let info = SourceInfo {
        kind: SourceKind::Server,
        label: "https://ehr.example/fhir".into(),
        tls_unverified: false,
    };
    let mut app = new_app(info.clone(), default_theme());
    let t = draw(&mut app, 80, 24);
    assert!(row_text(t.backend().buffer(), 23).starts_with(" https://ehr.example/fhir "));
    let mut app = new_app(info, default_theme());
    app.profile = Some("clinic".into());
    let t = draw(&mut app, 80, 24);
    let status = row_text(t.backend().buffer(), 23);
    assert!(
        status.starts_with(" [clinic] https://ehr.example/fhir "),
        "{status}"
    );
}

#[test]
fn signing_in_again_on_the_lock_screen_and_after_a_401() {
    let mut app = demo_chart(ADA);
    press(&mut app, KeyCode::Char('4'));
    let cmds = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)),
    );
    assert!(cmds.contains(&Command::Forget));
    let cmds = press(&mut app, KeyCode::Enter);
    let [Command::Unlock { req }] = cmds.as_slice() else {
        panic!("expected an unlock, got {cmds:?}");
    };
    let req = *req;
    let url = "https://ehr.example/oauth2/authorize?response_type=code&client_id=rounds&state=Xq3&code_challenge=E9Mel&code_challenge_method=S256&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback&aud=https%3A%2F%2Fehr.example%2Ffhir";
    update(
        &mut app,
        Msg::Response(Response {
            req,
            result: ResponseResult::SignInPrompt(vec![
                "Open this address in a browser to sign in:".into(),
                format!("  {url}"),
                "Or forward the port first: ssh -L 5555:127.0.0.1:5555 clinician@clinic-server"
                    .into(),
            ]),
        }),
    );
    update(
        &mut app,
        Msg::Paste("http://127.0.0.1:5555/callback?code=SECRETCODE".into()),
    );
    snap("sign_in_on_the_lock_screen", &mut app);
    for (w, h) in SIZES {
        let t = draw(&mut app, w, h);
        let text = screen_text(t.backend().buffer());
        assert!(!text.contains("SECRETCODE"), "the pasted address is hidden");
        assert!(!text.contains("TESTWELL"), "{text}");
        // The address is shown whole, however it wraps.
        let joined: String = text.lines().map(str::trim).collect();
        assert!(
            joined.contains("aud=https%3A%2F%2Fehr.example%2Ffhir"),
            "{text}"
        );
    }

    // After a 401 on a server: the notice over the lower screen; the banner stays.
    let info = SourceInfo {
        kind: SourceKind::Server,
        label: "https://ehr.example/fhir".into(),
        tls_unverified: false,
    };
    let mut app = new_app(info, default_theme());
    open(&mut app, &demo_source().unwrap(), ADA);
    update(
        &mut app,
        Msg::Response(Response {
            req: rounds::app::RequestId(99),
            result: ResponseResult::Search(Err(rounds::common::Failure::new(
                rounds::common::FailureKind::AuthExpired,
                "the server did not accept the login (HTTP 401): log in again",
            ))),
        }),
    );
    snap("session_ended_notice", &mut app);
    let t = draw(&mut app, 80, 24);
    let text = screen_text(t.backend().buffer());
    assert!(
        text.contains("TESTWELL") && text.contains("Enter: sign in again"),
        "{text}"
    );
}
