//! Hostile data: the real binary's raw terminal output

use super::*;
use common::tmux::{TmuxPane, sh_quote};

/// `rounds ARGS` under `script` (which records every byte rounds writes to its terminal)
/// in a private tmux server at 80x24.
struct Captured {
    pane: TmuxPane,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Captured {
    fn start(args: &[&str]) -> Captured {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("typescript");
        let mut rounds_cmd = sh_quote(env!("CARGO_BIN_EXE_rounds"));
        for a in args {
            rounds_cmd.push(' ');
            rounds_cmd.push_str(&sh_quote(a));
        }
        let script = format!(
            "cd {} && env -u NO_COLOR -u ROUNDS_SERVER ROUNDS_TODAY=2026-11-22 ROUNDS_CONFIG_DIR={} \
             ROUNDS_CACHE_DIR= script -qfec {} {}; echo EXITED:$?; sleep 60",
            sh_quote(&repo().display().to_string()),
            sh_quote(&dir.path().join("config").display().to_string()),
            sh_quote(&rounds_cmd),
            sh_quote(&log.display().to_string()),
        );
        let timeout = Duration::from_secs(20);
        Captured {
            pane: TmuxPane::start("rounds-hostile", "raw", (80, 24), &script, timeout),
            log,
            _dir: dir,
        }
    }

    fn wait_for(&self, text: &str) -> String {
        self.pane.wait_for(&[text])
    }

    fn wait_gone(&self, text: &str) {
        self.pane
            .wait_until(&format!("{text:?} to go"), |s| !s.contains(text));
    }

    fn keys(&self, keys: &[&str]) {
        self.pane.keys(keys);
    }
}

/// The bytes rounds wrote, without the "Script started/done" lines `script` adds.
fn script_body(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    for line in raw.split_inclusive(|b| *b == b'\n') {
        if !line.starts_with(b"Script started") && !line.starts_with(b"Script done") {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Drive the escapes patient through every tab and popup; check the bytes rounds wrote.
fn capture(source: &[&str]) {
    let mut args: Vec<&str> = source.to_vec();
    args.extend(["--patient", ESCAPES]);
    let tui = Captured::start(&args);
    tui.wait_for("Mallory");
    // After Esc, wait for the popup to go before the next key: ESC and a key that follow
    // each other closely are read as Alt+key.
    for (key, shows, gone) in [
        ("2", "Asthma HEALTHY", ""),
        ("3", "Salbutamol inhaler", ""),
        ("4", "Potassium", ""),
        ("Enter", "Reference range", ""),
        ("Escape", "Culture", "Reference range"),
        ("c", "Potassium", ""),
        ("c", "Culture", ""),
        ("5", "88", ""),
        ("6", "Office visit", ""),
        ("Enter", "Wheeze", ""),
        ("Escape", "Office visit", "Ended"),
        ("7", "Influenza vaccine", ""),
        ("8", "Progress note", ""),
        ("Enter", "j/k scroll", ""),
        ("Escape", "Progress note", "j/k scroll"),
        ("j", "Progress note", ""),
        ("Enter", "Line two: CRITICAL", ""),
        ("Escape", "Discharge summary", "j/k scroll"),
        ("?", "Keys (/ filter", ""),
        ("Escape", "Progress note", "Keys (/ filter"),
        ("1", "Active problems", ""),
    ] {
        tui.keys(&[key]);
        tui.wait_for(shows);
        if !gone.is_empty() {
            tui.wait_gone(gone);
        }
    }
    // Everything drawn so far is in the log (`script -f` writes as it goes); what follows
    // is rounds leaving, which clears the screen and the scrollback itself (ESC [2J ESC [3J).
    std::thread::sleep(Duration::from_millis(300));
    let session_len = script_body(&std::fs::read(&tui.log).unwrap()).len();
    tui.keys(&["q"]);
    let screen = tui.wait_for("EXITED:");
    assert!(screen.contains("EXITED:0"), "{screen}");
    let body = script_body(&std::fs::read(&tui.log).unwrap());
    assert!(
        body.windows(7).any(|w| w == b"Mallory"),
        "the capture holds no patient text ({} bytes)",
        body.len()
    );
    let text = String::from_utf8_lossy(&body);
    let session = String::from_utf8_lossy(&body[..session_len.min(body.len())]);
    let data_markers = PAYLOAD_MARKERS.iter().copied().chain([
        "]52;",
        "]8;;",
        "[6n",
        "[21t",
        "[5;31;47m",
        "\u{1b}c",
        "\u{1b}#8",
        "\u{1b}(0",
    ]);
    for (m, within) in data_markers
        .map(|m| (m, &text))
        .chain([("[2J", &session), ("[3J", &session)])
    {
        if let Some(i) = within.find(m) {
            let around: String = within[i..].chars().take(60).collect();
            panic!("the terminal received {m:?}: {around:?}");
        }
    }
    // rounds itself writes only CSI sequences (cursor, colours, modes): no OSC, DCS, APC,
    // PM or SOS, no 8-bit C1, no BEL, backspace or shift-out.
    for (i, w) in body.windows(2).enumerate() {
        if w[0] == 0x1b {
            assert_eq!(
                w[1],
                b'[',
                "ESC {:?} at byte {i}: {:?}",
                w[1] as char,
                String::from_utf8_lossy(&body[i.saturating_sub(20)..(i + 40).min(body.len())])
            );
        }
        assert!(
            !(w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1])),
            "a C1 control at byte {i}"
        );
    }
    for b in [0x07u8, 0x08, 0x0e, 0x0f, 0x7f] {
        assert!(!body.contains(&b), "byte {b:#04x} reached the terminal");
    }
    for bidi in [
        '\u{202e}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{200f}',
    ] {
        assert!(!text.contains(bidi), "{bidi:?} reached the terminal");
    }
}

#[test]
fn raw_terminal_output_from_files() {
    let dir = hostile_dir();
    capture(&["--open", dir.to_str().unwrap()]);
}

#[test]
fn raw_terminal_output_from_the_server() {
    let rt = runtime();
    drop(remote(&rt));
    let url = server_url();
    capture(&["--server", &url]);
}

/// The fixtures on disk are what the generator writes (so the README describes them).
#[test]
fn fixtures_match_their_generator() {
    let status = Process::new("python3")
        .arg(repo().join("scripts/make-hostile-fixtures.py"))
        .arg("--check")
        .status();
    // Without python3 there is nothing to compare with.
    if let Ok(s) = status {
        assert!(
            s.success(),
            "fixtures/hostile differs from scripts/make-hostile-fixtures.py"
        );
    }
}
