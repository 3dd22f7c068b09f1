//! Terminal input on a thread of its own, which can be paused while another program (the
//! user's editor) has the terminal: paused, the thread stops reading, so not one key meant
//! for the editor is taken. And handing the terminal to the editor and taking it back:
//! raw mode and the alternate screen off, the editor run, both on again and the whole
//! screen drawn anew.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use tokio::sync::mpsc::UnboundedSender;

use super::Term;
use crate::app::{Command, RequestId};
use crate::worker::Worker;

/// How long the reader waits for input before looking whether it is asked to pause.
const POLL: Duration = Duration::from_millis(100);

/// The input thread's switch.
#[derive(Default)]
struct Switch {
    paused: AtomicBool,
    parked: AtomicBool,
}

/// The input reader: it ends with the process.
pub struct Input {
    switch: Arc<Switch>,
}

impl Input {
    /// Start reading terminal events into `tx`.
    pub fn spawn(tx: UnboundedSender<Event>) -> Input {
        let switch = Arc::new(Switch::default());
        let s = switch.clone();
        std::thread::spawn(move || {
            loop {
                if s.paused.load(Ordering::SeqCst) {
                    s.parked.store(true, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
                s.parked.store(false, Ordering::SeqCst);
                match event::poll(POLL) {
                    Ok(true) => match event::read() {
                        Ok(ev) => {
                            if tx.send(ev).is_err() {
                                break;
                            }
                        }
                        Err(_) => break,
                    },
                    Ok(false) => {}
                    Err(_) => break,
                }
            }
        });
        Input { switch }
    }

    /// Stop reading; returns once the reader has stopped (or after a second).
    fn pause(&self) {
        self.switch.paused.store(true, Ordering::SeqCst);
        let until = Instant::now() + Duration::from_secs(1);
        while !self.switch.parked.load(Ordering::SeqCst) && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn resume(&self) {
        self.switch.parked.store(false, Ordering::SeqCst);
        self.switch.paused.store(false, Ordering::SeqCst);
    }

    /// Hand the terminal to the editor on `text`, take it back; the file as the editor
    /// left it (`None`: the editor failed).
    pub fn edit(&self, terminal: &mut Term, text: &str) -> Option<String> {
        self.pause();
        super::restore();
        let edited = super::editor::edit(text).ok().flatten();
        let back: io::Result<()> = (|| {
            enable_raw_mode()?;
            execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
            // Everything is drawn again: the editor left its own screen behind. Safe
            // while the reader is paused (nothing else reads the terminal's answers).
            terminal.clear()
        })();
        let _ = back;
        self.resume();
        edited
    }
}

/// Hand `commands` to the worker, keeping the editor's for the event loop.
pub fn dispatch(worker: &Worker, commands: Vec<Command>, edits: &mut Vec<(RequestId, String)>) {
    for c in commands {
        match c {
            Command::EditNote { req, text } => edits.push((req, text)),
            c => worker.run(c),
        }
    }
}
