//! Progress for long CLI work (a search paging through many results, a large chart): a
//! spinner on stderr with the requests and bytes so far (never search terms, ids or
//! data), drawn with indicatif.
//!
//! Only when stderr is a terminal, and never with `--json` (scripts read that) or
//! `--verbose` (which prints its own line per request). It is cleared before the first
//! byte of the result reaches stdout, and when the command ends (an error message then
//! starts on a clean line).

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::verbose::bytes;
use crate::fhir::client::RequestObserver;

/// A spinner that may not be shown at all.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A spinner saying `what` ("searching"), shown when `wanted` and stderr is a terminal.
    pub fn start(what: &'static str, wanted: bool) -> Progress {
        if !wanted || !io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            bar.set_style(style);
        }
        bar.set_message(format!("{what}…"));
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress { bar: Some(bar) }
    }

    /// An observer that counts requests and bytes into the spinner's message.
    pub fn observer(&self, what: &'static str) -> Option<RequestObserver> {
        let bar = self.bar.clone()?;
        let requests = AtomicU64::new(0);
        let received = AtomicU64::new(0);
        Some(Arc::new(move |event| {
            let n = requests.fetch_add(1, Ordering::Relaxed) + 1;
            let b =
                received.fetch_add(event.bytes_received, Ordering::Relaxed) + event.bytes_received;
            let plural = if n == 1 { "" } else { "s" };
            bar.set_message(format!("{what}… {n} request{plural}, {}", bytes(b)));
        }))
    }

    /// A line on stderr above the spinner (which keeps spinning below it).
    pub fn warn(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Take the spinner off the screen (again is harmless).
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            if !bar.is_finished() {
                bar.finish_and_clear();
            }
        }
    }

    /// `out`, clearing the spinner before anything is written to it.
    pub fn clearing<'a>(&'a self, out: &'a mut dyn Write) -> Clearing<'a> {
        Clearing {
            progress: self,
            out,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// A writer that clears the spinner before the first byte goes through.
pub struct Clearing<'a> {
    progress: &'a Progress,
    out: &'a mut dyn Write,
}

impl Write for Clearing<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.progress.clear();
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
