//! The TUI harness shared by the test crates that drive `rounds::app` without a terminal:
//! an `App` on a fixed "today", keys fed through the default keymap and `update`, a fake
//! worker that answers the returned `Command`s from any `DataSource` the way
//! `rounds::worker::Worker` does, and the screen drawn into ratatui's `TestBackend`, read
//! back as text and checked for styles. No sleeps, no network of its own.

use std::sync::{Arc, Mutex, OnceLock};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use rounds::app::{App, Command, Msg, RequestId, Response, ResponseResult, update};
use rounds::config::{Keymap, Theme};
use rounds::fhir::client::PatientSink;
use rounds::fhir::model::Patient;
use rounds::source::{DataSource, LocalSource, NoPrompt, SourceInfo, demo_source};
use serde_json::Value;

use super::today;

// ---------------------------------------------------------------------------------------
// The demo patients (fixtures/clinical and a few Synthea patients, built into rounds)

/// Allergies (two, one high risk), abnormal and critical results, notes, a look-alike.
pub const ADA: &str = "rnd-ada-testwell";
/// The look-alike of Ada: same name and birth date, another MRN.
pub const ADA_LOOKALIKE: &str = "rnd-ada-testwell-lookalike";
/// An infant with "no known allergies" recorded.
pub const BEN: &str = "rnd-ben-nkaman";
/// A deceased patient whose allergies are not known.
pub const CORA: &str = "rnd-cora-lastday";
/// A sparse record: most sections empty, most fields missing.
pub const DEE: &str = "rnd-dee-sparse";
/// A Synthea patient with long lists of results and encounters.
pub const SYNTHEA: &str = "75e95f92-3bfa-454f-aa99-99375173f201";
/// Another Synthea patient (Kermit Trantow).
pub const KERMIT: &str = "1f456f0a-acb1-4728-82af-01ca57083c7b";

/// The demo source, parsed once per test process (it is read-only).
pub fn demo() -> &'static LocalSource {
    static DEMO: OnceLock<LocalSource> = OnceLock::new();
    DEMO.get_or_init(|| demo_source().unwrap())
}

// ---------------------------------------------------------------------------------------
// Building an App

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn default_theme() -> Theme {
    Theme::built_in("default").unwrap()
}

/// An app on the search screen, with the default keymap and the fixed "today".
pub fn new_app(info: SourceInfo, theme: Theme) -> App {
    App::new(info, today(), theme, Keymap::default_keymap())
}

/// An app for `source`, in the default theme.
pub fn app_for(source: &dyn DataSource) -> App {
    new_app(source.info(), default_theme())
}

/// An app on the demo patients, in the default theme.
pub fn demo_app() -> App {
    app_for(demo())
}

// ---------------------------------------------------------------------------------------
// Keys

/// A key with no modifier.
pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A typed character, as a terminal sends it (Shift with a capital letter).
pub fn ch(c: char) -> Msg {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

/// Ctrl and a character.
pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Press a key; the commands it asks for, not answered.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Command> {
    update(app, key(code))
}

/// Type `text`, one key per character: tab digits, view keys, a filter or a search. None
/// of it may ask the worker for anything.
pub fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let cmds = update(app, ch(c));
        assert!(cmds.is_empty(), "typing {c:?} asked for work: {cmds:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The fake worker

/// The runtime a worker blocks on: its own, or the caller's (a `RemoteSource` must keep
/// to the runtime its connections were made on).
enum Rt<'a> {
    Own(tokio::runtime::Runtime),
    Shared(&'a tokio::runtime::Runtime),
}

/// Answers `Command`s the way `rounds::worker::Worker` does, synchronously: a search with
/// its results; a chart with its Patient (when the source hands it over early), its first
/// screen, then the rest under the same request id; errors as typed `Failure`s (a refused
/// session is a failure of kind `AuthExpired`); `Forget` passed on to the source.
pub struct FakeWorker<'a> {
    rt: Rt<'a>,
    pub source: &'a dyn DataSource,
}

impl<'a> FakeWorker<'a> {
    /// A worker on a runtime of its own.
    pub fn new(source: &'a dyn DataSource) -> FakeWorker<'a> {
        FakeWorker {
            rt: Rt::Own(runtime()),
            source,
        }
    }

    /// A worker on the caller's runtime.
    pub fn on(rt: &'a tokio::runtime::Runtime, source: &'a dyn DataSource) -> FakeWorker<'a> {
        FakeWorker {
            rt: Rt::Shared(rt),
            source,
        }
    }

    pub fn rt(&self) -> &tokio::runtime::Runtime {
        match &self.rt {
            Rt::Own(rt) => rt,
            Rt::Shared(rt) => rt,
        }
    }

    /// Every response the worker sends for `command`, in order (none for `Forget`, a
    /// pasted redirect or a cancelled sign-in).
    pub fn responses(&self, command: &Command) -> Vec<Response> {
        let mut out = Vec::new();
        match command {
            Command::Search { req, query, limit } => {
                let found = self.rt().block_on(self.source.search(query, *limit));
                let result = found.map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::Search(result)));
            }
            Command::LoadChart { req, patient_id } => {
                let early: Arc<Mutex<Option<Value>>> = Arc::default();
                let sink = early.clone();
                let banner: PatientSink = Box::new(move |json| {
                    *sink.lock().unwrap() = Some(json);
                });
                let first = self
                    .rt()
                    .block_on(self.source.first_screen_early(patient_id, banner));
                let early = early.lock().unwrap().take();
                if let Some(p) = early.and_then(|j| serde_json::from_value::<Patient>(j).ok()) {
                    out.push(response(*req, ResponseResult::Patient(Box::new(p))));
                }
                let (first, rest) = match first {
                    Ok((record, rest)) => (Ok(Box::new(record)), rest),
                    Err(e) => (Err(e.failure()), None),
                };
                out.push(response(*req, ResponseResult::Chart(first)));
                if let Some(rest) = rest {
                    let rest = self.rt().block_on(self.source.rest(rest));
                    let result = rest.map(Box::new).map_err(|e| e.failure());
                    out.push(response(*req, ResponseResult::ChartRest(result)));
                }
            }
            Command::Unlock { req } | Command::SignIn { req } => {
                let result = self
                    .rt()
                    .block_on(self.source.reauthenticate(&NoPrompt))
                    .map_err(|e| e.failure());
                let result = if matches!(command, Command::Unlock { .. }) {
                    ResponseResult::Unlocked(result)
                } else {
                    ResponseResult::SignedIn(result)
                };
                out.push(response(*req, result));
            }
            Command::Forget => self.source.forget(),
            Command::KeepOffline { record } => self.rt().block_on(self.source.keep_offline(record)),
            Command::RefreshOffline { req, patient_id } => {
                let all = rounds::fhir::Section::ALL;
                let record = self.rt().block_on(self.source.record(patient_id, &all));
                if let Some(record) = record.ok().filter(|r| r.offline_as_of.is_none()) {
                    out.push(response(*req, ResponseResult::Refreshed(Box::new(record))));
                }
            }
            Command::PasteRedirect { .. } | Command::CancelSignIn | Command::StopSyncOffline => {}
            Command::SyncOffline { req } => {
                let synced = self.rt().block_on(self.source.sync_offline(&|| false));
                if let Some(result) = synced.map_err(|e| e.failure()).transpose() {
                    out.push(response(*req, ResponseResult::OfflineSynced(result)));
                }
            }
            Command::TogglePin { req, patient_id } => {
                let result = self.rt().block_on(self.source.toggle_pin(patient_id));
                let result = result.map_err(|e| e.failure());
                let patient_id = patient_id.clone();
                out.push(response(
                    *req,
                    ResponseResult::Pinned { patient_id, result },
                ));
            }
            Command::Submit { req, item } => {
                let result = self.rt().block_on(self.source.submit((**item).clone()));
                let result = result.map(Box::new).map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::Submitted(result)));
            }
            c @ (Command::CheckRegistration { .. }
            | Command::Register { .. }
            | Command::ReadPatient { .. }
            | Command::UpdateDemographics { .. }) => {
                let answer = rounds::worker::desk::answer(self.source, c.clone());
                out.extend(self.rt().block_on(answer));
            }
            Command::LoadSchedule {
                req,
                request,
                known,
            } => {
                let result = self
                    .rt()
                    .block_on(self.source.schedule(request, known.as_ref()));
                let result = result.map(Box::new).map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::Schedule(result)));
            }
            Command::CheckIn {
                req,
                id,
                known,
                encounter,
            } => {
                let result = self.rt().block_on(rounds::source::schedule::check_in(
                    self.source,
                    id,
                    Some(known),
                    *encounter,
                ));
                let result = result.map(|(o, _)| Box::new(o)).map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::CheckedIn(result)));
            }
            Command::LoadList { req, request } => {
                let result = self
                    .rt()
                    .block_on(rounds::source::lists::fetch_list(self.source, request));
                let result = result.map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::List(result)));
            }
            Command::LoadGlances {
                req,
                patient_ids,
                today,
            } => {
                let result = self.rt().block_on(self.source.glances(patient_ids, *today));
                let result = result.map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::Glances(result)));
            }
            Command::LoadOutbox { req } => {
                let result = self.rt().block_on(self.source.outbox());
                let result = result.map(Box::new).map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::Outbox(result)));
            }
            Command::SendOutbox { req, which } => {
                let result = self.rt().block_on(self.source.send_pending(which.clone()));
                let result = result.map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::OutboxSent(result)));
            }
            Command::Discard { req, id } => {
                let result = self.rt().block_on(self.source.discard(id));
                let result = result.map_err(|e| e.failure());
                out.push(response(*req, ResponseResult::Discarded(result)));
            }
            // The event loop's: a test answers it with `Msg::Edited` itself.
            Command::EditNote { .. } => {}
        }
        out
    }

    /// The one response to `command` (a chart from a source that loads it in one piece).
    pub fn answer(&self, command: &Command) -> Response {
        let mut all = self.responses(command);
        assert_eq!(all.len(), 1, "{command:?} got {all:?}");
        all.remove(0)
    }

    /// A chart response for `req` carrying `patient_id`'s record (whoever asked).
    pub fn chart_response(&self, req: RequestId, patient_id: &str) -> Response {
        self.answer(&Command::LoadChart {
            req,
            patient_id: patient_id.to_owned(),
        })
    }

    /// Answer `commands` into `app`, one response at a time; the commands the responses
    /// asked for in turn.
    pub fn run(&self, app: &mut App, commands: Vec<Command>) -> Vec<Command> {
        let mut more = Vec::new();
        for c in &commands {
            for r in self.responses(c) {
                more.extend(update(app, Msg::Response(r)));
            }
        }
        more
    }
}

fn response(req: RequestId, result: ResponseResult) -> Response {
    Response { req, result }
}

/// Answer the one `LoadChart` among `cmds` (a `Forget` of the previous chart needs no
/// answer) from `source`.
pub fn answer_chart(app: &mut App, source: &dyn DataSource, cmds: Vec<Command>) {
    let cmds: Vec<Command> = cmds
        .into_iter()
        .filter(|c| !matches!(c, Command::Forget))
        .collect();
    assert!(
        matches!(cmds.as_slice(), [Command::LoadChart { .. }]),
        "expected one LoadChart, got {cmds:?}"
    );
    FakeWorker::new(source).run(app, cmds);
}

/// Answer the one `Search` in `cmds` from `source`.
pub fn answer_search(app: &mut App, source: &dyn DataSource, cmds: Vec<Command>) {
    assert!(
        matches!(cmds.as_slice(), [Command::Search { .. }]),
        "expected one Search, got {cmds:?}"
    );
    FakeWorker::new(source).run(app, cmds);
}

// ---------------------------------------------------------------------------------------
// Drawing and reading the screen

/// Resize the app to `w`x`h` and draw it into a fresh `TestBackend`.
pub fn draw(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    update(app, Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| rounds::ui::render(f, app)).unwrap();
    t
}

/// The text of row `y` (wide characters once, their continuation cells skipped) and, for
/// each byte offset of that text, the column it came from.
pub fn row(buf: &Buffer, y: u16) -> (String, Vec<u16>) {
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

pub fn row_text(buf: &Buffer, y: u16) -> String {
    row(buf, y).0
}

/// The whole screen as text, rows joined by `\n`.
pub fn screen_text(buf: &Buffer) -> String {
    (0..buf.area.height)
        .map(|y| row_text(buf, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every (x, y) where `needle` starts.
pub fn find_all(buf: &Buffer, needle: &str) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let (text, cols) = row(buf, y);
        for (i, _) in text.match_indices(needle) {
            out.push((cols[i], y));
        }
    }
    out
}

/// Where `needle` first starts; panics with the screen if it is not on it.
pub fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    *find_all(buf, needle)
        .first()
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", screen_text(buf)))
}

/// Whether a cell carries a theme slot: its colours where the slot sets them, and at least
/// its modifiers.
pub fn has_style(cell: &Cell, slot: Style) -> bool {
    let s = cell.style();
    slot.fg.is_none_or(|c| s.fg == Some(c))
        && slot.bg.is_none_or(|c| s.bg == Some(c))
        && s.add_modifier.contains(slot.add_modifier)
}

/// Assert that the `len` cells from `at` carry the theme slot `slot`.
pub fn assert_span_style(buf: &Buffer, at: (u16, u16), len: usize, slot: Style, what: &str) {
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

/// Find `text` on screen and assert that all of it carries `slot`.
pub fn assert_text_style(buf: &Buffer, text: &str, slot: Style, what: &str) {
    let at = find(buf, text);
    assert_span_style(buf, at, text.chars().count(), slot, what);
}

/// Characters that may not reach a terminal: C0 and C1 controls, DEL, bidi embeddings,
/// overrides, isolates and marks, and the invisible characters the sanitizer removes.
pub fn forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
        | '\u{200b}' | '\u{200c}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{180e}'
        | '\u{fff9}'..='\u{fffb}' | '\u{e0000}'..='\u{e007f}')
}

/// The first cell holding a forbidden character: (x, y, symbol).
pub fn first_forbidden_cell(buf: &Buffer) -> Option<(u16, u16, String)> {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            if sym.chars().any(forbidden) {
                return Some((x, y, sym.to_owned()));
            }
        }
    }
    None
}
