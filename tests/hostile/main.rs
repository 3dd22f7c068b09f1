#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The hostile fixture set (fixtures/hostile, see its README) through every path a server
//! string takes to a terminal: `LocalSource` and the real FHIR server (`ROUNDS_TEST_FHIR_URL`,
//! with fixtures/hostile loaded: `scripts/fhir-server load` does it), the chart model, every
//! TUI tab, detail popup, help and search row rendered into ratatui's `TestBackend`, the
//! CLI's tables and JSON, and the real binary's raw terminal output captured under tmux with
//! `script`. Nothing may panic; no escape sequence, control character or bidi control from
//! the data may reach the screen; CJK and emoji must survive; unreadable and foreign
//! resources must be reported.

#[path = "../common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::Command as Process;
use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use rounds::app::{App, Command, Msg, ResponseResult, Screen, update};
use rounds::chart::Chart;
use rounds::fhir::{ClientConfig, FhirClient, Section};
use rounds::source::{DataSource, LocalSource, RemoteSource};
use serde_json::Value;

use common::tui::{
    FakeWorker, app_for, draw, first_forbidden_cell, forbidden, keys, press, runtime, screen_text,
};
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
    if let Some((x, y, sym)) = first_forbidden_cell(buf) {
        panic!(
            "{what}: cell ({x}, {y}) holds {sym:?}\n{}",
            screen_text(buf)
        );
    }
    assert_inert(what, &screen_text(buf));
}

// ---------------------------------------------------------------------------------------
// Sources

fn hostile_dir() -> PathBuf {
    repo().join("fixtures").join("hostile")
}

fn local() -> LocalSource {
    LocalSource::open(&hostile_dir()).unwrap()
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

mod chart_model;
mod cli;
mod raw_terminal;
mod schedule;
mod tui;
