#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Key-sequence flow tests of the TUI state machine: keys go through the default keymap and
//! `update`; a fake worker answers the returned `Command`s from the built-in demo source, as
//! the real worker would. No terminal, no sleeps, no network.

#[path = "../common/mod.rs"]
mod common;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use rounds::app::{
    App, Command, Layer, LayerKind, Msg, Remote, RequestId, Response, ResponseResult, ResultsView,
    SEARCH_LIMIT, Screen, Tab, rows, update,
};
use rounds::fhir::PatientQuery;

use common::tui::{ADA, ADA_LOOKALIKE, CORA, FakeWorker, KERMIT, app_for, ch, ctrl, demo, key};

// ---------------------------------------------------------------------------------------
// The harness: an App on the demo source, and the fake worker of tests/common/tui.rs
// ---------------------------------------------------------------------------------------

struct Harness {
    app: App,
    worker: FakeWorker<'static>,
    /// How many `Command::Forget` were sent.
    forgets: usize,
}

impl Harness {
    fn new() -> Harness {
        Harness {
            app: app_for(demo()),
            worker: FakeWorker::new(demo()),
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
            for response in self.worker.responses(c) {
                let more = self.send(Msg::Response(response));
                assert!(more.is_empty(), "a response produced commands: {more:?}");
            }
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
            matches!(self.app.layers.top(), Some(Layer::CommandLine(_))),
            "':' did not open the command line: {:?}",
            self.app.layers.top()
        );
        self.type_text(line);
        let commands = self.press(KeyCode::Enter);
        assert!(!self.app.layers.has(LayerKind::CommandLine));
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
mod offline_sync;
mod safety;
mod search;
mod sign_in_again;
mod writing;
