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
                        .map_err(|e| e.failure()),
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
                        .map_err(|e| e.failure()),
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
        self.chart().row_count()
    }

    fn load_request(commands: &[Command]) -> RequestId {
        match commands {
            [Command::LoadChart { req, .. }] => *req,
            other => panic!("expected one chart load, got {other:?}"),
        }
    }
}

mod command_line;
mod idle_lock;
mod lifecycle;
mod navigation;
mod safety;
mod search;
mod sign_in_again;
