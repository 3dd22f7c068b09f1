//! The application state. Only `update` changes it; panes read it.

use std::time::Instant;

use chrono::NaiveDate;

pub use crate::common::{Remote, RequestId, ResultsView, Tab};

use super::input::LineInput;
use super::layers::Layers;
use super::lock::{DEFAULT_IDLE_LIMIT, IdleLock};
use crate::chart::{Chart, ChartOptions, PatientSummary};
use crate::common::SourceInfo;
use crate::config::{Keymap, Theme};

/// The patient search screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchState {
    pub input: LineInput,
    /// Whether keys go into the search box (else they move in the results).
    pub editing: bool,
    pub results: Remote<Vec<PatientSummary>>,
    /// Whether more patients matched than were listed.
    pub more: bool,
    /// Whether the list shows the recent patients instead of search results.
    pub showing_recent: bool,
    pub selected: usize,
    /// Why the last entry could not be searched.
    pub problem: Option<String>,
}

impl SearchState {
    /// An empty search screen, ready for typing.
    pub fn new() -> SearchState {
        SearchState {
            input: LineInput::default(),
            editing: true,
            results: Remote::Idle,
            more: false,
            showing_recent: false,
            selected: 0,
            problem: None,
        }
    }
}

impl Default for SearchState {
    fn default() -> Self {
        SearchState::new()
    }
}

/// The open chart: one patient, never mixed with another's data.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartState {
    pub patient_id: String,
    /// The request that loads this chart; its answers (first screen, rest) carry it.
    pub req: RequestId,
    /// The record the chart is built from, kept to merge the rest of the chart into.
    pub record: Option<Box<crate::fhir::PatientRecord>>,
    /// The search row the chart was opened from (shown in the banner while loading).
    pub hint: Option<PatientSummary>,
    /// The patient as the server's read returned them, before the rest of the first screen:
    /// the banner shows it (over `hint`) while the cover sheet loads.
    pub identity: Option<PatientSummary>,
    pub data: Remote<Box<Chart>>,
    pub tab: Tab,
    /// The selected row of each tab.
    pub selected: [usize; Tab::ALL.len()],
    /// The row filter of each tab.
    pub filters: [String; Tab::ALL.len()],
    /// The filter being typed, if any.
    pub filter_input: Option<LineInput>,
    /// Scroll offset of the detail view or note text.
    pub scroll: u16,
    pub results_view: ResultsView,
    /// Bumped whenever `data` changes (so measures of the old data are not reused).
    pub version: u64,
    /// Column widths of the current list, measured in `update`.
    pub widths: super::widths::Widths,
    /// The patient's current contact details in one line, once read or changed here
    /// (shown under the banner).
    pub contact: Option<String>,
}

impl ChartState {
    pub fn new(patient_id: String, hint: Option<PatientSummary>, req: RequestId) -> ChartState {
        ChartState {
            patient_id,
            req,
            record: None,
            hint,
            identity: None,
            data: Remote::Loading(req),
            tab: Tab::Cover,
            selected: [0; Tab::ALL.len()],
            filters: Default::default(),
            filter_input: None,
            scroll: 0,
            results_view: ResultsView::List,
            version: 0,
            widths: Default::default(),
            contact: None,
        }
    }

    /// Replace the chart's data (a first screen, the rest, a failure).
    pub fn set_data(&mut self, data: Remote<Box<Chart>>) {
        self.data = data;
        self.version += 1;
    }

    /// The filter text of the current tab (while typing, what has been typed).
    pub fn filter(&self) -> &str {
        match &self.filter_input {
            Some(i) => i.text(),
            None => &self.filters[self.tab.index()],
        }
    }

    /// Whether the rest of the chart is still loading (the first screen is shown).
    pub fn loading_rest(&self) -> bool {
        self.record.as_ref().is_some_and(|r| !r.pending.is_empty())
    }

    /// Whether some section of the chart failed to load.
    pub fn rest_failed(&self) -> bool {
        self.record.as_ref().is_some_and(|r| !r.failed.is_empty())
    }

    pub fn selected(&self) -> usize {
        self.selected[self.tab.index()]
    }

    /// How many selectable rows the current tab has (after its filter).
    pub fn row_count(&self) -> usize {
        self.data.loaded().map_or(0, |chart| {
            super::rows::row_count(chart, self.tab, self.results_view, self.filter())
        })
    }

    /// What the column widths of the current list depend on.
    fn widths_key(&self) -> super::widths::Key {
        super::widths::Key {
            tab: self.tab,
            view: self.results_view,
            filter: self.filter().to_owned(),
            version: self.version,
        }
    }

    /// The widths of the list shown now, if they were measured for it.
    pub fn widths(&self) -> Option<&super::widths::Widths> {
        self.widths
            .is_for(&self.widths_key())
            .then_some(&self.widths)
    }

    /// The widths of the list shown now: measured in `update`, or measured here when the
    /// state was built some other way.
    pub fn measure_widths(&self) -> super::widths::Widths {
        super::widths::measure(self.data.loaded().map(|c| c.as_ref()), self.widths_key())
    }

    /// Measure the widths again when the chart, tab, view or filter changed.
    pub fn refresh_widths(&mut self) {
        if self.widths().is_none() {
            self.widths = self.measure_widths();
        }
    }
}

/// A message on the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Which screen is shown under the layers (the base screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Search,
    Chart,
}

/// Everything the TUI shows.
#[derive(Debug, Clone)]
pub struct App {
    pub source: SourceInfo,
    pub today: NaiveDate,
    pub theme: Theme,
    /// The themes `:theme` can switch to (loaded at start-up).
    pub themes: Vec<Theme>,
    pub keymap: Keymap,
    pub screen: Screen,
    pub search: SearchState,
    pub chart: Option<ChartState>,
    /// Patients opened in this session, newest first.
    pub recent: Vec<PatientSummary>,
    /// What is drawn over the base screen (help, the command line, the lock, a sign-in…),
    /// bottom to top; the top layer gets the keys.
    pub layers: Layers,
    pub status: Option<Status>,
    /// Terminal size (columns, rows), for paging.
    pub size: (u16, u16),
    /// The time of the latest message (`Msg::Clock`): the idle lock's clock.
    pub now: Instant,
    /// The idle lock: countdown, lock, unlock.
    pub lock: IdleLock,
    pub quit: bool,
    /// The sign-in profile the data comes through, shown in the status line.
    pub profile: Option<String>,
    /// Whether the profile keeps offline copies of charts (said in the status line).
    pub offline_keeping: bool,
    /// When a chart shown from its offline copy last asked the server again.
    pub offline_checked: Option<Instant>,
    /// The chart (its request) last handed over to be kept offline.
    pub offline_kept: Option<RequestId>,
    /// The background sync of offline copies (`offline_sync.rs`).
    pub offline_sync: super::offline_sync::OfflineSync,
    /// What charts and search rows are built with (the profile's MRN system).
    pub chart_options: ChartOptions,
    /// The write path: notes, vitals, NKA, and the outbox.
    pub writing: super::writing::Writing,
    /// The profile's front-desk defaults (time zone, practitioner, location).
    pub desk: super::schedule::DeskDefaults,
    /// The list (the schedule) a chart was opened from: Esc on the chart brings it back,
    /// with its selection.
    pub back_to: Option<super::layers::Layer>,
    /// The glances (allergies, latest vitals) at list rows, per patient, for the session.
    pub glances: super::lists::Glances,
    next_request: u64,
}

impl App {
    pub fn new(source: SourceInfo, today: NaiveDate, theme: Theme, keymap: Keymap) -> App {
        App {
            source,
            today,
            // The built-in themes (embedded: no I/O); the caller may add user themes.
            themes: Theme::names()
                .into_iter()
                .filter_map(|n| Theme::built_in(n).ok())
                .collect(),
            theme,
            keymap,
            screen: Screen::Search,
            search: SearchState::new(),
            chart: None,
            recent: Vec::new(),
            layers: Layers::default(),
            status: None,
            size: (80, 24),
            now: Instant::now(),
            lock: IdleLock::new(Some(DEFAULT_IDLE_LIMIT), Instant::now()),
            quit: false,
            profile: None,
            offline_keeping: false,
            offline_checked: None,
            offline_kept: None,
            offline_sync: super::offline_sync::OfflineSync::default(),
            chart_options: ChartOptions::default(),
            writing: super::writing::Writing::default(),
            desk: super::schedule::DeskDefaults::default(),
            back_to: None,
            glances: super::lists::Glances::default(),
            next_request: 0,
        }
    }

    /// The next moment something is due without input: the idle lock's countdown or lock,
    /// the outbox's next try, a list's refresh or its glances, or the offline copies'
    /// background work.
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        [
            self.lock.next_deadline(now),
            self.writing.next_send,
            super::lists::deadline(self),
            super::offline_sync::deadline(self),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// A fresh request id.
    pub fn next_request(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    /// Rows that fit in a page of a list on this terminal.
    pub fn page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(9)).max(1)
    }

    /// A note on the status line.
    pub fn set_status(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    /// A problem on the status line (it stays until the next key that is not an error).
    pub fn set_error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }
}
