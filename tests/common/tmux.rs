//! Driving the real binary in tmux: a tmux server of the test's own (its own socket, no
//! user config) whose one pane runs a shell script. Keys, literal text, screen captures
//! (every one kept, so a test can check a secret never showed), waiting for the screen;
//! the server is killed and its socket file removed when the pane is dropped, whether the
//! test passed or not.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How often the screen is looked at while waiting.
const POLL: Duration = Duration::from_millis(50);

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

/// Quote a word for `sh`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One tmux server with one pane (target `t`).
pub struct TmuxPane {
    socket: String,
    /// The server's socket file, removed after the server is killed.
    socket_path: Option<PathBuf>,
    started: Instant,
    timeout: Duration,
    seen: RefCell<Vec<String>>,
}

impl TmuxPane {
    /// Start `sh -c script` in a `width`x`height` pane of a new tmux server named after
    /// `prefix`, this process and `name`. Waits give up after `timeout`.
    pub fn start(
        prefix: &str,
        name: &str,
        (width, height): (u16, u16),
        script: &str,
        timeout: Duration,
    ) -> TmuxPane {
        let socket = format!(
            "{prefix}-{}-{}-{name}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::SeqCst)
        );
        let mut pane = TmuxPane {
            socket,
            socket_path: None,
            started: Instant::now(),
            timeout,
            seen: RefCell::default(),
        };
        let (w, h) = (width.to_string(), height.to_string());
        pane.tmux(&[
            "new-session",
            "-d",
            "-x",
            &w,
            "-y",
            &h,
            "-s",
            "t",
            "sh",
            "-c",
            script,
        ]);
        let path = pane.tmux(&["display-message", "-p", "#{socket_path}"]);
        pane.socket_path = Some(PathBuf::from(path.trim())).filter(|p| p.is_absolute());
        pane
    }

    /// Run a tmux command against this server; its output, whatever the status.
    pub fn tmux_output(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs (is it installed?)")
    }

    /// Run a tmux command that must succeed; its standard output.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = self.tmux_output(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Press keys by tmux name (`Enter`, `Escape`, `C-c`, `NPage`, `q`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Type text literally.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
    }

    /// The screen as text (kept with every screen read before).
    pub fn screen(&self) -> String {
        let s = self.tmux(&["capture-pane", "-p", "-t", "t"]);
        self.seen.borrow_mut().push(s.clone());
        s
    }

    /// The screen with its colours and attributes as escape sequences.
    pub fn screen_with_escapes(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e", "-t", "t"])
    }

    /// Every screen read so far as text.
    pub fn seen(&self) -> std::cell::Ref<'_, Vec<String>> {
        self.seen.borrow()
    }

    /// Wait until `ok(screen)`; the screen then. Panics with the screen after the timeout.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + self.timeout;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!(
                    "timed out after {:?} waiting for {what}; the screen:\n{screen}\n\
                     (socket {}, {:?} since start)",
                    self.timeout,
                    self.socket,
                    self.started.elapsed()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Wait until the screen shows every one of `texts`.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }
}

impl Drop for TmuxPane {
    fn drop(&mut self) {
        let _ = self.tmux_output(&["kill-server"]);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}
