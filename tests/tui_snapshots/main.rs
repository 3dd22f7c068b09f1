#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Snapshot tests of every TUI screen, rendered into ratatui's `TestBackend` at 80x24 and
//! 120x40, plus assertions on the styles that carry clinical meaning (flags, the banner's
//! allergy and deceased markers, the selection) and on what a hostile or oversized record
//! can do to the screen. One file per pane; the harness (building state, drawing, reading
//! the screen) is `tests/common/tui.rs`, the snapshot checks are here.
//!
//! Regenerate with `INSTA_UPDATE=always cargo nextest run --test tui_snapshots`, then read
//! the changed `.snap` files (in `tests/tui_snapshots/snapshots/`). The snapshots assume a
//! UTF-8 (or unset) locale: with `LANG=C` the trend sparklines fall back to ASCII.

#[path = "../common/mod.rs"]
mod common;

use std::io::Write;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Style};
use rounds::app::{App, Command, Msg, Response, ResponseResult, Screen, update};
use rounds::config::Theme;
use rounds::source::{DataSource, LocalSource, SourceInfo, SourceKind, demo_source};

use common::tui::{
    ADA, BEN, CORA, DEE, SYNTHEA, answer_chart, answer_search, assert_span_style,
    assert_text_style, default_theme, demo_app, draw, find, find_all, first_forbidden_cell,
    has_style, keys, new_app, press, row_text, screen_text,
};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

// ---------------------------------------------------------------------------------------
// Building state

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

/// A demo patient's chart, loaded, on the cover sheet.
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

/// A server source (its label fixed), with no network behind it: answers come from the
/// demo source.
fn server_info() -> SourceInfo {
    SourceInfo {
        kind: SourceKind::Server,
        label: "https://ehr.example/fhir".into(),
        tls_unverified: false,
    }
}

// ---------------------------------------------------------------------------------------
// Snapshots: insta names them after this module (`tui_snapshots__<name>.snap`), so every
// snapshot is taken here, whichever pane's file asks for it.

/// Compare a drawn screen with the snapshot `name`.
fn assert_screen(name: &str, t: &Terminal<TestBackend>) {
    insta::assert_snapshot!(name, t.backend());
}

/// Draw at both sizes and compare with the snapshots `<name>_<w>x<h>`; on a chart screen
/// also check that the banner and the status line are on screen.
fn snap(name: &str, app: &mut App) {
    for (w, h) in SIZES {
        snap_at(name, app, w, h);
    }
}

/// `snap` at one size: the snapshot `<name>_<w>x<h>`.
fn snap_at(name: &str, app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let t = draw(app, w, h);
    check_frame(app, t.backend().buffer());
    assert_screen(&format!("{name}_{w}x{h}"), &t);
    t
}

/// The status line (or the command line) on the last row; on a chart, the banner on the
/// first two, under every overlay.
fn check_frame(app: &App, buf: &Buffer) {
    let last = row_text(buf, buf.area.height - 1);
    let command_line = matches!(app.layers.top(), Some(rounds::app::Layer::CommandLine(_)));
    if command_line {
        assert!(last.starts_with(':'), "command line not on the last row");
    } else {
        let label = match (app.source.kind, &app.profile) {
            (SourceKind::Demo, _) => "DEMO".to_owned(),
            (SourceKind::Server, Some(profile)) => format!("[{profile}] http"),
            (SourceKind::Server, None) => "http".to_owned(),
            _ => "FILE".to_owned(),
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

/// No cell holds a character a terminal would act on, that reorders text or that hides.
fn assert_clean(buf: &Buffer, what: &str) {
    if let Some((x, y, sym)) = first_forbidden_cell(buf) {
        panic!("{what}: cell ({x}, {y}) holds {sym:?}");
    }
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.contains(['\u{200b}', '\u{200c}', '\u{2060}', '\u{feff}']),
                "{what}: cell ({x}, {y}) holds a zero-width char {sym:?}"
            );
        }
    }
}

mod banner;
mod command_line;
mod cover;
mod detail;
mod help;
mod hostile;
mod lock;
mod long_values;
mod notes;
mod pane_states;
mod patients;
mod procedures;
mod real_world;
mod results;
mod search;
mod status;
mod styles;
mod writing;
