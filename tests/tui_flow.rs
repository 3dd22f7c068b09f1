#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Key-sequence flow tests of the TUI state machine: keys go through the default keymap and
//! `update`; a fake worker answers the returned `Command`s from the built-in demo source, as
//! the real worker would. No terminal, no sleeps, no network.

use std::sync::OnceLock;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use rounds::app::{
    App, Command, Msg, Overlay, Remote, RequestId, Response, ResponseResult, ResultsView,
    SEARCH_LIMIT, Screen, Tab, rows, update,
};
use rounds::config::{Keymap, Theme};
use rounds::fhir::{PatientQuery, Section};
use rounds::source::{DataSource, LocalSource, demo_source};

const ADA: &str = "rnd-ada-testwell";
const ADA_LOOKALIKE: &str = "rnd-ada-testwell-lookalike";
const CORA: &str = "rnd-cora-lastday";
const KERMIT: &str = "1f456f0a-acb1-4728-82af-01ca57083c7b";

// ---------------------------------------------------------------------------------------
// The harness: an App, the demo source, and a fake worker
// ---------------------------------------------------------------------------------------

/// Answers commands the way `rounds::worker::Worker` does, synchronously.
struct FakeWorker {
    rt: tokio::runtime::Runtime,
    source: &'static LocalSource,
}

/// The demo source, parsed once per test process (it is read-only).
fn demo() -> &'static LocalSource {
    static DEMO: OnceLock<LocalSource> = OnceLock::new();
    DEMO.get_or_init(|| demo_source().unwrap())
}

impl FakeWorker {
    fn new() -> FakeWorker {
        FakeWorker {
            rt: tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
            source: demo(),
        }
    }

    fn answer(&self, command: &Command) -> Response {
        match command {
            Command::Search { req, query, limit } => Response {
                req: *req,
                result: ResponseResult::Search(
                    self.rt
                        .block_on(self.source.search(query, *limit))
                        .map_err(|e| e.to_string()),
                ),
            },
            Command::Forget => panic!("Forget needs no answer"),
            // The demo source has no sign-in: unlocking always succeeds.
            Command::Unlock { req } => Response {
                req: *req,
                result: ResponseResult::Unlocked(Ok(())),
            },
            Command::SignIn { req } => Response {
                req: *req,
                result: ResponseResult::SignedIn(Ok(())),
            },
            Command::PasteRedirect { .. } | Command::CancelSignIn => {
                panic!("{command:?} needs no answer")
            }
            Command::LoadChart { req, patient_id } => Response {
                req: *req,
                result: ResponseResult::Chart(
                    self.rt
                        .block_on(self.source.record(patient_id, &Section::ALL))
                        .map(Box::new)
                        .map_err(|e| e.to_string()),
                ),
            },
        }
    }

    /// A chart response for `req` carrying `patient_id`'s record (whoever asked).
    fn chart_response(&self, req: RequestId, patient_id: &str) -> Response {
        self.answer(&Command::LoadChart {
            req,
            patient_id: patient_id.to_owned(),
        })
    }
}

struct Harness {
    app: App,
    worker: FakeWorker,
    /// How many `Command::Forget` were sent.
    forgets: usize,
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), mods))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

impl Harness {
    fn new() -> Harness {
        let worker = FakeWorker::new();
        let app = App::new(
            worker.source.info(),
            NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            Theme::built_in("default").unwrap(),
            Keymap::default_keymap(),
        );
        Harness {
            app,
            worker,
            forgets: 0,
        }
    }

    /// Send a message; return the commands without answering them. `Forget` (drop cached
    /// patient data) needs no answer and is left out; `forgets` counts them.
    fn send(&mut self, msg: Msg) -> Vec<Command> {
        let all = update(&mut self.app, msg);
        self.forgets += all.iter().filter(|c| matches!(c, Command::Forget)).count();
        all.into_iter()
            .filter(|c| !matches!(c, Command::Forget))
            .collect()
    }

    /// Send a message and answer every command it (and the answers) produce.
    fn run(&mut self, msg: Msg) -> Vec<Command> {
        let commands = self.send(msg);
        for c in &commands {
            let response = self.worker.answer(c);
            let more = self.send(Msg::Response(response));
            assert!(more.is_empty(), "a response produced commands: {more:?}");
        }
        commands
    }

    /// Press a key and answer what it asks for.
    fn press(&mut self, code: KeyCode) -> Vec<Command> {
        self.run(key(code))
    }

    fn char(&mut self, c: char) -> Vec<Command> {
        self.run(ch(c))
    }

    /// Type text, one key per character; typing never asks the worker for anything.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let commands = self.send(ch(c));
            assert!(commands.is_empty(), "typing '{c}' sent {commands:?}");
        }
    }

    /// Type a search and press Enter (answered); the search command sent.
    fn search(&mut self, text: &str) -> PatientQuery {
        if !self.app.search.editing {
            self.char('/');
        }
        assert!(self.app.search.editing);
        self.send(ctrl('u'));
        self.type_text(text);
        assert_eq!(self.app.search.input.text(), text);
        let commands = self.press(KeyCode::Enter);
        match commands.as_slice() {
            [Command::Search { query, limit, .. }] => {
                assert_eq!(*limit, SEARCH_LIMIT);
                query.clone()
            }
            other => panic!("expected one search, got {other:?}"),
        }
    }

    /// Run a `:` command line (answered); the commands it sent.
    fn command_line(&mut self, line: &str) -> Vec<Command> {
        let commands = self.send(ch(':'));
        assert!(commands.is_empty());
        assert!(
            matches!(self.app.overlay, Overlay::Command(_)),
            "':' did not open the command line: {:?}",
            self.app.overlay
        );
        self.type_text(line);
        let commands = self.press(KeyCode::Enter);
        assert_eq!(self.app.overlay, Overlay::None);
        commands
    }

    /// Open a patient as `--patient ID` does, and load the chart.
    fn open(&mut self, id: &str) {
        let commands = self.run(Msg::OpenPatient(id.to_owned()));
        assert!(
            matches!(commands.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == id)
        );
        assert_eq!(self.app.screen, Screen::Chart);
        assert!(self.loaded_chart().is_some(), "{id} did not load");
    }

    fn result_ids(&self) -> Vec<String> {
        self.app
            .search
            .results
            .loaded()
            .map(|r| r.iter().map(|p| p.id.clone()).collect())
            .unwrap_or_default()
    }

    fn chart(&self) -> &rounds::app::ChartState {
        self.app.chart.as_ref().expect("a chart is open")
    }

    fn loaded_chart(&self) -> Option<&rounds::chart::Chart> {
        self.app.chart.as_ref()?.data.loaded().map(|b| &**b)
    }

    fn tab(&self) -> Tab {
        self.chart().tab
    }

    fn selected(&self) -> usize {
        self.chart().selected()
    }

    fn rows(&self) -> usize {
        rows::row_count(self.chart())
    }

    fn load_request(commands: &[Command]) -> RequestId {
        match commands {
            [Command::LoadChart { req, .. }] => *req,
            other => panic!("expected one chart load, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------

#[test]
fn typed_searches_become_queries_and_list_patients() {
    let mut h = Harness::new();
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.search.editing);

    let q = h.search("testwell");
    assert_eq!(q.name.as_deref(), Some("testwell"));
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);
    let rows = h.app.search.results.loaded().unwrap();
    assert!(rows.iter().all(|r| r.lookalike), "{rows:?}");
    assert!(!h.app.search.editing, "results take the keys once found");
    assert_eq!(h.app.search.problem, None);

    let q = h.search("testwell, ada");
    assert_eq!(q.family.as_deref(), Some("testwell"));
    assert_eq!(q.given.as_deref(), Some("ada"));
    assert_eq!(q.name, None);
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    let q = h.search("1958-03-04");
    assert_eq!(q.birthdate, NaiveDate::from_ymd_opt(1958, 3, 4));
    assert_eq!(q.name, None);
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    let q = h.search("mrn:RND100101");
    assert_eq!(q.identifier.as_deref(), Some("RND100101"));
    assert_eq!(h.result_ids(), [ADA]);
    assert_eq!(h.app.search.results.loaded().unwrap()[0].mrn, "RND100101");
    assert!(!h.app.search.results.loaded().unwrap()[0].lookalike);

    let q = h.search("kermit");
    assert_eq!(q.name.as_deref(), Some("kermit"));
    assert_eq!(h.result_ids(), [KERMIT]);
}

#[test]
fn a_bad_date_shows_a_problem_and_sends_nothing() {
    let mut h = Harness::new();
    h.type_text("smith 1980-13-45");
    let commands = h.send(key(KeyCode::Enter));
    assert!(commands.is_empty(), "{commands:?}");
    let problem = h.app.search.problem.clone().expect("a problem is shown");
    assert!(problem.contains("'1980-13-45' is not a date"), "{problem}");
    assert_eq!(h.app.search.results, Remote::Idle);
    assert!(h.app.search.editing);
    assert_eq!(
        h.app.search.input.text(),
        "smith 1980-13-45",
        "the entry is kept"
    );

    // An empty box explains what to type, and still sends nothing.
    h.send(ctrl('u'));
    assert!(h.send(key(KeyCode::Enter)).is_empty());
    assert!(h.app.search.problem.as_deref().unwrap().contains("mrn:"));

    // A good search clears the problem.
    h.search("testwell");
    assert_eq!(h.app.search.problem, None);
}

#[test]
fn search_box_editing_keys() {
    let mut h = Harness::new();
    h.type_text("smith 1980");
    h.send(ctrl('w'));
    assert_eq!(h.app.search.input.text(), "smith ");
    h.send(key(KeyCode::Backspace));
    h.send(key(KeyCode::Home));
    h.send(ch('x'));
    assert_eq!(h.app.search.input.text(), "xsmith");
    h.send(key(KeyCode::Delete));
    assert_eq!(h.app.search.input.text(), "xmith");
    // Esc clears a non-empty box and keeps editing.
    h.send(key(KeyCode::Esc));
    assert!(h.app.search.input.is_empty());
    assert!(h.app.search.editing);
    // ↓ with no results stays in the box.
    h.send(key(KeyCode::Down));
    assert!(h.app.search.editing);
}

#[test]
fn results_move_in_bounds_and_enter_opens_a_chart() {
    let mut h = Harness::new();
    h.search("testwell");
    assert_eq!(h.app.search.selected, 0);
    h.press(KeyCode::Down);
    assert_eq!(h.app.search.selected, 1);
    h.char('j');
    assert_eq!(h.app.search.selected, 1, "stays on the last row");
    h.char('k');
    assert_eq!(h.app.search.selected, 0);
    h.press(KeyCode::Up);
    assert_eq!(h.app.search.selected, 0, "stays on the first row");
    h.char('G');
    assert_eq!(h.app.search.selected, 1);
    h.char('g');
    assert_eq!(h.app.search.selected, 0);
    h.char('j');

    let commands = h.send(key(KeyCode::Enter));
    let req = Harness::load_request(&commands);
    assert!(
        matches!(&commands[0], Command::LoadChart { patient_id, .. } if patient_id == ADA_LOOKALIKE)
    );
    assert_eq!(h.app.screen, Screen::Chart);
    let chart = h.chart();
    assert_eq!(chart.patient_id, ADA_LOOKALIKE);
    assert_eq!(chart.data, Remote::Loading(req));
    assert_eq!(
        chart.hint.as_ref().map(|p| p.mrn.as_str()),
        Some("RND100105"),
        "the banner has the search row while loading"
    );
    let response = h.worker.answer(&commands[0]);
    h.send(Msg::Response(response));
    let loaded = h.loaded_chart().expect("loaded");
    assert_eq!(loaded.banner.patient_id, ADA_LOOKALIKE);
    assert_eq!(loaded.banner.mrn, "RND100105");
    assert_eq!(h.tab(), Tab::Cover);
}

#[test]
fn down_from_the_search_box_moves_into_the_results() {
    let mut h = Harness::new();
    h.search("testwell");
    h.char('/');
    assert!(h.app.search.editing);
    h.press(KeyCode::Down);
    assert!(!h.app.search.editing);
    h.char('l');
    assert_eq!(h.chart().patient_id, ADA, "l opens like Enter");
}

// ---------------------------------------------------------------------------------------
// Chart navigation
// ---------------------------------------------------------------------------------------

#[test]
fn number_keys_and_tab_keys_change_tabs() {
    let mut h = Harness::new();
    h.open(ADA);
    for (i, c) in ('1'..='8').enumerate() {
        h.char(c);
        assert_eq!(h.tab(), Tab::ALL[i], "key {c}");
    }
    h.press(KeyCode::Tab);
    assert_eq!(
        h.tab(),
        Tab::Cover,
        "Tab wraps from Notes to the cover sheet"
    );
    h.press(KeyCode::Tab);
    assert_eq!(h.tab(), Tab::Problems);
    h.run(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(h.tab(), Tab::Cover);
    h.run(Msg::Key(KeyEvent::new(
        KeyCode::BackTab,
        KeyModifiers::SHIFT,
    )));
    assert_eq!(h.tab(), Tab::Notes, "Shift-Tab wraps to Notes");
    h.char('l');
    assert_eq!(h.tab(), Tab::Cover);
    h.char('l');
    h.char('l');
    assert_eq!(h.tab(), Tab::Medications);
    h.char('h');
    assert_eq!(h.tab(), Tab::Problems);
    h.press(KeyCode::Right);
    assert_eq!(h.tab(), Tab::Medications);
    h.press(KeyCode::Left);
    assert_eq!(h.tab(), Tab::Problems);
    // Tab keys never ask the worker for anything.
    assert!(h.send(ch('5')).is_empty());
}

#[test]
fn row_movement_stays_in_bounds() {
    let mut h = Harness::new();
    h.open(ADA);
    h.char('4');
    let n = h.rows();
    assert!(n > 16, "Ada has more results than a page: {n}");
    assert_eq!(h.app.page(), 15, "80x24 pages 15 rows");
    assert_eq!(h.selected(), 0);
    h.char('j');
    assert_eq!(h.selected(), 1);
    h.press(KeyCode::Down);
    assert_eq!(h.selected(), 2);
    h.char('k');
    h.char('k');
    h.char('k');
    assert_eq!(h.selected(), 0, "k stops at the first row");
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), 15);
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), 30.min(n - 1));
    for _ in 0..10 {
        h.press(KeyCode::PageDown);
    }
    assert_eq!(h.selected(), n - 1, "PgDn stops at the last row");
    h.press(KeyCode::PageUp);
    assert_eq!(h.selected(), n - 1 - 15);
    h.char('g');
    assert_eq!(h.selected(), 0);
    h.char('G');
    assert_eq!(h.selected(), n - 1);
    h.char('j');
    assert_eq!(h.selected(), n - 1, "j stops at the last row");
    h.run(ctrl('u'));
    assert_eq!(h.selected(), n - 1 - 15);
    h.press(KeyCode::Home);
    assert_eq!(h.selected(), 0);
    h.press(KeyCode::End);
    assert_eq!(h.selected(), n - 1);

    // Each tab keeps its own selection.
    h.char('3');
    assert_eq!(h.selected(), 0);
    let meds = h.rows();
    h.char('G');
    assert_eq!(h.selected(), meds - 1);
    h.char('4');
    assert_eq!(h.selected(), n - 1);

    // The cover sheet has no rows: j scrolls, nothing is selected.
    h.char('1');
    assert_eq!(h.rows(), 0);
    h.char('j');
    assert_eq!(h.selected(), 0);
}

#[test]
fn enter_toggles_the_detail_of_the_selected_row() {
    let mut h = Harness::new();
    h.open(ADA);
    h.press(KeyCode::Enter);
    assert!(
        !h.chart().detail,
        "the cover sheet has no rows to show in full"
    );
    h.char('3');
    h.char('j');
    h.press(KeyCode::Enter);
    assert!(h.chart().detail);
    assert_eq!(h.selected(), 1);
    // In the detail, j scrolls it instead of moving the selection.
    h.char('j');
    assert_eq!(h.chart().scroll, 1);
    assert_eq!(h.selected(), 1);
    h.press(KeyCode::Enter);
    assert!(!h.chart().detail);
    h.press(KeyCode::Enter);
    assert!(h.chart().detail);
    h.press(KeyCode::Esc);
    assert!(!h.chart().detail, "Esc closes the detail first");
    assert_eq!(h.app.screen, Screen::Chart);
    h.press(KeyCode::Enter);
    h.char('4');
    assert!(!h.chart().detail, "changing tab closes the detail");
}

#[test]
fn filter_narrows_rows_and_esc_clears_it() {
    let mut h = Harness::new();
    h.open(ADA);
    h.char('4');
    let all = h.rows();
    h.char('G');
    assert_eq!(h.selected(), all - 1);

    h.char('/');
    assert!(h.chart().filter_input.is_some());
    // While typing, q and digits are text, not keys.
    h.type_text("creat");
    assert!(!h.app.quit);
    assert_eq!(h.chart().filter(), "creat");
    assert_eq!(h.tab(), Tab::Results);
    let narrowed = h.rows();
    assert!(narrowed > 0 && narrowed < all, "{narrowed} of {all}");
    let chart = h.loaded_chart().unwrap();
    let names: Vec<&str> = rows::labs(chart, "creat")
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names.len(), narrowed);
    assert!(names.iter().all(|n| *n == "Creatinine"), "{names:?}");
    assert!(
        h.selected() < narrowed,
        "the selection follows the shrinking list"
    );

    h.press(KeyCode::Esc);
    assert_eq!(h.chart().filter_input, None);
    assert_eq!(h.chart().filter(), "");
    assert_eq!(h.rows(), all);
    assert_eq!(h.app.screen, Screen::Chart);

    // Enter keeps the filter; Esc then clears it before leaving the chart.
    h.char('/');
    h.type_text("POTASSIUM");
    h.press(KeyCode::Enter);
    assert_eq!(h.chart().filter_input, None);
    assert_eq!(h.chart().filters[Tab::Results.index()], "POTASSIUM");
    let k = h.rows();
    assert!(k > 0 && k < all);
    h.char('3');
    assert_eq!(h.chart().filter(), "", "filters are per tab");
    h.char('4');
    assert_eq!(h.rows(), k);
    h.press(KeyCode::Esc);
    assert_eq!(h.rows(), all);
    assert_eq!(h.app.screen, Screen::Chart);

    // A filter matching nothing lists nothing; the selection stays at 0.
    h.char('/');
    h.type_text("zzzz-no-such-test");
    assert_eq!(h.rows(), 0);
    assert_eq!(h.selected(), 0);
    h.press(KeyCode::Esc);

    // The cover sheet has nothing to filter.
    h.char('1');
    h.char('/');
    assert_eq!(h.chart().filter_input, None);
}

#[test]
fn c_toggles_the_cumulative_results_view() {
    let mut h = Harness::new();
    h.open(ADA);
    h.char('4');
    let list = h.rows();
    h.char('j');
    h.char('c');
    assert_eq!(h.chart().results_view, ResultsView::Cumulative);
    assert_eq!(h.selected(), 0);
    let tests = h.rows();
    let chart = h.loaded_chart().unwrap();
    assert_eq!(tests, rows::cumulative(chart, "").tests.len());
    assert!(tests > 0 && tests < list, "{tests} tests, {list} results");
    h.char('G');
    assert_eq!(h.selected(), tests - 1);
    h.char('c');
    assert_eq!(h.chart().results_view, ResultsView::List);
    assert_eq!(h.rows(), list);

    // Elsewhere, c explains where the view is.
    h.char('3');
    h.char('c');
    assert_eq!(h.chart().results_view, ResultsView::List);
    let status = h.app.status.clone().expect("a hint");
    assert!(status.text.contains("Results"), "{status:?}");
    assert!(!status.error);
}

#[test]
fn question_mark_and_f1_open_help_and_esc_closes_it() {
    let mut h = Harness::new();
    // F1 works even while typing in the search box; '?' there is text.
    h.type_text("?");
    assert_eq!(h.app.search.input.text(), "?");
    assert_eq!(h.app.overlay, Overlay::None);
    h.press(KeyCode::F(1));
    assert!(matches!(h.app.overlay, Overlay::Help { .. }));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.overlay, Overlay::None);
    assert_eq!(
        h.app.search.input.text(),
        "?",
        "closing help leaves the box alone"
    );

    h.open(ADA);
    h.char('?');
    assert!(matches!(
        h.app.overlay,
        Overlay::Help {
            editing: false,
            scroll: 0,
            ..
        }
    ));
    h.char('j');
    assert!(matches!(h.app.overlay, Overlay::Help { scroll: 1, .. }));
    // Chart keys do nothing behind the help.
    h.char('3');
    assert!(matches!(h.app.overlay, Overlay::Help { .. }));
    assert_eq!(h.tab(), Tab::Cover);
    // '/' filters the help; typing goes to its filter; Esc clears, Esc closes.
    h.char('/');
    h.type_text("quit");
    assert!(!h.app.quit, "q in the help filter is text");
    match &h.app.overlay {
        Overlay::Help {
            filter, editing, ..
        } => {
            assert_eq!(filter.text(), "quit");
            assert!(*editing);
        }
        other => panic!("{other:?}"),
    }
    h.press(KeyCode::Esc);
    assert!(matches!(
        h.app.overlay,
        Overlay::Help { editing: false, .. }
    ));
    h.press(KeyCode::Esc);
    assert_eq!(h.app.overlay, Overlay::None);
    assert_eq!(
        h.app.screen,
        Screen::Chart,
        "Esc in help does not leave the chart"
    );
    // q in the help over a chart closes the help, not rounds.
    h.char('?');
    h.char('q');
    assert_eq!(h.app.overlay, Overlay::None);
    assert!(!h.app.quit);
}

// ---------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------

#[test]
fn command_line_patient_search_theme_and_quit() {
    let mut h = Harness::new();
    h.search("testwell");

    let commands = h.command_line("patient rnd-cora-lastday");
    assert!(
        matches!(commands.as_slice(), [Command::LoadChart { patient_id, .. }] if patient_id == CORA)
    );
    assert_eq!(h.app.screen, Screen::Chart);
    let cora = h.loaded_chart().expect("Cora loaded");
    assert_eq!(cora.banner.patient_id, CORA);
    assert!(cora.banner.deceased.is_some());

    let commands = h.command_line("search kermit");
    match commands.as_slice() {
        [Command::Search { query, .. }] => assert_eq!(query.name.as_deref(), Some("kermit")),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.chart.is_none(), "the chart is dropped");
    assert_eq!(h.app.search.input.text(), "kermit");
    assert_eq!(h.result_ids(), [KERMIT]);

    assert_eq!(h.app.theme.name, "default");
    assert!(h.command_line("theme light").is_empty());
    assert_eq!(h.app.theme.name, "light");
    let status = h.app.status.clone().unwrap();
    assert!(!status.error, "{status:?}");
    assert!(status.text.contains("light"));

    assert!(h.command_line("theme nope").is_empty());
    assert_eq!(h.app.theme.name, "light", "a bad theme changes nothing");
    let status = h.app.status.clone().unwrap();
    assert!(status.error, "{status:?}");
    assert!(status.text.contains("nope"), "{status:?}");

    assert!(h.command_line("frobnicate").is_empty());
    assert!(h.app.status.as_ref().unwrap().error);
    assert!(h.command_line("patient").is_empty());
    assert!(h.app.status.as_ref().unwrap().text.contains(":patient ID"));

    // Esc abandons a command line.
    h.send(ch(':'));
    h.type_text("quit");
    h.send(key(KeyCode::Esc));
    assert_eq!(h.app.overlay, Overlay::None);
    assert!(!h.app.quit);

    assert!(h.command_line("quit").is_empty());
    assert!(h.app.quit);
}

#[test]
fn colon_in_the_search_box_is_text() {
    let mut h = Harness::new();
    h.type_text("mrn:RND100101");
    assert_eq!(h.app.overlay, Overlay::None);
    assert_eq!(h.app.search.input.text(), "mrn:RND100101");
}

// ---------------------------------------------------------------------------------------
// Retry, back, quit, paste, resize
// ---------------------------------------------------------------------------------------

#[test]
fn r_retries_with_a_new_request_id() {
    let mut h = Harness::new();
    let first = Harness::load_request(&h.send(Msg::OpenPatient("no-such-patient".into())));
    let response = h.worker.answer(&Command::LoadChart {
        req: first,
        patient_id: "no-such-patient".into(),
    });
    h.send(Msg::Response(response));
    match &h.chart().data {
        Remote::Failed(e) => assert!(e.contains("not found"), "{e}"),
        other => panic!("{other:?}"),
    }
    let second = Harness::load_request(&h.send(ch('r')));
    assert!(second > first);
    assert_eq!(h.chart().data, Remote::Loading(second));
    assert_eq!(h.chart().patient_id, "no-such-patient");

    // Retrying a loaded chart reloads it and keeps the tab.
    h.open(ADA);
    h.char('3');
    let before = match &h.chart().data {
        Remote::Loaded(_) => h.app.recent.len(),
        other => panic!("{other:?}"),
    };
    let commands = h.send(ch('r'));
    let third = Harness::load_request(&commands);
    assert!(third > second);
    assert!(h.chart().data.is_loading());
    assert_eq!(h.tab(), Tab::Medications);
    let response = h.worker.answer(&commands[0]);
    h.send(Msg::Response(response));
    assert!(h.loaded_chart().is_some());
    assert_eq!(
        h.app.recent.len(),
        before,
        "a reload does not duplicate recent"
    );
}

#[test]
fn esc_returns_to_search_and_drops_the_chart() {
    let mut h = Harness::new();
    h.search("testwell");
    h.press(KeyCode::Enter);
    assert!(h.loaded_chart().is_some());
    h.char('4');
    h.press(KeyCode::Esc);
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.chart.is_none(), "chart data leaves memory");
    assert!(!h.app.search.editing, "back to the result list");
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    // Opened directly (no search yet): Esc lands in the search box.
    let mut h = Harness::new();
    h.run(Msg::OpenPatient(ADA.into()));
    assert!(h.loaded_chart().is_some());
    h.press(KeyCode::Esc);
    assert!(h.app.chart.is_none());
    assert!(h.app.search.editing);

    // 's' in a chart also goes to the search box, dropping the chart.
    h.open(CORA);
    h.char('s');
    assert!(h.app.chart.is_none());
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.search.editing);
}

#[test]
fn q_quits_except_when_typed_into_a_box() {
    let mut h = Harness::new();
    h.char('q');
    assert!(!h.app.quit, "q in the search box is a letter");
    assert_eq!(h.app.search.input.text(), "q");

    let mut h = Harness::new();
    h.search("testwell");
    h.char('q');
    assert!(h.app.quit, "q in the result list quits");

    let mut h = Harness::new();
    h.open(ADA);
    h.char('q');
    assert!(h.app.quit, "q in a chart quits");
}

/// A named way to put the app in some state.
type Setup = (&'static str, fn(&mut Harness));

#[test]
fn ctrl_c_quits_from_anywhere() {
    let setups: Vec<Setup> = vec![
        ("search box", |_h| {}),
        ("search box with text", |h| h.type_text("testw")),
        ("result list", |h| {
            h.search("testwell");
        }),
        ("chart", |h| h.open(ADA)),
        ("chart loading", |h| {
            h.send(Msg::OpenPatient(ADA.into()));
        }),
        ("filter", |h| {
            h.open(ADA);
            h.char('4');
            h.char('/');
            h.type_text("cr");
        }),
        ("command line", |h| {
            h.open(ADA);
            h.send(ch(':'));
            h.type_text("pat");
        }),
        ("help", |h| {
            h.press(KeyCode::F(1));
        }),
        ("help filter", |h| {
            h.press(KeyCode::F(1));
            h.char('/');
        }),
        ("detail", |h| {
            h.open(ADA);
            h.char('3');
            h.press(KeyCode::Enter);
        }),
    ];
    for (name, setup) in setups {
        let mut h = Harness::new();
        setup(&mut h);
        assert!(!h.app.quit, "{name}: not yet");
        assert!(h.send(ctrl('c')).is_empty());
        assert!(h.app.quit, "Ctrl-C did not quit from the {name}");
    }
}

#[test]
fn paste_goes_into_the_search_box_without_newlines() {
    let mut h = Harness::new();
    h.send(Msg::Paste("testwell\r\nada\n".into()));
    let text = h.app.search.input.text().to_owned();
    assert!(!text.contains(['\n', '\r']), "{text:?}");
    assert!(text.starts_with("testwell"), "{text:?}");
    assert_eq!(
        text.split_whitespace().collect::<Vec<_>>(),
        ["testwell", "ada"]
    );
    h.send(ctrl('u'));
    h.send(Msg::Paste("testwell\n".into()));
    assert!(h.app.search.input.text().trim() == "testwell");
    let commands = h.press(KeyCode::Enter);
    assert_eq!(
        commands.len(),
        1,
        "a pasted newline does not run the search"
    );
    assert_eq!(h.result_ids(), [ADA, ADA_LOOKALIKE]);

    // Pasted into a chart (no filter open), it goes nowhere.
    h.open(ADA);
    h.send(Msg::Paste("zzz".into()));
    assert_eq!(h.chart().filter(), "");
    // Into an open filter, it filters.
    h.char('4');
    h.char('/');
    h.send(Msg::Paste("TSH\n".into()));
    assert_eq!(h.chart().filter().trim(), "TSH");
    assert_eq!(h.rows(), 1);
}

#[test]
fn resize_updates_the_size_and_the_page() {
    let mut h = Harness::new();
    assert_eq!(h.app.size, (80, 24));
    assert!(h.send(Msg::Resize(120, 40)).is_empty());
    assert_eq!(h.app.size, (120, 40));
    assert_eq!(h.app.page(), 31);
    h.open(ADA);
    h.char('4');
    h.press(KeyCode::PageDown);
    assert_eq!(h.selected(), 31.min(h.rows() - 1));
    h.send(Msg::Resize(20, 5));
    assert_eq!(h.app.page(), 1);
}

#[test]
fn key_releases_are_ignored() {
    let mut h = Harness::new();
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    h.send(Msg::Key(release));
    assert!(h.app.search.input.is_empty());
}

// ---------------------------------------------------------------------------------------
// Staleness and safety
// ---------------------------------------------------------------------------------------

#[test]
fn a_late_response_for_a_previous_patient_is_never_shown() {
    let mut h = Harness::new();
    h.search("testwell");
    // Open A from the list; its response has not arrived.
    let a = h.send(key(KeyCode::Enter));
    let req_a = Harness::load_request(&a);
    // Back, and open B before A's answer.
    h.send(key(KeyCode::Esc));
    assert!(h.app.chart.is_none());
    h.send(key(KeyCode::Down));
    let b = h.send(key(KeyCode::Enter));
    let req_b = Harness::load_request(&b);
    assert_ne!(req_a, req_b);
    assert_eq!(h.chart().patient_id, ADA_LOOKALIKE);

    // A's answer arrives now: dropped.
    let late = h.worker.answer(&a[0]);
    h.send(Msg::Response(late));
    assert_eq!(h.chart().patient_id, ADA_LOOKALIKE);
    assert_eq!(h.chart().data, Remote::Loading(req_b), "still loading B");
    assert!(
        h.app.recent.is_empty(),
        "A was never shown, so never recent"
    );

    // B's answer is shown.
    let answer = h.worker.answer(&b[0]);
    h.send(Msg::Response(answer));
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA_LOOKALIKE);

    // A later duplicate of A's answer still changes nothing.
    let late = h.worker.answer(&a[0]);
    h.send(Msg::Response(late));
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA_LOOKALIKE);
    assert_eq!(h.app.recent.len(), 1);
}

#[test]
fn a_late_response_after_switching_by_command_line_is_dropped() {
    let mut h = Harness::new();
    let a = h.send(Msg::OpenPatient(ADA.into()));
    h.send(ch(':'));
    h.type_text("patient rnd-cora-lastday");
    let b = h.send(key(KeyCode::Enter));
    let req_b = Harness::load_request(&b);
    h.send(Msg::Response(h.worker.answer(&a[0])));
    assert_eq!(h.chart().patient_id, CORA);
    assert_eq!(h.chart().data, Remote::Loading(req_b));
    h.send(Msg::Response(h.worker.answer(&b[0])));
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, CORA);
}

#[test]
fn a_response_for_a_closed_chart_is_dropped() {
    let mut h = Harness::new();
    let a = h.send(Msg::OpenPatient(ADA.into()));
    h.send(key(KeyCode::Esc));
    assert!(h.app.chart.is_none());
    h.send(Msg::Response(h.worker.answer(&a[0])));
    assert!(h.app.chart.is_none());
    assert_eq!(h.app.screen, Screen::Search);
    assert!(h.app.recent.is_empty());
}

#[test]
fn a_record_of_another_patient_is_refused() {
    let mut h = Harness::new();
    let a = h.send(Msg::OpenPatient(ADA.into()));
    let req = Harness::load_request(&a);
    // The answer to A's request carries Cora's record.
    let wrong = h.worker.chart_response(req, CORA);
    h.send(Msg::Response(wrong));
    assert_eq!(h.chart().patient_id, ADA);
    match &h.chart().data {
        Remote::Failed(e) => assert!(e.contains("different patient"), "{e}"),
        other => panic!("expected Failed, got {other:?}"),
    }
    assert!(h.loaded_chart().is_none());
    assert!(h.app.recent.is_empty(), "never shown, never recent");
    // Retrying gets the right one.
    h.char('r');
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA);
}

#[test]
fn a_stale_search_response_is_ignored() {
    let mut h = Harness::new();
    h.type_text("testwell");
    let first = h.send(key(KeyCode::Enter));
    assert!(h.app.search.editing, "still typing while the search runs");
    h.send(ctrl('u'));
    h.type_text("kermit");
    let second = h.send(key(KeyCode::Enter));
    let (Command::Search { req: r1, .. }, Command::Search { req: r2, .. }) =
        (&first[0], &second[0])
    else {
        panic!("{first:?} {second:?}");
    };
    assert!(r2 > r1);
    h.send(Msg::Response(h.worker.answer(&first[0])));
    assert_eq!(
        h.app.search.results,
        Remote::Loading(*r2),
        "old answer ignored"
    );
    h.send(Msg::Response(h.worker.answer(&second[0])));
    assert_eq!(h.result_ids(), [KERMIT]);
    h.send(Msg::Response(h.worker.answer(&first[0])));
    assert_eq!(h.result_ids(), [KERMIT], "still ignored after the new one");

    // A failed search is shown as failed.
    h.char('/');
    let third = h.send(key(KeyCode::Enter));
    let [Command::Search { req, query, .. }] = third.as_slice() else {
        panic!("{third:?}");
    };
    assert_eq!(query.name.as_deref(), Some("kermit"));
    h.send(Msg::Response(Response {
        req: *req,
        result: ResponseResult::Search(Err("connection refused".into())),
    }));
    assert_eq!(
        h.app.search.results,
        Remote::Failed("connection refused".into())
    );
    assert!(h.app.search.editing);
}

#[test]
fn recent_lists_opened_patients_newest_first() {
    let mut h = Harness::new();
    h.search("testwell");
    // R with nothing opened yet says so.
    h.char('R');
    assert!(h.app.search.showing_recent);
    assert_eq!(h.result_ids(), Vec::<String>::new());
    assert!(h.app.status.as_ref().unwrap().text.contains("No patients"));

    h.search("testwell");
    h.press(KeyCode::Enter); // Ada
    h.press(KeyCode::Esc);
    h.char('j');
    h.press(KeyCode::Enter); // the look-alike
    h.press(KeyCode::Esc);
    h.open(KERMIT);
    h.press(KeyCode::Esc);
    assert_eq!(
        h.app
            .recent
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        [KERMIT, ADA_LOOKALIKE, ADA]
    );
    if h.app.search.editing {
        h.press(KeyCode::Esc);
    }
    h.char('R');
    assert!(h.app.search.showing_recent);
    assert_eq!(h.result_ids(), [KERMIT, ADA_LOOKALIKE, ADA]);
    let rows = h.app.search.results.loaded().unwrap();
    assert!(rows[1].lookalike, "the look-alike warning is kept");
    assert_eq!(rows[2].mrn, "RND100101");
    assert!(!h.app.search.editing);

    // Opening from the recent list works and moves the patient to the front.
    h.char('G');
    h.press(KeyCode::Enter);
    assert_eq!(h.loaded_chart().unwrap().banner.patient_id, ADA);
    assert_eq!(
        h.app
            .recent
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        [ADA, KERMIT, ADA_LOOKALIKE]
    );

    // :recent from a chart shows them too.
    assert!(h.command_line("recent").is_empty());
    assert!(h.app.chart.is_none());
    assert_eq!(h.result_ids(), [ADA, KERMIT, ADA_LOOKALIKE]);
}

#[test]
fn closing_or_switching_a_chart_tells_the_source_to_forget_it() {
    let mut h = Harness::new();
    h.app.size = (80, 24);
    assert!(h.run(Msg::OpenPatient(ADA.into())).len() == 1);
    assert_eq!(h.forgets, 0);
    // Reloading starts clean: nothing cached is reused.
    h.char('r');
    assert_eq!(h.forgets, 1);
    // Another patient: the first one's data goes.
    h.run(Msg::OpenPatient(CORA.into()));
    assert_eq!(h.forgets, 2);
    // Back to the search: gone too.
    h.press(KeyCode::Esc);
    assert!(h.app.chart.is_none());
    assert_eq!(h.forgets, 3);
}

// ---------------------------------------------------------------------------------------
// The idle lock (issue 4; ONC 170.315(d)(5)): time comes in as `Msg::Clock`, no sleeping
// ---------------------------------------------------------------------------------------

mod idle_lock {
    use std::time::{Duration, Instant};

    use super::*;
    use rounds::app::{IdleLock, LockPhase, LockReason};

    /// A harness with a 5-minute limit whose clock starts at `t0`, Ada's chart open on the
    /// Results tab, and Ada in the recent list.
    fn with_chart() -> (Harness, Instant) {
        let mut h = Harness::new();
        let t0 = Instant::now();
        h.app.lock = IdleLock::new(Some(Duration::from_secs(300)), t0);
        h.send(Msg::Clock(t0));
        h.open(ADA);
        h.char('4');
        assert_eq!(h.app.chart.as_ref().unwrap().tab, Tab::Results);
        assert!(!h.app.recent.is_empty());
        (h, t0)
    }

    fn clock(h: &mut Harness, t0: Instant, secs: u64) -> Vec<Command> {
        h.send(Msg::Clock(t0 + Duration::from_secs(secs)))
    }

    fn assert_no_patient_data(h: &Harness) {
        assert!(h.app.chart.is_none());
        assert_eq!(h.app.search.results, Remote::Idle);
        assert!(h.app.search.input.text().is_empty());
        assert!(h.app.recent.is_empty());
        assert_eq!(h.app.overlay, Overlay::None);
        assert!(h.app.status.is_none());
    }

    #[test]
    fn warns_then_locks_and_drops_every_patient_detail() {
        let (mut h, t0) = with_chart();
        assert!(clock(&mut h, t0, 239).is_empty());
        assert_eq!(h.app.lock.phase, LockPhase::Active);
        clock(&mut h, t0, 240);
        assert!(matches!(h.app.lock.phase, LockPhase::Warning { .. }));
        assert!(h.app.chart.is_some(), "the countdown still shows the chart");
        let forgets = h.forgets;
        clock(&mut h, t0, 300);
        assert!(matches!(
            h.app.lock.phase,
            LockPhase::Locked {
                reason: LockReason::Idle,
                ..
            }
        ));
        assert_no_patient_data(&h);
        assert_eq!(
            h.forgets,
            forgets + 1,
            "the source drops what it kept, once"
        );
    }

    #[test]
    fn a_key_during_the_countdown_only_puts_the_lock_off() {
        let (mut h, t0) = with_chart();
        clock(&mut h, t0, 250);
        assert!(matches!(h.app.lock.phase, LockPhase::Warning { .. }));
        // '1' would switch to the cover sheet: here it only says "still here".
        assert!(h.char('1').is_empty());
        assert_eq!(h.app.lock.phase, LockPhase::Active);
        assert_eq!(h.app.chart.as_ref().unwrap().tab, Tab::Results);
        // The limit now runs from that key.
        clock(&mut h, t0, 480);
        assert_eq!(h.app.lock.phase, LockPhase::Active);
        clock(&mut h, t0, 550);
        assert!(h.app.lock.is_locked());
    }

    #[test]
    fn keys_keep_the_screen_unlocked() {
        let (mut h, t0) = with_chart();
        for minute in 1..=20 {
            clock(&mut h, t0, minute * 60);
            h.char('j');
        }
        assert!(!h.app.lock.is_locked());
        assert!(h.app.chart.is_some());
    }

    #[test]
    fn colon_lock_and_ctrl_l_lock_at_once() {
        let (mut h, _) = with_chart();
        h.command_line("lock");
        assert!(matches!(
            h.app.lock.phase,
            LockPhase::Locked {
                reason: LockReason::Asked,
                ..
            }
        ));
        assert_no_patient_data(&h);

        let (mut h, _) = with_chart();
        h.send(ctrl('l'));
        assert!(h.app.lock.is_locked());
        assert_no_patient_data(&h);
    }

    #[test]
    fn while_locked_keys_do_nothing_and_late_answers_are_dropped() {
        let (mut h, t0) = with_chart();
        let old_req = h.app.chart.as_ref().unwrap().req;
        clock(&mut h, t0, 300);
        for c in ['1', '/', 's', ':', 'R', '?'] {
            assert!(h.send(ch(c)).is_empty());
        }
        assert!(h.send(Msg::Paste("testwell".into())).is_empty());
        assert!(h.send(Msg::OpenPatient(ADA.into())).is_empty());
        // The chart that was loading or open answers late: nothing comes back on screen.
        let late = h.worker.chart_response(old_req, ADA);
        h.send(Msg::Response(late));
        assert_no_patient_data(&h);
        assert!(h.app.lock.is_locked());
    }

    #[test]
    fn enter_signs_in_again_and_resumes_the_chart_and_tab() {
        let (mut h, t0) = with_chart();
        clock(&mut h, t0, 300);
        let unlock = h.send(key(KeyCode::Enter));
        let [Command::Unlock { req }] = unlock.as_slice() else {
            panic!("expected an unlock, got {unlock:?}");
        };
        assert!(matches!(h.app.lock.phase, LockPhase::Unlocking { .. }));
        assert!(
            h.send(key(KeyCode::Enter)).is_empty(),
            "one unlock at a time"
        );
        h.send(Msg::Clock(t0 + Duration::from_secs(400)));
        let reopen = h.send(Msg::Response(Response {
            req: *req,
            result: ResponseResult::Unlocked(Ok(())),
        }));
        assert_eq!(h.app.lock.phase, LockPhase::Active);
        let [Command::LoadChart { patient_id, .. }] = reopen.as_slice() else {
            panic!("expected the chart to load again, got {reopen:?}");
        };
        assert_eq!(patient_id, ADA);
        let answer = h.worker.answer(&reopen[0]);
        h.send(Msg::Response(answer));
        let chart = h.app.chart.as_ref().unwrap();
        assert_eq!(chart.tab, Tab::Results);
        assert!(chart.data.loaded().is_some());
        // The timer runs from the unlock.
        clock(&mut h, t0, 650);
        assert!(!h.app.lock.is_locked());
    }

    #[test]
    fn a_failed_sign_in_keeps_the_lock_with_the_reason() {
        let (mut h, t0) = with_chart();
        clock(&mut h, t0, 300);
        let unlock = h.send(key(KeyCode::Enter));
        let [Command::Unlock { req }] = unlock.as_slice() else {
            panic!("expected an unlock");
        };
        let more = h.send(Msg::Response(Response {
            req: *req,
            result: ResponseResult::Unlocked(Err("The server refused the sign-in".into())),
        }));
        assert!(more.is_empty());
        assert!(matches!(
            &h.app.lock.phase,
            LockPhase::Locked { problem: Some(p), .. } if p.contains("refused")
        ));
        assert_no_patient_data(&h);
        // q still quits from the lock screen.
        h.send(ch('q'));
        assert!(h.app.quit);
    }

    #[test]
    fn the_lock_can_be_turned_off_but_lock_still_works() {
        let mut h = Harness::new();
        let t0 = Instant::now();
        h.app.lock = IdleLock::new(None, t0);
        h.open(ADA);
        h.send(Msg::Clock(t0 + Duration::from_secs(86_400)));
        assert!(h.app.chart.is_some());
        h.command_line("lock");
        assert!(h.app.lock.is_locked());
    }
}

// ---------------------------------------------------------------------------------------
// Signing in again on screen: after the lock, and after the server ended the session
// ---------------------------------------------------------------------------------------

mod sign_in_again {
    use super::*;
    use rounds::app::LockPhase;
    use rounds::source::SourceKind;

    const REDIRECT: &str = "http://127.0.0.1:5555/callback?code=abc&state=xyz";

    #[test]
    fn the_lock_screen_shows_the_login_instructions_and_takes_a_hidden_paste() {
        let mut h = Harness::new();
        h.open(ADA);
        h.command_line("lock");
        let cmds = h.send(key(KeyCode::Enter));
        let [Command::Unlock { req }] = cmds.as_slice() else {
            panic!("expected an unlock, got {cmds:?}");
        };
        let req = *req;
        assert_eq!(h.app.sign_in.as_ref().unwrap().req, req);
        let lines = vec![
            "Open this address in a browser to sign in:".to_owned(),
            "  https://ehr.example/authorize?client_id=rounds".to_owned(),
            "  ssh -L 5555:127.0.0.1:5555 clinician@clinic-server".to_owned(),
        ];
        h.send(Msg::Response(Response {
            req,
            result: ResponseResult::SignInPrompt(lines.clone()),
        }));
        // An answer for another request changes nothing.
        h.send(Msg::Response(Response {
            req: RequestId(req.0 + 100),
            result: ResponseResult::SignInNote("stale".into()),
        }));
        let view = h.app.sign_in.as_ref().unwrap();
        assert_eq!(view.instructions, lines);
        assert_eq!(view.note, None);
        // Keys go into the box, not to the app: 'q' does not quit here.
        for c in "q1".chars() {
            assert!(h.send(ch(c)).is_empty());
        }
        assert!(!h.app.quit);
        h.send(ctrl('u'));
        h.send(Msg::Paste(format!("  {REDIRECT}\n")));
        assert_eq!(h.app.sign_in.as_ref().unwrap().paste.text(), REDIRECT);
        let cmds = h.send(key(KeyCode::Enter));
        assert_eq!(
            cmds,
            vec![Command::PasteRedirect {
                text: REDIRECT.to_owned()
            }]
        );
        assert!(h.app.sign_in.as_ref().unwrap().paste.is_empty());
        // The login says the paste was wrong; the user can paste again, or give up.
        h.send(Msg::Response(Response {
            req,
            result: ResponseResult::SignInNote("That is not the address rounds waits for".into()),
        }));
        assert!(h.app.sign_in.as_ref().unwrap().note.is_some());
        assert_eq!(h.send(key(KeyCode::Esc)), vec![Command::CancelSignIn]);
        assert!(h.app.sign_in.is_none());
        assert!(matches!(
            &h.app.lock.phase,
            LockPhase::Locked { problem: Some(p), .. } if p == "Sign-in cancelled"
        ));
        // Enter tries again.
        assert!(matches!(
            h.send(key(KeyCode::Enter)).as_slice(),
            [Command::Unlock { .. }]
        ));
    }

    /// A harness whose source counts as a server, with Ada's chart on the Results tab,
    /// then refused by the server: the session ended.
    fn expired() -> (Harness, RequestId) {
        let mut h = Harness::new();
        h.app.source.kind = SourceKind::Server;
        h.open(ADA);
        h.char('4');
        // Reload; the server now answers 401 (no silent refresh helped).
        let cmds = h.send(ch('r'));
        let [Command::LoadChart { req, .. }] = cmds.as_slice() else {
            panic!("expected a reload, got {cmds:?}");
        };
        let req = *req;
        h.send(Msg::Response(Response {
            req,
            result: ResponseResult::SessionExpired,
        }));
        h.send(Msg::Response(Response {
            req,
            result: ResponseResult::Chart(Err(
                "The server no longer accepts your session: log in again".into(),
            )),
        }));
        assert!(h.app.session_expired);
        (h, req)
    }

    #[test]
    fn after_a_401_enter_signs_in_and_reloads_the_chart_on_the_same_tab() {
        let (mut h, _) = expired();
        assert_eq!(h.app.chart.as_ref().unwrap().patient_id, ADA);
        let cmds = h.send(key(KeyCode::Enter));
        let [Command::SignIn { req }] = cmds.as_slice() else {
            panic!("expected a sign-in, got {cmds:?}");
        };
        let reload = h.send(Msg::Response(Response {
            req: *req,
            result: ResponseResult::SignedIn(Ok(())),
        }));
        assert!(!h.app.session_expired);
        assert!(h.app.sign_in.is_none());
        let [Command::LoadChart { patient_id, .. }] = reload.as_slice() else {
            panic!("expected the chart to load again, got {reload:?}");
        };
        assert_eq!(patient_id, ADA);
        let answer = h.worker.answer(&reload[0]);
        h.send(Msg::Response(answer));
        let chart = h.app.chart.as_ref().unwrap();
        assert_eq!(chart.tab, Tab::Results, "the user stays where they were");
        assert!(chart.data.loaded().is_some());
    }

    #[test]
    fn a_failed_sign_in_keeps_the_notice_and_esc_puts_it_away() {
        let (mut h, _) = expired();
        let cmds = h.send(key(KeyCode::Enter));
        let [Command::SignIn { req }] = cmds.as_slice() else {
            panic!("expected a sign-in");
        };
        let more = h.send(Msg::Response(Response {
            req: *req,
            result: ResponseResult::SignedIn(Err("the password was refused".into())),
        }));
        assert!(more.is_empty());
        assert!(h.app.session_expired);
        assert!(h.app.status.as_ref().unwrap().text.contains("refused"));
        assert!(h.send(key(KeyCode::Esc)).is_empty());
        assert!(!h.app.session_expired);
        assert!(h.app.chart.is_some(), "the screen stays");
        // :signin starts it again.
        h.send(ch(':'));
        h.type_text("signin");
        assert!(matches!(
            h.send(key(KeyCode::Enter)).as_slice(),
            [Command::SignIn { .. }]
        ));
    }

    #[test]
    fn other_keys_still_work_under_the_notice_and_the_lock_stops_a_sign_in() {
        let (mut h, _) = expired();
        h.char('3');
        assert_eq!(h.app.chart.as_ref().unwrap().tab, Tab::Medications);
        let cmds = h.send(key(KeyCode::Enter));
        assert!(matches!(cmds.as_slice(), [Command::SignIn { .. }]));
        let cmds = h.send(ctrl('c'));
        assert!(cmds.is_empty());
        assert!(h.app.quit, "Ctrl-C quits even during a sign-in");
        let (mut h, _) = expired();
        h.send(key(KeyCode::Enter));
        assert!(h.app.sign_in.is_some());
        // The idle lock comes while the sign-in waits: it is stopped, the lock asks anew.
        let t = std::time::Instant::now();
        h.app.lock = rounds::app::IdleLock::new(Some(std::time::Duration::from_secs(60)), t);
        let all = update(
            &mut h.app,
            Msg::Clock(t + std::time::Duration::from_secs(61)),
        );
        assert!(all.contains(&Command::CancelSignIn), "{all:?}");
        assert!(h.app.sign_in.is_none());
        assert!(h.app.lock.is_locked());
        assert!(h.app.chart.is_none());
    }

    #[test]
    fn a_401_from_an_open_or_demo_source_shows_no_notice() {
        let mut h = Harness::new();
        h.open(ADA);
        h.send(Msg::Response(Response {
            req: RequestId(1),
            result: ResponseResult::SessionExpired,
        }));
        assert!(!h.app.session_expired);
    }
}
