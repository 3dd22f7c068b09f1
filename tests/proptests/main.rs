#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Property tests over what a hostile server controls: the sanitizer and the HTML-to-text
//! converter, the resource model and `RecordBuilder`, `Chart::build`, the JSON parsing of
//! response bodies and files, and the TUI panes. Nothing may panic, and nothing a terminal
//! would act on may come out of the sanitizer or land in a drawn cell. Fast enough for every
//! CI run (256 cases each; `PROPTEST_CASES` raises it for a longer soak).

#[path = "../common/mod.rs"]
mod common;

use proptest::test_runner::Config;

use common::today;
use common::tui::forbidden;

/// 256 cases per property (`PROPTEST_CASES` to change), no regression files.
fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        // Failures are reported with their minimal input; no regression files are written.
        failure_persistence: None,
        ..Config::default()
    }
}

/// The first character in `s` that may not reach a terminal (`\n` allowed if asked).
fn first_forbidden(s: &str, allow_newline: bool) -> Option<char> {
    s.chars()
        .find(|&c| forbidden(c) && !(allow_newline && c == '\n'))
}

mod bytes;
mod charts;
mod sources;
mod strategies;
mod text;
mod tui;
