//! Leaving the screen clean when rounds is told to stop from outside: SIGTERM (a `kill`, a
//! shutdown), SIGHUP (the SSH session dropped, the terminal window closed), SIGQUIT, and
//! SIGINT sent by `kill` (Ctrl-C is a key in raw mode). By default each would end the
//! process at once, leaving the chart on the alternate screen and the terminal raw.
//!
//! A thread waits for them (signal-hook's self-pipe: nothing but a write happens in the
//! handler) and hands the first to the event loop, which leaves the way `q` does: the screen
//! cleared (scrollback too), the alternate screen left, raw mode off; rounds then exits with
//! 128 + the signal's number. Should the loop not answer within two seconds (stuck writing
//! to a terminal that is gone), the thread restores the terminal itself and exits.

use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;
use tokio::sync::mpsc;

/// How long the event loop has to leave by itself before the thread does it.
const GRACE: Duration = Duration::from_secs(2);

/// The signals that stop the interactive screen.
pub const STOPPING: [i32; 4] = [SIGTERM, SIGHUP, SIGQUIT, SIGINT];

/// The name of a stopping signal, for the message after the screen is gone.
pub fn name(signal: i32) -> &'static str {
    match signal {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        SIGQUIT => "SIGQUIT",
        SIGINT => "SIGINT",
        _ => "a signal",
    }
}

/// Listens for the stopping signals while the screen is up; stops listening when dropped.
pub struct Listener {
    handle: signal_hook::iterator::Handle,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.handle.close();
    }
}

/// Start listening: the first stopping signal comes on the channel.
pub fn listen() -> std::io::Result<(Listener, mpsc::UnboundedReceiver<i32>)> {
    let mut signals = Signals::new(STOPPING)?;
    let handle = signals.handle();
    let closed = handle.clone();
    let (tx, rx) = mpsc::unbounded_channel();
    std::thread::Builder::new()
        .name("rounds-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let _ = tx.send(signal);
                std::thread::sleep(GRACE);
                if closed.is_closed() {
                    return; // The screen was left in time.
                }
                super::clear_and_restore();
                std::process::exit(128 + signal);
            }
        })?;
    Ok((Listener { handle }, rx))
}
